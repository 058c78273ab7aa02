package onelogin_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func setup(t *testing.T, opts ...option.Option) (*onelogin.Client, *oneloginfake.Server) {
	t.Helper()
	srv := oneloginfake.NewServer()
	t.Cleanup(srv.Close)
	// The apps the tests make client apps: OneLogin adds only an app that exists.
	srv.AddApp(1, 2, 3, 4, 5, 7, 9, 42)
	base := []option.Option{option.WithBaseURL(srv.URL), onelogin.WithClientCredentials(oneloginfake.ClientID, oneloginfake.ClientSecret)}
	c, err := onelogin.New("acme", append(base, opts...)...)
	require.NoError(t, err)
	return c, srv
}

func last(t *testing.T, srv *oneloginfake.Server) oneloginfake.Request {
	t.Helper()
	r := srv.Requests()
	require.NotEmpty(t, r)
	return r[len(r)-1]
}

// The seed operation: PUT /api/2/api_authorizations/{id}/scopes/{scope_id}, checked on the wire.
func TestUpdateScopeWire(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("Invoices", "https://api.example.com/")
	s, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read:invoices", Description: "Read"})
	require.NoError(t, err)

	got, err := c.Authorizations.UpdateScope(ctx, authID, s.ID, onelogin.ScopeUpdate{Value: "custom:scope", Description: "A custom scope"})
	require.NoError(t, err)
	assert.Equal(t, &onelogin.Scope{ID: s.ID, Value: "custom:scope", Description: "A custom scope", AuthorizationID: authID}, got)
	req := last(t, srv)
	assert.Equal(t, http.MethodPut, req.Method)
	assert.Equal(t, fmt.Sprintf("/api/2/api_authorizations/%d/scopes/%d", authID, s.ID), req.Path)
	assert.Empty(t, req.RawQuery)
	assert.Equal(t, `{"value":"custom:scope","description":"A custom scope"}`, string(req.Body))
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.Regexp(t, `^Bearer \S+$`, req.Header.Get("Authorization"))
	assert.Contains(t, req.Header.Get("User-Agent"), "(onelogin;")

	// OneLogin requires a description on every write: an empty one is refused before sending.
	before := len(srv.Requests())
	for _, p := range []onelogin.ScopeCreate{{Value: "custom:scope"}, {Value: "custom scope", Description: "x"}, {Value: "custom:scope\n", Description: "x"}} {
		_, err = c.Authorizations.UpdateScope(ctx, authID, s.ID, p)
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, "%+v", p)
		_, err = c.Authorizations.CreateScope(ctx, authID, p)
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, "%+v", p)
	}
	assert.Len(t, srv.Requests(), before, "nothing was sent")
}

