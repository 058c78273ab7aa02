package auth0_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/option"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func setup(t *testing.T, opts ...option.Option) (*auth0.Client, *auth0fake.Server, *sleeps) {
	t.Helper()
	srv := auth0fake.NewServer()
	t.Cleanup(srv.Close)
	sl := &sleeps{}
	base := []option.Option{
		option.WithBaseURL(srv.URL),
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
		construct.WithSleep(sl.sleep),
	}
	c, err := auth0.New("tenant.example.com", append(base, opts...)...)
	require.NoError(t, err)
	// The APIs the tests grant on, with every scope they use: Auth0 refuses a grant on an
	// audience that is not an API, or with a scope the API does not define.
	srv.AddResourceServer(testAudience, append([]string{"read:users", "update:users",
		"read", "read:u", "write:u", "write:a", "read:data", "a", "b", "c", "d", "e"}, grantstest.Scopes...)...)
	srv.AddResourceServer("https://other/")
	// The clients the tests grant to: Auth0 refuses a grant for a client that does not exist.
	srv.AddClient("a", "app", "app1", "app2", "app3", "c1", "c2", "other", "billing-app")
	return c, srv, sl
}

const testAudience = "https://api.example.com/"

func create(t *testing.T, c *auth0.Client, clientID string, scope ...string) *auth0.ClientGrant {
	t.Helper()
	g, err := c.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{
		ClientID: clientID, Audience: "https://api.example.com/", Scope: scope,
	})
	require.NoError(t, err)
	return g
}

func lastRequest(t *testing.T, srv *auth0fake.Server) auth0fake.Request {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1]
}

func TestClientGrantLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)

	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{
		ClientID: "app1", Audience: "https://api.example.com/", Scope: []string{"read:a"},
		OrganizationUsage: auth0.OrganizationUsageAllow, AllowAnyOrganization: true,
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(g.ID, "cgr_"))
	assert.Equal(t, "app1", g.ClientID)
	assert.Equal(t, []string{"read:a"}, g.Scope)
	assert.Equal(t, auth0.OrganizationUsageAllow, g.OrganizationUsage)
	assert.True(t, g.AllowAnyOrganization)
	assert.Equal(t, auth0.SubjectTypeClient, g.SubjectType)
	req := lastRequest(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/api/v2/client-grants", req.Path)
	assert.JSONEq(t, `{"client_id":"app1","audience":"https://api.example.com/","scope":["read:a"],"organization_usage":"allow","allow_any_organization":true}`, string(req.Body))

	got, err := c.ClientGrants.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g, got)

	upd, err := c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set("read:a", "write:a"), AllowAllScopes: grantkit.Value(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"read:a", "write:a"}, upd.Scope)
	assert.True(t, upd.AllowAllScopes)

	var listed []string
	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{}) {
		require.NoError(t, err)
		listed = append(listed, g.ID)
	}
	assert.Equal(t, []string{g.ID}, listed)

	require.NoError(t, c.ClientGrants.Delete(ctx, g.ID))
	req = lastRequest(t, srv)
	assert.Equal(t, "DELETE", req.Method)
	assert.Equal(t, "/api/v2/client-grants/"+g.ID, req.Path)

	_, err = c.ClientGrants.Get(ctx, g.ID)
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "inexistent_client_grant", apiErr.Code)
	assert.Equal(t, "The client grant does not exist", apiErr.Message)
	assert.Equal(t, "auth0", apiErr.Vendor)
	assert.Equal(t, "ClientGrants.Get", apiErr.Operation)
	assert.Equal(t, "auth0: ClientGrants.Get: 404 Not Found (inexistent_client_grant): The client grant does not exist", err.Error())
}

