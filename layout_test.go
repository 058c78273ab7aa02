package grantkit_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

// imports lists what the non-test Go files of dir import.
func imports(t *testing.T, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[p] = true
		}
	}
	return out
}

// The library core's arrows point one way: the root package imports no grantkit package that
// imports grantkit (only a leaf such as internal/grantwrite, which is generic over the root's
// types), and no core package imports the public option package or a test kit.
func TestLayoutArrowsPointOneWay(t *testing.T) {
	const mod = "github.com/grantkit/grantkit"
	for p := range imports(t, ".") {
		if !strings.HasPrefix(p, mod+"/") {
			continue
		}
		for q := range imports(t, strings.TrimPrefix(p, mod+"/")) {
			assert.False(t, strings.HasPrefix(q, mod), "the root package imports %s, which imports %s: an arrow back up", p, q)
		}
	}
	core, err := filepath.Glob("internal/*")
	require.NoError(t, err)
	for _, dir := range core {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || filepath.Base(dir) == "testkit" || filepath.Base(dir) == "tools" {
			continue
		}
		for p := range imports(t, dir) {
			assert.NotEqual(t, mod+"/option", p, "%s imports the public option package", dir)
			assert.False(t, strings.HasPrefix(p, mod+"/internal/testkit"), "%s imports the test kit %s", dir, p)
		}
	}
	_, withDefaults := reflect.TypeFor[grantkit.RetryPolicy]().MethodByName("WithDefaults")
	assert.False(t, withDefaults, "RetryPolicy.WithDefaults serves only the transport: it is not public API")
	_, err = os.Stat("internal/settings")
	assert.True(t, os.IsNotExist(err), "client construction has one package, internal/construct")
}
