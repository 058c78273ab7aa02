package doctest_test

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit/internal/testkit/doctest"
)

// notGo lists the doc comment code blocks that are not Go, by file and first line, with the
// reason. Every other code block of a doc comment must compile.
var notGo = []struct{ file, firstLine, why string }{
	{"cpn/scopenames.go", "openid", "the table of scope-name forms"},
	{"internal/testkit/codecbench/codecbench.go", "op=decode/codec=encoding-json", "the table of sub-benchmark names"},
	{"retry.go", "Temporary() bool", "the signature of a method a RoundTripper's error may have"},
	{"examples/grantsync/state.go", "auth0:", "an example of the desired-state file (YAML)"},
	{"internal/testkit/fake/match.go", `Match{Method: "PATCH"}                          // every PATCH`, "Match values as each vendor fake's page shows them (fake_gen.go copies the doc), unqualified"},
	{"internal/testkit/fake/match.go", `Fail(Match{Method: "PATCH"}, Fault{Status: 429, RetryAfter: "1"})`, "the call as each vendor fake's page shows it (fake_gen.go copies the doc), unqualified"},
}

// imports are the packages a snippet may name without importing them.
var imports = map[string]string{
	"context":  "context",
	"errors":   "errors",
	"fmt":      "fmt",
	"http":     "net/http",
	"httptest": "net/http/httptest",
	"io":       "io",
	"iter":     "iter",
	"json":     "encoding/json",
	"log":      "log",
	"maps":     "maps",
	"os":       "os",
	"slices":   "slices",
	"slog":     "log/slog",
	"sort":     "sort",
	"strconv":  "strconv",
	"strings":  "strings",
	"sync":     "sync",
	"testing":  "testing",
	"time":     "time",
	"url":      "net/url",
	"oauth2":   "golang.org/x/oauth2",

	"grantkit":     "github.com/grantkit/grantkit",
	"option":       "github.com/grantkit/grantkit/option",
	"auth0":        "github.com/grantkit/grantkit/auth0",
	"auth0fake":    "github.com/grantkit/grantkit/auth0/auth0fake",
	"cpn":          "github.com/grantkit/grantkit/cpn",
	"cpnfake":      "github.com/grantkit/grantkit/cpn/cpnfake",
	"onelogin":     "github.com/grantkit/grantkit/onelogin",
	"oneloginfake": "github.com/grantkit/grantkit/onelogin/oneloginfake",
	"pingone":      "github.com/grantkit/grantkit/pingone",
	"pingonefake":  "github.com/grantkit/grantkit/pingone/pingonefake",
	"okta":         "github.com/grantkit/grantkit/okta",
	"oktafake":     "github.com/grantkit/grantkit/okta/oktafake",
	"ory":          "github.com/grantkit/grantkit/ory",
	"oryfake":      "github.com/grantkit/grantkit/ory/oryfake",

	// For CONTRIBUTING.md, which shows how a vendor package is built from them.
	"auth":      "github.com/grantkit/grantkit/internal/auth",
	"construct": "github.com/grantkit/grantkit/internal/construct",
	"fake":      "github.com/grantkit/grantkit/internal/testkit/fake",
	"neutral":   "github.com/grantkit/grantkit/internal/neutral",
	"paging":    "github.com/grantkit/grantkit/internal/paging",
	"patch":     "github.com/grantkit/grantkit/internal/patch",
	"transport": "github.com/grantkit/grantkit/internal/transport",
	"validate":  "github.com/grantkit/grantkit/internal/validate",
}

// givens are the names a statement snippet may use without declaring them.
var givens = []doctest.Given{
	{Name: "ctx", Type: "context.Context"},
	{Name: "err", Type: "error"},
	{Name: "id", Type: "string"},
	{Name: "clientID", Type: "string"},
	{Name: "appID", Type: "string"},
	{Name: "grantID", Type: "string"},
	{Name: "resID", Type: "string"},
	{Name: "orgID", Type: "string"},
	{Name: "envID", Type: "string"},
	{Name: "aud", Type: "string"},
	{Name: "apiToken", Type: "grantkit.Secret"},
	{Name: "secret", Type: "grantkit.Secret"},
	{Name: "clientSecret", Type: "grantkit.Secret"},
	{Name: "authID", Type: "int64"},
	{Name: "scopeID", Type: "int64"},
	{Name: "ids", Type: "[]string"},
	{Name: "hc", Type: "*http.Client"},
	{Name: "t", Type: "*testing.T"},
}

