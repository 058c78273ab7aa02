package auth0_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
)

const aud = "https://api.example.com/"

// exact answers every request with a fixed body chosen by method and path, and records the
// requests, for tests that need Auth0's answer byte for byte.
type exact struct {
	mu      sync.Mutex
	answers map[string]func(body []byte) (int, string)
	reqs    []recorded
}

type recorded struct {
	method, path, query string
	body                []byte
}

func (e *exact) client(t *testing.T) *auth0.Client {
	t.Helper()
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		e.mu.Lock()
		e.reqs = append(e.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, body})
		answer, ok := e.answers[r.Method+" "+r.URL.Path]
		e.mu.Unlock()
		if !ok {
			return httpfake.JSON(r, 404, `{"statusCode":404,"error":"Not Found","message":"no answer in this test"}`), nil
		}
		code, out := answer(body)
		return httpfake.JSON(r, code, out), nil
	})
	c, err := auth0.New("tenant.example.com", option.WithToken("t"), option.WithHTTPClient(hc),
		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	return c
}

func (e *exact) writes() []recorded {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []recorded
	for _, r := range e.reqs {
		if r.method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

func fixed(code int, body string) func([]byte) (int, string) {
	return func([]byte) (int, string) { return code, body }
}

// Auth0 keeps one grant per client, audience and subject type. A client-access and a
// user-access grant of one client on one API are two grants; the fake allows both, and the
// vendor-neutral view reaches each by its key, the client-access one by default.
func TestClientAndUserAccessGrantsAreTwoGrants(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	clientGrant := create(t, c, "app1", "read:a")
	userGrant, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{
		ClientID: "app1", Audience: aud, Scope: []string{"read:u"}, SubjectType: auth0.SubjectTypeUser,
	})
	require.NoError(t, err, "a user-access grant beside the client-access one is no conflict")
	assert.Equal(t, auth0.SubjectTypeUser, userGrant.SubjectType)

	// The same client, audience and subject type again is Auth0's 409.
	for _, st := range []auth0.SubjectType{"", auth0.SubjectTypeClient, auth0.SubjectTypeUser} {
		_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app1", Audience: aud, SubjectType: st})
		var apiErr *grantkit.Error
		require.ErrorAs(t, err, &apiErr, "subject type %q", st)
		assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
		assert.Equal(t, "A client grant already exists between app1 and "+aud, apiErr.Message)
	}

	g := c.Grants()
	m2m := grantkit.GrantKey{Resource: aud, ClientID: "app1"}
	user := grantkit.GrantKey{Resource: aud, ClientID: "app1", SubjectType: grantkit.SubjectUser}

	got, err := g.Get(ctx, m2m)
	require.NoError(t, err)
	assert.Equal(t, clientGrant.ID, got.ID, "the zero subject type is client access")
	assert.Equal(t, m2m, got.Key)
	got, err = g.Get(ctx, grantkit.GrantKey{Resource: aud, ClientID: "app1", SubjectType: "client"})
	require.NoError(t, err)
	assert.Equal(t, clientGrant.ID, got.ID, `"client" names the same grant`)
	got, err = g.Get(ctx, user)
	require.NoError(t, err)
	assert.Equal(t, userGrant.ID, got.ID)
	assert.Equal(t, user, got.Key)

	_, err = g.SetScopes(ctx, m2m, []string{"write:a"})
	require.NoError(t, err)
	_, err = grantkit.AddScopes(ctx, g, user, "write:u")
	require.NoError(t, err)
	_, err = grantkit.RemoveScopes(ctx, g, user, "read:u")
	require.NoError(t, err)

	cg, err := c.ClientGrants.Get(ctx, clientGrant.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"write:a"}, cg.Scope)
	ug, err := c.ClientGrants.Get(ctx, userGrant.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"write:u"}, ug.Scope, "each write reached only the grant its key names")

	var keys []grantkit.GrantKey
	for gr, err := range g.List(ctx, grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		keys = append(keys, gr.Key)
	}
	assert.ElementsMatch(t, []grantkit.GrantKey{m2m, user}, keys)

	_, err = g.Get(ctx, grantkit.GrantKey{Resource: aud, ClientID: "app1", SubjectType: "anonymous_user"})
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)

	// A subject_type filter reaches Auth0 as it is.
	page, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{SubjectType: auth0.SubjectTypeUser})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, userGrant.ID, page.Items[0].ID)
	assert.Equal(t, "subject_type=user&take=50", lastRequest(t, srv).RawQuery)
}

