package auth0_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/option"
)

const invoicesAPI = "https://invoices.example.com/v1"

// escapedInvoicesAPI is how the identifier travels as a path segment.
const escapedInvoicesAPI = "https:%2F%2Finvoices.example.com%2Fv1"

func createAPI(t *testing.T, c *auth0.Client, identifier string, scopes ...auth0.ResourceServerScope) *auth0.ResourceServer {
	t.Helper()
	rs, err := c.ResourceServers.Create(context.Background(), auth0.ResourceServerCreate{Identifier: identifier, Scopes: scopes})
	require.NoError(t, err)
	return rs
}

func apiError(t *testing.T, err error) *grantkit.Error {
	t.Helper()
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

func TestResourceServerLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	rs, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{
		Identifier:           invoicesAPI,
		Name:                 "Invoices",
		Scopes:               []auth0.ResourceServerScope{{Value: "read:invoices", Description: "Read invoices"}, {Value: "write:invoices"}},
		SigningAlg:           auth0.SigningAlgHS256,
		SigningSecret:        "0123456789abcdef-secret",
		AllowOfflineAccess:   true,
		TokenLifetime:        3600,
		TokenDialect:         auth0.TokenDialectAccessTokenAuthz,
		EnforcePolicies:      true,
		ConsentPolicy:        "transactional-authorization-with-mfa",
		AuthorizationDetails: []json.RawMessage{json.RawMessage(`{"type":"payment"}`)},
		ProofOfPossession:    &auth0.ProofOfPossession{Mechanism: "dpop", Required: true},
		SubjectTypeAuthorization: auth0.SubjectTypeAuthorization{
			UserPolicy: "require_client_grant", ClientPolicy: "deny_all",
		},
	})
	require.NoError(t, err)
	req := lastRequest(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/api/v2/resource-servers", req.Path)
	assert.JSONEq(t, `{"name":"Invoices","identifier":"https://invoices.example.com/v1",
		"scopes":[{"value":"read:invoices","description":"Read invoices"},{"value":"write:invoices"}],
		"signing_alg":"HS256","signing_secret":"0123456789abcdef-secret","allow_offline_access":true,
		"token_lifetime":3600,"token_dialect":"access_token_authz","enforce_policies":true,
		"consent_policy":"transactional-authorization-with-mfa","authorization_details":[{"type":"payment"}],
		"proof_of_possession":{"mechanism":"dpop","required":true},
		"subject_type_authorization":{"user":{"policy":"require_client_grant"},"client":{"policy":"deny_all"}}}`, string(req.Body))

	assert.Len(t, rs.ID, 24)
	assert.Equal(t, invoicesAPI, rs.Identifier)
	assert.Equal(t, "Invoices", rs.Name)
	assert.Equal(t, []auth0.ResourceServerScope{{Value: "read:invoices", Description: "Read invoices"}, {Value: "write:invoices"}}, rs.Scopes)
	assert.Equal(t, auth0.SigningAlgHS256, rs.SigningAlg)
	assert.Equal(t, "0123456789abcdef-secret", rs.SigningSecret.Reveal())
	assert.Equal(t, 3600, rs.TokenLifetime)
	assert.Equal(t, 7200, rs.TokenLifetimeForWeb, "Auth0's default")
	assert.Equal(t, &auth0.ProofOfPossession{Mechanism: "dpop", Required: true}, rs.ProofOfPossession)
	assert.Equal(t, []json.RawMessage{json.RawMessage(`{"type":"payment"}`)}, rs.AuthorizationDetails)
	assert.Equal(t, "deny_all", rs.SubjectTypeAuthorization.ClientPolicy)
	assert.False(t, rs.IsSystem)
	sc, ok := rs.Scope("read:invoices")
	assert.True(t, ok)
	assert.Equal(t, "Read invoices", sc.Description)

	byID, err := c.ResourceServers.Get(ctx, rs.ID)
	require.NoError(t, err)
	assert.Equal(t, rs, byID)
	byIdentifier, err := c.ResourceServers.Get(ctx, invoicesAPI)
	require.NoError(t, err)
	assert.Equal(t, rs, byIdentifier)
	assert.Equal(t, "/api/v2/resource-servers/"+escapedInvoicesAPI, lastRequest(t, srv).Path, "the identifier is one escaped path segment")

	upd, err := c.ResourceServers.Update(ctx, invoicesAPI, auth0.ResourceServerUpdate{Name: grantkit.Value("Invoices v1"), TokenLifetimeForWeb: grantkit.Value(600)})
	require.NoError(t, err)
	assert.Equal(t, "Invoices v1", upd.Name)
	assert.Equal(t, 600, upd.TokenLifetimeForWeb)
	assert.Equal(t, rs.Scopes, upd.Scopes, "fields left out are kept")

	require.NoError(t, c.ResourceServers.Delete(ctx, invoicesAPI))
	req = lastRequest(t, srv)
	assert.Equal(t, "DELETE", req.Method)
	assert.Equal(t, "/api/v2/resource-servers/"+escapedInvoicesAPI, req.Path)
	require.NoError(t, c.ResourceServers.Delete(ctx, invoicesAPI), "Auth0 documents no 404 for a delete")

	_, err = c.ResourceServers.Get(ctx, rs.ID)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "inexistent_resource_server", apiErr.Code)
	assert.Equal(t, "The resource server does not exist", apiErr.Message)
	assert.Equal(t, "ResourceServers.Get", apiErr.Operation)
}