// packageGivens: in the doc comments of a vendor package, c is its client.
var packageGivens = map[string][]doctest.Given{
	"github.com/grantkit/grantkit/auth0":    {{Name: "c", Type: "*auth0.Client"}},
	"github.com/grantkit/grantkit/cpn":      {{Name: "c", Type: "*cpn.Client"}},
	"github.com/grantkit/grantkit/onelogin": {{Name: "c", Type: "*onelogin.Client"}},
	"github.com/grantkit/grantkit/pingone":  {{Name: "c", Type: "*pingone.Client"}},
	"github.com/grantkit/grantkit/ory":      {{Name: "c", Type: "*ory.Client"}},
}

func config(t *testing.T) doctest.Config {
	root := moduleRoot(t)
	return doctest.Config{
		Root:          root,
		ModulePath:    modulePath(t, root),
		Imports:       imports,
		Givens:        givens,
		PackageGivens: packageGivens,
		VendorOAS:     "github.com/grantkit/grantkit/auth0/internal/oas",
		VendorDir:     "auth0",
		Run:           func(s doctest.Snippet) bool { return s.File == "README.md" && s.Section == "Usage" },
		RunnerSource:  runnerSource,
		BuildFlags:    buildFlags,
	}
}

// Every Go snippet of README.md, CONTRIBUTING.md and the doc comments compiles, and README's
// Usage section runs against the Auth0 fake.
func TestDocSnippets(t *testing.T) {
	cfg := config(t)
	var snippets []doctest.Snippet
	for _, md := range []string{"README.md", "CONTRIBUTING.md"} {
		s, err := doctest.Markdown(cfg.Root, md)
		require.NoError(t, err)
		snippets = append(snippets, s...)
	}
	usage := 0
	for _, s := range snippets {
		if cfg.Run(s) {
			usage++
		}
	}
	require.NotZero(t, usage, `README.md has no "## Usage" section with a `+"```go"+` block, which this test runs`)

	comments, err := doctest.Comments(cfg.Root, cfg.ModulePath)
	require.NoError(t, err)
	found := make([]bool, len(notGo))
	for _, s := range comments {
		skip := false
		for i, n := range notGo {
			if s.File == n.file && strings.HasPrefix(s.FirstLine(), n.firstLine) {
				found[i], skip = true, true
			}
		}
		if !skip {
			snippets = append(snippets, s)
		}
	}
	for i, n := range notGo {
		assert.True(t, found[i], "notGo lists a block of %s starting %q that is no longer there: remove it from notGo", n.file, n.firstLine)
	}

	res, err := doctest.Build(t.Context(), cfg, snippets, t.TempDir())
	require.NoError(t, err)
	if len(res.Problems) > 0 {
		t.Fatalf("%d of %d documentation snippets do not compile or run; "+
			"how each is compiled, and the names it may use undeclared: go doc ./internal/testkit/doctest\n\n%s",
			len(res.Problems), len(snippets), strings.Join(res.Problems, "\n\n"))
	}
	t.Logf("%d snippets compiled; README's Usage section, run against the fake:\n%s", len(snippets), res.RunOutput)
}