// The seed operation: PATCH /client-grants/{id} with each state of each field, checked on
// the wire byte for byte.
func TestUpdateWireFormat(t *testing.T) {
	cases := []struct {
		name string
		upd  auth0.ClientGrantUpdate
		body string
	}{
		{"scope values", auth0.ClientGrantUpdate{Scope: grantkit.Set("read:users", "update:users")}, `{"scope":["read:users","update:users"]}`},
		{"scope empty list", auth0.ClientGrantUpdate{Scope: grantkit.Set[[]string]()}, `{"scope":[]}`},
		{"scope null", auth0.ClientGrantUpdate{Scope: grantkit.Null[[]string]()}, `{"scope":null}`},
		{"scope left out", auth0.ClientGrantUpdate{AllowAllScopes: grantkit.Value(false)}, `{"allow_all_scopes":false}`},
		{"explicit nil list is []", auth0.ClientGrantUpdate{Scope: grantkit.Value([]string(nil))}, `{"scope":[]}`},
		{"organization usage", auth0.ClientGrantUpdate{OrganizationUsage: grantkit.Value(auth0.OrganizationUsageRequire)}, `{"organization_usage":"require"}`},
		{"organization usage null", auth0.ClientGrantUpdate{OrganizationUsage: grantkit.Null[auth0.OrganizationUsage]()}, `{"organization_usage":null}`},
		{"allow any organization null", auth0.ClientGrantUpdate{AllowAnyOrganization: grantkit.Null[bool]()}, `{"allow_any_organization":null}`},
		{"allow all scopes null", auth0.ClientGrantUpdate{AllowAllScopes: grantkit.Null[bool]()}, `{"allow_all_scopes":null}`},
		{"authorization details types", auth0.ClientGrantUpdate{AuthorizationDetailsTypes: grantkit.Set("payment")}, `{"authorization_details_types":["payment"]}`},
		{"everything", auth0.ClientGrantUpdate{
			Scope: grantkit.Set("a"), OrganizationUsage: grantkit.Value(auth0.OrganizationUsageDeny),
			AllowAnyOrganization: grantkit.Value(true), AuthorizationDetailsTypes: grantkit.Set[[]string](),
			AllowAllScopes: grantkit.Value(true),
		}, `{"scope":["a"],"organization_usage":"deny","allow_any_organization":true,"authorization_details_types":[],"allow_all_scopes":true}`},
	}
	c, srv, _ := setup(t)
	g := create(t, c, "app1", "read:users")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ClientGrants.Update(context.Background(), g.ID, tc.upd)
			require.NoError(t, err)
			req := lastRequest(t, srv)
			assert.Equal(t, http.MethodPatch, req.Method)
			assert.Equal(t, "/api/v2/client-grants/"+g.ID, req.Path)
			assert.Equal(t, tc.body, string(req.Body))
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assert.True(t, strings.HasPrefix(req.Header.Get("Authorization"), "Bearer "))
			assert.Contains(t, req.Header.Get("User-Agent"), "grantkit/"+grantkit.Version+" (auth0;")
		})
	}
}

// The fake applies the four scope states the way Auth0 does.
func TestUpdateScopeStatesAreApplied(t *testing.T) {
	ctx := context.Background()
	c, _, _ := setup(t)
	g := create(t, c, "app1", "a", "b")
	steps := []struct {
		upd  grantkit.Field[[]string]
		want []string
	}{
		{grantkit.Set("c"), []string{"c"}},
		{grantkit.Field[[]string]{}, []string{"c"}},
		{grantkit.Set[[]string](), []string{}},
		{grantkit.Set("d", "e"), []string{"d", "e"}},
		{grantkit.Null[[]string](), []string{}},
	}
	for i, s := range steps {
		u := auth0.ClientGrantUpdate{Scope: s.upd}
		if s.upd.IsZero() {
			u.AllowAnyOrganization = grantkit.Value(true)
		}
		got, err := c.ClientGrants.Update(ctx, g.ID, u)
		require.NoError(t, err, "step %d", i)
		assert.Equal(t, s.want, got.Scope, "step %d (%v)", i, s.upd)
		fetched, err := c.ClientGrants.Get(ctx, g.ID)
		require.NoError(t, err)
		assert.Equal(t, s.want, fetched.Scope, "step %d stored", i)
	}
}

