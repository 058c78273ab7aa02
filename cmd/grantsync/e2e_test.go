package main

import (
	"context"
	"errors"
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
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// fakes are the four vendors' fakes, seeded as the command seeds them, kept running across
// several runs of the command so that each run sees what the previous one did.
type fakes struct {
	accounts map[string]*account
}

func startFakes(t *testing.T) *fakes {
	t.Helper()
	ctx := t.Context()
	f := &fakes{accounts: map[string]*account{}}

	a0 := auth0fake.NewServer()
	t.Cleanup(a0.Close)
	// Every real tenant has the Management API, a system API whose scopes cannot change; an
	// export lists it and planning the export must leave it alone.
	a0.AddSystemResourceServer("https://example.auth0.com/api/v2/", "read:client_grants", "update:client_grants")
	acct, err := seedAuth0(ctx, a0)
	require.NoError(t, err)
	f.accounts["auth0"] = acct

	ol := oneloginfake.NewServer()
	t.Cleanup(ol.Close)
	acct, err = seedOneLogin(ctx, ol)
	require.NoError(t, err)
	f.accounts["onelogin"] = acct

	p1 := pingonefake.NewServer()
	t.Cleanup(p1.Close)
	acct, err = seedPingOne(ctx, p1)
	require.NoError(t, err)
	f.accounts["pingone"] = acct

	cp := cpnfake.NewServer()
	t.Cleanup(cp.Close)
	acct, err = seedCPN(ctx, cp)
	require.NoError(t, err)
	f.accounts["cpn"] = acct
	return f
}

func (f *fakes) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	c := &cli{
		getenv: func(string) string { return "" },
		open: func(_ context.Context, vendor string, _ func(string) string) (*account, func(), error) {
			return f.accounts[vendor], nil, nil
		},
	}
	var out, errOut strings.Builder
	code = c.run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func readState(t *testing.T, path string) State {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	s, err := parseState(path, data)
	require.NoError(t, err)
	return s
}

func saveState(t *testing.T, path string, s State) {
	t.Helper()
	var b strings.Builder
	require.NoError(t, writeState(&b, s, "edited by the test"))
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
}

// grant returns the index of the file's grant of client on resource, or fails.
func grantIndex(t *testing.T, vs *VendorState, resource, client string) int {
	t.Helper()
	i := slices.IndexFunc(vs.Grants, func(g GrantSpec) bool { return g.Resource == resource && g.Client == client && g.SubjectType == "" })
	require.GreaterOrEqual(t, i, 0, "no grant of %s on %s in %v", client, resource, vs.Grants)
	return i
}

func description(s string) *string { return &s }

// TestEndToEndAtAllFourFakes runs the command as a team would: export the accounts, edit
// the file, plan, apply, check for drift, prune, and finds the accounts match the file.
func TestEndToEndAtAllFourFakes(t *testing.T) {
	f := startFakes(t)
	dir := t.TempDir()
	exported := filepath.Join(dir, "exported.yaml")

	// Export, then plan: no change at any vendor, with or without -prune.
	code, _, errOut := f.run(t, "-export", exported)
	require.Equal(t, exitOK, code, errOut)
	state := readState(t, exported)
	assert.Equal(t, vendorNames, state.vendors())
	assert.Contains(t, state["auth0"].Scopes, "https://example.auth0.com/api/v2/", "the system API is exported")
	for _, extra := range [][]string{nil, {"-prune"}} {
		code, out, errOut := f.run(t, append([]string{"-f", exported, "-detect-drift"}, extra...)...)
		require.Equal(t, exitOK, code, "round trip %v:\n%s%s", extra, out, errOut)
		assert.Equal(t, "No changes: the accounts match the file.\n", out)
	}

	// Edit: at every vendor define a scope, grant it, create a grant, change one, and leave
	// out a grant (CPN) or a scope (the others) for -prune.
	const org = cpnfake.OrgID
	a := state["auth0"]
	a.Scopes[exampleAudience] = []ScopeSpec{
		{Name: "read:invoices", Description: description("Read invoices")},
		{Name: "write:invoices", Description: description("Write invoices")},
	}
	a.Grants[grantIndex(t, a, exampleAudience, "billing-service")].Scopes = []string{"read:invoices", "write:invoices"}
	a.Grants = slices.DeleteFunc(a.Grants, func(g GrantSpec) bool { return g.Client == "legacy-export" })
	a.Grants = append(a.Grants, GrantSpec{Resource: exampleAudience, Client: "reporting", SubjectType: grantkit.SubjectUser, Scopes: []string{"read:invoices"}})

	o := state["onelogin"]
	o.Scopes["1001"] = append(o.Scopes["1001"], ScopeSpec{Name: "export:invoices", Description: description("Export invoices")})
	o.Grants[grantIndex(t, o, "1001", "4242")].Scopes = []string{"export:invoices", "read:invoices"}
	o.Grants = append(o.Grants, GrantSpec{Resource: "1001", Client: "4343", Scopes: []string{"write:invoices"}})

	p := state["pingone"]
	p.Scopes[pingoneResource] = []ScopeSpec{{Name: "read:invoices"}, {Name: "write:invoices"}, {Name: "export:invoices"}}
	p.Grants[grantIndex(t, p, pingoneResource, "billing-service")].Scopes = []string{"write:invoices"}
	p.Grants = append(p.Grants, GrantSpec{Resource: pingoneResource, Client: "reporting", Scopes: []string{"export:invoices", "read:invoices"}})

	c := state["cpn"]
	c.Grants[grantIndex(t, c, org, "billing-sync")].Scopes = []string{"openid", "organization-role:org_member"}
	c.Grants = slices.DeleteFunc(c.Grants, func(g GrantSpec) bool { return g.Client == "old-sync" })
	c.Grants = append(c.Grants, GrantSpec{Resource: org, Client: "reporting-sync", Scopes: []string{"openid"}})

	edited := filepath.Join(dir, "edited.yaml")
	saveState(t, edited, state)

	// Plan: the diff, and nothing changed at any vendor.
	code, out, errOut := f.run(t, "-f", edited)
	require.Equal(t, exitOK, code, errOut)
	for _, line := range []string{
		"auth0\n",
		"  ~ scope read:invoices on https://api.example.com/: description \"\" → \"Read invoices\"\n",
		"  + scope write:invoices on https://api.example.com/ (\"Write invoices\")\n",
		"  ~ grant billing-service on https://api.example.com/: +write:invoices\n",
		"  + grant reporting on https://api.example.com/ (user access): [read:invoices]\n",
		"  - grant legacy-export on https://api.example.com/: [admin:invoices read:invoices]\n",
		"  - scope admin:invoices on https://api.example.com/\n",
		"cpn\n",
		"  ~ grant billing-sync on " + org + ": +organization-role:org_member -organization-role:org_owner\n",
		"  + grant reporting-sync on " + org + ": [openid]\n",
		"  - grant old-sync on " + org + ": [openid]\n",
		"onelogin\n",
		"  + scope export:invoices on 1001 (\"Export invoices\")\n",
		"  ~ grant 4242 on 1001: +export:invoices\n",
		"  + grant 4343 on 1001: [write:invoices]\n",
		"pingone\n",
		"  + scope export:invoices on invoices-api\n",
		"  ~ grant billing-service on invoices-api: +write:invoices -read:invoices\n",
		"  + grant reporting on invoices-api: [export:invoices read:invoices]\n",
		"  - scope admin:invoices on invoices-api\n",
		"Plan: 7 to add, 5 to change, 0 to remove.\n",
		"Not in the file, kept (-prune would remove 4):\n",
	} {
		assert.Contains(t, out, line)
	}
	code, _, _ = f.run(t, "-f", exported, "-detect-drift", "-prune")
	assert.Equal(t, exitOK, code, "a plan changes nothing")

	code, _, _ = f.run(t, "-f", edited, "-detect-drift")
	assert.Equal(t, exitDrift, code)

	// Apply without -prune: everything but the revokes and removals.
	code, out, errOut = f.run(t, "-f", edited, "-apply")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "Applied 12 change(s).")
	code, _, _ = f.run(t, "-f", edited, "-detect-drift")
	assert.Equal(t, exitOK, code)
	code, out, _ = f.run(t, "-f", edited, "-detect-drift", "-prune")
	assert.Equal(t, exitDrift, code)
	assert.Contains(t, out, "Plan: 0 to add, 0 to change, 4 to remove.\n")

	// Apply with -prune: the accounts hold exactly the file.
	code, out, errOut = f.run(t, "-f", edited, "-apply", "-prune")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "Applied 4 change(s).")
	code, out, _ = f.run(t, "-f", edited, "-detect-drift", "-prune")
	assert.Equal(t, exitOK, code, out)

	again := filepath.Join(dir, "again.yaml")
	code, _, errOut = f.run(t, "-export", again)
	require.Equal(t, exitOK, code, errOut)
	now := readState(t, again)
	for _, v := range vendorNames {
		want, got := state[v], now[v]
		assert.ElementsMatch(t, normalizedGrants(want.Grants), normalizedGrants(got.Grants), v)
		for r, specs := range want.Scopes {
			assert.ElementsMatch(t, scopeNamesOf(specs), scopeNamesOf(got.Scopes[r]), "%s: %s", v, r)
		}
	}
	assert.Equal(t, "Write invoices", *now["auth0"].Scopes[exampleAudience][1].Description)
}