func TestResourceServerListPaging(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t) // setup defines two APIs already
	var want []string
	for _, rs := range mustList(t, c, auth0.ResourceServerListOptions{}) {
		want = append(want, rs.Identifier)
	}
	require.Len(t, want, 2)
	for i := range 5 {
		want = append(want, createAPI(t, c, "urn:api:"+strconv.Itoa(i)).Identifier)
	}

	before := len(srv.Requests())
	var got []string
	for _, rs := range mustList(t, c, auth0.ResourceServerListOptions{PageSize: 3}) {
		got = append(got, rs.Identifier)
	}
	assert.Equal(t, want, got, "every API once, in creation order")
	reqs := srv.Requests()[before:]
	require.Len(t, reqs, 3, "7 APIs in pages of 3, the last page known from the total")
	assert.Equal(t, "include_totals=true&page=0&per_page=3", reqs[0].RawQuery)
	assert.Equal(t, "include_totals=true&page=2&per_page=3", reqs[2].RawQuery)

	page, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{PageSize: 4})
	require.NoError(t, err)
	assert.Len(t, page.Items, 4)
	assert.Equal(t, "1", page.Next)
	assert.Equal(t, 7, page.Total, "Auth0's total")
	page, err = c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{PageSize: 4, Cursor: page.Next})
	require.NoError(t, err)
	assert.Len(t, page.Items, 3)
	assert.Empty(t, page.Next)

	filtered := mustList(t, c, auth0.ResourceServerListOptions{Identifiers: []string{"urn:api:1", "urn:api:3", "urn:nope"}})
	require.Len(t, filtered, 2)
	assert.Equal(t, "urn:api:1", filtered[0].Identifier)
	assert.Equal(t, "identifiers=urn%3Aapi%3A1&identifiers=urn%3Aapi%3A3&identifiers=urn%3Anope&include_totals=true&page=0&per_page=50",
		lastRequest(t, srv).RawQuery)
}

// A server that ignores include_totals and answers bare arrays is still paged to the end.
func TestResourceServerListWithoutTotals(t *testing.T) {
	var pages []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages = append(pages, r.URL.Query().Get("page"))
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("page") {
		case "0":
			_, _ = io.WriteString(w, `[{"id":"1"},{"id":"2"}]`)
		case "1":
			_, _ = io.WriteString(w, `[{"id":"3"}]`)
		default:
			_, _ = io.WriteString(w, `[]`)
		}
	}))
	defer hs.Close()
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(hs.URL), option.WithToken("t"))
	require.NoError(t, err)
	got := mustList(t, c, auth0.ResourceServerListOptions{PageSize: 2})
	assert.Len(t, got, 3)
	assert.Equal(t, []string{"0", "1"}, pages, "a short page is the last")
	page, err := c.ResourceServers.ListPage(context.Background(), auth0.ResourceServerListOptions{PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, -1, page.Total, "a bare array says no total")
}