func TestScopeErrors(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("Invoices", "https://api.example.com/")
	a, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "a", Description: "A"})
	require.NoError(t, err)
	_, err = c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "b", Description: "B"})
	require.NoError(t, err)

	_, err = c.Authorizations.UpdateScope(ctx, authID, a.ID, onelogin.ScopeUpdate{Value: "b", Description: "dup"})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 422, apiErr.StatusCode)
	assert.Equal(t, "UnprocessableEntityError", apiErr.Code)
	assert.Equal(t, "Validation failed: Value has already been taken", apiErr.Message)
	assert.Equal(t, "Authorizations.UpdateScope", apiErr.Operation)

	_, err = c.Authorizations.UpdateScope(ctx, authID, 999999, onelogin.ScopeUpdate{Value: "x", Description: "x"})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "NotFoundError", apiErr.Code)
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("Invoices", "https://api.example.com/")

	var auths []int64
	for a, err := range c.Authorizations.List(ctx, onelogin.AuthorizationListOptions{}) {
		require.NoError(t, err)
		auths = append(auths, a.ID)
		assert.Equal(t, "https://api.example.com/", a.ResourceIdentifier)
	}
	assert.Equal(t, []int64{authID}, auths)
	a, err := c.Authorizations.Get(ctx, authID)
	require.NoError(t, err)
	assert.Equal(t, "Invoices", a.Name)

	r, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read", Description: "Read"})
	require.NoError(t, err)
	assert.Equal(t, `{"value":"read","description":"Read"}`, string(last(t, srv).Body))
	w, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "write", Description: "Write"})
	require.NoError(t, err)

	app, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 42, ScopeIDs: []int64{r.ID}})
	require.NoError(t, err)
	assert.Equal(t, []int64{r.ID}, app.ScopeIDs)
	assert.Equal(t, fmt.Sprintf(`{"app_id":42,"scopes":[%d]}`, r.ID), string(last(t, srv).Body))

	app, err = c.ClientApps.Update(ctx, authID, 42, onelogin.ClientAppUpdate{ScopeIDs: []int64{r.ID, w.ID}})
	require.NoError(t, err)
	assert.Equal(t, []int64{r.ID, w.ID}, app.ScopeIDs)
	req := last(t, srv)
	assert.Equal(t, fmt.Sprintf("/api/2/api_authorizations/%d/clients/42", authID), req.Path)
	assert.Equal(t, fmt.Sprintf(`{"scopes":[%d,%d]}`, r.ID, w.ID), string(req.Body))

	_, err = c.ClientApps.Update(ctx, authID, 42, onelogin.ClientAppUpdate{ScopeIDs: nil})
	require.NoError(t, err)
	assert.Equal(t, `{"scopes":[]}`, string(last(t, srv).Body), "no scopes is [], never null")

	_, err = c.ClientApps.Update(ctx, authID, 42, onelogin.ClientAppUpdate{ScopeIDs: []int64{w.ID}})
	require.NoError(t, err)
	var apps []onelogin.ClientApp
	for a, err := range c.ClientApps.List(ctx, authID, onelogin.ClientAppListOptions{}) {
		require.NoError(t, err)
		apps = append(apps, *a)
	}
	require.Len(t, apps, 1)
	assert.Equal(t, []onelogin.Scope{{ID: w.ID, Value: "write", Description: "Write"}}, apps[0].Scopes)

	require.NoError(t, c.Authorizations.DeleteScope(ctx, authID, r.ID))
	var values []string
	for s, err := range c.Authorizations.ListScopes(ctx, authID) {
		require.NoError(t, err)
		values = append(values, s.Value)
	}
	assert.Equal(t, []string{"write"}, values)

	require.NoError(t, c.ClientApps.Delete(ctx, authID, 42))
	err = c.ClientApps.Delete(ctx, authID, 42)
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
}

func TestNewValidates(t *testing.T) {
	cc := onelogin.WithClientCredentials("id", "secret")
	for name, tc := range map[string]struct {
		account string
		opts    []option.Option
	}{
		"empty account":   {"", []option.Option{cc}},
		"scheme":          {"https://acme.onelogin.com", []option.Option{cc}},
		"no credentials":  {"acme", nil},
		"two credentials": {"acme", []option.Option{cc, option.WithToken("t")}},
		"http base URL":   {"acme", []option.Option{cc, option.WithBaseURL("http://example.com")}},
		"empty secret":    {"acme", []option.Option{onelogin.WithClientCredentials("id", "")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := onelogin.New(tc.account, tc.opts...)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		})
	}
	for _, ok := range []string{"acme", "acme.onelogin.com", "api.eu.onelogin.com"} {
		_, err := onelogin.New(ok, cc)
		assert.NoError(t, err, ok)
	}
}

func TestForwardCompatibleResponses(t *testing.T) {
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		return httpfake.JSON(r, 200, `[{"app_id":1,"api_auth_id":2,"name":"n","scopes":[{"id":3,"value":"v","description":"d","new":true}],"added_later":{"x":[1]}}]`), nil
	})
	c, err := onelogin.New("acme", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	for app, err := range c.ClientApps.List(context.Background(), 2, onelogin.ClientAppListOptions{}) {
		require.NoError(t, err)
		assert.Equal(t, []onelogin.Scope{{ID: 3, Value: "v", Description: "d"}}, app.Scopes)
	}
}

// OneLogin's doc page and its SDKs disagree on the status of a removal (204 or 200): both are a
// success, never an error for a change that was made.
func TestRemoveClientAppAcceptsBothSuccessStatuses(t *testing.T) {
	for _, code := range []int{http.StatusOK, http.StatusNoContent} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			var got string
			hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
				got = r.Method + " " + r.URL.Path
				resp := httpfake.JSON(r, code, "")
				resp.Header = http.Header{}
				return resp, nil
			})
			c, err := onelogin.New("acme", option.WithToken("t"), option.WithHTTPClient(hc))
			require.NoError(t, err)
			require.NoError(t, c.ClientApps.Delete(context.Background(), 2, 7))
			assert.Equal(t, "DELETE /api/2/api_authorizations/2/clients/7", got)
		})
	}
}

