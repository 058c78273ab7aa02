package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

func TestPlanThenApply(t *testing.T) {
	ctx := context.Background()
	vendors, closeAll, err := connect(ctx)
	require.NoError(t, err)
	defer closeAll()
	state, err := load("")
	require.NoError(t, err)

	var out strings.Builder
	require.NoError(t, run(ctx, &out, state, vendors, false))
	assert.Contains(t, out.String(), `billing-service on https://api.example.com/: add ["write:invoices"]`)
	assert.Contains(t, out.String(), "would change")
	g, err := vendors["auth0"].Get(ctx, grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "billing-service"})
	require.NoError(t, err)
	assert.Equal(t, []string{"read:invoices"}, g.Scopes, "a plan changes nothing")

	out.Reset()
	require.NoError(t, run(ctx, &out, state, vendors, true))
	assert.Contains(t, out.String(), "applied")
	g, err = vendors["auth0"].Get(ctx, grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "billing-service"})
	require.NoError(t, err)
	assert.Equal(t, []string{"read:invoices", "write:invoices"}, g.Scopes)

	out.Reset()
	require.NoError(t, run(ctx, &out, state, vendors, false))
	assert.Contains(t, out.String(), "Nothing to change.")
}

func TestMissingGrantAndUnknownVendor(t *testing.T) {
	ctx := context.Background()
	vendors, closeAll, err := connect(ctx)
	require.NoError(t, err)
	defer closeAll()
	var out strings.Builder
	err = run(ctx, &out, &State{Grants: []DesiredGrant{{Vendor: "auth0", Resource: "https://nope/", Client: "x", Scopes: []string{"a"}}}}, vendors, true)
	require.Error(t, err)
	assert.Contains(t, out.String(), "no such grant")
	err = run(ctx, &out, &State{Grants: []DesiredGrant{{Vendor: "okta", Resource: "r", Client: "c"}}}, vendors, false)
	assert.ErrorContains(t, err, `unknown vendor "okta"`)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "s.json")
	require.NoError(t, os.WriteFile(js, []byte(`{"grants":[{"vendor":"auth0","resource":"r","client":"c","scopes":["a"]}]}`), 0o600))
	s, err := load(js)
	require.NoError(t, err)
	assert.Equal(t, []DesiredGrant{{Vendor: "auth0", Resource: "r", Client: "c", Scopes: []string{"a"}}}, s.Grants)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"grants":[{"vendor":"auth0","client":"c"}]}`), 0o600))
	_, err = load(bad)
	assert.ErrorContains(t, err, "resource and client are required")

	typo := filepath.Join(dir, "typo.json")
	require.NoError(t, os.WriteFile(typo, []byte(`{"grant":[]}`), 0o600))
	_, err = load(typo)
	assert.ErrorContains(t, err, "unknown field")
}
