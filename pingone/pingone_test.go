package pingone_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type world struct {
	c            *pingone.Client
	srv          *pingonefake.Server
	app, res     string
	read, write  string
	otherRes     string
	otherResRead string
}

func setup(t *testing.T, opts ...option.Option) *world {
	t.Helper()
	srv := pingonefake.NewServer()
	t.Cleanup(srv.Close)
	w := &world{srv: srv, app: srv.AddApplication("billing"), res: srv.AddResource("Invoices", "https://api.example.com")}
	w.read, w.write = srv.AddScope(w.res, "read:invoices"), srv.AddScope(w.res, "write:invoices")
	w.otherRes = srv.AddResource("Other", "https://other.example.com")
	w.otherResRead = srv.AddScope(w.otherRes, "read")
	base := []option.Option{option.WithBaseURL(srv.URL), pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret)}
	c, err := pingone.New(pingonefake.EnvironmentID, append(base, opts...)...)
	require.NoError(t, err)
	w.c = c
	return w
}

func (w *world) last(t *testing.T) pingonefake.Request {
	t.Helper()
	r := w.srv.Requests()
	require.NotEmpty(t, r)
	return r[len(r)-1]
}

// The seed operation: PUT .../applications/{appID}/grants/{grantID} with resource.id and
// scopes[{id}], checked on the wire.
func TestUpdateGrantWire(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	g, err := w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
	require.NoError(t, err)

	got, err := w.c.ApplicationGrants.Update(ctx, w.app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: w.res, ScopeIDs: []string{w.read, w.write}})
	require.NoError(t, err)
	req := w.last(t)
	assert.Equal(t, http.MethodPut, req.Method)
	assert.Equal(t, "/v1/environments/"+pingonefake.EnvironmentID+"/applications/"+w.app+"/grants/"+g.ID, req.Path)
	assert.Equal(t, `{"resource":{"id":"`+w.res+`"},"scopes":[{"id":"`+w.read+`"},{"id":"`+w.write+`"}]}`, string(req.Body))
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.Regexp(t, `^Bearer \S+$`, req.Header.Get("Authorization"))
	assert.Contains(t, req.Header.Get("User-Agent"), "(pingone;")

	assert.Equal(t, g.ID, got.ID)
	assert.Equal(t, pingonefake.EnvironmentID, got.EnvironmentID)
	assert.Equal(t, w.app, got.ApplicationID)
	assert.Equal(t, w.res, got.ResourceID)
	assert.Equal(t, []string{w.read, w.write}, got.ScopeIDs)
	assert.False(t, got.CreatedAt.IsZero())
	assert.False(t, got.UpdatedAt.Before(got.CreatedAt))

	// The resource must be the grant's own: PingOne's 400 comes back typed, naming the field.
	_, err = w.c.ApplicationGrants.Update(ctx, w.app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: w.otherRes, ScopeIDs: []string{w.otherResRead}})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, "INVALID_DATA", apiErr.Code)
	assert.Contains(t, apiErr.Message, "resource.id")
	assert.NotEmpty(t, apiErr.RequestID, "PingOne's error id")
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	g, err := w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
	require.NoError(t, err)
	assert.Equal(t, `{"resource":{"id":"`+w.res+`"},"scopes":[{"id":"`+w.read+`"}]}`, string(w.last(t).Body))

	_, err = w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.write}})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 409, apiErr.StatusCode)

	got, err := w.c.ApplicationGrants.Get(ctx, w.app, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g.ScopeIDs, got.ScopeIDs)

	var ids []string
	for ag, err := range w.c.ApplicationGrants.List(ctx, w.app, pingone.ApplicationGrantListOptions{}) {
		require.NoError(t, err)
		ids = append(ids, ag.ID)
	}
	assert.Equal(t, []string{g.ID}, ids)

	var names []string
	for r, err := range w.c.Resources.List(ctx, pingone.ResourceListOptions{}) {
		require.NoError(t, err)
		names = append(names, r.Name)
	}
	assert.ElementsMatch(t, []string{"Invoices", "Other"}, names)
	r, err := w.c.Resources.Get(ctx, w.res)
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.com", r.Audience)
	var scopes []string
	for s, err := range w.c.Resources.ListScopes(ctx, w.res) {
		require.NoError(t, err)
		scopes = append(scopes, s.Name)
	}
	assert.ElementsMatch(t, []string{"read:invoices", "write:invoices"}, scopes)
	for a, err := range w.c.Applications.List(ctx, pingone.ApplicationListOptions{}) {
		require.NoError(t, err)
		assert.Equal(t, "billing", a.Name)
	}

	require.NoError(t, w.c.ApplicationGrants.Delete(ctx, w.app, g.ID))
	_, err = w.c.ApplicationGrants.Get(ctx, w.app, g.ID)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "NOT_FOUND", apiErr.Code)
}