func normalizedGrants(gs []GrantSpec) []GrantSpec {
	out := make([]GrantSpec, len(gs))
	for i, g := range gs {
		out[i] = GrantSpec{Resource: g.Resource, Client: g.Client, SubjectType: g.key().SubjectType, Scopes: grantkit.NormalizeScopes(g.Scopes)}
	}
	return out
}

func scopeNamesOf(specs []ScopeSpec) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.Name)
	}
	return out
}

// failingGrants makes the first Create of one client fail, as a vendor outage would, and
// counts every Create per key, at a real adapter.
type failingGrants struct {
	grantkit.Grants
	failClient string

	mu      sync.Mutex
	failed  bool
	creates map[grantkit.GrantKey]int
}

func (g *failingGrants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	g.mu.Lock()
	g.creates[key]++
	fail := key.ClientID == g.failClient && !g.failed
	g.failed = g.failed || fail
	g.mu.Unlock()
	if fail {
		return nil, errors.New("503 from the vendor")
	}
	return g.Grants.Create(ctx, key, scopes)
}

// TestPartialFailureAtTheFakes applies the built-in desired.yaml with one create failing: the
// failure is reported, the vendor's revokes and removals wait, the other vendors finish, and
// a re-run finishes the job without doing anything twice.
func TestPartialFailureAtTheFakes(t *testing.T) {
	f := startFakes(t)
	fg := &failingGrants{Grants: f.accounts["auth0"].grants, failClient: "reporting", creates: map[grantkit.GrantKey]int{}}
	f.accounts["auth0"].grants = fg
	desired := writeFile(t, "desired.yaml", string(defaultState))

	code, out, errOut := f.run(t, "-f", desired, "-apply", "-prune")
	require.Equal(t, exitError, code, out+errOut)
	assert.Contains(t, out, "  auth0: + grant reporting on https://api.example.com/: [read:invoices]: FAILED: 503 from the vendor\n")
	assert.Contains(t, out, "  auth0: - grant legacy-export on https://api.example.com/: [admin:invoices read:invoices]: not tried\n")
	assert.Contains(t, out, "  auth0: - scope admin:invoices on https://api.example.com/: not tried\n")
	assert.Contains(t, errOut, "FAILED: 503 from the vendor")

	code, out, _ = f.run(t, "-f", desired, "-prune")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "Plan: 1 to add, 0 to change, 2 to remove.\n", "only what failed or waited is left")

	code, out, errOut = f.run(t, "-f", desired, "-apply", "-prune")
	require.Equal(t, exitOK, code, out+errOut)
	code, _, _ = f.run(t, "-f", desired, "-detect-drift", "-prune")
	assert.Equal(t, exitOK, code)
	for key, n := range fg.creates {
		want := 1
		if key.ClientID == "reporting" {
			want = 2 // the failed attempt and the re-run's
		}
		assert.Equal(t, want, n, "%s", key)
	}
}

