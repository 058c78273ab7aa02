package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
)

// world runs the command in-process against the demo fakes, seeing each fake as it starts.
type world struct {
	dir   string // the -demo-state directory
	mu    sync.Mutex
	fakes map[string]http.Handler // the last started fake of each vendor
	env   map[string]string
	// base counts each fake's requests when it was ready, before the command's own.
	base map[string]int
	// ready is called with each fake once it holds the saved state.
	ready func(vendor string, h http.Handler)
}

func newWorld(t *testing.T) *world {
	return &world{dir: filepath.Join(t.TempDir(), "demo"), fakes: map[string]http.Handler{}, env: map[string]string{}}
}

func (w *world) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	c := &cli{getenv: func(k string) string { return w.env[k] }, onFake: func(v string, h http.Handler) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.fakes[v] = h
		addTestClients(h, 0)
	}, onReady: func() {
		w.base = map[string]int{}
		for v, h := range w.fakes {
			w.base[v] = len(requests(h))
			if w.ready != nil {
				w.ready(v, h)
			}
		}
	}}
	var out, errOut strings.Builder
	code = c.run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// demo runs with -demo -demo-state.
func (w *world) demo(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return w.run(t, append([]string{"-demo", "-demo-state", w.dir}, args...)...)
}

func requests(h http.Handler) []auth0fake.Request {
	return h.(interface{ Requests() []auth0fake.Request }).Requests()
}

// writes counts the requests other than GETs the last run's fakes received once ready.
func (w *world) writes() int {
	n := 0
	for v, h := range w.fakes {
		for _, r := range requests(h)[w.base[v]:] {
			if r.Method != http.MethodGet {
				n++
			}
		}
	}
	return n
}

func (w *world) saved(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, demoStateFile))
	require.NoError(t, err)
	return string(b)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m), s)
	return m
}

func TestVersionComesFromTheBuildInfo(t *testing.T) {
	code, out, _ := newWorld(t).run(t, "-version")
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, `^grantsync \S.* go1\.\d+`, out)
}

func TestAVendorWithoutCredentialsIsAnErrorNamingTheVariables(t *testing.T) {
	w := newWorld(t)
	w.env["AUTH0_DOMAIN"] = "example.auth0.com" // the id and secret are missing
	file := writeFile(t, "g.yaml", "auth0:\n  grants: []\npingone:\n  grants: []\n")
	code, out, errOut := w.run(t, "-f", file)
	assert.Equal(t, exitError, code)
	assert.Empty(t, out, "no plan, no 'success'")
	for _, v := range []string{"AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "PINGONE_ENVIRONMENT_ID", "PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET", "-demo"} {
		assert.Contains(t, errOut, v)
	}
	assert.NotContains(t, errOut, "missing AUTH0_DOMAIN")
	assert.Empty(t, w.fakes, "no fake is started without -demo")
}

func TestTheDemoSaysSoOnEveryOutput(t *testing.T) {
	w := newWorld(t)
	code, out, _ := w.demo(t, "-f", "desired.yaml")
	require.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "DEMO: in-memory fakes, not your accounts"), out)
	assert.Contains(t, out, "auth0: tenant demo.auth0.com (demo fake)")

	code, out, _ = w.demo(t, "-f", "desired.yaml", "-json")
	require.Equal(t, exitOK, code)
	assert.Equal(t, true, decode(t, out)["demo"])

	code, _, errOut := w.demo(t, "-f", writeFile(t, "bad.yaml", "auth0:\n  grant: []\n"))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "(demo: in-memory fakes)")

	code, out, _ = w.demo(t, "-export", "-")
	require.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "# DEMO:"), out)
}

