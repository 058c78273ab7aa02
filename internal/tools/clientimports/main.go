// Command clientimports points the generated clients (the client half, */internal/oas) at
// grantkit's internal/ogenerrors instead of ogen's ogenerrors package, which imports ogen's
// OpenAPI parser and, through it, logging, colour and YAML libraries no client needs.
//
//	go run ./internal/tools/clientimports auth0/internal/oas cpn/internal/oas ...
//
// It is run by `go generate` after ogen (see generate.go). It fails, and changes nothing, when
// the generated code uses a name of ogen's package that internal/ogenerrors does not declare:
// an ogen upgrade that changes what the client half needs is then a generation error, not a
// silent link of the parser.
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	ogenPath  = "github.com/ogen-go/ogen/ogenerrors"
	localPath = "github.com/grantkit/grantkit/internal/ogenerrors"
	localDir  = "internal/ogenerrors"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: clientimports DIR...")
		os.Exit(2)
	}
	if err := run(localDir, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "clientimports:", err)
		os.Exit(1)
	}
}

// run rewrites every Go file of dirs that imports ogen's package, after checking that each
// name the files use from it is declared by the package in local.
func run(local string, dirs []string) error {
	declared, err := exported(local)
	if err != nil {
		return err
	}
	type edit struct {
		path string
		src  []byte
	}
	var edits []edit
	var missing []string
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return err
		}
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out, used, err := rewrite(path, src)
			if err != nil {
				return err
			}
			for _, name := range used {
				if !declared[name] {
					missing = append(missing, fmt.Sprintf("%s uses ogenerrors.%s", path, name))
				}
			}
			if out != nil {
				edits = append(edits, edit{path, out})
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%s does not declare what the generated client uses (add it there, after checking ogen's package):\n\t%s",
			local, strings.Join(missing, "\n\t"))
	}
	for _, e := range edits {
		if err := os.WriteFile(e.path, e.src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rewrite returns the file with ogen's import replaced (nil when it does not import it) and
// the names it selects from that package.
func rewrite(path string, src []byte) (out []byte, used []string, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, err
	}
	var spec *ast.ImportSpec
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == ogenPath {
			spec = im
		}
	}
	if spec == nil {
		return nil, nil, nil
	}
	name := "ogenerrors"
	if spec.Name != nil {
		name = spec.Name.Name
	}
	seen := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name && !seen[sel.Sel.Name] {
				seen[sel.Sel.Name] = true
				used = append(used, sel.Sel.Name)
			}
		}
		return true
	})
	sort.Strings(used)
	spec.Path.Value = strconv.Quote(localPath)
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), used, nil
}

// exported returns the exported top-level names declared by the package in dir.
func exported(dir string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							names[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s declares nothing", dir)
	}
	return names, nil
}