func TestGrantsAdapter(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grantstest.Env {
		d := grantstest.NewDropper(nil)
		c, srv := setup(t, option.WithHTTPClient(d.Client()))
		ctx := context.Background()
		authID := srv.AddAuthorization("API", "https://api.example.com/")
		for _, s := range grantstest.Scopes {
			_, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: s, Description: s})
			require.NoError(t, err)
		}
		ids := map[string]int64{}
		for s, err := range c.Authorizations.ListScopes(ctx, authID) {
			require.NoError(t, err)
			ids[s.Value] = s.ID
		}
		var next atomic.Int64
		next.Store(100)
		return grantstest.Env{
			Grants:  c.Grants(),
			Vendor:  "onelogin",
			Missing: func(k grantkit.GrantKey) grantkit.GrantKey { k.ClientID = "999999"; return k },
			// OneLogin's writes name scopes by id.
			Drop: func(scope string) { d.Drop(strconv.FormatInt(ids[scope], 10)) },
			// Apps live elsewhere in OneLogin: a new key's app exists, as it must to be added.
			NewKey: func(*testing.T) grantkit.GrantKey {
				app := next.Add(1)
				srv.AddApp(app)
				return grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: strconv.FormatInt(app, 10)}
			},
			RefusesUndefined: true,
			Refuse:           d.Refuse,
			Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
				app := next.Add(1)
				srv.AddApp(app)
				var sids []int64
				for _, s := range scopes {
					sids = append(sids, ids[s])
				}
				_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: app, ScopeIDs: sids})
				require.NoError(t, err)
				return grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: strconv.FormatInt(app, 10)}
			},
		}
	})
	t.Run("unknown scope name is invalid input", func(t *testing.T) {
		c, srv := setup(t)
		authID := srv.AddAuthorization("API", "https://api.example.com/")
		_, err := c.ClientApps.Create(context.Background(), authID, onelogin.ClientAppCreate{AppID: 7})
		require.NoError(t, err)
		_, err = c.Grants().SetScopes(context.Background(), grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: "7"}, []string{"nope"})
		require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		assert.ErrorContains(t, err, `"nope" is not a scope`)
	})
}

