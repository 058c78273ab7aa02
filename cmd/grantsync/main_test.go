package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

// world is a set of in-memory vendors and an environment for running the command against.
type world struct {
	vendors map[string]*memVendor
	env     map[string]string
	opened  []string
}

const api = "https://api.example.com/"

// newWorld has an Auth0-like vendor with a catalog and a CPN-like one without.
func newWorld() *world {
	a := newMemVendor("auth0", true)
	a.addResource(api, "read:invoices", "admin:invoices")
	a.addResource("https://other.example.com/", "read:other")
	a.addGrant(grantkit.GrantKey{Resource: api, ClientID: "billing"}, "read:invoices")
	a.addGrant(grantkit.GrantKey{Resource: api, ClientID: "legacy"}, "read:invoices")
	c := newMemVendor("cpn", false)
	c.addGrant(grantkit.GrantKey{Resource: "org", ClientID: "app"}, "openid")
	return &world{vendors: map[string]*memVendor{"auth0": a, "cpn": c}, env: map[string]string{}}
}

func (w *world) cli() *cli {
	return &cli{
		getenv: func(k string) string { return w.env[k] },
		open: func(_ context.Context, vendor string, _ func(string) string) (*account, func(), error) {
			w.opened = append(w.opened, vendor)
			m, ok := w.vendors[vendor]
			if !ok {
				return nil, nil, errors.New("no such vendor in this test")
			}
			return m.account(), nil, nil
		},
	}
}

func (w *world) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = w.cli().run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// writes counts the calls that change something at a vendor.
func (m *memVendor) writes() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, op := range []string{"Create", "SetScopes", "Delete", "DefineScope", "DescribeScope", "RemoveScope"} {
		n += m.calls[op]
	}
	return n
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

const desiredMem = `auth0:
  scopes:
    https://api.example.com/:
      - name: read:invoices
        description: Read invoices
      - name: write:invoices
        description: Write invoices
  grants:
    - resource: https://api.example.com/
      client: billing
      scopes: [read:invoices, write:invoices]
    - resource: https://api.example.com/
      client: reporting
      subject_type: user
      scopes: [read:invoices]
cpn:
  grants:
    - resource: org
      client: app
      scopes: [openid, organization-role:org_member]
`

func TestPlanIsADiffGroupedByVendor(t *testing.T) {
	w := newWorld()
	code, out, errOut := w.run(t, "-f", writeFile(t, "s.yaml", desiredMem))
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, `auth0
  ~ scope read:invoices on https://api.example.com/: description "about read:invoices" → "Read invoices"
  + scope write:invoices on https://api.example.com/ ("Write invoices")
  ~ grant billing on https://api.example.com/: +write:invoices
  + grant reporting on https://api.example.com/ (user access): [read:invoices]
cpn
  ~ grant app on org: +organization-role:org_member

Plan: 2 to add, 3 to change, 0 to remove.

Not in the file, kept (-prune would remove 2):
auth0
  - grant legacy on https://api.example.com/: [read:invoices]
  - scope admin:invoices on https://api.example.com/

Run with -apply to apply it.
`, out)
	assert.Zero(t, w.vendors["auth0"].writes()+w.vendors["cpn"].writes(), "a plan changes nothing")
}

func TestApplyThenNoChangeAndDriftExitCodes(t *testing.T) {
	w := newWorld()
	file := writeFile(t, "s.yaml", desiredMem)

	code, _, _ := w.run(t, "-f", file, "-detect-drift")
	assert.Equal(t, exitDrift, code)

	code, out, errOut := w.run(t, "-f", file, "-apply")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "Applied 5 change(s).")
	assert.Contains(t, errOut, "[5/5] ", "progress goes to stderr")

	a := w.vendors["auth0"].snapshot()
	assert.Equal(t, []string{"read:invoices", "write:invoices"}, a[grantkit.GrantKey{Resource: api, ClientID: "billing"}])
	assert.Equal(t, []string{"read:invoices"}, a[grantkit.GrantKey{Resource: api, ClientID: "reporting", SubjectType: "user"}])
	assert.Equal(t, []string{"read:invoices"}, a[grantkit.GrantKey{Resource: api, ClientID: "legacy"}], "not pruned without -prune")
	assert.Equal(t, []string{"admin:invoices", "read:invoices", "write:invoices"}, w.vendors["auth0"].scopeNames(api))

	code, out, _ = w.run(t, "-f", file)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "No changes: the accounts match the file.")
	code, _, _ = w.run(t, "-f", file, "-detect-drift")
	assert.Equal(t, exitOK, code)
	code, _, _ = w.run(t, "-f", file, "-detect-drift", "-prune")
	assert.Equal(t, exitDrift, code, "with -prune, what the file does not list is drift")
}