func mustList(t *testing.T, c *auth0.Client, opts auth0.ResourceServerListOptions) []*auth0.ResourceServer {
	t.Helper()
	var out []*auth0.ResourceServer
	for rs, err := range c.ResourceServers.List(context.Background(), opts) {
		require.NoError(t, err)
		out = append(out, rs)
	}
	return out
}

// PATCH /resource-servers/{id} with each state of the clearable fields, checked on the wire
// byte for byte.
func TestResourceServerUpdateWireFormat(t *testing.T) {
	enc := auth0.TokenEncryption{Format: "compact-nested-jwe", EncryptionKey: auth0.TokenEncryptionKey{Alg: "RSA-OAEP-256", PEM: "-----BEGIN PUBLIC KEY-----"}}
	cases := []struct {
		name string
		upd  auth0.ResourceServerUpdate
		body string
	}{
		{"scopes values", auth0.ResourceServerUpdate{Scopes: grantkit.Set(auth0.ResourceServerScope{Value: "a", Description: "A"})}, `{"scopes":[{"value":"a","description":"A"}]}`},
		{"scopes empty list", auth0.ResourceServerUpdate{Scopes: grantkit.Set[[]auth0.ResourceServerScope]()}, `{"scopes":[]}`},
		{"explicit nil scopes is []", auth0.ResourceServerUpdate{Scopes: grantkit.Value([]auth0.ResourceServerScope(nil))}, `{"scopes":[]}`},
		{"consent policy value", auth0.ResourceServerUpdate{ConsentPolicy: grantkit.Value("transactional-authorization-with-mfa")}, `{"consent_policy":"transactional-authorization-with-mfa"}`},
		{"consent policy null", auth0.ResourceServerUpdate{ConsentPolicy: grantkit.Null[string]()}, `{"consent_policy":null}`},
		{"consent policy left out", auth0.ResourceServerUpdate{EnforcePolicies: grantkit.Value(false)}, `{"enforce_policies":false}`},
		{"authorization details values", auth0.ResourceServerUpdate{AuthorizationDetails: grantkit.Set(json.RawMessage(`{"type":"payment"}`))}, `{"authorization_details":[{"type":"payment"}]}`},
		{"authorization details empty list", auth0.ResourceServerUpdate{AuthorizationDetails: grantkit.Set[[]json.RawMessage]()}, `{"authorization_details":[]}`},
		{"authorization details null", auth0.ResourceServerUpdate{AuthorizationDetails: grantkit.Null[[]json.RawMessage]()}, `{"authorization_details":null}`},
		{"token encryption", auth0.ResourceServerUpdate{TokenEncryption: grantkit.Value(enc)}, `{"token_encryption":{"format":"compact-nested-jwe","encryption_key":{"alg":"RSA-OAEP-256","pem":"-----BEGIN PUBLIC KEY-----"}}}`},
		{"token encryption null", auth0.ResourceServerUpdate{TokenEncryption: grantkit.Null[auth0.TokenEncryption]()}, `{"token_encryption":null}`},
		{"proof of possession null", auth0.ResourceServerUpdate{ProofOfPossession: grantkit.Null[auth0.ProofOfPossession]()}, `{"proof_of_possession":null}`},
		{"authorization policy", auth0.ResourceServerUpdate{AuthorizationPolicy: grantkit.Value(auth0.AuthorizationPolicy{PolicyID: "pol_1"})}, `{"authorization_policy":{"policy_id":"pol_1"}}`},
		{"authorization policy null", auth0.ResourceServerUpdate{AuthorizationPolicy: grantkit.Null[auth0.AuthorizationPolicy]()}, `{"authorization_policy":null}`},
		{"lifetimes and flags", auth0.ResourceServerUpdate{
			TokenLifetime: grantkit.Value(7200), TokenLifetimeForWeb: grantkit.Value(0), AllowOfflineAccess: grantkit.Value(true),
			SkipConsentForVerifiableFirstPartyClients: grantkit.Value(false),
		}, `{"skip_consent_for_verifiable_first_party_clients":false,"allow_offline_access":true,"token_lifetime":7200,"token_lifetime_for_web":0}`},
	}
	c, srv, _ := setup(t)
	rs := createAPI(t, c, invoicesAPI)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.ResourceServers.Update(context.Background(), rs.ID, tc.upd)
			require.NoError(t, err)
			req := lastRequest(t, srv)
			assert.Equal(t, http.MethodPatch, req.Method)
			assert.Equal(t, "/api/v2/resource-servers/"+rs.ID, req.Path)
			assert.Equal(t, tc.body, string(req.Body))
		})
	}
}

