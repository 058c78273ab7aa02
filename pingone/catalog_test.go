package pingone_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/grantkit/grantkit/option"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

func TestScopeCatalog(t *testing.T) {
	grantstest.RunCatalog(t, func(t *testing.T) grantstest.CatalogEnv {
		srv := pingonefake.NewServer()
		t.Cleanup(srv.Close)
		c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
		require.NoError(t, err)
		return grantstest.CatalogEnv{
			Catalog:     c.ScopeCatalog(),
			Grants:      c.Grants(),
			Vendor:      "pingone",
			NewResource: func(*testing.T) string { return srv.AddResource("API", "https://api.example.com") },
			NewKey: func(_ *testing.T, resource string) grantkit.GrantKey {
				return grantkit.GrantKey{Resource: resource, ClientID: srv.AddApplication("app")}
			},
		}
	})
}

// raw sends a request to the fake as PingOne's own console would, for properties grantkit
// does not model.
func raw(t *testing.T, srv *pingonefake.Server, method, path string, body any) map[string]any {
	t.Helper()
	var in io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, srv.URL+"/v1/environments/"+pingonefake.EnvironmentID+path, in)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.IssueToken().Reveal())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	require.Less(t, resp.StatusCode, 300)
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// PingOne's UPDATE Scope replaces the whole scope: changing a description must send back the
// properties grantkit does not model, or PingOne would drop them.
func TestDescribeScopeKeepsEveryOtherProperty(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	created := raw(t, w.srv, http.MethodPost, "/resources/"+w.res+"/scopes", map[string]any{
		"name": "read:reports", "description": "Read reports",
		"mappedClaims": []string{"claim-1"}, "schemaAttributes": []string{"name.given"},
		"futureSetting": map[string]any{"level": 3},
	})
	id := created["id"].(string)

	got, err := w.c.ScopeCatalog().DescribeScope(ctx, w.res, "read:reports", "Read every report")
	require.NoError(t, err)
	assert.Equal(t, grantkit.ScopeDefinition{Name: "read:reports", Description: "Read every report"}, *got)
	put := w.last(t)
	assert.Equal(t, http.MethodPut, put.Method)
	assert.JSONEq(t, `{"name":"read:reports","description":"Read every report","mappedClaims":["claim-1"],
		"schemaAttributes":["name.given"],"futureSetting":{"level":3}}`, string(put.Body))

	stored := raw(t, w.srv, http.MethodGet, "/resources/"+w.res+"/scopes/"+id, nil)
	assert.Equal(t, "Read every report", stored["description"])
	assert.Equal(t, []any{"claim-1"}, stored["mappedClaims"])
	assert.Equal(t, []any{"name.given"}, stored["schemaAttributes"])
	assert.Equal(t, map[string]any{"level": float64(3)}, stored["futureSetting"])

}