func TestListPagesAndFilters(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	var want []string
	for i := range 5 {
		srv.AddClient("app" + strconv.Itoa(i))
		want = append(want, create(t, c, "app"+strconv.Itoa(i), "read").ID)
	}
	_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "other", Audience: "https://other/"})
	require.NoError(t, err)

	before := len(srv.Requests())
	var got []string
	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: "https://api.example.com/", PageSize: 2}) {
		require.NoError(t, err)
		got = append(got, g.ID)
	}
	assert.ElementsMatch(t, want, got)
	reqs := srv.Requests()[before:]
	require.Len(t, reqs, 3, "5 grants in pages of 2")
	assert.Equal(t, "audience=https%3A%2F%2Fapi.example.com%2F&take=2", reqs[0].RawQuery)
	assert.Contains(t, reqs[1].RawQuery, "from=")

	page, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{PageSize: 4})
	require.NoError(t, err)
	assert.Len(t, page.Items, 4)
	assert.NotEmpty(t, page.Next)
	page2, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{PageSize: 4, Cursor: page.Next})
	require.NoError(t, err)
	assert.Len(t, page2.Items, 2)
	assert.Empty(t, page2.Next)

	n := 0
	for _, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{ClientID: "app3", AllowAnyOrganization: true}) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n)

	// Breaking out of the loop stops fetching.
	before = len(srv.Requests())
	for range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{PageSize: 1}) {
		break
	}
	assert.Len(t, srv.Requests()[before:], 1)
}

func TestListOrganizations(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	g := create(t, c, "app1")
	for i := range 3 {
		require.True(t, srv.AddOrganization(g.ID, "org_"+strconv.Itoa(i), "Org "+strconv.Itoa(i)))
	}
	var names []string
	for o, err := range c.ClientGrants.ListOrganizations(ctx, g.ID, auth0.OrganizationListOptions{PageSize: 2}) {
		require.NoError(t, err)
		names = append(names, o.Name)
	}
	assert.Equal(t, []string{"Org 0", "Org 1", "Org 2"}, names)
	assert.Equal(t, "/api/v2/client-grants/"+g.ID+"/organizations", lastRequest(t, srv).Path)

	for _, err := range c.ClientGrants.ListOrganizations(ctx, "cgr_missing", auth0.OrganizationListOptions{}) {
		var apiErr *grantkit.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 404, apiErr.StatusCode)
	}
}

func TestOneTokenForManyCalls(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	g := create(t, c, "app1")
	for range 10 {
		_, err := c.ClientGrants.Get(ctx, g.ID)
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			_, err := c.ClientGrants.Get(ctx, g.ID)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, srv.TokenRequests())
}

func TestConcurrentFirstCallsShareOneTokenFetch(t *testing.T) {
	c, srv, _ := setup(t)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			_, err := c.ClientGrants.ListPage(context.Background(), auth0.ClientGrantListOptions{})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, srv.TokenRequests())
}

func TestRevokedTokenIsRefreshedOnce(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	g := create(t, c, "app1")
	srv.RevokeTokens()
	_, err := c.ClientGrants.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestRateLimitRetries(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		fault auth0fake.Fault
		check func(t *testing.T, waits []time.Duration)
	}{
		{"429 Retry-After", auth0fake.Fault{Status: 429, RetryAfter: "2"}, func(t *testing.T, w []time.Duration) {
			assert.Equal(t, []time.Duration{2 * time.Second, 2 * time.Second}, w)
		}},
		{"429 X-RateLimit-Reset", auth0fake.Fault{Status: 429, Header: http.Header{
			"X-Ratelimit-Reset": {strconv.FormatInt(time.Now().Add(3*time.Second).Unix(), 10)},
		}}, func(t *testing.T, w []time.Duration) {
			require.Len(t, w, 2)
			for _, d := range w {
				assert.InDelta(t, 3*time.Second, d, float64(1100*time.Millisecond))
			}
		}},
		{"503 backoff", auth0fake.Fault{Status: 503}, func(t *testing.T, w []time.Duration) {
			require.Len(t, w, 2)
			assert.GreaterOrEqual(t, w[0], 125*time.Millisecond)
			assert.LessOrEqual(t, w[1], 500*time.Millisecond)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, sl := setup(t)
			g := create(t, c, "app1", "a")
			srv.FailNext(2, tc.fault)
			before := len(srv.Requests())
			got, err := c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set("b")})
			require.NoError(t, err)
			assert.Equal(t, []string{"b"}, got.Scope)
			reqs := srv.Requests()[before:]
			require.Len(t, reqs, 3)
			for _, r := range reqs {
				assert.Equal(t, `{"scope":["b"]}`, string(r.Body), "the body is resent intact")
			}
			tc.check(t, sl.all())
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	c, srv, sl := setup(t, option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 3}))
	g := create(t, c, "app1")
	srv.FailNext(5, auth0fake.Fault{Status: 503, RetryAfter: "1"})
	_, err := c.ClientGrants.Get(context.Background(), g.ID)
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Equal(t, time.Second, apiErr.RetryAfter)
	assert.Len(t, sl.all(), 2)
}

