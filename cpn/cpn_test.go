package cpn_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/option"
)

// regexp2 (used by the generated validator for CPN's secret pattern) runs a coarse clock
// goroutine for match timeouts, which stops by itself once idle; it is not ours to leak.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/dlclark/regexp2.runClock"))
}

func setup(t *testing.T, opts ...option.Option) (*cpn.Client, *cpnfake.Server) {
	t.Helper()
	srv := cpnfake.NewServer()
	t.Cleanup(srv.Close)
	c, err := cpn.New(cpnfake.OrgID, append([]option.Option{option.WithBaseURL(srv.URL), cpn.WithAPIToken(cpnfake.APIToken)}, opts...)...)
	require.NoError(t, err)
	return c, srv
}

func last(t *testing.T, srv *cpnfake.Server) cpnfake.Request {
	t.Helper()
	r := srv.Requests()
	require.NotEmpty(t, r)
	return r[len(r)-1]
}

// The seed operation: PATCH .../orgs/{orgId}/oauth-apps/{oauthAppId}?context=..., every body
// field, checked on the wire.
func TestUpdateWire(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	created, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing", DisplayName: "Billing"})
	require.NoError(t, err)
	assert.Equal(t, "billing", created.ClientID)
	assert.NotEmpty(t, created.ClientSecret.Reveal())

	app, err := c.OAuthApps.Update(ctx, "billing", cpn.OAuthAppUpdate{
		Context:        cpn.ContextProvider,
		AccessTokenTTL: grantkit.Value[int32](900),
		AllowedScopes: grantkit.Value(cpn.AllowedScopes{
			GeneralScopes: []string{"openid"},
			Organization:  cpn.OrganizationScopes{Roles: cpn.Roles("org_member")},
			Services:      []cpn.ServiceScope{{ServiceDefinitionID: "svc-1", Roles: cpn.Roles("viewer")}, {ServiceDefinitionID: "svc-2", AllRoles: true}},
		}),
		Description:                       grantkit.Value("billing jobs"),
		DisplayName:                       grantkit.Value("Billing"),
		OwnerOnlySecretRotation:           grantkit.Value(true),
		Secret:                            grantkit.Value(grantkit.Secret("N3w-Secret!")),
		SecretRotationExpirationInSeconds: grantkit.Value[int32](3600),
	})
	require.NoError(t, err)
	req := last(t, srv)
	assert.Equal(t, http.MethodPatch, req.Method)
	assert.Equal(t, "/cphub/api/auth/v2/orgs/"+cpnfake.OrgID+"/oauth-apps/billing", req.Path)
	assert.Equal(t, "context=PROVIDER", req.RawQuery)
	assert.Equal(t, `{"accessTokenTTL":900,"allowedScopes":{"generalScopes":["openid"],"organizationScopes":{"roles":[{"name":"org_member"}]},`+
		`"servicesScopes":[{"allRoles":false,"roles":[{"name":"viewer"}],"serviceDefinitionId":"svc-1"},{"allRoles":true,"roles":[],"serviceDefinitionId":"svc-2"}]},`+
		`"description":"billing jobs","displayName":"Billing","ownerOnlySecretRotation":true,"secret":"N3w-Secret!","secretRotationExpirationInSeconds":3600}`, string(req.Body))
	assert.NotEmpty(t, req.Header.Get("Csp-Auth-Token"), "CPN's token header")
	assert.Empty(t, req.Header.Get("Authorization"))
	assert.Contains(t, req.Header.Get("User-Agent"), "(cpn;")

	assert.Equal(t, int32(900), app.AccessTokenTTL)
	assert.Equal(t, []string{"openid"}, app.AllowedScopes.GeneralScopes)
	assert.Equal(t, cpn.OrganizationScopes{Roles: cpn.Roles("org_member")}, app.AllowedScopes.Organization)
	assert.Equal(t, []cpn.ServiceScope{{ServiceDefinitionID: "svc-1", Roles: cpn.Roles("viewer")}, {ServiceDefinitionID: "svc-2", AllRoles: true, Roles: []cpn.Role{}}}, app.AllowedScopes.Services)
	assert.True(t, app.OwnerOnlySecretRotation)
	assert.False(t, app.LastUpdatedAt.Before(app.CreatedAt))
	secret, _ := srv.SecretOf("billing")
	assert.Equal(t, "N3w-Secret!", secret)

	// Only what is set is sent.
	_, err = c.OAuthApps.Update(ctx, "billing", cpn.OAuthAppUpdate{DisplayName: grantkit.Value("B2")})
	require.NoError(t, err)
	assert.Equal(t, `{"displayName":"B2"}`, string(last(t, srv).Body))
	assert.Empty(t, last(t, srv).RawQuery)
}