// A token dialect grantkit does not know is sent as given (Auth0 may have added it), and
// Auth0's refusal of a value it does not know either reaches the caller as its 400.
func TestResourceServerUnknownDialectPassesThrough(t *testing.T) {
	c, srv, _ := setup(t)
	rs := createAPI(t, c, invoicesAPI)
	_, err := c.ResourceServers.Update(context.Background(), rs.ID, auth0.ResourceServerUpdate{TokenDialect: grantkit.Value(auth0.TokenDialect("brand_new"))})
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "token_dialect")
	assert.Equal(t, `{"token_dialect":"brand_new"}`, string(lastRequest(t, srv).Body))
}

// The fake applies the four PATCH states the way Auth0 does.
func TestResourceServerUpdateStatesAreApplied(t *testing.T) {
	ctx := context.Background()
	c, _, _ := setup(t)
	rs := createAPI(t, c, invoicesAPI)
	payment := json.RawMessage(`{"type":"payment"}`)
	steps := []struct {
		upd  grantkit.Field[[]json.RawMessage]
		want []json.RawMessage
	}{
		{grantkit.Set(payment), []json.RawMessage{payment}},
		{grantkit.Field[[]json.RawMessage]{}, []json.RawMessage{payment}},
		{grantkit.Set[[]json.RawMessage](), []json.RawMessage{}},
		{grantkit.Set(payment, payment), []json.RawMessage{payment, payment}},
		{grantkit.Null[[]json.RawMessage](), nil},
	}
	for i, s := range steps {
		u := auth0.ResourceServerUpdate{AuthorizationDetails: s.upd}
		if s.upd.IsZero() {
			u.Name = grantkit.Value("renamed")
		}
		got, err := c.ResourceServers.Update(ctx, rs.ID, u)
		require.NoError(t, err, "step %d", i)
		assert.Equal(t, s.want, got.AuthorizationDetails, "step %d (%v)", i, s.upd)
		fetched, err := c.ResourceServers.Get(ctx, rs.ID)
		require.NoError(t, err)
		assert.Equal(t, s.want, fetched.AuthorizationDetails, "step %d stored", i)
	}

	got, err := c.ResourceServers.Update(ctx, rs.ID, auth0.ResourceServerUpdate{ConsentPolicy: grantkit.Value("transactional-authorization-with-mfa"),
		ProofOfPossession: grantkit.Value(auth0.ProofOfPossession{Mechanism: "mtls", Required: true, RequiredFor: "all_clients"})})
	require.NoError(t, err)
	assert.Equal(t, "transactional-authorization-with-mfa", got.ConsentPolicy)
	assert.Equal(t, "all_clients", got.ProofOfPossession.RequiredFor)
	got, err = c.ResourceServers.Update(ctx, rs.ID, auth0.ResourceServerUpdate{ConsentPolicy: grantkit.Null[string](), ProofOfPossession: grantkit.Null[auth0.ProofOfPossession]()})
	require.NoError(t, err)
	assert.Empty(t, got.ConsentPolicy)
	assert.Nil(t, got.ProofOfPossession)
	assert.Equal(t, "renamed", got.Name)
}

