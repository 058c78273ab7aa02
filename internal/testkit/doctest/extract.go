package doctest

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A Snippet is one block of code found in the documentation.
type Snippet struct {
	// File is the file the block is in, relative to the module root, with slashes.
	File string
	// Line is the line of File holding the block's first line of code (1-based). The block's
	// lines follow one to one: Code's line n is File's line Line+n-1.
	Line int
	// Code is the block, without the fence or the comment's "//\t" prefix.
	Code string
	// Section is the Markdown heading the block is under ("Usage"), or "" in a doc comment.
	Section string
	// Directive is what follows "doctest:" in a <!-- doctest: ... --> line right above the
	// block's fence, or "".
	Directive string
	// Package is the import path of the package whose doc comment holds the block, or "" in
	// Markdown.
	Package string
}

// Pos is where the snippet is, as an editor takes it: "README.md:57".
func (s Snippet) Pos() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// FirstLine is the snippet's first line of code, trimmed: what the notGo table names.
func (s Snippet) FirstLine() string {
	first, _, _ := strings.Cut(s.Code, "\n")
	return strings.TrimSpace(first)
}

var (
	fenceOpen = regexp.MustCompile("^([ \t]*)(```+|~~~+)[ \t]*([^ \t`]*)")
	directive = regexp.MustCompile(`^<!--\s*doctest:\s*(.*?)\s*-->$`)
)

// Markdown returns the ```go (or ```golang) blocks of the Markdown file root/rel.
func Markdown(root, rel string) ([]Snippet, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	var (
		out     []Snippet
		section string
		prev    string // the last non-blank line before the current one, outside code
		lines   = strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	)
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		m := fenceOpen.FindStringSubmatch(line)
		if m == nil {
			if t := strings.TrimSpace(line); t != "" {
				if strings.HasPrefix(t, "#") {
					section = strings.TrimSpace(strings.TrimLeft(t, "#"))
				}
				prev = t
			}
			continue
		}
		indent, fence, lang := m[1], m[2], strings.ToLower(m[3])
		start := i + 1
		end := start
		for end < len(lines) && !isFenceClose(lines[end], fence) {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("%s:%d: code fence %s is never closed", rel, i+1, fence)
		}
		if lang == "go" || lang == "golang" {
			code := make([]string, 0, end-start)
			for _, l := range lines[start:end] {
				code = append(code, strings.TrimPrefix(l, indent))
			}
			s := Snippet{File: rel, Line: start + 1, Code: strings.Join(code, "\n"), Section: section}
			if d := directive.FindStringSubmatch(prev); d != nil {
				s.Directive = d[1]
			}
			out = append(out, s)
		}
		prev = ""
		i = end
	}
	return out, nil
}

func isFenceClose(line, fence string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == ""
}

// Comments returns the code blocks of the doc comments in the hand-written Go files of the
// module at root (module path modulePath): every package but generated files, test files,
// testdata and nested modules. The package doc of a command (package main) is left out: it
// shows how to run the command, not Go.
func Comments(root, modulePath string) ([]Snippet, error) {
	var out []Snippet
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if p != root {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		snips, err := fileComments(p, rel, path.Join(modulePath, path.Dir(rel)))
		if err != nil {
			return err
		}
		out = append(out, snips...)
		return nil
	})
	return out, err
}

func fileComments(filename, rel, importPath string) ([]Snippet, error) {
	src, err := os.ReadFile(filename)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	if ast.IsGenerated(f) {
		return nil, nil
	}
	var groups []*ast.CommentGroup
	if f.Name.Name != "main" {
		groups = append(groups, f.Doc)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			groups = append(groups, n.Doc)
		case *ast.GenDecl:
			groups = append(groups, n.Doc)
		case *ast.TypeSpec:
			groups = append(groups, n.Doc)
		case *ast.ValueSpec:
			groups = append(groups, n.Doc)
		case *ast.Field:
			groups = append(groups, n.Doc)
		}
		return true
	})
	var out []Snippet
	for _, g := range groups {
		if g == nil {
			continue
		}
		for _, b := range codeBlocks(fset, g) {
			b.File, b.Package = rel, importPath
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b Snippet) int { return a.Line - b.Line })
	return slices.CompactFunc(out, func(a, b Snippet) bool { return a.Line == b.Line }), nil
}

// codeBlocks finds the code blocks of a doc comment: gofmt writes every code line of a doc
// comment as "//\t..." (list items and their text are indented with spaces), and a block
// ends at the first line that is neither code nor blank.
func codeBlocks(fset *token.FileSet, g *ast.CommentGroup) []Snippet {
	var (
		out   []Snippet
		cur   []string
		first int
	)
	flush := func() {
		for len(cur) > 0 && cur[len(cur)-1] == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			out = append(out, Snippet{Line: first, Code: strings.Join(cur, "\n")})
		}
		cur = nil
	}
	for _, c := range g.List {
		if !strings.HasPrefix(c.Text, "//") {
			flush() // a /* */ comment: its code blocks are not looked for
			continue
		}
		text := strings.TrimPrefix(c.Text, "//")
		switch {
		case strings.HasPrefix(text, "\t"):
			if len(cur) == 0 {
				first = fset.Position(c.Slash).Line
			}
			cur = append(cur, strings.TrimPrefix(text, "\t"))
		case strings.TrimSpace(text) == "" && len(cur) > 0:
			cur = append(cur, "")
		default:
			flush()
		}
	}
	flush()
	return out
}

// numbered returns src with line numbers, for a failure message.
func numbered(src []byte) string {
	var b strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		fmt.Fprintf(&b, "%4d  %s\n", n, sc.Text())
	}
	return b.String()
}