func TestSecretRules(t *testing.T) {
	ctx := context.Background()
	for name, s := range map[string]string{
		"short":        "Ab1!xyz",
		"no upper":     "abcdef1!",
		"no lower":     "ABCDEF1!",
		"no digit":     "Abcdefg!",
		"no special":   "Abcdefg1",
		"only special": "!!!!!!!!",
	} {
		t.Run(name, func(t *testing.T) {
			c, srv := setup(t)
			_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{Secret: grantkit.Value(grantkit.Secret(s))})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), "secret: needs")
			assert.NotContains(t, err.Error(), s)
			_, err = c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{Secret: grantkit.Secret(s)})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Empty(t, srv.Requests())
			assert.Zero(t, srv.TokenRequests())
		})
	}
	for _, ok := range []string{"Abcdef1!", "N3w-Secret!", "xY9`~~~~", "Pässwörd1["} {
		assert.NoError(t, cpn.CheckSecret(grantkit.Secret(ok)), ok)
	}
}

// TestSecretNeverPrints checks CPN's types that hold a grantkit.Secret (the type itself is
// tested in package grantkit).
func TestSecretNeverPrints(t *testing.T) {
	const v = "Sup3r-Secret!"
	s := grantkit.Secret(v)
	upd := cpn.OAuthAppUpdate{Secret: grantkit.Value(s)}
	create := cpn.OAuthAppCreate{Secret: s}
	creds := cpn.OAuthAppCredentials{ClientID: "x", ClientSecret: s}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "update", upd, "create", create)
	js, err := json.Marshal(creds)
	require.NoError(t, err)
	for _, out := range []string{
		fmt.Sprintf("%v %+v %#v", upd, upd, upd), fmt.Sprintf("%v %+v %#v", create, create, create),
		fmt.Sprintf("%+v %#v", creds, &creds), logs.String(), string(js),
	} {
		assert.NotContains(t, out, v)
		assert.NotContains(t, out, "Sup3r")
	}
}

