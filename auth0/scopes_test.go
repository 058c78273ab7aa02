package auth0_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
)

// A scope is one token of OAuth's space-separated scope list: one holding whitespace or a
// control character is refused before anything is sent, wherever a write names it.
func TestScopesWithWhitespaceAreRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants": fixed(200, `{"client_grants":[{"id":"cgr_1","client_id":"app1","audience":"`+aud+`","scope":["read:a"]}]}`),
	}}
	c := e.client(t)
	for _, bad := range []string{"read users", "read:users\n", "read:\tusers", "read:\u00a0users", "read:\x00users"} {
		t.Run(bad, func(t *testing.T) {
			calls := map[string]func() error{
				"ClientGrants.Create": func() error {
					_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app1", Audience: aud, Scope: []string{"read:a", bad}})
					return err
				},
				"ClientGrants.Update": func() error {
					_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set(bad)})
					return err
				},
				"ResourceServers.Create": func() error {
					_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: aud, Scopes: []auth0.ResourceServerScope{{Value: bad}}})
					return err
				},
				"ResourceServers.Update": func() error {
					_, err := c.ResourceServers.Update(ctx, "rs_1", auth0.ResourceServerUpdate{Scopes: grantkit.Set(auth0.ResourceServerScope{Value: bad})})
					return err
				},
				"ResourceServers.CreateScope": func() error {
					_, err := c.ResourceServers.CreateScope(ctx, "rs_1", auth0.ResourceServerScope{Value: bad})
					return err
				},
				"AddScopes": func() error {
					_, err := grantkit.AddScopes(ctx, c.Grants(), grantkit.GrantKey{Resource: aud, ClientID: "app1"}, bad)
					return err
				},
			}
			for op, call := range calls {
				err := call()
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, op)
				assert.Contains(t, err.Error(), "auth0: "+op+": ", op)
				assert.Contains(t, err.Error(), "holds no whitespace or control character", op)
			}
		})
	}
	assert.Empty(t, e.writes(), "nothing was written")
}

// A scope the grant or API already holds goes back as Auth0 stored it: a read-modify-write
// never fails on what it did not change, and the new scope is still checked.
func TestHeldScopesGoBackUnchecked(t *testing.T) {
	ctx := context.Background()
	const grant = `{"id":"cgr_1","client_id":"app1","audience":"` + aud + `","scope":["legacy scope","read:a"]}`
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants": fixed(200, `{"client_grants":[`+grant+`]}`),
		"PATCH /api/v2/client-grants/cgr_1": func(body []byte) (int, string) {
			return 200, `{"id":"cgr_1","client_id":"app1","audience":"` + aud + `","scope":["legacy scope","read:a","write:a"]}`
		},
		"GET /api/v2/resource-servers/rs_1": fixed(200, `{"id":"rs_1","identifier":"`+aud+`","scopes":[{"value":"legacy scope"}]}`),
		"PATCH /api/v2/resource-servers/rs_1": func(body []byte) (int, string) {
			return 200, `{"id":"rs_1","identifier":"` + aud + `",` + string(body[1:]) // the scopes written
		},
	}}
	c := e.client(t)
	key := grantkit.GrantKey{Resource: aud, ClientID: "app1"}

	g, err := grantkit.AddScopes(ctx, c.Grants(), key, "write:a")
	require.NoError(t, err)
	assert.Equal(t, []string{"legacy scope", "read:a", "write:a"}, g.Scopes)
	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "new scope")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput, "a scope the grant does not hold is checked")

	sc, err := c.ResourceServers.CreateScope(ctx, "rs_1", auth0.ResourceServerScope{Value: "write:a"})
	require.NoError(t, err)
	assert.Equal(t, &auth0.ResourceServerScope{Value: "write:a"}, sc)
	err = c.ResourceServers.DeleteScope(ctx, "rs_1", "legacy scope")
	require.NoError(t, err, "a stored scope can always be deleted")

	w := e.writes()
	require.Len(t, w, 3)
	assert.JSONEq(t, `{"scope":["legacy scope","read:a","write:a"]}`, string(w[0].body))
	assert.JSONEq(t, `{"scopes":[{"value":"legacy scope"},{"value":"write:a"}]}`, string(w[1].body))
	assert.JSONEq(t, `{"scopes":[]}`, string(w[2].body))
}

// Auth0's client grant scope may be null, which is not []: a read keeps [] as a non-nil empty
// list, and an answer with null (or no scope) reads as nil instead of failing the call.
func TestScopeNullIsReadApartFromEmpty(t *testing.T) {
	ctx := context.Background()
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants/cgr_null":   fixed(200, `{"id":"cgr_null","client_id":"app1","audience":"`+aud+`","scope":null}`),
		"GET /api/v2/client-grants/cgr_empty":  fixed(200, `{"id":"cgr_empty","client_id":"app1","audience":"`+aud+`","scope":[]}`),
		"GET /api/v2/client-grants/cgr_absent": fixed(200, `{"id":"cgr_absent","client_id":"app1","audience":"`+aud+`","allow_all_scopes":true}`),
		"GET /api/v2/client-grants/cgr_some":   fixed(200, `{"id":"cgr_some","client_id":"app1","audience":"`+aud+`","scope":["read:a"]}`),
	}}
	c := e.client(t)
	for _, tc := range []struct {
		id    string
		scope []string
	}{
		{"cgr_null", nil},
		{"cgr_empty", []string{}},
		{"cgr_absent", nil},
		{"cgr_some", []string{"read:a"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			g, err := c.ClientGrants.Get(ctx, tc.id)
			require.NoError(t, err)
			assert.Equal(t, tc.scope, g.Scope)
			assert.Equal(t, tc.scope == nil, g.Scope == nil)
		})
	}
}
