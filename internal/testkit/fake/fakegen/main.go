// Command fakegen writes the part of a vendor fake that every fake shares, fake_gen.go, into
// the package that runs it with go generate:
//
//	//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen
//
// The shared machinery lives in internal/testkit/fake, which users cannot import nor read with
// `go doc`. So that each fake's own page shows it whole, fakegen declares there:
//   - an alias of every internal/testkit/fake type marked //fakegen:alias, whose doc comment is the
//     type's own followed by its declaration, fields and their comments included;
//   - a method of Fake for every *fake.Server method marked //fakegen:forward, with the
//     method's doc comment, calling it on the Fake's srv field;
//   - Server, a Fake on a loopback address (NewServer, Close);
//   - api, the fake's generated server (./internal/oas, from specs/ogen-server.yml) over its
//     handler, wired to answer with the vendor's error body (fake.Server.Options).
//
// The package provides the rest: a Fake struct with a field `srv *fake.Server`, New, the
// handler and ServeHTTP. Doc comments in internal/testkit/fake are written for these pages: they
// speak of "the fake" and name the other shared types and methods, which the package has.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const output = "fake_gen.go"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "fakegen:", err)
		os.Exit(1)
	}
}

func run() error {
	pkg := os.Getenv("GOPACKAGE")
	if pkg == "" {
		return errors.New("run me with go generate (GOPACKAGE is not set)")
	}
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	src, err := generate(dir, pkg)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, output), src, 0o644)
}

// generate returns fake_gen.go for package pkg in dir.
func generate(dir, pkg string) ([]byte, error) {
	root, module, err := findModule(dir)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "internal", "oas")); err != nil {
		return nil, fmt.Errorf("the fake's generated server is missing (add its go:generate line to generate.go): %w", err)
	}
	shared, err := parseShared(filepath.Join(root, "internal", "testkit", "fake"))
	if err != nil {
		return nil, err
	}
	return render(pkg, module+"/internal/testkit/fake", module+"/"+filepath.ToSlash(rel)+"/internal/oas", shared)
}

// findModule returns the directory of the go.mod governing dir, and its module path.
func findModule(dir string) (string, string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if path, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
					return d, strings.Trim(strings.TrimSpace(path), `"`), nil
				}
			}
			return "", "", fmt.Errorf("%s/go.mod names no module", d)
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", "", err
		}
		if filepath.Dir(d) == d {
			return "", "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}

// shared is what fakegen copies from internal/testkit/fake.
type shared struct {
	fset    *token.FileSet
	aliases []alias
	methods []method
}

type alias struct {
	name, doc string
	decl      string // `type Name struct { … }` with its comments
}

type method struct {
	name, doc string
	signature string   // as declared, e.g. "(m Match, faults ...Fault)" or "() []Request"
	returns   bool     // whether it has results
	args      []string // the call's arguments, e.g. "m", "faults..."
	imports   []string // packages the signature names
}

func parseShared(dir string) (*shared, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	s := &shared{fset: fset}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if err := s.collect(f); err != nil {
			return nil, err
		}
	}
	if len(s.aliases) == 0 || len(s.methods) == 0 {
		return nil, fmt.Errorf("%s marks no //fakegen:alias type or //fakegen:forward method", dir)
	}
	slices.SortFunc(s.aliases, func(a, b alias) int { return strings.Compare(a.name, b.name) })
	slices.SortFunc(s.methods, func(a, b method) int { return strings.Compare(a.name, b.name) })
	return s, nil
}

func marked(doc *ast.CommentGroup, directive string) bool {
	return doc != nil && slices.ContainsFunc(doc.List, func(c *ast.Comment) bool { return c.Text == directive })
}

func (s *shared) collect(f *ast.File) error {
	imports := map[string]string{} // name in f → import path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = p
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok != token.TYPE || !marked(d.Doc, "//fakegen:alias") {
				continue
			}
			if len(d.Specs) != 1 {
				return fmt.Errorf("%s: mark one type per declaration", s.fset.Position(d.Pos()))
			}
			ts := d.Specs[0].(*ast.TypeSpec)
			var b bytes.Buffer
			b.WriteString("type ")
			if err := format.Node(&b, s.fset, &printer.CommentedNode{Node: ts, Comments: f.Comments}); err != nil {
				return err
			}
			s.aliases = append(s.aliases, alias{name: ts.Name.Name, doc: d.Doc.Text(), decl: b.String()})
		case *ast.FuncDecl:
			if !marked(d.Doc, "//fakegen:forward") {
				continue
			}
			if !isServerMethod(d) {
				return fmt.Errorf("%s: //fakegen:forward marks a method of *Server", s.fset.Position(d.Pos()))
			}
			m, err := s.method(d, imports)
			if err != nil {
				return err
			}
			s.methods = append(s.methods, m)
		}
	}
	return nil
}