// A snippet that does not compile is reported at its own file and line, with the compiler's
// message and the line it is about; one that does not parse, too.
func TestBuildReportsWhere(t *testing.T) {
	cfg := config(t)
	cfg.Run = nil
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "GUIDE.md"), []byte(strings.Repeat("\n", 9)+"```go\n"+
		"ok := grantkit.Value(true)\n"+
		"c, err := auth0.New(\"example.auth0.com\", auth0.WithClientCredentials(id, nosuchSecret))\n"+
		"```\n\n```go\nif err != nil {\n\treturn err\n} else return\n```\n"), 0o644))
	md, err := doctest.Markdown(dir, "GUIDE.md")
	require.NoError(t, err)
	require.Len(t, md, 2)
	assert.Equal(t, 11, md[0].Line)

	// The snippets are built in the module (they import it); the guide stays outside it.
	for i := range md {
		md[i].File = relTo(t, cfg.Root, filepath.Join(dir, "GUIDE.md"))
	}
	res, err := doctest.Build(t.Context(), cfg, md, t.TempDir())
	require.NoError(t, err)
	all := strings.Join(res.Problems, "\n")
	t.Log(all)
	require.Len(t, res.Problems, 2, all)
	assert.Contains(t, all, md[0].File+":12: undefined: nosuchSecret")
	assert.Contains(t, all, `12 | c, err := auth0.New("example.auth0.com", auth0.WithClientCredentials(id, nosuchSecret))`)
	assert.Contains(t, all, md[1].File+":18: does not parse as Go statements")
}

// Markdown blocks: only ```go, with their first line, heading and directive.
func TestMarkdown(t *testing.T) {
	dir := t.TempDir()
	doc := "# Title\n\n```sh\ngo test\n```\n\n## Usage\n\n<!-- doctest: skip shows a fragment -->\n" +
		"```go\nx := 1\n```\n\n  ```golang\n  y := 2\n  ```\n\n## Next\n~~~go\nz := 3\n~~~\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d.md"), []byte(doc), 0o644))
	s, err := doctest.Markdown(dir, "d.md")
	require.NoError(t, err)
	require.Len(t, s, 3)
	assert.Equal(t, doctest.Snippet{File: "d.md", Line: 11, Code: "x := 1", Section: "Usage", Directive: "skip shows a fragment"}, s[0])
	assert.Equal(t, doctest.Snippet{File: "d.md", Line: 15, Code: "y := 2", Section: "Usage"}, s[1])
	assert.Equal(t, doctest.Snippet{File: "d.md", Line: 20, Code: "z := 3", Section: "Next"}, s[2])

	require.NoError(t, os.WriteFile(filepath.Join(dir, "open.md"), []byte("```go\nx := 1\n"), 0o644))
	_, err = doctest.Markdown(dir, "open.md")
	assert.ErrorContains(t, err, "open.md:1: code fence ``` is never closed")
}

// Doc comment code blocks: tab-indented lines of doc comments in hand-written files; not a
// command's package doc, not list items, not generated files, tests or other modules.
func TestComments(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	write("go.mod", "module example.com/m\n")
	write("p/p.go", "// Package p.\n//\n//\ta := 1\n//\n//\tb := 2\n//\n//   - a list item\n//\n//\tc := 3\npackage p\n\n"+
		"// T is a type.\n//\n//\tvar t p.T\ntype T struct {\n\t// F is a field:\n\t//\n\t//\tt.F = 1\n\tF int\n}\n")
	write("p/p_test.go", "package p\n\n// X.\n//\n//\tnot := collected\nfunc X() {}\n")
	write("p/gen.go", "// Code generated by hand. DO NOT EDIT.\n\npackage p\n\n// Y.\n//\n//\tnot := collected\nfunc Y() {}\n")
	write("cmd/c/main.go", "// Command c.\n//\n//\tc -flag\npackage main\n\n// f.\n//\n//\tf()\nfunc f() {}\n")
	write("nested/go.mod", "module example.com/nested\n")
	write("nested/n.go", "// Package n.\n//\n//\tnot := collected\npackage n\n")
	s, err := doctest.Comments(dir, "example.com/m")
	require.NoError(t, err)
	assert.Equal(t, []doctest.Snippet{
		{File: "cmd/c/main.go", Line: 8, Code: "f()", Package: "example.com/m/cmd/c"},
		{File: "p/p.go", Line: 3, Code: "a := 1\n\nb := 2", Package: "example.com/m/p"},
		{File: "p/p.go", Line: 9, Code: "c := 3", Package: "example.com/m/p"},
		{File: "p/p.go", Line: 14, Code: "var t p.T", Package: "example.com/m/p"},
		{File: "p/p.go", Line: 18, Code: "t.F = 1", Package: "example.com/m/p"},
	}, s)
}