func TestUpdateAppliedBeforeConnectionDropIsNotReportedFailed(t *testing.T) {
	c, srv, _ := setup(t)
	g := create(t, c, "app1", "a")
	srv.FailNext(1, auth0fake.Fault{Drop: true, Apply: true})
	got, err := c.ClientGrants.Update(context.Background(), g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set("b")})
	require.NoError(t, err)
	assert.Equal(t, []string{"b"}, got.Scope)
}

func TestBadInputSendsNothing(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("s", 281)
	cases := []struct {
		name string
		call func(c *auth0.Client) error
		msg  string
	}{
		{"empty id", func(c *auth0.Client) error { _, err := c.ClientGrants.Get(ctx, ""); return err }, "id: must not be empty"},
		{"dot-dot id", func(c *auth0.Client) error { _, err := c.ClientGrants.Get(ctx, ".."); return err }, "id"},
		{"traversing id", func(c *auth0.Client) error { return c.ClientGrants.Delete(ctx, "../client-grants") }, "id"},
		{"slash id", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Update(ctx, "a/b", auth0.ClientGrantUpdate{Scope: grantkit.Set("x")})
			return err
		}, "id"},
		{"escaped slash id", func(c *auth0.Client) error { _, err := c.ClientGrants.Get(ctx, "a%2Fb"); return err }, "id"},
		{"empty scope item", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set("ok", "")})
			return err
		}, "scope[1]: len 0 less than minimum 1"},
		{"281-char scope", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set(long)})
			return err
		}, "scope[0]: len 281 greater than maximum 280"},
		{"empty update", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{})
			return err
		}, "sets no field"},
		{"null authorization details types", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{AuthorizationDetailsTypes: grantkit.Null[[]string]()})
			return err
		}, "cannot be null"},
		{"256-char details type", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{AuthorizationDetailsTypes: grantkit.Set(strings.Repeat("t", 256))})
			return err
		}, "authorization_details_types[0]: len 256 greater than maximum 255"},
		{"create without audience", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "a"})
			return err
		}, "audience: len 0 less than minimum 1"},
		{"create without client or default group", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{Audience: "b"})
			return err
		}, "client_id: required unless default_for is set"},
		{"create for a client and a default group", func(c *auth0.Client) error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "a", DefaultFor: auth0.DefaultForThirdPartyClients, Audience: "b"})
			return err
		}, "default_for: cannot be combined with client_id"},
		{"list by client and default group", func(c *auth0.Client) error {
			_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{ClientID: "a", DefaultFor: auth0.DefaultForThirdPartyClients})
			return err
		}, "default_for: cannot be combined with client_id"},
		{"offset cursor that is no page index", func(c *auth0.Client) error {
			_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{IncludeTotals: true, Cursor: "cgr_1"})
			return err
		}, "cursor: "},
		{"page size too big", func(c *auth0.Client) error {
			_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{PageSize: 101})
			return err
		}, "page_size: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t)
			err := tc.call(c)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.msg)
			assert.Empty(t, srv.Requests(), "no API request")
			assert.Zero(t, srv.TokenRequests(), "not even a token request")
		})
	}
}