func TestPruneRevokesAndRemovesInOrder(t *testing.T) {
	w := newWorld()
	file := writeFile(t, "s.yaml", desiredMem)
	code, out, errOut := w.run(t, "-f", file, "-prune", "-apply", "-concurrency", "1")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "  - grant legacy on https://api.example.com/: [read:invoices]\n")
	assert.Contains(t, out, "  - scope admin:invoices on https://api.example.com/\n")

	a := w.vendors["auth0"]
	assert.NotContains(t, a.snapshot(), grantkit.GrantKey{Resource: api, ClientID: "legacy"})
	assert.Equal(t, []string{"read:invoices", "write:invoices"}, a.scopeNames(api))
	assert.Equal(t, []string{"read:other"}, a.scopeNames("https://other.example.com/"), "a resource the file does not list is left alone")

	// Progress lines come in apply order: scope definitions, grant creates and updates,
	// revokes, scope removals.
	phases := map[string]int{"+ scope": 0, "~ scope": 0, "+ grant": 1, "~ grant": 1, "- grant": 2, "- scope": 3}
	var order []int
	for _, line := range strings.Split(errOut, "\n") {
		for s, p := range phases {
			if strings.Contains(line, "auth0: "+s) {
				order = append(order, p)
			}
		}
	}
	assert.Equal(t, []int{0, 0, 1, 1, 2, 3}, order)

	code, out, _ = w.run(t, "-f", file, "-prune", "-detect-drift")
	assert.Equal(t, exitOK, code, out)
}

func TestPartialFailureReportsAndARerunFinishes(t *testing.T) {
	w := newWorld()
	a := w.vendors["auth0"]
	a.failOn["Create reporting"] = errors.New("the vendor answered 503")
	file := writeFile(t, "s.yaml", desiredMem)

	code, out, errOut := w.run(t, "-f", file, "-prune", "-apply")
	require.Equal(t, exitError, code)
	assert.Contains(t, errOut, "auth0: + grant reporting on https://api.example.com/ (user access): [read:invoices]: FAILED: the vendor answered 503")
	assert.Contains(t, out, "Applied 4 of 7 change(s). 1 failed, 2 not tried; run again to finish:\n")
	assert.Contains(t, out, "  auth0: + grant reporting on https://api.example.com/ (user access): [read:invoices]: FAILED: the vendor answered 503\n")
	assert.Contains(t, out, "  auth0: - grant legacy on https://api.example.com/: [read:invoices]: not tried\n")
	assert.Contains(t, a.snapshot(), grantkit.GrantKey{Resource: api, ClientID: "legacy"}, "nothing is revoked after a failure at the vendor")
	assert.Equal(t, []string{"app"}, keysOf(w.vendors["cpn"].snapshot()), "another vendor goes on")
	assert.Equal(t, []string{"openid", "organization-role:org_member"}, w.vendors["cpn"].snapshot()[grantkit.GrantKey{Resource: "org", ClientID: "app"}])

	before := map[string]int{}
	for op, n := range a.calls {
		before[op] = n
	}
	code, out, errOut = w.run(t, "-f", file, "-prune", "-apply")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "Applied 3 change(s).")
	// What the first run did is not done again: one more create (the one that failed), no
	// more defines or updates.
	assert.Equal(t, before["Create"]+1, a.calls["Create"])
	assert.Equal(t, before["DefineScope"], a.calls["DefineScope"])
	assert.Equal(t, before["SetScopes"], a.calls["SetScopes"])
	assert.Equal(t, 1, a.calls["Delete"])
	assert.Equal(t, 1, a.calls["RemoveScope"])

	code, _, _ = w.run(t, "-f", file, "-prune", "-detect-drift")
	assert.Equal(t, exitOK, code)
}

func keysOf(m map[grantkit.GrantKey][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k.ClientID)
	}
	return out
}