func TestReliability(t *testing.T) {
	reliabilitytest.Run(t, func(t *testing.T, o reliabilitytest.Options) reliabilitytest.Env {
		srv := oneloginfake.NewServer()
		t.Cleanup(srv.Close)
		ctx := context.Background()
		authID := srv.AddAuthorization("API", "https://api.example.com/")
		seed, err := onelogin.New("acme", option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
		require.NoError(t, err)
		sc, err := seed.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "v0", Description: "d"})
		require.NoError(t, err)

		secret := grantkit.Secret(oneloginfake.ClientSecret)
		if o.WrongSecret != "" {
			secret = grantkit.Secret(o.WrongSecret)
		}
		c, err := onelogin.New("acme", o.With(option.WithBaseURL(srv.URL), onelogin.WithClientCredentials(oneloginfake.ClientID, secret))...)
		require.NoError(t, err)
		n := 0
		var created func() int
		return reliabilitytest.Env{
			Read: func(ctx context.Context) error { _, err := c.Authorizations.Get(ctx, authID); return err },
			Update: func(ctx context.Context) (func() bool, error) {
				n++
				want := "v" + strconv.Itoa(n)
				_, err := c.Authorizations.UpdateScope(ctx, authID, sc.ID, onelogin.ScopeUpdate{Value: want, Description: "d"})
				return func() bool {
					for s, err := range seed.Authorizations.ListScopes(context.Background(), authID) {
						if err == nil && s.ID == sc.ID {
							return s.Value == want
						}
					}
					return false
				}, err
			},
			Create: func(ctx context.Context) error {
				n++
				_, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "new" + strconv.Itoa(n), Description: "d"})
				created = func() int {
					count := 0
					for s, err := range seed.Authorizations.ListScopes(context.Background(), authID) {
						require.NoError(t, err)
						if s.Value == "new"+strconv.Itoa(n) {
							count++
						}
					}
					return count
				}
				return err
			},
			GrantsCreate: func(ctx context.Context) error {
				n++
				app := int64(1000 + n)
				srv.AddApp(app)
				_, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: strconv.FormatInt(app, 10)}, []string{"v0"})
				created = func() int {
					count := 0
					for a, err := range seed.ClientApps.List(context.Background(), authID, onelogin.ClientAppListOptions{}) {
						require.NoError(t, err)
						if a.AppID == app {
							count++
						}
					}
					return count
				}
				return err
			},
			Created: func() int { return created() },
			Delete: func() func(ctx context.Context) error {
				n++
				d, err := seed.Authorizations.CreateScope(context.Background(), authID, onelogin.ScopeCreate{Value: "gone" + strconv.Itoa(n), Description: "d"})
				require.NoError(t, err)
				return func(ctx context.Context) error {
					return c.Authorizations.DeleteScope(ctx, authID, d.ID)
				}
			},
			LostCreate:      []string{"the scope may now exist", "Authorizations.ListScopes"},
			Catalog:         c.ScopeCatalog(),
			CatalogResource: strconv.FormatInt(authID, 10),
			Fake:            srv,
			ResetFault: func(d time.Duration) fake.Fault {
				return fake.Fault{Status: 429, Header: http.Header{"X-Ratelimit-Reset": {strconv.Itoa(int(d / time.Second))}}}
			},
			BadInputs: map[string]func(ctx context.Context) error{
				"zero auth id":   func(ctx context.Context) error { _, err := c.Authorizations.Get(ctx, 0); return err },
				"negative scope": func(ctx context.Context) error { return c.Authorizations.DeleteScope(ctx, authID, -1) },
				"empty value": func(ctx context.Context) error {
					_, err := c.Authorizations.UpdateScope(ctx, authID, sc.ID, onelogin.ScopeUpdate{Description: "d"})
					return err
				},
				"bad scope id": func(ctx context.Context) error {
					_, err := c.ClientApps.Update(ctx, authID, 1, onelogin.ClientAppUpdate{ScopeIDs: []int64{1, 0}})
					return err
				},
				"zero app id": func(ctx context.Context) error { return c.ClientApps.Delete(ctx, authID, 0) },
				"non-numeric key": func(ctx context.Context) error {
					_, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: "../1", ClientID: "2"})
					return err
				},
			},
			New: func(opts ...option.Option) error {
				_, err := onelogin.New("acme", append([]option.Option{option.WithBaseURL(srv.URL)}, opts...)...)
				return err
			},
			Token:   srv.IssueToken,
			Client:  c,
			Secrets: []string{oneloginfake.ClientSecret},
		}
	})
}

// Only an app that exists can be added to an authorization server: the fake refuses any other
// app id (404), through ClientApps.Create and the vendor-neutral Grants.Create alike.
func TestAnAppThatDoesNotExistIsRefused(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("API", "https://api.example.com/")
	_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 8080})
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)
	_, err = c.Grants().Create(ctx, grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: "8080"}, nil)
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)
	srv.AddApp(8080)
	_, err = c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 8080})
	require.NoError(t, err, "once the app exists")
}

// The neutral List asked for one authorization server reads that server's client apps only
// (OneLogin's per-server list), never the list of servers.
func TestGrantsListOfOneServer(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	srv.AddApp(77)
	a1 := srv.AddAuthorization("One", "https://one.example.com/")
	a2 := srv.AddAuthorization("Two", "https://two.example.com/")
	for _, a := range []int64{a1, a2} {
		_, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: strconv.FormatInt(a, 10), ClientID: "77"}, nil)
		require.NoError(t, err)
	}
	n := len(srv.Requests())
	var keys []grantkit.GrantKey
	for g, err := range c.Grants().List(ctx, grantkit.GrantListOptions{Resource: strconv.FormatInt(a2, 10)}) {
		require.NoError(t, err)
		keys = append(keys, g.Key)
	}
	assert.Equal(t, []grantkit.GrantKey{{Resource: strconv.FormatInt(a2, 10), ClientID: "77"}}, keys)
	for _, r := range srv.Requests()[n:] {
		assert.NotRegexp(t, `/api_authorizations$`, r.Path, "the servers are not listed")
	}
	for _, err := range c.Grants().List(ctx, grantkit.GrantListOptions{Resource: "not-a-number"}) {
		require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	}
}