func TestRegions(t *testing.T) {
	for region, host := range map[pingone.Region]string{
		"":                         "pingone.com",
		pingone.RegionNorthAmerica: "pingone.com",
		pingone.RegionEurope:       "pingone.eu",
		pingone.RegionCanada:       "pingone.ca",
		pingone.RegionAsiaPacific:  "pingone.asia",
		pingone.RegionAustralia:    "pingone.com.au",
		pingone.RegionSingapore:    "pingone.sg",
	} {
		t.Run(string(region), func(t *testing.T) {
			var mu sync.Mutex
			var urls []string
			hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
				mu.Lock()
				urls = append(urls, r.Method+" "+r.URL.String())
				mu.Unlock()
				if strings.HasSuffix(r.URL.Path, "/as/token") {
					user, _, ok := r.BasicAuth()
					assert.True(t, ok, "client_secret_basic")
					assert.Equal(t, "id", user)
					return httpfake.JSON(r, 200, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`), nil
				}
				return httpfake.JSON(r, 200, `{"id":"r1","name":"n"}`), nil
			})
			opts := []option.Option{pingone.WithClientCredentials("id", "secret"), option.WithHTTPClient(hc)}
			if region != "" {
				opts = append(opts, pingone.WithRegion(region))
			}
			c, err := pingone.New("env1", opts...)
			require.NoError(t, err)
			_, err = c.Resources.Get(context.Background(), "r1")
			require.NoError(t, err)
			assert.Equal(t, []string{
				"POST https://auth." + host + "/env1/as/token",
				"GET https://api." + host + "/v1/environments/env1/resources/r1",
			}, urls)
		})
	}
	_, err := pingone.New("env1", option.WithToken("t"), pingone.WithRegion("moon"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
}

func TestNewValidates(t *testing.T) {
	cc := pingone.WithClientCredentials("id", "secret")
	for name, tc := range map[string]struct {
		env  string
		opts []option.Option
	}{
		"empty env":       {"", []option.Option{cc}},
		"traversing env":  {"../x", []option.Option{cc}},
		"no credentials":  {"env", nil},
		"two credentials": {"env", []option.Option{cc, option.WithToken("t")}},
		"http base URL":   {"env", []option.Option{cc, option.WithBaseURL("http://example.com")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pingone.New(tc.env, tc.opts...)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		})
	}
}

func TestForwardCompatibleResponses(t *testing.T) {
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		return httpfake.JSON(r, 200, `{"id":"g1","resource":{"id":"r","type":"NEW"},"scopes":[{"id":"s","extra":1}],"createdAt":"not a time","brandNew":{"a":[1]}}`), nil
	})
	c, err := pingone.New("env1", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	g, err := c.ApplicationGrants.Get(context.Background(), "a", "g1")
	require.NoError(t, err)
	assert.Equal(t, []string{"s"}, g.ScopeIDs)
	assert.True(t, g.CreatedAt.IsZero())
}

func TestGrantsAdapter(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grantstest.Env {
		srv := pingonefake.NewServer()
		t.Cleanup(srv.Close)
		res := srv.AddResource("API", "https://api.example.com")
		ids := map[string]string{}
		for _, s := range grantstest.Scopes {
			ids[s] = srv.AddScope(res, s)
		}
		d := grantstest.NewDropper(nil)
		c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())),
			option.WithHTTPClient(d.Client()))
		require.NoError(t, err)
		return grantstest.Env{
			Grants: c.Grants(),
			Vendor: "pingone",
			// PingOne's writes name scopes by id.
			Drop:   func(scope string) { d.Drop(ids[scope]) },
			Refuse: d.Refuse,
			Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
				app := srv.AddApplication("app")
				var sids []string
				for _, s := range scopes {
					sids = append(sids, ids[s])
				}
				_, err := c.ApplicationGrants.Create(context.Background(), app, pingone.ApplicationGrantCreate{ResourceID: res, ScopeIDs: sids})
				require.NoError(t, err)
				return grantkit.GrantKey{Resource: res, ClientID: app}
			},
			Missing: func(k grantkit.GrantKey) grantkit.GrantKey { k.ClientID = srv.AddApplication("no grants"); return k },
			NewKey: func(*testing.T) grantkit.GrantKey {
				return grantkit.GrantKey{Resource: res, ClientID: srv.AddApplication("new")}
			},
			RefusesUndefined: true,
		}
	})
}

func TestReliability(t *testing.T) {
	reliabilitytest.Run(t, func(t *testing.T, o reliabilitytest.Options) reliabilitytest.Env {
		w := setup(t)
		ctx := context.Background()
		seed, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(w.srv.URL), option.WithToken(grantkit.Secret(w.srv.IssueToken())))
		require.NoError(t, err)
		g, err := seed.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
		require.NoError(t, err)
		secret := grantkit.Secret(pingonefake.ClientSecret)
		if o.WrongSecret != "" {
			secret = grantkit.Secret(o.WrongSecret)
		}
		c, err := pingone.New(pingonefake.EnvironmentID, o.With(option.WithBaseURL(w.srv.URL), pingone.WithClientCredentials(pingonefake.ClientID, secret))...)
		require.NoError(t, err)
		flip, latest := false, ""
		return reliabilitytest.Env{
			Read: func(ctx context.Context) error { _, err := c.ApplicationGrants.Get(ctx, w.app, g.ID); return err },
			Update: func(ctx context.Context) (func() bool, error) {
				flip = !flip
				want := []string{w.read}
				if flip {
					want = []string{w.read, w.write}
				}
				_, err := c.ApplicationGrants.Update(ctx, w.app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: w.res, ScopeIDs: want})
				return func() bool {
					got, err := seed.ApplicationGrants.Get(context.Background(), w.app, g.ID)
					return err == nil && assert.ObjectsAreEqual(want, got.ScopeIDs)
				}, err
			},
			Create: func(ctx context.Context) error {
				latest = w.srv.AddApplication("x")
				_, err := c.ApplicationGrants.Create(ctx, latest, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
				return err
			},
			GrantsCreate: func(ctx context.Context) error {
				latest = w.srv.AddApplication("y")
				_, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: w.res, ClientID: latest}, []string{"read:invoices"})
				return err
			},
			Created: func() int {
				n := 0
				for g, err := range seed.ApplicationGrants.List(context.Background(), latest, pingone.ApplicationGrantListOptions{}) {
					require.NoError(t, err)
					if g.ResourceID == w.res {
						n++
					}
				}
				return n
			},
			Delete: func() func(ctx context.Context) error {
				app := w.srv.AddApplication("gone")
				d, err := seed.ApplicationGrants.Create(context.Background(), app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
				require.NoError(t, err)
				return func(ctx context.Context) error {
					return c.ApplicationGrants.Delete(ctx, app, d.ID)
				}
			},
			LostCreate:      []string{"the grant may now exist", "ApplicationGrants.List"},
			Catalog:         c.ScopeCatalog(),
			CatalogResource: w.res,
			Fake:            w.srv,
			BadInputs: map[string]func(ctx context.Context) error{
				"empty app id":    func(ctx context.Context) error { _, err := c.ApplicationGrants.Get(ctx, "", g.ID); return err },
				"../ grant id":    func(ctx context.Context) error { _, err := c.ApplicationGrants.Get(ctx, w.app, "../"+g.ID); return err },
				"/ in grant id":   func(ctx context.Context) error { return c.ApplicationGrants.Delete(ctx, w.app, "a/b") },
				"%2F resource id": func(ctx context.Context) error { _, err := c.Resources.Get(ctx, "a%2Fb"); return err },
				"empty resource": func(ctx context.Context) error {
					_, err := c.ApplicationGrants.Update(ctx, w.app, g.ID, pingone.ApplicationGrantUpdate{ScopeIDs: []string{w.read}})
					return err
				},
				"empty scope id": func(ctx context.Context) error {
					_, err := c.ApplicationGrants.Update(ctx, w.app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: w.res, ScopeIDs: []string{""}})
					return err
				},
			},
			New: func(opts ...option.Option) error {
				_, err := pingone.New(pingonefake.EnvironmentID, append([]option.Option{option.WithBaseURL(w.srv.URL)}, opts...)...)
				return err
			},
			Token:   w.srv.IssueToken,
			Client:  c,
			Secrets: []string{pingonefake.ClientSecret},
		}
	})
}

func TestUnknownScopeNameWritesNothing(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	_, err := w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
	require.NoError(t, err)
	before := len(w.srv.Requests())
	_, err = w.c.Grants().SetScopes(ctx, grantkit.GrantKey{Resource: w.res, ClientID: w.app}, []string{"read:invoices", "nope"})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.ErrorContains(t, err, `"nope" is not a scope of resource`)
	for _, r := range w.srv.Requests()[before:] {
		assert.Equal(t, http.MethodGet, r.Method, "names are resolved by reading; nothing is written")
	}
}

func TestTokenAuthMethods(t *testing.T) {
	for _, m := range []pingone.TokenAuthMethod{pingone.ClientSecretBasic, pingone.ClientSecretPost} {
		t.Run(string(m), func(t *testing.T) {
			hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
				if strings.HasSuffix(r.URL.Path, "/as/token") {
					require.NoError(t, r.ParseForm())
					_, _, basic := r.BasicAuth()
					assert.Equal(t, m == pingone.ClientSecretBasic, basic)
					assert.Equal(t, m == pingone.ClientSecretPost, r.PostForm.Get("client_secret") == "secret")
					return httpfake.JSON(r, 200, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`), nil
				}
				return httpfake.JSON(r, 200, `{"id":"r1"}`), nil
			})
			c, err := pingone.New("env1", pingone.WithClientCredentials("id", "secret"), pingone.WithTokenAuthMethod(m), option.WithHTTPClient(hc))
			require.NoError(t, err)
			_, err = c.Resources.Get(context.Background(), "r1")
			require.NoError(t, err)
		})
	}
	_, err := pingone.New("env1", option.WithToken("t"), pingone.WithTokenAuthMethod("PRIVATE_KEY_JWT"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
}

// As at PingOne, a grant is only created for an application that exists: the fake answers 404,
// and grantkit reports it as it is, also through the vendor-neutral Grants.Create.
func TestGrantForAnApplicationThatDoesNotExistIsRefused(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	const ghost = "0a0a0a0a-0000-4000-8000-000000000001"
	_, err := w.c.ApplicationGrants.Create(ctx, ghost, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)
	_, err = w.c.Grants().Create(ctx, grantkit.GrantKey{Resource: w.res, ClientID: ghost}, []string{"read:invoices"})
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)
	assert.Empty(t, func() []string {
		var posts []string
		for _, r := range w.srv.Requests() {
			if r.Method == http.MethodPost && r.Path != "/v1/environments/"+pingonefake.EnvironmentID+"/applications/"+ghost+"/grants" {
				posts = append(posts, r.Path)
			}
		}
		return posts
	}(), "nothing else was written")
}

