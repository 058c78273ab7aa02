package realserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/ory"
)

// token asks Hydra's token endpoint for a client_credentials token with scope and returns its
// answer: the token, or the OAuth error code.
func token(t *testing.T, id, secret, scope string) (tok, errCode string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, hydra.public+"/oauth2/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
		Error       string `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	if resp.StatusCode != http.StatusOK {
		require.NotEmpty(t, body.Error, "status %d", resp.StatusCode)
		return "", body.Error
	}
	return body.AccessToken, ""
}

// introspect returns the scopes Hydra's admin API says tok carries.
func introspect(t *testing.T, tok string) []string {
	t.Helper()
	resp, err := http.PostForm(hydra.admin+"/admin/oauth2/introspect", url.Values{"token": {tok}})
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var body struct {
		Active bool   `json:"active"`
		Scope  string `json:"scope"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.True(t, body.Active)
	return grantkit.NormalizeScopes(strings.Fields(body.Scope))
}

// End to end: what grantkit writes is what Hydra's tokens carry.
func TestTokensCarryTheGrantedScopes(t *testing.T) {
	ctx := context.Background()
	c, err := ory.New(hydra.admin, ory.WithoutAuthentication())
	require.NoError(t, err)
	id := newID("e2e")
	const secret = "e2e-client-secret"
	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: id, Secret: secret, GrantTypes: []string{"client_credentials"}, Scope: []string{}})
	require.NoError(t, err)
	key := grantkit.GrantKey{Resource: hydra.admin, ClientID: id}
	g := c.Grants()

	_, code := token(t, id, secret, "read:a")
	assert.Equal(t, "invalid_scope", code, "a client with no scope gets none")

	_, err = g.Create(ctx, key, []string{"read:a", "write:a"})
	require.NoError(t, err)
	_, err = g.SetScopes(ctx, key, []string{"read:a", "admin"})
	require.NoError(t, err)
	for _, s := range []string{"read:a", "admin", "read:a admin"} {
		tok, code := token(t, id, secret, s)
		require.Empty(t, code, s)
		assert.Equal(t, grantkit.NormalizeScopes(strings.Fields(s)), introspect(t, tok), "the token carries exactly %q", s)
	}
	_, code = token(t, id, secret, "write:a")
	assert.Equal(t, "invalid_scope", code, "a removed scope is refused")
	_, code = token(t, id, secret, "read:a write:a")
	assert.Equal(t, "invalid_scope", code, "with a granted one too")

	_, err = grantkit.RemoveScopes(ctx, g, key, "admin")
	require.NoError(t, err)
	_, code = token(t, id, secret, "admin")
	assert.Equal(t, "invalid_scope", code)

	require.NoError(t, g.Delete(ctx, key))
	for _, s := range []string{"read:a", "openid", "offline_access"} {
		_, code = token(t, id, secret, s)
		assert.Equal(t, "invalid_scope", code, "revoked: %s, Hydra's default scope included", s)
	}
	cl, err := c.Clients.Get(ctx, id)
	require.NoError(t, err, "the client stays")
	assert.Empty(t, cl.Scope)
	tok, code := token(t, id, secret, "")
	require.Empty(t, code, "and its secret still works (a token without scope)")
	assert.Empty(t, introspect(t, tok))
}