// The newcomer's loop: plan, apply, plan is empty, edit, drift. Apply then plan is empty at
// every vendor, and a saved plan is refused once the accounts have changed.
func TestTheDemoLoopAndSavedPlans(t *testing.T) {
	w := newWorld(t)
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, out, errOut := w.demo(t, "-f", "desired.yaml", "-prune", "-out", plan)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Plan: 8 to add, 10 to change, 6 to remove.")
	assert.Zero(t, w.writes(), "a plan writes nothing")
	var doc Document
	b, err := os.ReadFile(plan)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Len(t, doc.Changes, 24)
	assert.Len(t, doc.Targets, 6)
	assert.Contains(t, doc.Targets, Target{Vendor: "okta", Account: "org grantkit-fake.okta.com (demo fake)"})
	assert.Contains(t, out, "- grant 0oalegacy on "+oktaDemoIssuer+": [invoices.export invoices.read]", "no scopes is no grant at Okta: a revoke")
	assert.Contains(t, out, "+ grant 0oareporting on "+oktafake.OrgIssuer+": [okta.apps.read]", "Okta's own scopes are granted on the org issuer")
	assert.Contains(t, doc.Targets, Target{Vendor: "pingone", Account: "environment abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6 in region com (demo fake)"})

	code, out, errOut = w.demo(t, "-apply", plan)
	require.Equal(t, exitOK, code, errOut+out)
	assert.Contains(t, out, "Applied 24 change(s).")
	assert.Equal(t, 24, strings.Count(out, ": done\n"), "each change reports its own result")

	code, out, _ = w.demo(t, "-f", "desired.yaml", "-prune", "-detect-drift")
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "No changes: the accounts match the file.")

	// The accounts changed since the plan was made: refused, nothing written.
	before := w.saved(t)
	code, _, errOut = w.demo(t, "-apply", plan)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "the accounts changed since this plan was made")
	assert.Zero(t, w.writes())
	assert.Equal(t, before, w.saved(t))

	edited := strings.Replace(mustRead(t, "desired.yaml"), "scopes: [read:invoices, export:invoices]", "scopes: [read:invoices]", 1)
	code, out, _ = w.demo(t, "-f", writeFile(t, "edited.yaml", edited), "-prune", "-detect-drift")
	assert.Equal(t, exitDrift, code)
	assert.Contains(t, out, "~ grant reporting on invoices-api: -export:invoices")

	// The old-sync OAuth app lost its scopes but is still there, credentials and all.
	srv := httptest.NewServer(w.fakes["cpn"])
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), option.WithToken(w.fakes["cpn"].(*cpnfake.Fake).IssueToken()))
	require.NoError(t, err)
	app, err := c.OAuthApps.Get(t.Context(), "old-sync")
	require.NoError(t, err)
	assert.Empty(t, app.AllowedScopes.Names())

	// So did Ory's old-worker client; reporting-worker was given its scope.
	osrv := httptest.NewServer(w.fakes["ory"])
	defer osrv.Close()
	o, err := ory.New(oryDemoAdmin, option.WithBaseURL(osrv.URL), ory.WithAPIToken(oryfake.APIKey))
	require.NoError(t, err)
	old, err := o.Clients.Get(t.Context(), "old-worker")
	require.NoError(t, err)
	assert.Empty(t, strings.TrimSpace(strings.Join(old.Scope, " ")))
	rep, err := o.Clients.Get(t.Context(), "reporting-worker")
	require.NoError(t, err)
	assert.Equal(t, []string{"invoices.read"}, rep.Scope)

	// At Okta, 0oalegacy holds no consent on the custom server any more, and is still there;
	// 0oabilling's grant on the org issuer, which the file leaves out and does not manage, stays.
	ksrv := httptest.NewServer(w.fakes["okta"])
	defer ksrv.Close()
	k, err := okta.New(oktafake.Domain, option.WithBaseURL(ksrv.URL), okta.WithAPIToken(oktafake.APIToken))
	require.NoError(t, err)
	_, err = k.Grants().Get(t.Context(), grantkit.GrantKey{Resource: oktaDemoIssuer, ClientID: "0oalegacy"})
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	var apps []string
	for a, err := range k.Applications.List(t.Context(), okta.ApplicationListOptions{}) {
		require.NoError(t, err)
		apps = append(apps, a.ID)
	}
	assert.Contains(t, apps, "0oalegacy")
	kept, err := k.Grants().Get(t.Context(), grantkit.GrantKey{Resource: oktafake.OrgIssuer, ClientID: "0oabilling"})
	require.NoError(t, err)
	assert.Equal(t, []string{"okta.apps.read"}, kept.Scopes)
	ws, err := k.ScopeCatalog().ListScopes(t.Context(), oktaDemoIssuer)
	require.NoError(t, err)
	var names []string
	for _, d := range ws {
		names = append(names, d.Name)
	}
	assert.Equal(t, []string{"invoices.read", "invoices.write"}, names, "-prune removed invoices.export")
}