func TestForwardCompatibleResponses(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"cgr_1","client_id":"c","audience":"a","scope":["x"],
			"organization_usage":"brand-new","subject_type":"robot","is_system":false,
			"a_field_added_later":{"nested":[1,2,3]},"allow_all_scopes":true}`)
	}))
	defer hs.Close()
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(hs.URL), option.WithToken("t"))
	require.NoError(t, err)
	g, err := c.ClientGrants.Get(context.Background(), "cgr_1")
	require.NoError(t, err)
	assert.Equal(t, auth0.OrganizationUsage("brand-new"), g.OrganizationUsage)
	assert.Equal(t, auth0.SubjectType("robot"), g.SubjectType)
	assert.True(t, g.AllowAllScopes)
}

func TestConflictsAndSystemGrants(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	create(t, c, "app1")
	_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app1", Audience: "https://api.example.com/"})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 409, apiErr.StatusCode)
	assert.Equal(t, 1, apiErr.Attempts, "a conflict is not retried")

	sys := srv.AddSystemGrant("app2", "https://tenant.example.com/api/v2/", "read:users")
	_, err = c.ClientGrants.Update(ctx, sys, auth0.ClientGrantUpdate{Scope: grantkit.Set[[]string]()})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 403, apiErr.StatusCode)
	g, err := c.ClientGrants.Get(ctx, sys)
	require.NoError(t, err)
	assert.True(t, g.IsSystem)
	assert.Equal(t, []string{"read:users"}, g.Scope)
}

func TestSecretsStayOut(t *testing.T) {
	srv := auth0fake.NewServer()
	defer srv.Close()
	const secret = "wrong-secret-Do-Not-Print-42!"
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), auth0.WithClientCredentials(auth0fake.ClientID, secret))
	require.NoError(t, err)
	_, err = c.ClientGrants.Get(context.Background(), "cgr_1")
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 401, apiErr.StatusCode)
	assert.Equal(t, "access_denied", apiErr.Code)
	assert.Equal(t, "ClientGrants.Get", apiErr.Operation)
	assert.True(t, apiErr.TokenRequest)
	assert.ErrorIs(t, err, grantkit.ErrToken)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", apiErr), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		assert.NotContains(t, s, secret)
	}
	assert.Equal(t, 1, srv.TokenRequests(), "a refused token request is not retried in a loop")
	assert.Empty(t, srv.Requests())

	// A valid token never appears in an error either.
	tok := srv.IssueToken()
	c, err = auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(tok)))
	require.NoError(t, err)
	_, err = c.ClientGrants.Get(context.Background(), "cgr_missing")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), tok)
	assert.NotContains(t, fmt.Sprintf("%+v", c), tok)
}

func TestTokenSource(t *testing.T) {
	srv := auth0fake.NewServer()
	defer srv.Close()
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.IssueToken().Reveal()})
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), option.WithTokenSource(ts))
	require.NoError(t, err)
	_, err = c.ClientGrants.ListPage(context.Background(), auth0.ClientGrantListOptions{})
	require.NoError(t, err)
}

func TestNewValidates(t *testing.T) {
	cc := auth0.WithClientCredentials("id", "secret")
	cases := []struct {
		name   string
		domain string
		opts   []option.Option
		msg    string
	}{
		{"no credentials", "t.example.com", nil, "give exactly one"},
		{"two credentials", "t.example.com", []option.Option{cc, option.WithToken("x")}, "got auth0.WithClientCredentials, option.WithToken"},
		{"empty secret", "t.example.com", []option.Option{auth0.WithClientCredentials("id", "")}, "auth0.WithClientCredentials: client id and secret must not be empty"},
		{"empty token", "t.example.com", []option.Option{option.WithToken("")}, "option.WithToken: must not be empty"},
		{"base URL ending in the API path", "t.example.com", []option.Option{cc, option.WithBaseURL("https://t.example.com/api/v2")}, "/api/v2/api/v2"},
		{"base URL with a query", "t.example.com", []option.Option{cc, option.WithBaseURL("https://proxy.example.com/?tenant=t")}, "query"},
		{"domain with scheme", "https://t.example.com", []option.Option{cc}, "domain"},
		{"domain with path", "t.example.com/api", []option.Option{cc}, "domain"},
		{"empty domain", "", []option.Option{cc}, "domain"},
		{"plain http base URL", "t.example.com", []option.Option{cc, option.WithBaseURL("http://proxy.example.com")}, "loopback"},
		{"relative base URL", "t.example.com", []option.Option{cc, option.WithBaseURL("/x")}, "absolute"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auth0.New(tc.domain, tc.opts...)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
	_, err := auth0.New("t.example.com", cc, option.WithBaseURL("https://proxy.example.com/"))
	assert.NoError(t, err)
}

// The fake enforces what Auth0 enforces, for clients other than grantkit's too.
func TestFakeEnforcesAuthAndSchema(t *testing.T) {
	srv := auth0fake.NewServer()
	defer srv.Close()
	do := func(method, path, token, body string) (int, map[string]any) {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer func() { _ = resp.Body.Close() }()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code, body := do("GET", "/api/v2/client-grants", "", "")
	assert.Equal(t, 401, code)
	assert.EqualValues(t, 401, body["statusCode"])
	code, _ = do("GET", "/api/v2/client-grants", "forged", "")
	assert.Equal(t, 401, code)

	tok := srv.IssueToken().Reveal()
	code, body = do("POST", "/api/v2/client-grants", tok, `{"client_id":"a","audience":"b","scope":[""]}`)
	assert.Equal(t, 400, code)
	assert.Contains(t, body["message"], "Payload validation error")
	code, body = do("PATCH", "/api/v2/client-grants/cgr_x", tok, `{"organization_usage":"sometimes"}`)
	assert.Equal(t, 400, code, "Auth0 validates the enum values grantkit passes through")
	assert.Equal(t, "invalid_body", body["errorCode"])
	code, body = do("POST", "/api/v2/client-grants", tok, `{"client_id":"a","audience":"b"}`)
	assert.Equal(t, 400, code, "Auth0 requires scope")
	assert.Contains(t, body["message"], "scope")
	code, _ = do("POST", "/api/v2/client-grants", tok, `{"client_id":"a","audience":"b","scope":[],"subject_type":"robot"}`)
	assert.Equal(t, 400, code)
	code, _ = do("POST", "/api/v2/client-grants", tok, `{"client_id":"a","default_for":"third_party_clients","audience":"b","scope":[]}`)
	assert.Equal(t, 400, code, "client_id and default_for are mutually exclusive")
	code, _ = do("POST", "/api/v2/client-grants", tok, `{"audience":"b","scope":[]}`)
	assert.Equal(t, 400, code, "a grant needs a client or a default group")
	code, _ = do("GET", "/api/v2/client-grants?allow_any_organization=false", tok, "")
	assert.Equal(t, 400, code, "the filter's only documented value is true")
	code, _ = do("PATCH", "/api/v2/client-grants/cgr_x", tok, `{"scope":null}`)
	assert.Equal(t, 404, code)
	code, _ = do("GET", "/api/v2/nothing-here", tok, "")
	assert.Equal(t, 404, code)
}

// As at Auth0, a grant is only created for a client that exists: the fake answers 404 "Client
// not found" (Auth0's reference) for any other client_id, and grantkit reports it as it is.
func TestGrantForAClientThatDoesNotExistIsRefused(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "nobody", Audience: testAudience, Scope: []string{"read"}})
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)
	assert.Equal(t, "Client not found", ge.Message)

	_, err = c.Grants().Create(ctx, grantkit.GrantKey{Resource: testAudience, ClientID: "nobody"}, []string{"read"})
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusNotFound, ge.StatusCode)

	srv.AddClient("nobody")
	_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "nobody", Audience: testAudience, Scope: []string{"read"}})
	require.NoError(t, err, "once the client exists")
}

// Auth0 answers 204 to a DELETE of a grant that does not exist, a second DELETE of the same
// grant included (../shared/vendor-recordings): so does the fake, and the call succeeds.
func TestDeleteOfAMissingGrantIsWhatAuth0Answers(t *testing.T) {
	ctx := context.Background()
	c, _, _ := setup(t)
	g := create(t, c, "app1", "read")
	require.NoError(t, c.ClientGrants.Delete(ctx, g.ID))
	require.NoError(t, c.ClientGrants.Delete(ctx, g.ID), "a second delete")
	require.NoError(t, c.ClientGrants.Delete(ctx, "cgr_neverexisted"))
}