func isServerMethod(d *ast.FuncDecl) bool {
	if d.Recv == nil || len(d.Recv.List) != 1 {
		return false
	}
	star, ok := d.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Server"
}

func (s *shared) method(d *ast.FuncDecl, imports map[string]string) (method, error) {
	m := method{name: d.Name.Name, doc: d.Doc.Text(), returns: d.Type.Results != nil}
	for _, p := range d.Type.Params.List {
		if len(p.Names) == 0 {
			return m, fmt.Errorf("%s: name the parameters of %s", s.fset.Position(p.Pos()), m.name)
		}
		for _, n := range p.Names {
			if n.Name == receiver {
				return m, fmt.Errorf("%s: a parameter of %s is named %q, the receiver's name", s.fset.Position(n.Pos()), m.name, receiver)
			}
			arg := n.Name
			if _, ok := p.Type.(*ast.Ellipsis); ok {
				arg += "..."
			}
			m.args = append(m.args, arg)
		}
	}
	var err error
	ast.Inspect(d.Type, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				p, found := imports[id.Name]
				if !found {
					err = fmt.Errorf("%s: %s is not imported", s.fset.Position(id.Pos()), id.Name)
				}
				m.imports = append(m.imports, p)
			}
		}
		return true
	})
	if err != nil {
		return m, err
	}
	// The signature as declared, as its function type prints it: "func(m Match, …) []Request".
	var sig bytes.Buffer
	if err := format.Node(&sig, s.fset, d.Type); err != nil {
		return m, err
	}
	m.signature = strings.TrimPrefix(sig.String(), "func")
	return m, nil
}

// receiver is the name of the Fake in the methods fakegen writes.
const receiver = "f"

func render(pkg, fakePath, oasPath string, s *shared) ([]byte, error) {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("// Code generated by internal/testkit/fake/fakegen from internal/testkit/fake; DO NOT EDIT.\n\n")
	w("package %s\n\n", pkg)
	std := []string{"net/http", "net/http/httptest"}
	for _, m := range s.methods {
		std = append(std, m.imports...)
	}
	slices.Sort(std)
	w("import (\n")
	for _, p := range slices.Compact(std) {
		w("\t%q\n", p)
	}
	w("\n\t%q\n\t%q\n)\n", oasPath, fakePath)

	for _, a := range s.aliases {
		w("\n%s//\n", comment(a.doc))
		for _, line := range strings.Split(a.decl, "\n") {
			w("//\t%s\n", line)
		}
		w("type %s = fake.%s\n", a.name, a.name)
	}
	for _, m := range s.methods {
		ret := ""
		if m.returns {
			ret = "return "
		}
		w("\n%sfunc (%s *Fake) %s%s { %s%s.srv.%s(%s) }\n",
			comment(m.doc), receiver, m.name, m.signature, ret, receiver, m.name, strings.Join(m.args, ", "))
	}
	w(`
// Server is a Fake listening on a loopback address.
type Server struct {
	*Fake
	// URL is the base URL to give option.WithBaseURL, such as http://127.0.0.1:53412.
	URL string
	hs  *httptest.Server
}

// NewServer starts a new Fake (New) on a loopback address. Close it when done.
func NewServer() *Server {
	f := New()
	hs := httptest.NewServer(f)
	return &Server{Fake: f, URL: hs.URL, hs: hs}
}

// Close shuts the server down and waits for the requests it is serving to finish.
func (s *Server) Close() { s.hs.Close() }

// api returns the fake's generated server over h, serving the API under prefix. The requests
// it refuses before reaching h (a body or parameter that breaks the schema, whose message
// starts with badRequest; an unknown path; a wrong method) get the vendor's error body too.
func (f *Fake) api(h interface {
	oas.Handler
	oas.SecurityHandler
}, prefix, badRequest string) http.Handler {
	o := f.srv.Options(badRequest)
	api, err := oas.NewServer(h, h, oas.WithPathPrefix(prefix),
		oas.WithErrorHandler(o.Error), oas.WithNotFound(o.NotFound), oas.WithMethodNotAllowed(o.MethodNotAllowed))
	if err != nil {
		panic(err) // the generated server fails only on invalid options
	}
	return api
}
`)
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, b.Bytes())
	}
	return src, nil
}

// comment turns doc text into a // comment.
func comment(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case line == "":
			b.WriteString("//\n")
		case strings.HasPrefix(line, "\t"): // a code block
			b.WriteString("//" + line + "\n")
		default:
			b.WriteString("// " + line + "\n")
		}
	}
	return b.String()
}