func TestResourceScopesService(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	sc, err := w.c.Resources.CreateScope(ctx, w.res, pingone.ResourceScopeCreate{Name: "export"})
	require.NoError(t, err)
	assert.Equal(t, "export", sc.Name)
	assert.Equal(t, w.res, sc.ResourceID)
	assert.JSONEq(t, `{"name":"export"}`, string(w.last(t).Body), "an empty description is left out")

	_, err = w.c.Resources.CreateScope(ctx, w.res, pingone.ResourceScopeCreate{Name: "export"})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr, "PingOne keeps names unique within a resource")
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "INVALID_DATA", apiErr.Code)

	got, err := w.c.Resources.UpdateScope(ctx, w.res, sc.ID, pingone.ResourceScopeUpdate{Name: grantkit.Value("export:all"), Description: grantkit.Value("All")})
	require.NoError(t, err)
	assert.Equal(t, "export:all", got.Name)
	assert.Equal(t, "All", got.Description)
	got, err = w.c.Resources.UpdateScope(ctx, w.res, sc.ID, pingone.ResourceScopeUpdate{Description: grantkit.Null[string]()})
	require.NoError(t, err)
	assert.Equal(t, "export:all", got.Name, "a field left out keeps its value")
	assert.Empty(t, got.Description)
	got, err = w.c.Resources.GetScope(ctx, w.res, sc.ID)
	require.NoError(t, err)
	assert.Equal(t, "export:all", got.Name)

	n := len(w.srv.Requests())
	for name, call := range map[string]func() error{
		"no field": func() error {
			_, err := w.c.Resources.UpdateScope(ctx, w.res, sc.ID, pingone.ResourceScopeUpdate{})
			return err
		},
		"null name": func() error {
			_, err := w.c.Resources.UpdateScope(ctx, w.res, sc.ID, pingone.ResourceScopeUpdate{Name: grantkit.Null[string]()})
			return err
		},
		"empty name": func() error {
			_, err := w.c.Resources.CreateScope(ctx, w.res, pingone.ResourceScopeCreate{})
			return err
		},
		"unsafe id":     func() error { _, err := w.c.Resources.GetScope(ctx, w.res, "../x"); return err },
		"unsafe delete": func() error { return w.c.Resources.DeleteScope(ctx, "", sc.ID) },
	} {
		require.ErrorIs(t, call(), grantkit.ErrInvalidInput, name)
	}
	assert.Len(t, w.srv.Requests(), n, "bad input is refused before anything is sent")

	// Deleting a granted scope takes it out of the grant (see specs/README.md).
	_, err = w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{sc.ID, w.read}})
	require.NoError(t, err)
	require.NoError(t, w.c.Resources.DeleteScope(ctx, w.res, sc.ID))
	for g, err := range w.c.ApplicationGrants.List(ctx, w.app, pingone.ApplicationGrantListOptions{}) {
		require.NoError(t, err)
		assert.Equal(t, []string{w.read}, g.ScopeIDs)
	}
	_, err = w.c.Resources.GetScope(ctx, w.res, sc.ID)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
}

// PingOne scope names are scope tokens: the client refuses one with whitespace or a control
// character before sending, and the fake refuses what a console would send; no length is
// refused, since PingOne documents none (specs/README.md).
func TestScopeNamesAreScopeTokens(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	n := len(w.srv.Requests())
	for _, bad := range []string{"", "read invoices", "read:a\nadmin", "tab\there", "nul\x00"} {
		_, err := w.c.Resources.CreateScope(ctx, w.res, pingone.ResourceScopeCreate{Name: bad})
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, "%q", bad)
		_, err = w.c.ScopeCatalog().DefineScope(ctx, w.res, grantkit.ScopeDefinition{Name: bad})
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, "%q", bad)
		require.ErrorIs(t, w.c.ScopeCatalog().CheckScope(w.res, grantkit.ScopeDefinition{Name: bad}), grantkit.ErrInvalidInput)
		require.ErrorIs(t, w.c.Grants().CheckGrant(grantkit.GrantKey{Resource: w.res, ClientID: "app"}, []string{bad}), grantkit.ErrInvalidInput)
	}
	assert.Len(t, w.srv.Requests(), n, "nothing was sent")

	sc, err := w.c.Resources.CreateScope(ctx, w.res, pingone.ResourceScopeCreate{Name: "export"})
	require.NoError(t, err)
	_, err = w.c.Resources.UpdateScope(ctx, w.res, sc.ID, pingone.ResourceScopeUpdate{Name: grantkit.Value("export all")})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)

	long := strings.Repeat("s", 10000)
	_, err = w.c.ScopeCatalog().DefineScope(ctx, w.res, grantkit.ScopeDefinition{Name: long})
	require.NoError(t, err, "no length is refused")

	for _, bad := range []string{"read invoices", "read:a\nadmin", ""} {
		b, err := json.Marshal(map[string]any{"name": bad})
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, w.srv.URL+"/v1/environments/"+pingonefake.EnvironmentID+"/resources/"+w.res+"/scopes", bytes.NewReader(b))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+w.srv.IssueToken().Reveal())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "the fake refuses %q", bad)
	}
}