// Ory: ORY_ADMIN_URL names the admin API; ORY_API_KEY, when set, is sent as the bearer token
// (an Ory Network project), and without it nothing is sent (a self-hosted admin listener).
func TestOryCredentials(t *testing.T) {
	file := func(admin string) string {
		return writeFile(t, "ory.yaml", "ory:\n  grants:\n    - {resource: \""+admin+"\", client: w1, scopes: [a.read]}\n")
	}
	for _, open := range []bool{false, true} {
		f := oryfake.New()
		if open {
			f.Open()
		}
		srv := httptest.NewServer(f)
		defer srv.Close()
		c, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey))
		require.NoError(t, err)
		_, err = c.Clients.Create(t.Context(), ory.OAuth2ClientCreate{ID: "w1", Scope: []string{}})
		require.NoError(t, err)

		w := newWorld(t)
		w.env["ORY_ADMIN_URL"] = srv.URL
		code, out, errOut := w.run(t, "-f", file(srv.URL))
		if open {
			require.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, "ory: admin API "+srv.URL+"\n  + grant w1 on "+srv.URL+": [a.read]")
		} else {
			assert.Equal(t, exitError, code, "the fake wants a credential and none is sent")
			assert.Contains(t, errOut, "401")
		}
		w.env["ORY_API_KEY"] = oryfake.APIKey
		code, out, errOut = w.run(t, "-f", file(srv.URL))
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, out, "+ grant w1 on "+srv.URL+": [a.read]")
		reqs := f.Requests()
		assert.Equal(t, "Bearer "+oryfake.APIKey, reqs[len(reqs)-1].Header.Get("Authorization"))
	}

	w := newWorld(t)
	code, _, errOut := w.run(t, "-f", file("https://ory.example"))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "ORY_ADMIN_URL")
	assert.NotContains(t, errOut, "missing ORY_API_KEY", "the key is optional")
}

// Hydra has no scope definitions: a scopes section for ory is refused with the file's line.
func TestOryRefusesAScopesSection(t *testing.T) {
	_, err := parseState("g.yaml", []byte("ory:\n  scopes:\n    https://ory.example:\n      - name: a\n  grants: []\n"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "g.yaml:1: ")
	assert.Contains(t, err.Error(), "ory: scopes: Hydra has no scope definitions")
}

// At CPN a grant is an existing OAuth app's scopes: a grant on an app that does not exist
// fails with the library's error naming it, and no app is made.
func TestAGrantOnAMissingCPNAppFailsAndMakesNoApp(t *testing.T) {
	w := newWorld(t)
	file := writeFile(t, "missing.yaml", "cpn:\n  grants:\n    - {resource: "+cpnfake.OrgID+", client: no-such-app, scopes: [openid]}\n")
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, out, errOut := w.demo(t, "-f", file, "-out", plan)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "+ grant no-such-app on "+cpnfake.OrgID)
	code, out, errOut = w.demo(t, "-apply", plan)
	assert.Equal(t, exitError, code)
	assert.Contains(t, out, `+ grant no-such-app on `+cpnfake.OrgID+`: [openid]: FAILED: cpn: Grants.Create: grant not found`, errOut)
	assert.Contains(t, out, `the OAuth app "no-such-app" does not exist`)

	srv := httptest.NewServer(w.fakes["cpn"])
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), option.WithToken(w.fakes["cpn"].(*cpnfake.Fake).IssueToken()))
	require.NoError(t, err)
	_, err = c.OAuthApps.Get(t.Context(), "no-such-app")
	require.Error(t, err, "grantsync never makes an app")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// The whole file is checked against every vendor's rules before the first request: a bad