func TestScopeCRUDKeepsEverythingElse(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	rs, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{
		Identifier: invoicesAPI, Name: "Invoices", TokenLifetime: 600, EnforcePolicies: true,
		Scopes:            []auth0.ResourceServerScope{{Value: "read:invoices", Description: "Read"}, {Value: "write:invoices", Description: "Write"}},
		ProofOfPossession: &auth0.ProofOfPossession{Mechanism: "dpop"},
	})
	require.NoError(t, err)
	others := func(rs *auth0.ResourceServer) auth0.ResourceServer { c := *rs; c.Scopes = nil; return c }

	steps := []struct {
		name   string
		call   func() (*auth0.ResourceServerScope, error)
		ret    *auth0.ResourceServerScope
		want   []auth0.ResourceServerScope
		writes bool
	}{
		{"create a scope", func() (*auth0.ResourceServerScope, error) {
			return c.ResourceServers.CreateScope(ctx, invoicesAPI, auth0.ResourceServerScope{Value: "void:invoices", Description: "Void"})
		}, &auth0.ResourceServerScope{"void:invoices", "Void"},
			[]auth0.ResourceServerScope{{"read:invoices", "Read"}, {"write:invoices", "Write"}, {"void:invoices", "Void"}}, true},
		{"update a description in place", func() (*auth0.ResourceServerScope, error) {
			return c.ResourceServers.UpdateScope(ctx, rs.ID, "read:invoices", auth0.ResourceServerScopeUpdate{Description: "Read all invoices"})
		}, &auth0.ResourceServerScope{"read:invoices", "Read all invoices"},
			[]auth0.ResourceServerScope{{"read:invoices", "Read all invoices"}, {"write:invoices", "Write"}, {"void:invoices", "Void"}}, true},
		{"update to the description it has", func() (*auth0.ResourceServerScope, error) {
			return c.ResourceServers.UpdateScope(ctx, rs.ID, "write:invoices", auth0.ResourceServerScopeUpdate{Description: "Write"})
		}, &auth0.ResourceServerScope{"write:invoices", "Write"},
			[]auth0.ResourceServerScope{{"read:invoices", "Read all invoices"}, {"write:invoices", "Write"}, {"void:invoices", "Void"}}, false},
		{"get a scope", func() (*auth0.ResourceServerScope, error) {
			return c.ResourceServers.GetScope(ctx, invoicesAPI, "void:invoices")
		}, &auth0.ResourceServerScope{"void:invoices", "Void"},
			[]auth0.ResourceServerScope{{"read:invoices", "Read all invoices"}, {"write:invoices", "Write"}, {"void:invoices", "Void"}}, false},
		{"delete a scope", func() (*auth0.ResourceServerScope, error) {
			return nil, c.ResourceServers.DeleteScope(ctx, invoicesAPI, "write:invoices")
		}, nil, []auth0.ResourceServerScope{{"read:invoices", "Read all invoices"}, {"void:invoices", "Void"}}, true},
		{"delete the last but one", func() (*auth0.ResourceServerScope, error) {
			return nil, c.ResourceServers.DeleteScope(ctx, rs.ID, "read:invoices")
		}, nil, []auth0.ResourceServerScope{{"void:invoices", "Void"}}, true},
	}
	for _, s := range steps {
		before := len(srv.Requests())
		got, err := s.call()
		require.NoError(t, err, s.name)
		reqs := srv.Requests()[before:]
		assert.Equal(t, s.ret, got, s.name)
		stored, err := c.ResourceServers.Get(ctx, rs.ID)
		require.NoError(t, err)
		assert.Equal(t, s.want, stored.Scopes, s.name)
		assert.Equal(t, others(rs), others(stored), "%s: every other field is kept", s.name)
		var listed []auth0.ResourceServerScope
		for sc, err := range c.ResourceServers.ListScopes(ctx, invoicesAPI) {
			require.NoError(t, err)
			listed = append(listed, *sc)
		}
		assert.Equal(t, s.want, listed, "%s: ListScopes", s.name)

		if !s.writes {
			require.Len(t, reqs, 1, "%s: a read, no write", s.name)
			continue
		}
		require.Len(t, reqs, 2, "%s: a read and a write", s.name)
		assert.Equal(t, http.MethodPatch, reqs[1].Method)
		assert.Equal(t, "/api/v2/resource-servers/"+rs.ID, reqs[1].Path, "%s: the write goes to the id that was read", s.name)
		var body map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(reqs[1].Body, &body))
		assert.Equal(t, []string{"scopes"}, slices.Sorted(maps.Keys(body)), "%s: the PATCH carries the scope list only", s.name)
	}
}

