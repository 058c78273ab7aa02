package docsnip_test

import (
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// notCompiled lists the ```go blocks deliberately left out, by file and first line, with why.
var notCompiled = []struct{ file, firstLine, why string }{
	{"CONTRIBUTING.md", "//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen",
		"an outline of a new vendor's fake: its oas server and fake_gen.go exist only once go generate has run for it"},
}

// Every Go snippet a user copies is compiled code: each ```go block of README.md and
// CONTRIBUTING.md, and each call example (a code block declaring a name with := or var) of a
// doc comment, appears verbatim, modulo spacing and blank lines, in the body of a function
// of a _test.go file (a testable Example, run against a fake where it can be) or in package
// internal/testkit/docsnip/acme (CONTRIBUTING's vendor skeleton).
func TestSnippetsAreCompiled(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	var compiled, missing []string
	found := make([]bool, len(notCompiled))
	var callExamples []snippet
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" ||
			d.Name() == "oas" || exists(filepath.Join(path, "go.mod"))) { // generated, data, other modules
			return fs.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil || ast.IsGenerated(f) {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "internal/testkit/docsnip/acme/"):
			compiled = append(compiled, normalize(string(src)))
		case strings.HasSuffix(rel, "_test.go"):
			ast.Inspect(f, func(n ast.Node) bool {
				if b, ok := n.(*ast.BlockStmt); ok {
					compiled = append(compiled, normalize(string(src[fset.Position(b.Lbrace).Offset+1:fset.Position(b.Rbrace).Offset])))
					return false // a function's body holds its inner blocks
				}
				return true
			})
		default:
			callExamples = append(callExamples, docBlocks(rel, string(src), f, fset)...)
		}
		return nil
	})
	require.NoError(t, err)
	all := strings.Join(compiled, "\n\x00\n")
	for _, md := range []string{"README.md", "CONTRIBUTING.md"} {
		src, err := os.ReadFile(filepath.Join(root, md))
		require.NoError(t, err)
		for _, s := range markdownBlocks(t, md, string(src)) {
			if i := listed(s); i >= 0 {
				found[i] = true
			} else if !strings.Contains(all, normalize(s.code)) {
				missing = append(missing, s.where)
			}
		}
	}
	for _, s := range callExamples {
		if !strings.Contains(all, normalize(s.code)) {
			missing = append(missing, s.where)
		}
	}
	for i, n := range notCompiled {
		require.True(t, found[i], "notCompiled lists a block of %s that is no longer there: remove it", n.file)
	}
	require.Empty(t, missing, "these Go snippets appear in no compiled function: put each, verbatim, "+
		"in the body of an Example of the package it documents (README's and CONTRIBUTING's in "+
		"internal/testkit/docsnip), or fix the snippet to match the code that is compiled")
}

type snippet struct{ where, code string }

// markdownBlocks returns the ```go blocks of a Markdown file.
func markdownBlocks(t *testing.T, file, src string) []snippet {
	var out []snippet
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
		}
		require.Less(t, i, len(lines), "%s:%d: the ```go block is never closed", file, start)
		out = append(out, snippet{file + ":" + strconv.Itoa(start), strings.Join(lines[start:i], "\n")})
	}
	return out
}

// docBlocks returns the code blocks of a file's comments that declare a name (call examples,
// not the shapes of a literal or a table).
func docBlocks(file, src string, f *ast.File, fset *token.FileSet) []snippet {
	var out []snippet
	var p comment.Parser
	for _, cg := range f.Comments {
		for _, b := range p.Parse(cg.Text()).Content {
			code, ok := b.(*comment.Code)
			if !ok || !strings.Contains(code.Text, ":=") && !strings.HasPrefix(code.Text, "var ") && !strings.Contains(code.Text, "\nvar ") {
				continue
			}
			first, _, _ := strings.Cut(code.Text, "\n")
			line := fset.Position(cg.Pos()).Line
			for i, l := range strings.Split(src, "\n")[line-1:] {
				if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "//")) == strings.TrimSpace(first) {
					line += i
					break
				}
			}
			out = append(out, snippet{file + ":" + strconv.Itoa(line), code.Text})
		}
	}
	return out
}

func normalize(code string) string {
	var out []string
	for _, l := range strings.Split(code, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// listed returns the index of s in notCompiled, or -1.
func listed(s snippet) int {
	for i, n := range notCompiled {
		if strings.HasPrefix(s.where, n.file+":") && strings.HasPrefix(strings.TrimSpace(s.code), n.firstLine) {
			return i
		}
	}
	return -1
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// A block is named by its file and the line of its fence or first code line; a doc comment's
// shape illustrations (no name declared) are not collected.
func TestWhere(t *testing.T) {
	md := markdownBlocks(t, "G.md", "# G\n\n```sh\ngo test\n```\n```go\na := 1\n```\n")
	require.Equal(t, []snippet{{"G.md:6", "a := 1"}}, md)
	src := "// Package p.\n//\n//\tp.T{A: 1}\n//\n// Or:\n//\n//\tt := p.T{}\n//\tt.A = 2\npackage p\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	require.NoError(t, err)
	require.Equal(t, []snippet{{"p/p.go:7", "t := p.T{}\nt.A = 2\n"}}, docBlocks("p/p.go", src, f, fset))
}
