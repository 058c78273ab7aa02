package onelogin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
)

// The shared names: ListPage on every list, Get for a client app and GetScope for a scope,
// though OneLogin has no request for either (both list), and a page's Total is -1 since
// OneLogin never says how many there are.
func TestListPageGetAndGetScope(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("Invoices", "https://api.example.com/")
	read, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read:invoices", Description: "Read"})
	require.NoError(t, err)
	app, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 42, ScopeIDs: []int64{read.ID}})
	require.NoError(t, err)
	assert.Equal(t, []int64{read.ID}, app.ScopeIDs)

	auths, err := c.Authorizations.ListPage(ctx, onelogin.AuthorizationListOptions{})
	require.NoError(t, err)
	require.Len(t, auths.Items, 1)
	assert.Equal(t, authID, auths.Items[0].ID)
	assert.Empty(t, auths.Next)
	assert.Equal(t, -1, auths.Total)

	apps, err := c.ClientApps.ListPage(ctx, authID, onelogin.ClientAppListOptions{})
	require.NoError(t, err)
	require.Len(t, apps.Items, 1)
	assert.Equal(t, int64(42), apps.Items[0].AppID)
	assert.Equal(t, -1, apps.Total)

	got, err := c.ClientApps.Get(ctx, authID, 42)
	require.NoError(t, err)
	assert.Equal(t, []int64{read.ID}, got.ScopeIDs)
	_, err = c.ClientApps.Get(ctx, authID, 43)
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	assert.Contains(t, err.Error(), "onelogin: ClientApps.Get: ")

	sc, err := c.Authorizations.GetScope(ctx, authID, read.ID)
	require.NoError(t, err)
	assert.Equal(t, "read:invoices", sc.Value)
	_, err = c.Authorizations.GetScope(ctx, authID, read.ID+1000)
	require.ErrorIs(t, err, grantkit.ErrScopeNotFound)

	_, err = c.ClientApps.Update(ctx, authID, 42, onelogin.ClientAppUpdate{ScopeIDs: []int64{}})
	require.NoError(t, err)
	got, err = c.ClientApps.Get(ctx, authID, 42)
	require.NoError(t, err)
	assert.Empty(t, got.ScopeIDs)
	require.NoError(t, c.ClientApps.Delete(ctx, authID, 42))
	_, err = c.ClientApps.Get(ctx, authID, 42)
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	require.NoError(t, c.Authorizations.DeleteScope(ctx, authID, read.ID))
}

// An input error names the field as OneLogin's document does: the path parameter (id,
// client_app_id, scope_id) or the JSON path of the body (app_id, scopes[1], value).
func TestInputErrorsNameTheWireField(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("Invoices", "https://api.example.com/")
	cases := map[string]func() error{
		"id: ": func() error { _, err := c.Authorizations.Get(ctx, 0); return err },
		"app_id: ": func() error {
			_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: -1})
			return err
		},
		"client_app_id: ": func() error { return c.ClientApps.Delete(ctx, authID, 0) },
		"scopes[1]: ": func() error {
			_, err := c.ClientApps.Update(ctx, authID, 7, onelogin.ClientAppUpdate{ScopeIDs: []int64{1, 0}})
			return err
		},
		"scope_id: ": func() error { return c.Authorizations.DeleteScope(ctx, authID, 0) },
		"value: ": func() error {
			_, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read invoices", Description: "d"})
			return err
		},
		"description: ": func() error {
			_, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read:invoices"})
			return err
		},
	}
	before := len(srv.Requests())
	for field, call := range cases {
		err := call()
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, field)
		assert.Contains(t, err.Error(), "invalid input: "+field, field)
	}
	assert.Len(t, srv.Requests(), before, "nothing was sent")
}

// A scope value the server lists twice (OneLogin keeps values unique; an answer could still
// carry two) is an error wrapping grantkit.ErrDuplicateScope, and nothing is written.
func TestScopeValueListedTwiceIsErrDuplicateScope(t *testing.T) {
	var writes int
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		switch {
		case r.Method != http.MethodGet:
			writes++
			return httpfake.JSON(r, 200, `{"app_id":7,"api_auth_id":1}`), nil
		case strings.HasSuffix(r.URL.Path, "/scopes"):
			return httpfake.JSON(r, 200, `[{"id":3,"value":"dup","description":"a"},{"id":4,"value":"dup","description":"b"}]`), nil
		default:
			return httpfake.JSON(r, 200, `[{"app_id":7,"api_auth_id":1,"scope_ids":[]}]`), nil
		}
	})
	c, err := onelogin.New("acme", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	_, err = c.Grants().SetScopes(context.Background(), grantkit.GrantKey{Resource: "1", ClientID: "7"}, []string{"dup"})
	require.ErrorIs(t, err, grantkit.ErrDuplicateScope)
	assert.Contains(t, err.Error(), `defines "dup" 2 times`)
	assert.Zero(t, writes)
}
