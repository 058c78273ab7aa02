package grantkit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generated returns the top-level names a generated package declares and the packages it
// imports.
func generated(t *testing.T, dir string) (names, imports map[string]bool) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names, imports = map[string]bool{}, map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			imports[p] = true
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						names[ts.Name.Name] = true
					}
				}
			}
		}
	}
	return names, imports
}

// What a user's build compiles of the generated code is the client half only (specs/ogen.yml);
// the server half, generated with specs/ogen-server.yml, lives under each fake, where Go's
// internal rule keeps every package but the fake from importing it.
func TestUsersCompileTheClientHalfOnly(t *testing.T) {
	for _, vendor := range []string{"auth0", "cpn", "okta", "onelogin", "ory", "pingone"} {
		t.Run(vendor, func(t *testing.T) {
			client, clientImports := generated(t, filepath.Join(vendor, "internal", "oas"))
			assert.True(t, client["NewClient"], "the client half is generated")
			for _, name := range []string{"NewServer", "Server", "Handler", "UnimplementedHandler", "SecurityHandler"} {
				assert.False(t, client[name], "%s/internal/oas declares %s, part of the server half", vendor, name)
			}
			assert.False(t, clientImports["github.com/ogen-go/ogen/middleware"], "the server's middleware is imported")
			assert.False(t, clientImports["github.com/ogen-go/ogen/ogenerrors"], "ogen's ogenerrors (and its OpenAPI parser) is imported: run go generate")
			assert.True(t, clientImports["github.com/grantkit/grantkit/internal/ogenerrors"], "the client half imports internal/ogenerrors")

			server, _ := generated(t, filepath.Join(vendor, vendor+"fake", "internal", "oas"))
			assert.True(t, server["NewServer"], "the fake's server half is generated")
			assert.True(t, server["UnimplementedHandler"])
			assert.False(t, server["NewClient"], "the fake needs no client")
		})
	}
}

// A program that uses one vendor client links only what the client uses: no logging, colour or
// YAML library reaches it through the generated code (ogen's ogenerrors imports its OpenAPI
// parser, which imports them; see internal/ogenerrors).
func TestUsersLinkNoParserLibraries(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	pkgs := []string{"./auth0", "./cpn", "./okta", "./onelogin", "./ory", "./pingone", "./option", "."}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"go.uber.org/", "github.com/fatih/color", "github.com/mattn/", "gopkg.in/yaml", "github.com/ghodss/yaml", "github.com/go-faster/yaml", "github.com/ogen-go/ogen/openapi", "github.com/ogen-go/ogen/jsonschema"} {
			assert.False(t, strings.HasPrefix(dep, banned), "a vendor client links %s", dep)
		}
	}
}