func TestPlanReadsEachVendorOnce(t *testing.T) {
	w := newWorld()
	for i := range 20 {
		w.vendors["auth0"].addGrant(grantkit.GrantKey{Resource: api, ClientID: "c" + string(rune('a'+i))}, "read:invoices")
	}
	code, _, errOut := w.run(t, "-f", writeFile(t, "s.yaml", desiredMem), "-prune")
	require.Equal(t, exitOK, code, errOut)
	a := w.vendors["auth0"].calls
	assert.Equal(t, 1, a["List"])
	assert.Equal(t, 1, a["Resources"])
	assert.Equal(t, 1, a["ListScopes"], "only the resource the file names")
	assert.Zero(t, a["Get"], "no read per grant")
	assert.Equal(t, 1, w.vendors["cpn"].calls["List"])
}

func TestBadInputIsRefusedBeforeAnythingIsSent(t *testing.T) {
	for name, tc := range map[string]struct {
		file, want string
		args       []string
	}{
		"scope neither defined nor in the file": {
			file: "auth0:\n  grants:\n    - resource: https://api.example.com/\n      client: billing\n      scopes: [read:invoices, delete:invoices]\n",
			want: `s.yaml:3: invalid input: auth0: grant billing on https://api.example.com/: scope "delete:invoices" is neither defined at auth0 nor listed under scopes in the file`,
		},
		"scope -prune would remove": {
			file: "auth0:\n  scopes:\n    https://api.example.com/:\n      - name: read:invoices\n  grants:\n    - resource: https://api.example.com/\n      client: billing\n      scopes: [admin:invoices]\n",
			args: []string{"-prune"},
			want: `s.yaml:6: invalid input: auth0: grant billing on https://api.example.com/: scope "admin:invoices" is not listed under scopes of https://api.example.com/, so -prune would remove it`,
		},
		"scopes on a resource the vendor does not have": {
			file: "auth0:\n  scopes:\n    https://nope.example.com/:\n      - name: a\n",
			want: `s.yaml:3: invalid input: auth0: there is no resource "https://nope.example.com/" (grantsync defines scopes on resources, it does not create resources)`,
		},
		"grant on a resource the vendor does not have": {
			file: "auth0:\n  grants:\n    - {resource: https://nope.example.com/, client: x, scopes: []}\n",
			want: `s.yaml:3: invalid input: auth0: there is no resource "https://nope.example.com/" to grant x on`,
		},
		"cpn scopes are the platform's": {
			file: "cpn:\n  grants:\n    - {resource: org, client: new, scopes: [anything]}\n",
			want: "", // accepted: nothing to check them against
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			args := append([]string{"-f", writeFile(t, "s.yaml", tc.file), "-apply"}, tc.args...)
			code, out, errOut := w.run(t, args...)
			if tc.want == "" {
				assert.Equal(t, exitOK, code, out+errOut)
				return
			}
			assert.Equal(t, exitError, code)
			assert.Contains(t, errOut, tc.want)
			assert.Contains(t, errOut, "nothing was changed")
			assert.Empty(t, out)
			assert.Zero(t, w.vendors["auth0"].writes())
		})
	}
}

func TestAmbiguousGrantAtTheVendorIsRefused(t *testing.T) {
	w := newWorld()
	w.vendors["auth0"].addGrant(grantkit.GrantKey{Resource: api, ClientID: "billing"}, "admin:invoices")
	code, _, errOut := w.run(t, "-f", writeFile(t, "s.yaml", desiredMem), "-apply")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "s.yaml:9: invalid input: auth0: grant billing on https://api.example.com/: 2 grants at the vendor have this key (g1, g3)")
	assert.Zero(t, w.vendors["auth0"].writes())
}