func TestClientCredentialsFlow(t *testing.T) {
	srv := cpnfake.NewServer()
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), cpn.WithClientCredentials(cpnfake.ClientID, cpnfake.ClientSecret))
	require.NoError(t, err)
	for range 3 {
		_, err = c.OAuthApps.ListPage(context.Background(), cpn.OAuthAppListOptions{})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.TokenRequests())

	c, err = cpn.New("another-org", option.WithBaseURL(srv.URL), cpn.WithClientCredentials(cpnfake.ClientID, cpnfake.ClientSecret))
	require.NoError(t, err)
	_, err = c.OAuthApps.Get(context.Background(), "x")
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 403, apiErr.StatusCode)
	assert.Equal(t, "OAuthApps.Get", apiErr.Operation)
	assert.ErrorIs(t, err, grantkit.ErrToken)
	assert.NotContains(t, err.Error(), cpnfake.ClientSecret)

	_, err = cpn.New(cpnfake.OrgID, cpn.WithAPIToken("a"), cpn.WithClientCredentials("b", "c"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
}

func TestLifecyclePagingAndDelete(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	for i := range 5 {
		_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app-" + strconv.Itoa(i), Context: cpn.ContextTenant,
			AllowedScopes: cpn.AllowedScopes{GeneralScopes: []string{"openid"}}})
		require.NoError(t, err)
	}
	assert.Equal(t, "context=TENANT", last(t, srv).RawQuery)
	assert.Equal(t, `{"allowedScopes":{"generalScopes":["openid"],"organizationScopes":{"roles":[]},"servicesScopes":[]},"id":"app-4"}`, string(last(t, srv).Body))

	before := len(srv.Requests())
	var ids []string
	for a, err := range c.OAuthApps.List(ctx, cpn.OAuthAppListOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"app-0", "app-1", "app-2", "app-3", "app-4"}, ids)
	reqs := srv.Requests()[before:]
	require.Len(t, reqs, 3)
	assert.Equal(t, "pageLimit=2", reqs[0].RawQuery)
	assert.Equal(t, "pageLimit=2&pageStart=2", reqs[1].RawQuery)
	page, err := c.OAuthApps.ListPage(ctx, cpn.OAuthAppListOptions{PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, "2", page.Next)
	assert.Equal(t, -1, page.Total, "CPN does not say how many apps there are")

	// Search narrows the list (CPN's searchTerm) and is kept on every page.
	before = len(srv.Requests())
	ids = nil
	for a, err := range c.OAuthApps.List(ctx, cpn.OAuthAppListOptions{PageSize: 1, Search: "APP-3"}) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"app-3"}, ids)
	require.Len(t, srv.Requests()[before:], 1)
	assert.Equal(t, "pageLimit=1&searchTerm=APP-3", last(t, srv).RawQuery)

	a, err := c.OAuthApps.Get(ctx, "app-3")
	require.NoError(t, err)
	assert.Equal(t, []string{"client_credentials"}, a.GrantTypes)

	require.NoError(t, c.OAuthApps.Delete(ctx, "app-0"))
	assert.Equal(t, `{"clientIdsToDelete":["app-0"]}`, string(last(t, srv).Body))
	assert.Equal(t, http.MethodDelete, last(t, srv).Method)
	err = c.OAuthApps.Delete(ctx, "missing")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `cpn: OAuthApps.Delete: 200 OK: CPN did not delete app "missing"`)

	_, err = c.OAuthApps.Get(ctx, "app-0")
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "404.1", apiErr.Code)
	assert.NotEmpty(t, apiErr.RequestID)

	_, err = c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app-2"})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 409, apiErr.StatusCode)
}

func TestTokenExpiryFromJWT(t *testing.T) {
	var tokenCalls int
	exp := time.Now().Add(time.Hour).Unix()
	jwt := "eyJhbGciOiJub25lIn0." + b64(fmt.Sprintf(`{"exp":%d}`, exp)) + ".sig"
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/cphub/api/auth/v1/authn/accesstoken" {
			tokenCalls++
			return httpfake.JSON(r, 201, `{"accessToken":"`+jwt+`"}`), nil
		}
		assert.Equal(t, jwt, r.Header.Get("Csp-Auth-Token"))
		return httpfake.JSON(r, 200, `{"results":[]}`), nil
	})
	c, err := cpn.New("org", cpn.WithAPIToken("api"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	for range 3 {
		_, err := c.OAuthApps.ListPage(context.Background(), cpn.OAuthAppListOptions{})
		require.NoError(t, err)
	}
	assert.Equal(t, 1, tokenCalls)
}

func TestForwardCompatibleResponses(t *testing.T) {
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		return httpfake.JSON(r, 200, `{"id":"a","grantTypes":["brand_new_grant"],"allowedScopes":{"servicesScopes":[{"serviceDefinitionId":"s","keptInToken":["ROLES"]}],"newKind":[]},"createdAt":1700000000000,"futureField":{"x":1}}`), nil
	})
	c, err := cpn.New("org", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	a, err := c.OAuthApps.Get(context.Background(), "a")
	require.NoError(t, err)
	assert.Equal(t, []string{"brand_new_grant"}, a.GrantTypes)
	assert.Equal(t, time.UnixMilli(1700000000000), a.CreatedAt)
}