func TestScopeCRUDRefusals(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	rs := createAPI(t, c, invoicesAPI, auth0.ResourceServerScope{Value: "a"})
	// Auth0 stores what it is sent; a list with a scope twice makes the change ambiguous.
	_, err := c.ResourceServers.Update(ctx, rs.ID, auth0.ResourceServerUpdate{Scopes: grantkit.Set(auth0.ResourceServerScope{Value: "a"},
		auth0.ResourceServerScope{Value: "dup", Description: "one"}, auth0.ResourceServerScope{Value: "dup", Description: "two"})})
	require.NoError(t, err)
	before := len(srv.Requests())
	_, err = c.ResourceServers.UpdateScope(ctx, rs.ID, "dup", auth0.ResourceServerScopeUpdate{Description: "three"})
	require.ErrorIs(t, err, grantkit.ErrDuplicateScope)
	assert.Contains(t, err.Error(), `"dup" is defined 2 times`)
	err = c.ResourceServers.DeleteScope(ctx, rs.ID, "dup")
	require.ErrorIs(t, err, grantkit.ErrDuplicateScope)
	_, err = c.ResourceServers.GetScope(ctx, rs.ID, "dup")
	require.ErrorIs(t, err, grantkit.ErrDuplicateScope)
	assert.Len(t, srv.Requests()[before:], 3, "three reads, no write")

	before = len(srv.Requests())
	_, err = c.ResourceServers.CreateScope(ctx, rs.ID, auth0.ResourceServerScope{Value: "a", Description: "again"})
	require.ErrorIs(t, err, grantkit.ErrScopeExists)
	_, err = c.ResourceServers.UpdateScope(ctx, rs.ID, "missing", auth0.ResourceServerScopeUpdate{Description: "x"})
	require.ErrorIs(t, err, grantkit.ErrScopeNotFound)
	err = c.ResourceServers.DeleteScope(ctx, rs.ID, "missing")
	require.ErrorIs(t, err, grantkit.ErrScopeNotFound)
	_, err = c.ResourceServers.GetScope(ctx, rs.ID, "missing")
	require.ErrorIs(t, err, grantkit.ErrScopeNotFound)
	assert.Contains(t, err.Error(), "auth0: ResourceServers.GetScope: ")
	assert.Len(t, srv.Requests()[before:], 4, "four reads, no write")

	mgmt := srv.AddSystemResourceServer("https://tenant.example.com/api/v2/", "read:users")
	before = len(srv.Requests())
	_, err = c.ResourceServers.CreateScope(ctx, mgmt, auth0.ResourceServerScope{Value: "read:everything"})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "system API")
	assert.Len(t, srv.Requests()[before:], 1, "a read, no write")

	_, err = c.ResourceServers.CreateScope(ctx, "urn:missing", auth0.ResourceServerScope{Value: "x"})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	assert.Equal(t, "ResourceServers.CreateScope", apiError(t, err).Operation)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.ResourceServers.CreateScope(cancelled, rs.ID, auth0.ResourceServerScope{Value: "x"})
	require.ErrorIs(t, err, context.Canceled)
}

// Scope changes through one client are serialised: none is lost to another's read-modify-write.
func TestConcurrentCreateScopeLosesNothing(t *testing.T) {
	ctx := context.Background()
	c, _, _ := setup(t)
	rs := createAPI(t, c, invoicesAPI, auth0.ResourceServerScope{Value: "keep"})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			_, err := c.ResourceServers.CreateScope(ctx, invoicesAPI, auth0.ResourceServerScope{Value: "s" + strconv.Itoa(i)})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	got, err := c.ResourceServers.Get(ctx, rs.ID)
	require.NoError(t, err)
	assert.Len(t, got.Scopes, 17)
	_, ok := got.Scope("keep")
	assert.True(t, ok)
}