// The neutral List asked for one application reads that application's grants only (PingOne's
// per-application list), never the list of applications.
func TestGrantsListOfOneApplication(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	other := w.srv.AddApplication("other")
	for _, app := range []string{w.app, other} {
		_, err := w.c.Grants().Create(ctx, grantkit.GrantKey{Resource: w.res, ClientID: app}, []string{"read:invoices"})
		require.NoError(t, err)
	}
	n := len(w.srv.Requests())
	var keys []grantkit.GrantKey
	for g, err := range w.c.Grants().List(ctx, grantkit.GrantListOptions{ClientID: other}) {
		require.NoError(t, err)
		keys = append(keys, g.Key)
	}
	assert.Equal(t, []grantkit.GrantKey{{Resource: w.res, ClientID: other}}, keys)
	for _, r := range w.srv.Requests()[n:] {
		assert.NotRegexp(t, `/applications$`, r.Path, "the applications are not listed")
	}
	assert.Empty(t, collect(t, w.c.Grants().List(ctx, grantkit.GrantListOptions{ClientID: other, Resource: w.otherRes})))
}

func collect(t *testing.T, seq func(func(*grantkit.Grant, error) bool)) []*grantkit.Grant {
	t.Helper()
	var out []*grantkit.Grant
	for g, err := range seq {
		require.NoError(t, err)
		out = append(out, g)
	}
	return out
}