func TestScopeNames(t *testing.T) {
	a := cpn.AllowedScopes{GeneralScopes: []string{"openid"}, Organization: cpn.OrganizationScopes{Roles: cpn.Roles("org_owner")},
		Services: []cpn.ServiceScope{{ServiceDefinitionID: "svc", AllRoles: true, Roles: cpn.Roles("viewer")}}}
	names := a.Names()
	assert.Equal(t, []string{"openid", "organization-role:org_owner", "service-role:svc:*", "service-role:svc:viewer"}, names)
	back, err := cpn.ParseScopes(names)
	require.NoError(t, err)
	assert.Equal(t, a, back)
	for _, bad := range []string{"organization-role:", "service-role:svc", "service-role::r", "", "general-scope:", "service-role:a%zz:r", "service-role:svc:%"} {
		_, err := cpn.ParseScopes([]string{bad})
		assert.ErrorIs(t, err, grantkit.ErrInvalidInput, bad)
	}
}

func TestGrantsAdapter(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grantstest.Env {
		d := grantstest.NewDropper(nil)
		c, _ := setup(t, option.WithHTTPClient(d.Client()))
		n := 0
		return grantstest.Env{
			Grants: c.Grants(),
			Vendor: "cpn",
			Drop:   func(scope string) { d.Drop(scope) },
			// Grants never create apps: a new grant is given to an app that has no scopes yet.
			NewKey: func(t *testing.T) grantkit.GrantKey {
				n++
				id := "new-app-" + strconv.Itoa(n)
				_, err := c.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{ID: id})
				require.NoError(t, err)
				return grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: id}
			},
			GrantNeedsScopes: true,
			Refuse:           d.Refuse,
			Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
				n++
				id := "app-" + strconv.Itoa(n)
				_, err := c.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{ID: id, AllowedScopes: cpn.AllowedScopes{GeneralScopes: scopes}})
				require.NoError(t, err)
				return grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: id}
			},
		}
	})
}

func TestReliability(t *testing.T) {
	reliabilitytest.Run(t, func(t *testing.T, o reliabilitytest.Options) reliabilitytest.Env {
		srv := cpnfake.NewServer()
		t.Cleanup(srv.Close)
		seed, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
		require.NoError(t, err)
		_, err = seed.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{ID: "app"})
		require.NoError(t, err)
		secret := grantkit.Secret(cpnfake.ClientSecret)
		if o.WrongSecret != "" {
			secret = grantkit.Secret(o.WrongSecret)
		}
		c, err := cpn.New(cpnfake.OrgID, o.With(option.WithBaseURL(srv.URL), cpn.WithClientCredentials(cpnfake.ClientID, secret))...)
		require.NoError(t, err)
		n := 0
		return reliabilitytest.Env{
			Read: func(ctx context.Context) error { _, err := c.OAuthApps.Get(ctx, "app"); return err },
			Update: func(ctx context.Context) (func() bool, error) {
				n++
				want := "name-" + strconv.Itoa(n)
				_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{DisplayName: grantkit.Value(want)})
				return func() bool {
					a, err := seed.OAuthApps.Get(context.Background(), "app")
					return err == nil && a.DisplayName == want
				}, err
			},
			Create: func(ctx context.Context) error {
				n++
				_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "new-" + strconv.Itoa(n)})
				return err
			},
			Created: func() int {
				_, err := seed.OAuthApps.Get(context.Background(), "new-"+strconv.Itoa(n))
				if err != nil {
					return 0
				}
				return 1
			},
			LostSecret: true,
			Delete: func() func(ctx context.Context) error {
				n++
				id := "gone-" + strconv.Itoa(n)
				_, err := seed.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{ID: id})
				require.NoError(t, err)
				return func(ctx context.Context) error {
					return c.OAuthApps.Delete(ctx, id)
				}
			},
			LostCreate: []string{"the app may now exist", "OAuthApps.List", "secret", "was lost", "OAuthApps.Update", "cannot be recovered"},
			New: func(opts ...option.Option) error {
				_, err := cpn.New(cpnfake.OrgID, append([]option.Option{option.WithBaseURL(srv.URL)}, opts...)...)
				return err
			},
			List: func(ctx context.Context) iter.Seq2[string, error] {
				_, _ = seed.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{ID: "listed"})
				return reliabilitytest.IDs(c.OAuthApps.List(ctx, cpn.OAuthAppListOptions{PageSize: 1}), func(a *cpn.OAuthApp) string { return a.ID })
			},
			Token: srv.IssueToken,
			Fake:  srv,
			BadInputs: map[string]func(ctx context.Context) error{
				"empty id": func(ctx context.Context) error { _, err := c.OAuthApps.Get(ctx, ""); return err },
				"../ id":   func(ctx context.Context) error { _, err := c.OAuthApps.Get(ctx, "../app"); return err },
				"%2F id":   func(ctx context.Context) error { _, err := c.OAuthApps.Get(ctx, "a%2Fb"); return err },
				"weak secret": func(ctx context.Context) error {
					_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{Secret: grantkit.Value(grantkit.Secret("weak"))})
					return err
				},
				"null field": func(ctx context.Context) error {
					_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{DisplayName: grantkit.Null[string]()})
					return err
				},
				"negative TTL": func(ctx context.Context) error {
					_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{AccessTokenTTL: grantkit.Value[int32](-1)})
					return err
				},
				"empty role": func(ctx context.Context) error {
					_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{AllowedScopes: grantkit.Value(cpn.AllowedScopes{Organization: cpn.OrganizationScopes{Roles: cpn.Roles("")}})})
					return err
				},
				"bad app id": func(ctx context.Context) error {
					_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "a b"})
					return err
				},
				"empty delete id": func(ctx context.Context) error { return c.OAuthApps.Delete(ctx, "") },
				"empty update": func(ctx context.Context) error {
					_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{})
					return err
				},
			},
			Client:  c,
			Secrets: []string{cpnfake.ClientSecret},
		}
	})
}