// The fake refuses what Auth0 refuses about grants and APIs, with Auth0's answers.
func TestFakeResourceServerRules(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	rs := createAPI(t, c, invoicesAPI, auth0.ResourceServerScope{Value: "read:invoices"})
	const mgmtAPI = "https://tenant.example.com/api/v2/"
	srv.AddSystemResourceServer(mgmtAPI, "read:users")

	cases := []struct {
		name   string
		call   func() error
		status int
		code   string
		msg    string
	}{
		{"grant on an audience that is no API", func() error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app", Audience: "https://nowhere.example.com/"})
			return err
		}, 404, "inexistent_resource_server", "No resource with identifier https://nowhere.example.com/"},
		{"grant with a scope the API does not define", func() error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app", Audience: invoicesAPI, Scope: []string{"read:invoices", "write:invoices"}})
			return err
		}, 400, "invalid_body", "Payload validation error: scope must be a subset of resource server scopes"},
		{"grant update with a scope the API does not define", func() error {
			g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app2", Audience: invoicesAPI, Scope: []string{"read:invoices"}})
			require.NoError(t, err)
			_, err = c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set("write:invoices")})
			return err
		}, 400, "invalid_body", "Payload validation error: scope must be a subset of resource server scopes"},
		{"a second API with the same identifier", func() error {
			_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: invoicesAPI})
			return err
		}, 409, "resource_server_conflict", "A resource server with the same identifier already exists."},
		{"scopes of the system API", func() error {
			_, err := c.ResourceServers.Update(ctx, mgmtAPI, auth0.ResourceServerUpdate{
				Scopes: grantkit.Set(auth0.ResourceServerScope{Value: "read:everything"})})
			return err
		}, 400, "invalid_body", "Payload validation error: 'Additional properties not allowed: scopes'."},
		{"deleting the system API", func() error {
			return c.ResourceServers.Delete(ctx, mgmtAPI)
		}, 400, "", "System resource servers cannot be deleted."},
		{"a signing algorithm outside the document's enum", func() error {
			_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: "urn:es", SigningAlg: "ES256"})
			return err
		}, 400, "invalid_body", `Payload validation error: 'No enum match for: "ES256"' on property signing_alg`},
		{"a client policy outside the document's enum", func() error {
			_, err := c.ResourceServers.Update(ctx, rs.ID, auth0.ResourceServerUpdate{SubjectTypeAuthorization: grantkit.Value(auth0.SubjectTypeAuthorization{
				ClientPolicy: "allow_all"})})
			return err
		}, 400, "invalid_body", `Payload validation error: 'No enum match for: "allow_all"' on property subject_type_authorization.client.policy`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apiErr := apiError(t, tc.call())
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.msg, apiErr.Message)
			assert.Equal(t, 1, apiErr.Attempts, "not retried")
		})
	}

	// Once the API defines the scope, the same grant is accepted.
	_, err := c.ResourceServers.CreateScope(ctx, rs.ID, auth0.ResourceServerScope{Value: "write:invoices"})
	require.NoError(t, err)
	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app", Audience: invoicesAPI, Scope: []string{"read:invoices", "write:invoices"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"read:invoices", "write:invoices"}, g.Scope)
	// Leaving the scope list alone, or emptying it, needs no definition.
	_, err = c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Null[[]string]()})
	require.NoError(t, err)

	// The system API's token lifetime may change, as at Auth0.
	mgmt, err := c.ResourceServers.Update(ctx, mgmtAPI, auth0.ResourceServerUpdate{TokenLifetime: grantkit.Value(3600)})
	require.NoError(t, err)
	assert.True(t, mgmt.IsSystem)
	assert.Equal(t, 3600, mgmt.TokenLifetime)
	assert.Equal(t, []auth0.ResourceServerScope{{Value: "read:users"}}, mgmt.Scopes)
	// A grant on the system API follows the same rule.
	_, err = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app", Audience: mgmtAPI, Scope: []string{"read:users"}})
	require.NoError(t, err)
}