// entry at one vendor stops every vendor, and a bad file is an error, never drift.
func TestABadFileWritesNothingAnywhere(t *testing.T) {
	for name, file := range map[string]string{
		"a PingOne scope definition with a space": strings.Replace(mustRead(t, "desired.yaml"), "      - name: export:invoices\n", "      - name: export invoices\n", 1),
		"an Auth0 grant's scope with a space":     strings.Replace(mustRead(t, "desired.yaml"), "scopes: [read:invoices, write:invoices]", "scopes: [read:invoices, \"write invoices\"]", 1),
		"a CPN scope CPN does not have":           strings.Replace(mustRead(t, "desired.yaml"), "organization-role:org_member", "organization-role:", 1),
		"a grant on a scope nobody defines":       strings.Replace(mustRead(t, "desired.yaml"), "scopes: [read:invoices]\n  manage", "scopes: [read:nothing]\n  manage", 1),
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			code, _, _ := w.demo(t, "-f", "desired.yaml") // starts the saved state
			require.Equal(t, exitOK, code)
			before := w.saved(t)
			bad := writeFile(t, "bad.yaml", file)
			for _, args := range [][]string{{"-f", bad, "-prune", "-out", filepath.Join(t.TempDir(), "p.json")}, {"-f", bad, "-detect-drift"}} {
				code, out, errOut := w.demo(t, args...)
				assert.Equal(t, exitError, code, "an error, never drift: %s", out)
				assert.Contains(t, errOut, "bad.yaml:")
				assert.Contains(t, errOut, "nothing was")
				assert.Zero(t, w.writes())
			}
			assert.Equal(t, before, w.saved(t))
		})
	}
}

func TestPruneStaysInsideWhatTheFileManages(t *testing.T) {
	w := newWorld(t)
	// The demo's Auth0 tenant has billing-service and legacy-export on the API.
	unmanaged := "auth0:\n  grants:\n    - {resource: \"https://api.example.com/\", client: billing-service, scopes: [read:invoices]}\n"
	code, out, _ := w.demo(t, "-f", writeFile(t, "a.yaml", unmanaged), "-prune", "-detect-drift")
	assert.Equal(t, exitOK, code, out)
	assert.NotContains(t, out, "legacy-export")

	byClient := unmanaged + "  manage:\n    clients: [legacy-export]\n"
	code, out, _ = w.demo(t, "-f", writeFile(t, "b.yaml", byClient), "-prune", "-detect-drift")
	assert.Equal(t, exitDrift, code)
	assert.Contains(t, out, "- grant legacy-export on https://api.example.com/")
	assert.Contains(t, out, "Plan: 0 to add, 0 to change, 1 to remove.")

	code, out, _ = w.demo(t, "-f", writeFile(t, "b.yaml", byClient), "-detect-drift")
	assert.Equal(t, exitOK, code, "without -prune nothing is removed")
	assert.Contains(t, out, "Not in the file, kept (-prune would remove 1)")
}