// The vendor-neutral verbs never create or delete an OAuth app: a revoke empties the app's
// allowed scopes and keeps it, a grant needs an app that exists and has none.
func TestGrantsNeverCreateOrDeleteApps(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	g := c.Grants()
	_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app", AllowedScopes: cpn.AllowedScopes{
		GeneralScopes: []string{"openid"},
		Organization:  cpn.OrganizationScopes{Permissions: []cpn.Permission{{PermissionID: "p1"}}},
	}})
	require.NoError(t, err)
	key := grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: "app"}
	before := len(srv.Requests())

	require.NoError(t, g.Delete(ctx, key))
	a, err := c.OAuthApps.Get(ctx, "app")
	require.NoError(t, err, "the app is still there")
	assert.Equal(t, "app", a.ID)
	assert.Empty(t, a.AllowedScopes.GeneralScopes)
	assert.Empty(t, a.AllowedScopes.Organization.Permissions, "a revoke empties what the names do not describe too")
	_, err = g.Get(ctx, key)
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound, "an app without allowed scopes holds no grant")
	assert.NotContains(t, keysOfList(t, g), key)
	require.ErrorIs(t, g.Delete(ctx, key), grantkit.ErrGrantNotFound, "nothing left to revoke")

	gr, err := g.Create(ctx, key, []string{"openid"})
	require.NoError(t, err, "the app without scopes can be granted again")
	assert.Equal(t, []string{"openid"}, gr.Scopes)
	_, err = g.Create(ctx, key, []string{"openid"})
	require.ErrorIs(t, err, grantkit.ErrGrantExists)

	missing := grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: "no-such-app"}
	_, err = g.Create(ctx, missing, []string{"openid"})
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	assert.Contains(t, err.Error(), `the OAuth app "no-such-app" does not exist`)
	_, err = c.OAuthApps.Get(ctx, "no-such-app")
	require.Error(t, err, "no app was made")

	for _, r := range srv.Requests()[before:] {
		assert.Contains(t, []string{http.MethodGet, http.MethodPatch}, r.Method, "%s %s: no app created or deleted", r.Method, r.Path)
	}
}

func keysOfList(t *testing.T, g grantkit.Grants) []grantkit.GrantKey {
	t.Helper()
	var out []grantkit.GrantKey
	for gr, err := range g.List(context.Background(), grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		out = append(out, gr.Key)
	}
	return out
}