func TestResourceServerBadInputSendsNothing(t *testing.T) {
	ctx := context.Background()
	const secret = "short-secret"
	cases := []struct {
		name string
		call func(c *auth0.Client) error
		msg  string
	}{
		{"empty id", func(c *auth0.Client) error { _, err := c.ResourceServers.Get(ctx, ""); return err }, "id: must not be empty"},
		{"dot-dot id", func(c *auth0.Client) error { return c.ResourceServers.Delete(ctx, "..") }, "id"},
		{"identifier climbing out", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Get(ctx, "https://x/../../clients")
			return err
		}, `".." path part`},
		{"control character", func(c *auth0.Client) error { _, err := c.ResourceServers.Get(ctx, "urn:a\nb"); return err }, "control character"},
		{"identifier too long", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: strings.Repeat("x", 601)})
			return err
		}, "identifier: len 601 greater than maximum 600"},
		{"name with <", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: "urn:a", Name: "<b>"})
			return err
		}, "name: no regex match: ^[^<>]+$"},
		{"281-char scope", func(c *auth0.Client) error {
			_, err := c.ResourceServers.CreateScope(ctx, "urn:a", auth0.ResourceServerScope{Value: strings.Repeat("s", 281)})
			return err
		}, "value: len 281 greater than maximum 280"},
		{"501-char description", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{Scopes: grantkit.Set(auth0.ResourceServerScope{Value: "a"}, auth0.ResourceServerScope{Value: "b", Description: strings.Repeat("d", 501)})})
			return err
		}, "scopes[1].description: len 501 greater than maximum 500"},
		{"empty scope to delete", func(c *auth0.Client) error { return c.ResourceServers.DeleteScope(ctx, "urn:a", "") }, "value"},
		{"short signing secret", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{SigningSecret: grantkit.Value(grantkit.Secret(secret))})
			return err
		}, "signing_secret: len 12 less than minimum 16"},
		{"token lifetime too long", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{TokenLifetime: grantkit.Value(2592001)})
			return err
		}, "token_lifetime: value 2592001 greater than 2592000"},
		{"null name", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{Name: grantkit.Null[string]()})
			return err
		}, "name: cannot be null"},
		{"null scopes", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{Scopes: grantkit.Null[[]auth0.ResourceServerScope]()})
			return err
		}, "scopes: cannot be null"},
		{"empty update", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{})
			return err
		}, "sets no field"},
		{"authorization details that are not JSON", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Update(ctx, "urn:a", auth0.ResourceServerUpdate{AuthorizationDetails: grantkit.Set(json.RawMessage(`{"type":`))})
			return err
		}, "authorization_details[0]: not a JSON value"},
		{"token encryption without a key", func(c *auth0.Client) error {
			_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: "urn:a", TokenEncryption: &auth0.TokenEncryption{Format: "compact-nested-jwe"}})
			return err
		}, "token_encryption.encryption_key.alg: len 0 less than minimum 1"},
		{"eleven identifiers", func(c *auth0.Client) error {
			_, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{Identifiers: make([]string, 11)})
			return err
		}, "identifiers: 11 given, at most 10"},
		{"page size", func(c *auth0.Client) error {
			_, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{PageSize: 101})
			return err
		}, "page_size: "},
		{"foreign cursor", func(c *auth0.Client) error {
			_, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{Cursor: "cgr_abc"})
			return err
		}, "cursor: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t)
			err := tc.call(c)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.msg)
			assert.NotContains(t, err.Error(), secret)
			assert.Empty(t, srv.Requests(), "no API request")
		})
	}
}

func TestResourceServerForwardCompatibleResponses(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"abc","identifier":"urn:a","signing_alg":"ES256K","token_dialect":"brand_new",
			"consent_policy":null,"token_encryption":null,"proof_of_possession":{"mechanism":"carrier-pigeon","required":true},
			"subject_type_authorization":{"user":{"policy":"ask_nicely","extra":1}},"authorization_details":[{"type":"x","more":[1]}],
			"scopes":[{"value":"a"}],"a_field_added_later":{"nested":true}}`)
	}))
	defer hs.Close()
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(hs.URL), option.WithToken("t"))
	require.NoError(t, err)
	rs, err := c.ResourceServers.Get(context.Background(), "abc")
	require.NoError(t, err)
	assert.Equal(t, auth0.SigningAlg("ES256K"), rs.SigningAlg)
	assert.Equal(t, auth0.TokenDialect("brand_new"), rs.TokenDialect)
	assert.Nil(t, rs.TokenEncryption)
	assert.Equal(t, "carrier-pigeon", rs.ProofOfPossession.Mechanism)
	assert.Equal(t, "ask_nicely", rs.SubjectTypeAuthorization.UserPolicy)
	assert.JSONEq(t, `{"type":"x","more":[1]}`, string(rs.AuthorizationDetails[0]))
}

func TestSigningSecretNeverPrints(t *testing.T) {
	const secret = "0123456789abcdef-do-not-print"
	c, _, _ := setup(t)
	rs, err := c.ResourceServers.Create(context.Background(), auth0.ResourceServerCreate{Identifier: invoicesAPI, SigningAlg: auth0.SigningAlgHS256, SigningSecret: secret})
	require.NoError(t, err)
	assert.Equal(t, secret, rs.SigningSecret.Reveal())
	js, err := json.Marshal(rs)
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(rs), fmt.Sprintf("%+v", rs), fmt.Sprintf("%#v", rs), fmt.Sprintf("%s", rs.SigningSecret), string(js)} {
		assert.NotContains(t, s, secret)
	}
}