func TestLimitsRefuseALargePlan(t *testing.T) {
	w := newWorld(t)
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, _, errOut := w.demo(t, "-f", "desired.yaml", "-prune", "-max-changes", "23", "-out", plan)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "the plan has 24 changes, more than -max-changes 23 allows")
	assert.NoFileExists(t, plan)

	code, _, errOut = w.demo(t, "-f", "desired.yaml", "-prune", "-max-deletes", "2", "-out", plan)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "the plan revokes or removes 6, more than -max-deletes 2 allows")
	assert.NoFileExists(t, plan)

	code, _, _ = w.demo(t, "-f", "desired.yaml", "-prune", "-out", plan)
	require.Equal(t, exitOK, code)
	code, _, errOut = w.demo(t, "-apply", plan, "-max-deletes", "2")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "-max-deletes 2")
	assert.Zero(t, w.writes())
}

// Every change reports its own result; a failed one makes the exit status 1, and once
// -max-failures changes have failed nothing more is started.
func TestFailuresAreReportedOneByOneAndStopTheRun(t *testing.T) {
	w := newWorld(t)
	file := writeFile(t, "many.yaml", "auth0:\n  grants:\n"+
		"    - {resource: \"https://api.example.com/\", client: c1, scopes: [read:invoices]}\n"+
		"    - {resource: \"https://api.example.com/\", client: c2, scopes: [read:invoices]}\n"+
		"    - {resource: \"https://api.example.com/\", client: c3, scopes: [read:invoices]}\n"+
		"    - {resource: \"https://api.example.com/\", client: c4, scopes: [read:invoices]}\n")
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, _, _ := w.demo(t, "-f", file, "-out", plan)
	require.Equal(t, exitOK, code)
	w.ready = func(v string, h http.Handler) {
		if v == "auth0" {
			h.(*auth0fake.Fake).Fail(auth0fake.Match{Method: "POST", Path: "/api/v2/client-grants"}, slices.Repeat([]auth0fake.Fault{{Status: 403}}, 4)...)
		}
	}
	code, out, _ := w.demo(t, "-apply", plan, "-json", "-concurrency", "1", "-max-failures", "2")
	assert.Equal(t, exitError, code)
	doc := decode(t, out)
	var statuses []string
	for _, c := range doc["changes"].([]any) {
		c := c.(map[string]any)
		statuses = append(statuses, c["status"].(string))
		if c["status"] == statusFailed {
			assert.Contains(t, c["error"], "403")
		}
	}
	slices.Sort(statuses)
	assert.Equal(t, []string{"failed", "failed", "skipped", "skipped"}, statuses)
	assert.Equal(t, map[string]any{"add": 4.0, "change": 0.0, "remove": 0.0, "done": 0.0, "failed": 2.0, "skipped": 2.0}, doc["summary"])
}