func TestParseStateErrors(t *testing.T) {
	for name, tc := range map[string]struct{ file, want string }{
		"syntax":             {"auth0:\n  grants:\n    - resource: [x\n", "f.yaml:3: invalid input: did not find expected ',' or ']'"},
		"unclosed quote":     {"auth0:\n  grants:\n    - resource: \"x\n", "f.yaml:3: invalid input: found unexpected end of stream"},
		"tab":                {"auth0:\n  grants: []\n\tcpn: {}\n", "f.yaml:3: invalid input: found character that cannot start any token"},
		"bad indentation":    {"auth0:\n  grants:\n    - resource: x\n   client: y\n", "f.yaml:4: invalid input: did not find expected key"},
		"unknown field":      {"auth0:\n  grants:\n    - resource: r\n      client: c\n      scope: [a]\n", `f.yaml:5: invalid input: unknown field "scope"`},
		"wrong type":         {"auth0:\n  grants:\n    - resource: r\n      client: c\n      scopes: {a: b}\n", "f.yaml:5: invalid input: cannot unmarshal !!map into []string"},
		"duplicate key":      {"auth0:\n  grants: []\nauth0:\n  grants: []\n", `f.yaml:3: invalid input: mapping key "auth0" already defined at line 1`},
		"unknown vendor":     {"auth0:\n  grants: []\nokta:\n  grants: []\n", `f.yaml:3: invalid input: unknown vendor "okta" (known: auth0, cpn, onelogin, pingone)`},
		"same grant twice":   {"auth0:\n  grants:\n    - {resource: r, client: c, scopes: [a]}\n    - {resource: r, client: d, scopes: [a]}\n    - {resource: r, client: c, scopes: [b]}\n", "f.yaml:5: invalid input: auth0: grant c on r is listed twice (first at line 3)"},
		"client subject":     {"auth0:\n  grants:\n    - {resource: r, client: c, scopes: [a]}\n    - {resource: r, client: c, subject_type: client, scopes: [b]}\n", "f.yaml:4: invalid input: auth0: grant c on r is listed twice (first at line 3)"},
		"subject elsewhere":  {"pingone:\n  grants:\n    - {resource: r, client: c, subject_type: user, scopes: [a]}\n", `f.yaml:3: invalid input: pingone: subject_type "user": pingone keeps one grant per client and resource`},
		"no client":          {"auth0:\n  grants:\n    - {resource: r, scopes: [a]}\n", "f.yaml:3: invalid input: auth0: a grant needs resource and client"},
		"empty scope":        {"auth0:\n  grants:\n    - {resource: r, client: c, scopes: [a, \"\"]}\n", "f.yaml:3: invalid input: auth0: grant c on r: an empty scope name"},
		"cpn scopes":         {"cpn:\n  scopes:\n    org:\n      - name: openid\n", "f.yaml:1: invalid input: cpn: scopes: cpn's scopes are defined by the platform"},
		"scope twice":        {"auth0:\n  scopes:\n    r:\n      - name: a\n      - name: b\n      - name: a\n", `f.yaml:6: invalid input: auth0: scope "a" of r is listed twice (first at line 4)`},
		"scope without name": {"auth0:\n  scopes:\n    r:\n      - description: x\n", "f.yaml:4: invalid input: auth0: scopes of r: a scope needs a name"},
		"empty file":         {"# nothing\n", "f.yaml: invalid input: the file is empty"},
		"empty mapping":      {"{}\n", "f.yaml: invalid input: the file names no vendor"},
		"two problems":       {"auth0:\n  grants:\n    - resource: r\n      client: c\n      scope: [x]\n      scopes: {a: 1}\n", "f.yaml: invalid input:\n  f.yaml:5: unknown field \"scope\"\n  f.yaml:6: cannot unmarshal !!map into []string"},
		"json typo":          {"{\"auth0\": {\"grant\": []}}", `f.yaml:1: invalid input: unknown field "grant"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseState("f.yaml", []byte(tc.file))
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseStateKeepsWhatTheFileSays(t *testing.T) {
	s, err := parseState("f.json", []byte(`{"auth0": {"scopes": {"r": [{"name": "a"}, {"name": "b", "description": ""}]},
		"grants": [{"resource": "r", "client": "c", "subject_type": "client", "scopes": ["b", "a"]}]},
		"cpn": {}}`))
	require.NoError(t, err)
	a := s["auth0"]
	assert.True(t, a.managesGrants)
	assert.Nil(t, a.Scopes["r"][0].Description, "left out: the vendor's description is kept")
	require.NotNil(t, a.Scopes["r"][1].Description, "given empty: managed")
	assert.Equal(t, grantkit.GrantKey{Resource: "r", ClientID: "c"}, a.Grants[0].key(), `"client" is the key's zero value`)
	assert.False(t, s["cpn"].managesGrants, "no grants key: the vendor's grants are not managed")
}

func TestCredentials(t *testing.T) {
	w := newWorld()
	w.env["AUTH0_DOMAIN"] = "tenant.example.com"
	w.env["AUTH0_CLIENT_ID"] = "id"
	code, _, errOut := w.run(t, "-f", writeFile(t, "s.yaml", desiredMem))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "auth0: missing credentials: AUTH0_DOMAIN, AUTH0_CLIENT_ID set but AUTH0_CLIENT_SECRET not")
	assert.Empty(t, w.opened, "no vendor is connected when one lacks credentials")

	// Only the vendors the file names are connected and need credentials.
	w.opened = nil
	code, _, errOut = w.run(t, "-f", writeFile(t, "s.yaml", "cpn:\n  grants: []\n"))
	assert.Equal(t, exitOK, code, errOut)
	assert.Equal(t, []string{"cpn"}, w.opened)

	real, err := credentials("cpn", func(k string) string { return map[string]string{"CPN_ORG_ID": "o", "CPN_API_TOKEN": "t"}[k] })
	require.NoError(t, err)
	assert.True(t, real)
	real, err = credentials("cpn", func(string) string { return "" })
	require.NoError(t, err)
	assert.False(t, real)
}

func TestJSON(t *testing.T) {
	w := newWorld()
	file := writeFile(t, "s.yaml", desiredMem)
	code, out, errOut := w.run(t, "-f", file, "-json")
	require.Equal(t, exitOK, code, errOut)
	var p Plan
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	require.Len(t, p.Changes, 5)
	assert.Equal(t, Change{Vendor: "auth0", Kind: kindGrant, Action: actCreate, Resource: api, Client: "reporting", SubjectType: "user", Scopes: []string{"read:invoices"}}, *p.Changes[3])
	assert.Equal(t, Change{Vendor: "auth0", Kind: kindGrant, Action: actUpdate, Resource: api, Client: "billing",
		Scopes: []string{"read:invoices", "write:invoices"}, Add: []string{"write:invoices"}}, *p.Changes[2])
	require.Len(t, p.Kept, 2)

	w.vendors["cpn"].failOn["SetScopes app"] = errors.New("boom")
	code, out, _ = w.run(t, "-f", file, "-json", "-apply")
	assert.Equal(t, exitError, code)
	require.NoError(t, json.Unmarshal([]byte(out), &p), "stdout holds one JSON document")
	for _, c := range p.Changes {
		if c.Vendor == "cpn" {
			assert.Equal(t, statusFailed, c.Status)
			assert.Equal(t, "boom", c.Error)
		} else {
			assert.Equal(t, statusDone, c.Status)
		}
	}
}

func TestExportRoundTrip(t *testing.T) {
	w := newWorld()
	dir := t.TempDir()
	file := filepath.Join(dir, "now.yaml")
	code, _, errOut := w.run(t, "-export", file, "-vendors", "auth0,cpn")
	require.Equal(t, exitOK, code, errOut)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(data), "      - name: admin:invoices\n        description: about admin:invoices\n")
	assert.Contains(t, string(data), "    - resource: https://api.example.com/\n      client: billing\n      scopes:\n        - read:invoices\n")

	for _, extra := range [][]string{nil, {"-prune"}} {
		code, out, errOut := w.run(t, append([]string{"-f", file, "-detect-drift"}, extra...)...)
		assert.Equal(t, exitOK, code, out+errOut)
		assert.Contains(t, out, "No changes")
	}

	code, out, _ := w.run(t, "-export", "-", "-vendors", "cpn")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "cpn:\n  grants:\n    - resource: org\n      client: app\n      scopes:\n        - openid\n")
	assert.NotContains(t, out, "auth0")
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-no-such-flag"},
		{"-detect-drift", "-apply"},
		{"-export", "-", "-apply"},
		{"-concurrency", "0"},
		{"extra"},
		{"-export", "-", "-vendors", "okta"},
		{"-vendors", "auth0"},
	} {
		code, _, errOut := newWorld().run(t, args...)
		assert.Equal(t, exitError, code, "%q: a usage error is 1, never the drift status 2", args)
		assert.NotEmpty(t, errOut)
	}
	code, _, _ := newWorld().run(t, "-h")
	assert.Equal(t, exitOK, code)
}

func TestBoundedConcurrency(t *testing.T) {
	w := newWorld()
	var b strings.Builder
	b.WriteString("cpn:\n  grants:\n")
	for i := range 30 {
		b.WriteString("    - {resource: org, client: app" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ", scopes: [openid]}\n")
	}
	c := w.vendors["cpn"]
	c.trackInFlight = true
	code, out, errOut := w.run(t, "-f", writeFile(t, "s.yaml", b.String()), "-apply", "-concurrency", "3")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Equal(t, 30, c.calls["Create"])
	assert.LessOrEqual(t, c.maxInFlight.Load(), int32(3))
	assert.GreaterOrEqual(t, c.maxInFlight.Load(), int32(1))
}
