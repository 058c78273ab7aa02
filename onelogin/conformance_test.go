package onelogin_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
)

// An answer shaped like OneLogin's SDK model (onelogin-go-sdk models.ClientApp and Scope):
// besides the doc page's fields it carries auth_server_id and scope_ids, and here an id (5)
// that comes only in scope_ids, one (4) whose scope object is missing, and an unknown field.
const (
	sdkClientApps = `[{"app_id":7,"api_auth_id":2,"auth_server_id":2,"name":"Billing","scopes":[{"id":3,"auth_server_id":2,"value":"read","description":"Read"}],"scope_ids":[3,4,5],"added_later":{"x":1}}]`
	sdkScopes     = `[{"id":3,"auth_server_id":2,"value":"read","description":"Read"},{"id":4,"auth_server_id":2,"value":"write","description":"Write"},{"id":6,"auth_server_id":2,"value":"admin","description":"Admin","added_later":true}]`
)

type wire struct {
	reqs []string // method, path and body of every request
	apps string   // the client apps as stored: sdkClientApps until a PUT changes them
}

// lastPut returns the last PUT request (the neutral writes read the app back after it).
func (w *wire) lastPut() string {
	for i := len(w.reqs) - 1; i >= 0; i-- {
		if strings.HasPrefix(w.reqs[i], "PUT ") {
			return w.reqs[i]
		}
	}
	return ""
}

// store applies a PUT of scope ids to the stored app, as OneLogin does.
func (w *wire) store(body []byte) {
	var put struct{ Scopes []int64 }
	var apps []map[string]any
	_ = json.Unmarshal(body, &put)
	_ = json.Unmarshal([]byte(w.apps), &apps)
	var kept []any
	for _, s := range apps[0]["scopes"].([]any) {
		if slices.Contains(put.Scopes, int64(s.(map[string]any)["id"].(float64))) {
			kept = append(kept, s)
		}
	}
	apps[0]["scopes"], apps[0]["scope_ids"] = kept, put.Scopes
	b, _ := json.Marshal(apps)
	w.apps = string(b)
}

func (w *wire) client(t *testing.T) *onelogin.Client {
	t.Helper()
	w.apps = sdkClientApps
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		w.reqs = append(w.reqs, r.Method+" "+r.URL.Path+" "+string(body))
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/clients"):
			return httpfake.JSON(r, 200, w.apps), nil
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/scopes"):
			return httpfake.JSON(r, 200, sdkScopes), nil
		case r.Method == http.MethodPut:
			w.store(body)
			return httpfake.JSON(r, 200, `{"app_id":7,"api_auth_id":2}`), nil
		}
		return httpfake.JSON(r, 404, `{"statusCode":404,"name":"NotFoundError","message":"no"}`), nil
	})
	c, err := onelogin.New("acme", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	return c
}

func TestEveryDocumentedFieldIsModelled(t *testing.T) {
	ctx := context.Background()
	var w wire
	c := w.client(t)
	var apps []onelogin.ClientApp
	for a, err := range c.ClientApps.List(ctx, 2, onelogin.ClientAppListOptions{}) {
		require.NoError(t, err)
		apps = append(apps, *a)
	}
	assert.Equal(t, []onelogin.ClientApp{{
		AppID: 7, AuthorizationID: 2, Name: "Billing",
		Scopes:   []onelogin.Scope{{ID: 3, Value: "read", Description: "Read", AuthorizationID: 2}},
		ScopeIDs: []int64{3, 4, 5},
	}}, apps)
	for s, err := range c.Authorizations.ListScopes(ctx, 2) {
		require.NoError(t, err)
		assert.Equal(t, int64(2), s.AuthorizationID, "auth_server_id is kept")
	}
}

// A read-modify-write keeps every scope the app holds, also those that come only as ids
// (scope_ids) and one the server no longer lists, which is named by its id.
func TestReadModifyWriteKeepsEveryScope(t *testing.T) {
	ctx := context.Background()
	var w wire
	c := w.client(t)
	key := grantkit.GrantKey{Resource: "2", ClientID: "7"}
	g, err := c.Grants().Get(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, []string{"5", "read", "write"}, g.Scopes)

	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "admin")
	require.NoError(t, err)
	put := w.lastPut()
	assert.True(t, strings.HasPrefix(put, "PUT /api/2/api_authorizations/2/clients/7 "), put)
	assert.JSONEq(t, `{"scopes":[5,6,3,4]}`, strings.SplitN(put, " ", 3)[2], "nothing the app held is dropped")

	w.apps = sdkClientApps // each step starts from the documented answer
	_, err = grantkit.RemoveScopes(ctx, c.Grants(), key, "write")
	require.NoError(t, err)
	put = w.lastPut()
	assert.JSONEq(t, `{"scopes":[5,3]}`, strings.SplitN(put, " ", 3)[2], "only the scope removed goes")

	// OneLogin's own update built from a read keeps them too.
	w.apps = sdkClientApps
	for app, err := range c.ClientApps.List(ctx, 2, onelogin.ClientAppListOptions{}) {
		require.NoError(t, err)
		_, err = c.ClientApps.Update(ctx, 2, app.AppID, onelogin.ClientAppUpdate{ScopeIDs: append(app.ScopeIDs, 6)})
		require.NoError(t, err)
	}
	put = w.lastPut()
	assert.JSONEq(t, `{"scopes":[3,4,5,6]}`, strings.SplitN(put, " ", 3)[2])
}

// OneLogin documents no paging for these lists; if it pages them the way its API v2 pages
// others (After-Cursor), the client follows every page instead of keeping the first.
func TestListsFollowAfterCursor(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	srv.SetPageSize(2)
	var auths []int64
	for i := range 3 {
		auths = append(auths, srv.AddAuthorization("API "+strconv.Itoa(i), "https://api.example.com/"+strconv.Itoa(i)))
	}
	authID := auths[0]
	var scopeIDs []int64
	for i := range 5 {
		s, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "s" + strconv.Itoa(i), Description: "d"})
		require.NoError(t, err)
		scopeIDs = append(scopeIDs, s.ID)
	}
	for app := int64(1); app <= 5; app++ {
		_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: app, ScopeIDs: scopeIDs[:1]})
		require.NoError(t, err)
	}
	n := 0
	for _, err := range c.Authorizations.List(ctx, onelogin.AuthorizationListOptions{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n, "authorization servers")
	n = 0
	for _, err := range c.Authorizations.ListScopes(ctx, authID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "scopes")
	n = 0
	for _, err := range c.ClientApps.List(ctx, authID, onelogin.ClientAppListOptions{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "client apps")
	n = 0
	for _, err := range c.Grants().List(ctx, grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "grants")

	var cursors []string
	for _, r := range srv.Requests() {
		if strings.Contains(r.RawQuery, "cursor=") {
			cursors = append(cursors, r.RawQuery)
		}
	}
	require.NotEmpty(t, cursors)
	q, err := url.ParseQuery(cursors[0])
	require.NoError(t, err)
	raw, err := base64.StdEncoding.DecodeString(q.Get("cursor"))
	require.NoError(t, err)
	assert.Equal(t, "limit=2&page=2", string(raw), "the After-Cursor value is sent back as is")
}

// OneLogin keeps one entry per app on a server; the fake refuses a second add (422), as it
// refuses other invalid adds.
func TestAnAppIsAddedToAServerOnce(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("API", "https://api.example.com/")
	_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 9, ScopeIDs: nil})
	require.NoError(t, err)
	_, err = c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 9, ScopeIDs: nil})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 422, apiErr.StatusCode)
	assert.Equal(t, "UnprocessableEntityError", apiErr.Code)
}