func TestJSONHasAStableSchema(t *testing.T) {
	w := newWorld(t)
	file := writeFile(t, "none.yaml", "cpn:\n  grants:\n    - {resource: "+cpnfake.OrgID+", client: old-sync, scopes: [openid]}\n")
	code, out, _ := w.demo(t, "-f", file, "-json")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"changes": []`)
	assert.Contains(t, out, `"kept_without_prune": []`)
	doc := decode(t, out)
	for _, k := range []string{"schema", "version", "demo", "file", "prune", "fingerprint", "targets", "changes", "kept_without_prune", "applied", "summary"} {
		assert.Contains(t, doc, k)
	}
	assert.Equal(t, "grantsync/v1", doc["schema"])
	assert.NotContains(t, doc, "desired", "the file's text is in a saved plan only")
}

func TestExportRefusesToOverwriteAndRoundTrips(t *testing.T) {
	w := newWorld(t)
	path := filepath.Join(t.TempDir(), "state.yaml")
	require.NoError(t, os.WriteFile(path, []byte("mine"), 0o600))
	code, _, errOut := w.demo(t, "-export", path)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "exists: nothing was written (give -force to overwrite it)")
	assert.Equal(t, "mine", mustRead(t, path))

	code, _, errOut = w.demo(t, "-export", path, "-force")
	require.Equal(t, exitOK, code, errOut)
	code, out, _ := w.demo(t, "-f", path, "-prune", "-detect-drift")
	assert.Equal(t, exitOK, code, out)
}

func TestYAMLErrorsSpeakTheFilesWords(t *testing.T) {
	w := newWorld(t)
	for file, want := range map[string]string{
		"auth0:\n  grants: 5\n":                                           "g.yaml:2",
		"auth0:\n  grants:\n    - scopes: read\n":                         "g.yaml:3",
		"auth0:\n  grants:\n    - {resource: r, client: c, scope: [a]}\n": `unknown field "scope"`,
		"auth0:\n  manage: [a]\n":                                         "g.yaml:2",
	} {
		code, _, errOut := w.demo(t, "-f", writeFile(t, "g.yaml", file))
		assert.Equal(t, exitError, code)
		assert.Contains(t, errOut, want)
		assert.NotRegexp(t, `main\.|\[\]string|GrantSpec|VendorState|Manage\b`, errOut)
	}
}

func TestUsageMistakesAreErrors(t *testing.T) {
	w := newWorld(t)
	for _, args := range [][]string{
		{}, {"-f", "desired.yaml", "-apply", "plan.json"}, {"-export", "-", "-f", "desired.yaml"},
		{"-f", "desired.yaml", "-demo-state", "x"}, {"-f", "desired.yaml", "-force"}, {"-nosuchflag"},
	} {
		code, _, errOut := w.run(t, args...)
		assert.Equal(t, exitError, code, args)
		assert.NotEmpty(t, errOut)
	}
}

// The progress line goes to stderr only when main found a terminal there (cli.progress);
// otherwise stderr stays quiet and stdout has the outcome.
func TestProgressOnlyOnATerminal(t *testing.T) {
	w := newWorld(t)
	plan := filepath.Join(t.TempDir(), "plan.json")
	code, _, _ := w.demo(t, "-f", "desired.yaml", "-out", plan)
	require.Equal(t, exitOK, code)
	code, _, errOut := w.demo(t, "-apply", plan)
	require.Equal(t, exitOK, code)
	assert.Empty(t, errOut)

	w = newWorld(t)
	code, _, _ = w.demo(t, "-f", "desired.yaml", "-out", plan)
	require.Equal(t, exitOK, code)
	var progress strings.Builder
	c := &cli{getenv: func(string) string { return "" }, progress: &progress}
	var out strings.Builder
	code = c.run([]string{"-demo", "-demo-state", w.dir, "-apply", plan}, &out, &progress)
	require.Equal(t, exitOK, code)
	assert.Contains(t, progress.String(), "\rDEMO applying: 19 of 19 changes made, 0 failed\n")
	assert.NotContains(t, out.String(), "applying:")
}

// checking is an adapter offering the vendors' offline checks (CheckGrant, CheckScope).
type checking struct {
	grantkit.Grants
	grantkit.ScopeCatalog
	refused string
}

func (checking) Vendor() string { return "auth0" }

func (c checking) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	if slices.Contains(scopes, c.refused) {
		return fmt.Errorf("%w: scope[0]: %q is not allowed here", grantkit.ErrInvalidInput, c.refused)
	}
	return nil
}

func (c checking) CheckScope(resource string, s grantkit.ScopeDefinition) error {
	if s.Name == c.refused {
		return fmt.Errorf("%w: name: %q is not allowed here", grantkit.ErrInvalidInput, c.refused)
	}
	return nil
}

// Where a vendor's adapters offer CheckGrant and CheckScope, grantsync asks them (and only
// them) about every grant and scope definition of the file, with the file's line.
func TestTheAdaptersOfflineChecksAreUsed(t *testing.T) {
	state, err := parseState("g.yaml", []byte("auth0:\n  scopes:\n    api:\n      - name: ok\n      - name: x\n  grants:\n    - {resource: api, client: c, scopes: [x]}\n    - {resource: api, client: d, scopes: [\"with space\"]}\n"))
	require.NoError(t, err)
	c := checking{refused: "x"}
	err = checkOffline("g.yaml", state, map[string]*account{"auth0": {vendor: vendorNamed("auth0"), grants: c, catalog: c}})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), `g.yaml:5: auth0: scope "x" of api: name: "x" is not allowed here`)
	assert.Contains(t, err.Error(), `g.yaml:7: auth0: grant c on api: scope[0]: "x" is not allowed here`)
	assert.NotContains(t, err.Error(), "with space", "the adapter's rules, not the fallback's")

}

// The real adapters' checks refuse what their writes would refuse: a CPN scope the platform
// cannot name, an Auth0 scope with a space, before anything is sent.
func TestTheRealAdaptersCheckTheFile(t *testing.T) {
	state, err := parseState("g.yaml", []byte("cpn:\n  grants:\n    - {resource: org, client: app, scopes: [openid, \"service-role:x\"]}\n"+
		"auth0:\n  scopes:\n    https://api/:\n      - name: \"with space\"\n  grants:\n    - {resource: https://api/, client: c, scopes: [\"a b\"]}\n"))
	require.NoError(t, err)
	accounts := map[string]*account{}
	for _, name := range []string{"cpn", "auth0"} {
		v := vendorNamed(name)
		env := map[string]string{"CPN_ORG_ID": "org", "AUTH0_DOMAIN": "example.auth0.com"}
		acct, err := v.connect(func(k string) string { return env[k] }, []option.Option{option.WithBaseURL("http://127.0.0.1:1"), option.WithToken("t")})
		require.NoError(t, err)
		acct.vendor = v
		accounts[name] = acct
	}
	err = checkOffline("g.yaml", state, accounts)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), `g.yaml:3: cpn: grant app on org: `)
	assert.Contains(t, err.Error(), `service-role:x`)
	assert.Contains(t, err.Error(), `g.yaml:7: auth0: scope "with space" of https://api/: `)
	assert.Contains(t, err.Error(), `g.yaml:9: auth0: grant c on https://api/: `)
}