// A key that matches two grants is an error naming both, and nothing is written. Auth0 can
// answer so: a grant without subject_type is a client-access grant too.
func TestAmbiguousKeyWritesNothing(t *testing.T) {
	ctx := context.Background()
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants": fixed(200, `{"client_grants":[
			{"id":"cgr_old","client_id":"app1","audience":"`+aud+`","scope":["a"]},
			{"id":"cgr_new","client_id":"app1","audience":"`+aud+`","scope":["b"],"subject_type":"client"},
			{"id":"cgr_usr","client_id":"app1","audience":"`+aud+`","scope":["c"],"subject_type":"user"}]}`),
		"PATCH /api/v2/client-grants/cgr_old": fixed(200, `{"id":"cgr_old"}`),
		"PATCH /api/v2/client-grants/cgr_new": fixed(200, `{"id":"cgr_new"}`),
	}}
	g := e.client(t).Grants()
	key := grantkit.GrantKey{Resource: aud, ClientID: "app1"}

	_, err := g.Get(ctx, key)
	require.ErrorIs(t, err, grantkit.ErrAmbiguousGrant)
	assert.Contains(t, err.Error(), "cgr_old, cgr_new")
	_, err = g.SetScopes(ctx, key, []string{"x"})
	require.ErrorIs(t, err, grantkit.ErrAmbiguousGrant)
	_, err = grantkit.AddScopes(ctx, g, key, "x")
	require.ErrorIs(t, err, grantkit.ErrAmbiguousGrant)
	err = g.Delete(ctx, key)
	require.ErrorIs(t, err, grantkit.ErrAmbiguousGrant)
	_, err = g.Create(ctx, key, []string{"x"})
	require.ErrorIs(t, err, grantkit.ErrGrantExists)
	assert.Contains(t, err.Error(), "cgr_old, cgr_new", "the grants in the way are named")
	assert.Empty(t, e.writes(), "no grant was written")

	// The user-access grant is unambiguous.
	got, err := g.Get(ctx, grantkit.GrantKey{Resource: aud, ClientID: "app1", SubjectType: grantkit.SubjectUser})
	require.NoError(t, err)
	assert.Equal(t, "cgr_usr", got.ID)
}

// A write Auth0 answers with success but stores otherwise (a scope silently not added, as
// terraform-provider-auth0 issue 1376 reports for create:role_members) is an error naming the
// difference.
func TestScopeNotStoredIsReported(t *testing.T) {
	ctx := context.Background()
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants":         fixed(200, `{"client_grants":[{"id":"cgr_1","client_id":"app1","audience":"`+aud+`","scope":["read:users"],"subject_type":"client"}]}`),
		"PATCH /api/v2/client-grants/cgr_1": fixed(200, `{"id":"cgr_1","client_id":"app1","audience":"`+aud+`","scope":["read:users"],"subject_type":"client"}`),
	}}
	g := e.client(t).Grants()
	key := grantkit.GrantKey{Resource: aud, ClientID: "app1"}

	_, err := grantkit.AddScopes(ctx, g, key, "create:role_members")
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	// The error names AddScopes, the function called, not the Grants.SetScopes it ran.
	assert.Equal(t, `auth0: AddScopes: grant cgr_1: vendor did not store what was asked: app1 on `+aud+
		`: asked ["create:role_members" "read:users"], vendor stored ["read:users"] (missing ["create:role_members"])`, err.Error())

	_, err = g.SetScopes(ctx, key, nil)
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	assert.Contains(t, err.Error(), `not asked ["read:users"]`)
}

// Enum fields Auth0 documents (subject_type, organization_usage, default_for) take values
// grantkit does not know: they are sent, and Auth0 decides.
func TestUnknownEnumValuesPassThrough(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)

	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app1", Audience: aud, Scope: []string{"a"}, SubjectType: "anonymous_user"})
	require.NoError(t, err)
	assert.Equal(t, auth0.SubjectType("anonymous_user"), g.SubjectType)
	assert.JSONEq(t, `{"client_id":"app1","audience":"`+aud+`","scope":["a"],"subject_type":"anonymous_user"}`, string(lastRequest(t, srv).Body))

	page, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{SubjectType: "anonymous_user"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, g.ID, page.Items[0].ID)
	assert.Equal(t, "subject_type=anonymous_user&take=50", lastRequest(t, srv).RawQuery)

	got, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: aud, ClientID: "app1", SubjectType: "anonymous_user"})
	require.NoError(t, err)
	assert.Equal(t, g.ID, got.ID)

	// A value Auth0 does not accept is Auth0's 400, not a refusal before sending.
	_, err = c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{OrganizationUsage: grantkit.Value(auth0.OrganizationUsage("sometimes"))})
	assert.NotErrorIs(t, err, grantkit.ErrInvalidInput)
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "invalid_body", apiErr.Code)
	assert.Equal(t, `{"organization_usage":"sometimes"}`, string(lastRequest(t, srv).Body))

	_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app2", Audience: aud, SubjectType: "robot", OrganizationUsage: "sometimes"})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
}

// A default grant names a client group instead of a client: Auth0 answers 201 to a create
// with default_for and no client_id, and its answer has no client_id.
func TestDefaultGrant(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	own := create(t, c, "app1", "read:data")

	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{DefaultFor: auth0.DefaultForThirdPartyClients, Audience: aud, Scope: []string{"read:data"}})
	require.NoError(t, err)
	assert.Equal(t, `{"default_for":"third_party_clients","audience":"`+aud+`","scope":["read:data"]}`, string(lastRequest(t, srv).Body))
	assert.Empty(t, g.ClientID)
	assert.Equal(t, auth0.DefaultForThirdPartyClients, g.DefaultFor)
	assert.Equal(t, auth0.SubjectTypeClient, g.Access())

	_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{DefaultFor: auth0.DefaultForThirdPartyClients, Audience: aud, Scope: []string{"read:data"}})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode, "one default grant per group, audience and subject type")
	_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{DefaultFor: auth0.DefaultForThirdPartyClients, Audience: aud, SubjectType: auth0.SubjectTypeUser})
	require.NoError(t, err)

	page, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{DefaultFor: auth0.DefaultForThirdPartyClients, SubjectType: auth0.SubjectTypeClient})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, g.ID, page.Items[0].ID)
	assert.Equal(t, "default_for=third_party_clients&subject_type=client&take=50", lastRequest(t, srv).RawQuery)

	// The neutral view lists it without a client, and a client's key never reaches it.
	byID := map[string]grantkit.GrantKey{}
	for gr, err := range c.Grants().List(ctx, grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		byID[gr.ID] = gr.Key
	}
	assert.Equal(t, grantkit.GrantKey{Resource: aud}, byID[g.ID])
	got, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: aud, ClientID: "app1"})
	require.NoError(t, err)
	assert.Equal(t, own.ID, got.ID)
}

// Auth0 refuses a create without scope unless allow_all_scopes is set (go-auth0 issue 673),
// and refuses scopes beside allow_all_scopes.
func TestCreateSendsScopeAuth0Requires(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app1", Audience: aud})
	require.NoError(t, err)
	assert.Equal(t, `{"client_id":"app1","audience":"`+aud+`","scope":[]}`, string(lastRequest(t, srv).Body))

	_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app2", Audience: aud, AllowAllScopes: true})
	require.NoError(t, err)
	assert.Equal(t, `{"client_id":"app2","audience":"`+aud+`","allow_all_scopes":true}`, string(lastRequest(t, srv).Body))
}

// allow_any_organization is a filter Auth0 documents with the single value true: false sends
// nothing.
func TestAllowAnyOrganizationFilterSendsOnlyTrue(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	open, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app1", Audience: aud, AllowAnyOrganization: true})
	require.NoError(t, err)
	create(t, c, "app2")

	page, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{AllowAnyOrganization: true})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, open.ID, page.Items[0].ID)
	assert.Equal(t, "allow_any_organization=true&take=50", lastRequest(t, srv).RawQuery)

	page, err = c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{AllowAnyOrganization: false})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, "take=50", lastRequest(t, srv).RawQuery)
}

// Offset paging with include_totals gives the page Auth0's total, for grants and
// for a grant's organizations, and List follows it to the end.
func TestIncludeTotals(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	var want []string
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		srv.AddClient("app-" + id)
		want = append(want, create(t, c, "app-"+id).ID)
	}

	page, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{IncludeTotals: true, PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Equal(t, 5, page.Total)
	assert.Equal(t, "1", page.Next)
	assert.Equal(t, "include_totals=true&page=0&per_page=2", lastRequest(t, srv).RawQuery)

	page, err = c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{IncludeTotals: true, PageSize: 2, Cursor: "2"})
	require.NoError(t, err)
	assert.Len(t, page.Items, 1)
	assert.Equal(t, 5, page.Total)
	assert.Empty(t, page.Next, "the last page")

	before := len(srv.Requests())
	var got []string
	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{IncludeTotals: true, PageSize: 2}) {
		require.NoError(t, err)
		got = append(got, g.ID)
	}
	assert.ElementsMatch(t, want, got)
	assert.Len(t, srv.Requests()[before:], 3)

	checkpointPage, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, -1, checkpointPage.Total, "checkpoint paging carries no total")

	for i := range 3 {
		require.True(t, srv.AddOrganization(want[0], "org_"+string(rune('a'+i)), "Org"))
	}
	orgs, err := c.ClientGrants.ListOrganizationsPage(ctx, want[0], auth0.OrganizationListOptions{IncludeTotals: true, PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, orgs.Items, 2)
	assert.Equal(t, 3, orgs.Total)
	assert.Equal(t, "1", orgs.Next)
	assert.Equal(t, "include_totals=true&page=0&per_page=2", lastRequest(t, srv).RawQuery)
	n := 0
	for o, err := range c.ClientGrants.ListOrganizations(ctx, want[0], auth0.OrganizationListOptions{IncludeTotals: true, PageSize: 2}) {
		require.NoError(t, err)
		assert.Equal(t, "block", o.ThirdPartyClientAccess)
		n++
	}
	assert.Equal(t, 3, n)
}

// Every field Auth0's document and real answers carry for a grant and its organizations is
// read, and a field this version does not know is kept as raw JSON.
func TestEveryReturnedFieldIsKept(t *testing.T) {
	ctx := context.Background()
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants/cgr_1": fixed(200, fullGrant(`["read:a"]`)),
		"GET /api/v2/client-grants/cgr_1/organizations": fixed(200, `{"organizations":[{"id":"org_1","name":"acme",
			"display_name":"Acme","branding":{"logo_url":"https://acme.example/logo.png","colors":{"primary":"#112233","page_background":"#ffffff"}},
			"metadata":{"tier":"gold","gone":null},"token_quota":{"client_credentials":{"enforce":true,"per_day":1000,"per_hour":100}},
			"third_party_client_access":"allow","is_app_entitlement_active":true,"a_field_added_later":[1,{"x":2}]}],
			"start":0,"limit":50,"total":1}`),
	}}
	c := e.client(t)
	g, err := c.ClientGrants.Get(ctx, "cgr_1")
	require.NoError(t, err)
	assert.Equal(t, wantFullGrant([]string{"read:a"}), g)

	page, err := c.ClientGrants.ListOrganizationsPage(ctx, "cgr_1", auth0.OrganizationListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, page.Total)
	require.Len(t, page.Items, 1)
	assert.Equal(t, auth0.Organization{
		ID: "org_1", Name: "acme", DisplayName: "Acme",
		Branding:               &auth0.OrganizationBranding{LogoURL: "https://acme.example/logo.png", Colors: &auth0.BrandingColors{Primary: "#112233", PageBackground: "#ffffff"}},
		Metadata:               map[string]string{"tier": "gold", "gone": ""},
		TokenQuota:             &auth0.TokenQuota{ClientCredentials: &auth0.TokenQuotaLimits{Enforce: true, PerDay: 1000, PerHour: 100}},
		ThirdPartyClientAccess: "allow",
		IsAppEntitlementActive: true,
		Extra:                  map[string]json.RawMessage{"a_field_added_later": json.RawMessage(`[1,{"x":2}]`)},
	}, page.Items[0])
}

// fullGrant is a grant carrying every field Auth0 documents, and one it may add later.
func fullGrant(scope string) string {
	return `{"id":"cgr_1","client_id":"app1","audience":"` + aud + `","scope":` + scope + `,
		"organization_usage":"require","allow_any_organization":true,"is_system":false,
		"subject_type":"client","authorization_details_types":["payment","shipping"],
		"allow_all_scopes":false,"a_field_added_later":{"nested":[1,2,3]}}`
}

func wantFullGrant(scope []string) *auth0.ClientGrant {
	return &auth0.ClientGrant{
		ID: "cgr_1", ClientID: "app1", Audience: aud, Scope: scope,
		OrganizationUsage: auth0.OrganizationUsageRequire, AllowAnyOrganization: true,
		SubjectType: auth0.SubjectTypeClient, AuthorizationDetailsTypes: []string{"payment", "shipping"},
		Extra: map[string]json.RawMessage{"a_field_added_later": json.RawMessage(`{"nested":[1,2,3]}`)},
	}
}

// A read-modify-write of the scopes (SetScopes, AddScopes, RemoveScopes) sends only the scope:
// Auth0's PATCH leaves every other field as it was, so nothing the grant carries is lost, and
// the grant Auth0 returns is read whole.
func TestScopeWritesSendOnlyTheScope(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	stored := `["read:a"]`
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants": func([]byte) (int, string) {
			mu.Lock()
			defer mu.Unlock()
			return 200, `{"client_grants":[` + fullGrant(stored) + `]}`
		},
		// As Auth0 does: the PATCH's scope replaces the stored one, the rest stays.
		"PATCH /api/v2/client-grants/cgr_1": func(body []byte) (int, string) {
			var p struct{ Scope json.RawMessage }
			if json.Unmarshal(body, &p) != nil || p.Scope == nil {
				return 400, `{"statusCode":400,"error":"Bad Request","message":"scope expected"}`
			}
			mu.Lock()
			defer mu.Unlock()
			stored = string(p.Scope)
			return 200, fullGrant(stored)
		},
	}}
	c := e.client(t)
	g := c.Grants()
	key := grantkit.GrantKey{Resource: aud, ClientID: "app1"}

	got, err := grantkit.AddScopes(ctx, g, key, "write:a")
	require.NoError(t, err)
	assert.Equal(t, &grantkit.Grant{Vendor: "auth0", ID: "cgr_1", Key: key, Scopes: []string{"read:a", "write:a"}}, got)
	got, err = grantkit.RemoveScopes(ctx, g, key, "read:a")
	require.NoError(t, err)
	assert.Equal(t, []string{"write:a"}, got.Scopes)
	got, err = g.SetScopes(ctx, key, []string{"b", "a"})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, got.Scopes)

	var bodies []string
	for _, w := range e.writes() {
		assert.Equal(t, http.MethodPatch, w.method)
		bodies = append(bodies, string(w.body))
	}
	assert.Equal(t, []string{`{"scope":["read:a","write:a"]}`, `{"scope":["write:a"]}`, `{"scope":["a","b"]}`}, bodies)

	// The typed update returns Auth0's grant whole, its unknown field included.
	upd, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set("z")})
	require.NoError(t, err)
	assert.Equal(t, wantFullGrant([]string{"z"}), upd)
	assert.Equal(t, `{"scope":["z"]}`, string(e.writes()[3].body))
}

// A grant created by someone else between Create's lookup and its POST is Auth0's 409, which
// Create reports as grantkit.ErrGrantExists.
func TestCreateRaceIsErrGrantExists(t *testing.T) {
	e := &exact{answers: map[string]func([]byte) (int, string){
		"GET /api/v2/client-grants":  fixed(200, `{"client_grants":[]}`),
		"POST /api/v2/client-grants": fixed(409, `{"statusCode":409,"error":"Conflict","message":"A client grant already exists between app1 and `+aud+`"}`),
	}}
	key := grantkit.GrantKey{Resource: aud, ClientID: "app1"}
	_, err := e.client(t).Grants().Create(context.Background(), key, []string{"read:a"})
	require.ErrorIs(t, err, grantkit.ErrGrantExists)
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr, "Auth0's answer is kept")
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
	w := e.writes()
	require.Len(t, w, 1)
	assert.JSONEq(t, `{"client_id":"app1","audience":"`+aud+`","scope":["read:a"],"subject_type":"client"}`, string(w[0].body),
		"a client-access grant is asked for by name")
}