// The Config's tables are consistent: a given never hides a package a snippet may name.
func TestTables(t *testing.T) {
	for _, g := range givens {
		_, clash := imports[g.Name]
		assert.False(t, clash, "given %s has the name of a package in imports", g.Name)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test's directory")
		dir = parent
	}
}

func modulePath(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(p), `"`)
		}
	}
	t.Fatal("go.mod has no module line")
	return ""
}

func relTo(t *testing.T, base, target string) string {
	t.Helper()
	rel, err := filepath.Rel(base, target)
	require.NoError(t, err)
	return filepath.ToSlash(rel)
}

// runnerSource is the program that runs README's Usage snippets against the Auth0 fake (as
// the package doc describes).
func runnerSource(run []doctest.Snippet, importPaths []string, gs []doctest.Given) []byte {
	var b bytes.Buffer
	// The runner's own imports, and those the givens' types name (every given is an argument).
	paths := map[string]bool{"context": true, "fmt": true, "net": true, "net/http": true, "net/url": true, "os": true,
		imports["auth0"]: true, imports["auth0fake"]: true, imports["option"]: true}
	for _, g := range gs {
		for _, name := range regexp.MustCompile(`[a-z0-9]+\.`).FindAllString(g.Type, -1) {
			if p, ok := imports[strings.TrimSuffix(name, ".")]; ok {
				paths[p] = true
			}
		}
	}
	b.WriteString("package main\n\nimport (\n")
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	for i, p := range importPaths {
		fmt.Fprintf(&b, "\ts%d %q\n", i, p)
	}
	b.WriteString(`)

// route sends every request for a host that is not a loopback address to the fake.
type route struct {
	to   *url.URL
	base http.RoundTripper
}

func (r route) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host, req.Host = r.to.Scheme, r.to.Host, ""
	}
	return r.base.RoundTrip(req)
}

func seed(srv *auth0fake.Server) error {
	const aud = "https://api.example.com/"
	srv.AddResourceServer(aud, "read:users", "update:users")
	srv.AddClient("billing-service")
	c, err := auth0.New("example.eu.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		return err
	}
	_, err = c.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{ClientID: "billing-service", Audience: aud, Scope: []string{"read:users"}})
	return err
}

func call(name string, f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f()
}

func main() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	if err := seed(srv); err != nil {
		fmt.Println("seeding the fake:", err)
		os.Exit(2)
	}
	to, _ := url.Parse(srv.URL)
	http.DefaultClient.Transport = route{to: to, base: http.DefaultTransport}
	os.Setenv("AUTH0_DOMAIN", "example.eu.auth0.com")
	os.Setenv("AUTH0_CLIENT_ID", auth0fake.ClientID)
	os.Setenv("AUTH0_CLIENT_SECRET", string(auth0fake.ClientSecret))
	failed := false
`)
	args := make([]string, len(gs))
	for i, g := range gs {
		if g.Name == "ctx" {
			args[i] = "context.Background()"
		} else {
			args[i] = "*new(" + g.Type + ")"
		}
	}
	for i, s := range run {
		fmt.Fprintf(&b, `	{
		fmt.Println("=== %[1]s")
		before := len(srv.Requests())
		err := call(%[1]q, func() error { return s%[2]d.Snippet(%[3]s) })
		for _, r := range srv.Requests()[before:] {
			fmt.Println("    (fake)", r.Method, r.Path)
		}
		if err != nil {
			fmt.Println("--- FAIL %[1]s:", err)
			failed = true
		}
	}
`, s.Pos(), i, strings.Join(args, ", "))
	}
	b.WriteString(`	if failed {
		os.Exit(1)
	}
}
`)
	return b.Bytes()
}