// Okta: OKTA_DOMAIN names the org; the credential is OKTA_API_TOKEN (sent as SSWS), or the
// service app's OKTA_CLIENT_ID with its key in OKTA_PRIVATE_KEY_FILE (and OKTA_KEY_ID as the
// key's kid). A missing, doubled or unreadable credential is an error before anything is sent.
func TestOktaCredentials(t *testing.T) {
	file := writeFile(t, "okta.yaml", "okta:\n  grants: []\n")
	der, err := x509.MarshalPKCS8PrivateKey(oktafake.ServiceAppKey())
	require.NoError(t, err)
	keyFile := writeFile(t, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	for _, c := range []struct {
		name string
		env  map[string]string
		says []string
		not  string
	}{
		{"nothing", map[string]string{}, []string{"okta: no credentials", "OKTA_DOMAIN", "OKTA_API_TOKEN or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY_FILE", "-demo"}, ""},
		{"the domain alone", map[string]string{"OKTA_DOMAIN": "example.okta.com"},
			[]string{"missing OKTA_API_TOKEN or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY_FILE"}, "missing OKTA_DOMAIN"},
		{"a client id without its key", map[string]string{"OKTA_DOMAIN": "example.okta.com", "OKTA_CLIENT_ID": oktafake.ClientID},
			[]string{"missing OKTA_API_TOKEN or OKTA_PRIVATE_KEY_FILE"}, "OKTA_KEY_ID"},
		{"both credentials", map[string]string{"OKTA_DOMAIN": "example.okta.com", "OKTA_API_TOKEN": "t", "OKTA_CLIENT_ID": oktafake.ClientID, "OKTA_PRIVATE_KEY_FILE": keyFile},
			[]string{"okta: OKTA_API_TOKEN and OKTA_CLIENT_ID with OKTA_PRIVATE_KEY_FILE are both set", "nothing was sent"}, ""},
		{"no key file", map[string]string{"OKTA_DOMAIN": "example.okta.com", "OKTA_CLIENT_ID": oktafake.ClientID, "OKTA_PRIVATE_KEY_FILE": filepath.Join(t.TempDir(), "absent.pem")},
			[]string{"OKTA_PRIVATE_KEY_FILE", "absent.pem", "nothing was sent"}, ""},
		{"a key file with no key", map[string]string{"OKTA_DOMAIN": "example.okta.com", "OKTA_CLIENT_ID": oktafake.ClientID, "OKTA_PRIVATE_KEY_FILE": file},
			[]string{"OKTA_PRIVATE_KEY_FILE " + file, "no PEM block", "nothing was sent"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.env = c.env
			code, out, errOut := w.run(t, "-f", file)
			assert.Equal(t, exitError, code)
			assert.Empty(t, out)
			for _, s := range c.says {
				assert.Contains(t, errOut, s)
			}
			if c.not != "" {
				assert.NotContains(t, errOut, c.not)
			}
		})
	}

	// The options each credential gives reach the org as Okta wants them.
	v := vendorNamed("okta")
	for _, c := range []struct {
		env  map[string]string
		auth string
	}{
		{map[string]string{"OKTA_API_TOKEN": oktafake.APIToken}, "SSWS " + oktafake.APIToken},
		{map[string]string{"OKTA_CLIENT_ID": oktafake.ClientID, "OKTA_PRIVATE_KEY_FILE": keyFile, "OKTA_KEY_ID": "k1"}, "Bearer "},
	} {
		f := oktafake.New()
		f.AddAppWithID("0oa1", "one")
		srv := httptest.NewServer(f)
		defer srv.Close()
		c.env["OKTA_DOMAIN"] = oktafake.Domain
		get := func(k string) string { return c.env[k] }
		require.NoError(t, missingCredentials(v, get))
		creds, err := v.creds(get)
		require.NoError(t, err)
		acct, err := v.connect(get, append(creds, option.WithBaseURL(srv.URL)))
		require.NoError(t, err)
		assert.Equal(t, oktafake.OrgIssuer, acct.platform)
		for _, err := range acct.grants.List(t.Context(), grantkit.GrantListOptions{}) {
			require.NoError(t, err)
		}
		reqs := f.Requests()
		last := reqs[len(reqs)-1]
		assert.True(t, strings.HasPrefix(last.Header.Get("Authorization"), c.auth), last.Header.Get("Authorization"))
		if c.auth == "Bearer " {
			assert.Equal(t, 1, f.TokenRequests(), "the service app's key bought the token")
		}
	}
}

// Okta's own scopes are granted on the org issuer, which the catalog does not hold: the file
// may grant them (checked by Okta, not against the catalog) and may not define them. An empty
// scope list is no grant: nothing is created for an app that has none.
func TestOktaOrgIssuerAndEmptyGrants(t *testing.T) {
	w := newWorld(t)
	code, out, errOut := w.demo(t, "-f", writeFile(t, "g.yaml", "okta:\n  grants:\n"+
		"    - {resource: "+oktafake.OrgIssuer+", client: 0oareporting, scopes: [okta.users.read]}\n"+
		"    - {resource: "+oktaDemoIssuer+", client: 0oareporting, scopes: []}\n"))
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "okta: org grantkit-fake.okta.com (demo fake)\n  + grant 0oareporting on "+oktafake.OrgIssuer+": [okta.users.read]\n\nPlan: 1 to add")

	code, _, errOut = w.demo(t, "-f", writeFile(t, "d.yaml", "okta:\n  scopes:\n    "+oktafake.OrgIssuer+":\n      - name: okta.mine\n  grants: []\n"))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "d.yaml:3: invalid input: okta: the scopes of "+oktafake.OrgIssuer+" are okta's own: grantsync grants them but cannot define them")
	assert.Zero(t, w.writes())
}