// TestBuiltInExample runs the command exactly as `go run ./examples/grantsync` does on a
// machine without credentials: fresh, seeded fakes and the built-in desired.yaml.
func TestBuiltInExample(t *testing.T) {
	for _, names := range envVars {
		for _, n := range names {
			t.Setenv(n, "")
		}
	}
	var out, errOut strings.Builder
	require.Equal(t, exitOK, run(nil, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "Plan: 5 to add, 5 to change, 0 to remove.\n")
	assert.Contains(t, out.String(), "Run with -apply to apply it.\n")

	out.Reset()
	assert.Equal(t, exitDrift, run([]string{"-detect-drift"}, &out, &errOut))
	out.Reset()
	require.Equal(t, exitOK, run([]string{"-apply", "-prune"}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "Applied 14 change(s).")

	t.Setenv("PINGONE_ENVIRONMENT_ID", "env")
	errOut.Reset()
	assert.Equal(t, exitError, run(nil, &out, &errOut))
	assert.Contains(t, errOut.String(), "pingone: missing credentials: PINGONE_ENVIRONMENT_ID set but PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET not")
}

// TestBadInputAtTheFakes: a file the vendors would refuse in part is refused whole, before
// anything is sent, with the line of the mistake.
func TestBadInputAtTheFakes(t *testing.T) {
	f := startFakes(t)
	before := filepath.Join(t.TempDir(), "before.yaml")
	code, _, errOut := f.run(t, "-export", before)
	require.Equal(t, exitOK, code, errOut)

	bad := writeFile(t, "bad.yaml", `cpn:
  grants:
    - resource: 6c4c5ef3-8b1d-4a4e-9b8e-c0ffee000001
      client: billing-sync
      scopes: [openid]
pingone:
  grants:
    - resource: invoices-api
      client: reporting
      scopes: [read:invoices]
auth0:
  grants:
    - resource: https://api.example.com/
      client: reporting
      scopes: [read:invoices, delete:invoices]
`)
	code, out, errOut := f.run(t, "-f", bad, "-apply")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `bad.yaml:13: invalid input: auth0: grant reporting on https://api.example.com/: scope "delete:invoices" is neither defined at auth0 nor listed under scopes in the file`)

	code, out, _ = f.run(t, "-f", before, "-detect-drift", "-prune")
	assert.Equal(t, exitOK, code, "nothing was sent to any vendor:\n%s", out)
}
