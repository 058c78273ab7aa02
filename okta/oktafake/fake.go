// Package oktafake is an in-memory, stateful fake of one Okta org: its apps' scope consent
// grants, its custom authorization servers and their scopes, with the org authorization
// server's token endpoint (private_key_jwt, and DPoP when RequireDPoP is set), for tests and
// examples that must run without an org.
//
// It serves the spec the okta client is generated from (derived from Okta's official
// document) and answers with Okta's error body {errorCode, errorSummary, errorLink, errorId,
// errorCauses}. Apps and authorization servers are made in parts of Okta's API that grantkit
// does not cover: add them with AddApp and AddAuthorizationServer. Okta's rules: one grant per
// app, issuer and scope; a grant names a scope its issuer defines (Okta's own okta.* scopes
// on the org issuer, https://{Domain}); scope names unique per server; lists paged by Link
// headers (SetPageSize); per-family rate limits and the concurrency limit (ratelimit.go).
//
//	srv := oktafake.NewServer()
//	defer srv.Close()
//	c, err := okta.New(oktafake.Domain, option.WithBaseURL(srv.URL), okta.WithAPIToken(oktafake.APIToken))
package oktafake

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/okta/oktafake/internal/oas"
)

// The shared part of the fake (the types Fault, Match, Request and Answer, the methods Fail,
// FailNext, Requests, IssueToken…, Server and api) is written from internal/testkit/fake into fake_gen.go.
//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen

// The fake org's domain, the API token it accepts (WithAPIToken) and the client id of its
// OAuth 2.0 service app (WithPrivateKey, with ServiceAppKey).
const (
	Domain   = "grantkit-fake.okta.com"
	APIToken = "00grantkit-fake-okta-api-token"
	ClientID = "0oagrantkitservice01"
	// OrgIssuer is the org authorization server's issuer: grants of Okta's own scopes name it.
	OrgIssuer = "https://" + Domain
)

// Fake is an in-memory Okta org. It is an http.Handler; it is safe for concurrent use.
type Fake struct {
	srv *fake.Server

	mu       sync.Mutex
	apps     map[string]oas.Application
	servers  map[string]*authServer
	grants   map[string]map[string]*oas.OAuth2ScopeConsentGrant // app id → grant id → grant
	pageSize int
	dpop     dpopState
	limits   limits
}

type authServer struct {
	srv    oas.AuthorizationServer
	scopes map[string]*oas.OAuth2Scope
}

// New returns an empty fake org.
func New() *Fake {
	f := &Fake{apps: map[string]oas.Application{}, servers: map[string]*authServer{}, grants: map[string]map[string]*oas.OAuth2ScopeConsentGrant{}}
	f.srv = fake.New(fake.Config{
		ClientID:           ClientID,
		TokenPath:          "/oauth2/v1/token",
		ErrorBody:          func(status int, msg string) []byte { return errorBody(codeFor(status), msg) },
		RateLimit:          rateLimit,
		VerifyTokenRequest: f.verifyTokenRequest,
		TokenBody: func(token string, ttl time.Duration) any {
			typ := "Bearer"
			if f.dpopRequired() {
				typ = "DPoP" // a DPoP-bound token (RFC 9449 section 5)
			}
			return map[string]any{"access_token": token, "token_type": typ, "expires_in": int(ttl.Seconds()), "scope": "okta.appGrants.manage"}
		},
	})
	api := f.api(handler{f}, "/api/v1", "Api validation failed: ")
	f.srv.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), reqKey{}, r)))
	}))
	return f
}

type reqKey struct{}

// ServeHTTP serves the token endpoint at /oauth2/v1/token and the API under /api/v1.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if done := f.limits.enter(w, r); done != nil {
		defer done()
	} else {
		return
	}
	if r.URL.Path == "/oauth2/v1/token" && f.dpopRefused(w, r) {
		return
	}
	f.srv.ServeHTTP(w, r)
}

// SetPageSize makes the fake answer its lists (apps, authorization servers, scopes) n items
// at a time, each page naming the next in a Link header (rel="next", with after and limit, as
// Okta's do). Zero (the default) answers every list whole, as does a request's own limit.
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	f.pageSize = max(n, 0)
	f.mu.Unlock()
}

// AddApp adds an OAuth 2.0 app (OPENID_CONNECT) labelled label and returns its id.
func (f *Fake) AddApp(label string) string { return f.AddAppWithID(newID("0oa"), label) }

// AddAppWithID is AddApp with an id of the caller's choice, for fixtures that must name it in
// advance. It returns id.
func (f *Fake) AddAppWithID(id, label string) string {
	f.mu.Lock()
	f.apps[id] = oas.Application{ID: oas.NewOptString(id), Label: oas.NewOptApplicationLabel(oas.ApplicationLabel(label)),
		Status: oas.NewOptApplicationLifecycleStatus("ACTIVE"), SignOnMode: oas.NewOptApplicationSignOnMode("OPENID_CONNECT"),
		AdditionalProps: oas.ApplicationAdditional{"name": []byte(`"oidc_client"`)}}
	f.mu.Unlock()
	return id
}

// AddAuthorizationServer adds a custom authorization server named name, with audience, and
// returns its id and issuer (https://{Domain}/oauth2/{id}).
func (f *Fake) AddAuthorizationServer(name, audience string) (id, issuer string) {
	return f.AddAuthorizationServerWithID(newID("aus"), name, audience)
}

// AddAuthorizationServerWithID is AddAuthorizationServer with an id of the caller's choice.
func (f *Fake) AddAuthorizationServerWithID(id, name, audience string) (string, string) {
	issuer := OrgIssuer + "/oauth2/" + id
	now := time.Now().UTC().Format(time.RFC3339)
	f.mu.Lock()
	f.servers[id] = &authServer{
		srv: oas.AuthorizationServer{ID: oas.NewOptString(id), Name: oas.NewOptString(name), Audiences: []string{audience},
			Issuer: oas.NewOptString(issuer), IssuerMode: oas.NewOptString("ORG_URL"), Status: oas.NewOptLifecycleStatus("ACTIVE"),
			Created: oas.NewOptString(now), LastUpdated: oas.NewOptString(now)},
		scopes: map[string]*oas.OAuth2Scope{},
	}
	f.mu.Unlock()
	return id, issuer
}

// AddScope defines scope name on authorization server serverID and returns its id, or "" if
// there is no such server.
func (f *Fake) AddScope(serverID, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.servers[serverID]
	if !ok {
		return ""
	}
	sc := newScope(&oas.OAuth2ScopeRequest{Name: name})
	s.scopes[sc.ID.Value] = sc
	return sc.ID.Value
}

// Grant gives app appID the scope on issuer directly, as an admin would, and returns the
// grant's id ("" when the app does not exist).
func (f *Fake) Grant(appID, issuer, scope string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.apps[appID]; !ok {
		return ""
	}
	return f.addGrant(appID, issuer, scope).ID.Value
}

// addGrant stores a grant; the caller holds f.mu.
func (f *Fake) addGrant(appID, issuer, scope string) *oas.OAuth2ScopeConsentGrant {
	now := oas.CreatedProperty(time.Now().UTC().Format("2006-01-02T15:04:05.000Z"))
	g := &oas.OAuth2ScopeConsentGrant{ID: oas.NewOptString(newID("oag")), ClientId: oas.NewOptString(appID), Issuer: oas.NewOptString(issuer),
		ScopeId: oas.NewOptString(scope), Source: oas.NewOptOAuth2ScopeConsentGrantSource("ADMIN"), Status: oas.NewOptGrantOrTokenStatus("ACTIVE"),
		Created: oas.NewOptCreatedProperty(now), LastUpdated: oas.NewOptLastUpdatedProperty(oas.LastUpdatedProperty(now)),
		CreatedBy: oas.NewOptOAuth2Actor(oas.OAuth2Actor{ID: oas.NewOptString(ClientID), Type: oas.NewOptString("Client")})}
	if f.grants[appID] == nil {
		f.grants[appID] = map[string]*oas.OAuth2ScopeConsentGrant{}
	}
	f.grants[appID][g.ID.Value] = g
	return g
}

func newScope(req *oas.OAuth2ScopeRequest) *oas.OAuth2Scope {
	sc := &oas.OAuth2Scope{ID: oas.NewOptString(newID("scp")), Name: oas.NewOptString(req.Name), DisplayName: req.DisplayName,
		Description: req.Description, Consent: req.Consent, MetadataPublish: req.MetadataPublish, Default: req.Default,
		Optional: req.Optional, System: oas.NewOptBool(false)}
	if !sc.Consent.Set {
		sc.Consent.SetTo("IMPLICIT")
	}
	if !sc.MetadataPublish.Set {
		sc.MetadataPublish.SetTo("NO_CLIENTS")
	}
	if !sc.Default.Set {
		sc.Default.SetTo(false)
	}
	if !sc.Optional.Set {
		sc.Optional.SetTo(false)
	}
	return sc
}

// newID makes an Okta-like id: a three-letter prefix and 17 letters and digits.
func newID(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}

// apiError is an answer in Okta's error body.
type apiError struct {
	status  int
	code    string
	summary string
	causes  []string
}

func (e *apiError) Error() string { return e.summary }

// codeFor is Okta's errorCode for a status (the examples of Okta's document).
func codeFor(status int) string {
	switch status {
	case 400:
		return "E0000001"
	case 401:
		return "E0000011"
	case 403:
		return "E0000006"
	case 404:
		return "E0000007"
	case 405:
		return "E0000022"
	case 429:
		return "E0000047"
	}
	return "E0000009"
}

func errorBody(code, summary string, causes ...string) []byte {
	body := map[string]any{"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": newID("oae")}
	cs := []map[string]string{}
	for _, c := range causes {
		cs = append(cs, map[string]string{"errorSummary": c})
	}
	body["errorCauses"] = cs
	b, _ := json.Marshal(body)
	return b
}

func notFound(what string) error {
	return &apiError{status: 404, code: "E0000007", summary: "Not found: Resource not found: " + what}
}

func invalid(field, cause string) error {
	return &apiError{status: 400, code: "E0000001", summary: "Api validation failed: " + field, causes: []string{field + ": " + cause}}
}

type handler struct{ f *Fake }

// HandleApiToken checks the Authorization header: "SSWS {APIToken}", or a token the fake
// issued as "Bearer {token}" (or "DPoP {token}", with its proof, see RequireDPoP).
func (h handler) HandleApiToken(ctx context.Context, _ oas.OperationName, t oas.ApiToken) (context.Context, error) {
	scheme, tok, _ := strings.Cut(t.APIKey, " ")
	switch scheme {
	case "SSWS":
		if tok == APIToken {
			return ctx, nil
		}
		return h.f.srv.Authorize(ctx, tok)
	case "Bearer":
		if h.f.dpopRequired() {
			return ctx, errors.New("a DPoP-bound token is required")
		}
		return h.f.srv.Authorize(ctx, tok)
	case "DPoP":
		r, _ := ctx.Value(reqKey{}).(*http.Request)
		if r == nil || h.f.checkAPIProof(r, tok) != nil {
			return ctx, errors.New("invalid DPoP proof")
		}
		return h.f.srv.Authorize(ctx, tok)
	}
	return ctx, errors.New("no credential")
}

func (h handler) NewError(_ context.Context, err error) *oas.ErrorStatusCode {
	var ae *apiError
	if !errors.As(err, &ae) {
		status := fake.StatusOf(err)
		ae = &apiError{status: status, code: codeFor(status), summary: err.Error()}
		if status == http.StatusUnauthorized {
			ae.summary = "Invalid token provided"
		}
	}
	var b oas.Error
	_ = b.UnmarshalJSON(errorBody(ae.code, ae.summary, ae.causes...))
	return &oas.ErrorStatusCode{StatusCode: ae.status, Response: b}
}

// page cuts items to the page the request's after and limit name and returns the Link header
// values; the caller holds f.mu. ids are the items' ids, in order.
func page[T any](ctx context.Context, f *Fake, items []T, ids []string, after oas.OptString, limit int) ([]T, []string, error) {
	r, _ := ctx.Value(reqKey{}).(*http.Request)
	self := ""
	if r != nil {
		self = "http://" + r.Host + r.URL.Path
	}
	links := []string{"<" + self + ">; rel=\"self\""}
	start := 0
	if a, ok := after.Get(); ok {
		i := slices.Index(ids, a)
		if i < 0 {
			return nil, nil, invalid("after", "the cursor is not valid")
		}
		start = i + 1
	}
	n := f.pageSize
	if limit > 0 && (n == 0 || limit < n) {
		n = limit
	}
	if n > 0 && start+n < len(items) {
		end := start + n
		links = append(links, fmt.Sprintf("<%s?after=%s&limit=%d>; rel=\"next\"", self, ids[end-1], n))
		return items[start:end], links, nil
	}
	return items[start:], links, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (h handler) ListApplications(ctx context.Context, p oas.ListApplicationsParams) (*oas.ListApplicationsOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	ids := sortedKeys(h.f.apps)
	out := make([]oas.Application, len(ids))
	for i, id := range ids {
		out[i] = h.f.apps[id]
	}
	out, links, err := page(ctx, h.f, out, ids, p.After, int(p.Limit.Or(0)))
	if err != nil {
		return nil, err
	}
	return &oas.ListApplicationsOKHeaders{Link: links, Response: out}, nil
}

// app checks that the app exists; the caller holds f.mu.
func (h handler) app(appID string) error {
	if _, ok := h.f.apps[appID]; !ok {
		return notFound(appID + " (AppInstance)")
	}
	return nil
}

func (h handler) ListScopeConsentGrants(_ context.Context, p oas.ListScopeConsentGrantsParams) (*oas.ListScopeConsentGrantsOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if err := h.app(p.AppId); err != nil {
		return nil, err
	}
	gs := h.f.grants[p.AppId]
	out := []oas.OAuth2ScopeConsentGrant{}
	for _, id := range sortedKeys(gs) {
		out = append(out, *gs[id])
	}
	return &oas.ListScopeConsentGrantsOKHeaders{Response: out}, nil
}

func (h handler) GetScopeConsentGrant(_ context.Context, p oas.GetScopeConsentGrantParams) (*oas.OAuth2ScopeConsentGrant, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if err := h.app(p.AppId); err != nil {
		return nil, err
	}
	g, ok := h.f.grants[p.AppId][p.GrantId]
	if !ok {
		return nil, notFound(p.GrantId + " (OAuth2ScopeConsentGrant)")
	}
	c := *g
	return &c, nil
}

// defines reports whether issuer defines scope: Okta's own okta.* scopes on the org issuer,
// a custom server's scopes on its issuer. The caller holds f.mu.
func (f *Fake) defines(issuer, scope string) (known bool, defined bool) {
	if issuer == OrgIssuer {
		return true, strings.HasPrefix(scope, "okta.") && len(scope) > len("okta.")
	}
	for _, s := range f.servers {
		if s.srv.Issuer.Value == issuer {
			for _, sc := range s.scopes {
				if sc.Name.Value == scope {
					return true, true
				}
			}
			return true, false
		}
	}
	return false, false
}

func (h handler) GrantConsentToScope(_ context.Context, req *oas.OAuth2ScopeConsentGrantRequest, p oas.GrantConsentToScopeParams) (*oas.OAuth2ScopeConsentGrant, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if err := h.app(p.AppId); err != nil {
		return nil, err
	}
	known, defined := h.f.defines(req.Issuer, req.ScopeId)
	if !known {
		return nil, invalid("issuer", "The issuer "+req.Issuer+" is not an authorization server of this org")
	}
	if !defined {
		return nil, invalid("scopeId", "The scope "+req.ScopeId+" is not defined by "+req.Issuer)
	}
	for _, g := range h.f.grants[p.AppId] {
		if g.Issuer.Value == req.Issuer && g.ScopeId.Value == req.ScopeId {
			return nil, invalid("scopeId", "The scope "+req.ScopeId+" has already been assigned to this app for "+req.Issuer)
		}
	}
	g := h.f.addGrant(p.AppId, req.Issuer, req.ScopeId)
	c := *g
	return &c, nil
}

func (h handler) RevokeScopeConsentGrant(_ context.Context, p oas.RevokeScopeConsentGrantParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if err := h.app(p.AppId); err != nil {
		return err
	}
	if _, ok := h.f.grants[p.AppId][p.GrantId]; !ok {
		return notFound(p.GrantId + " (OAuth2ScopeConsentGrant)")
	}
	delete(h.f.grants[p.AppId], p.GrantId)
	return nil
}

func (h handler) ListAuthorizationServers(ctx context.Context, p oas.ListAuthorizationServersParams) (*oas.ListAuthorizationServersOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	var out []oas.AuthorizationServer
	var ids []string
	for _, id := range sortedKeys(h.f.servers) {
		s := h.f.servers[id].srv
		if q := p.Q.Or(""); q != "" && !strings.Contains(s.Name.Value, q) && !slices.ContainsFunc(s.Audiences, func(a string) bool { return strings.Contains(a, q) }) {
			continue
		}
		out, ids = append(out, s), append(ids, id)
	}
	out, links, err := page(ctx, h.f, out, ids, p.After, int(p.Limit.Or(0)))
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []oas.AuthorizationServer{}
	}
	return &oas.ListAuthorizationServersOKHeaders{Link: links, Response: out}, nil
}

func (h handler) server(id string) (*authServer, error) {
	s, ok := h.f.servers[id]
	if !ok {
		return nil, notFound(id + " (AuthorizationServer)")
	}
	return s, nil
}

func (h handler) GetAuthorizationServer(_ context.Context, p oas.GetAuthorizationServerParams) (*oas.AuthorizationServer, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.AuthServerId)
	if err != nil {
		return nil, err
	}
	c := s.srv
	return &c, nil
}

func (h handler) ListOAuth2Scopes(ctx context.Context, p oas.ListOAuth2ScopesParams) (*oas.ListOAuth2ScopesOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.AuthServerId)
	if err != nil {
		return nil, err
	}
	out := []oas.OAuth2Scope{}
	var ids []string
	for _, id := range sortedKeys(s.scopes) {
		sc := s.scopes[id]
		if q := p.Q.Or(""); q != "" && !strings.Contains(sc.Name.Value, q) {
			continue
		}
		out, ids = append(out, *sc), append(ids, id)
	}
	out, links, err := page(ctx, h.f, out, ids, p.After, p.Limit.Or(0))
	if err != nil {
		return nil, err
	}
	return &oas.ListOAuth2ScopesOKHeaders{Link: links, Response: out}, nil
}

// checkScope applies Okta's rules to a scope written to s: a name, unique on the server;
// known consent and metadataPublish values. The caller holds f.mu.
func checkScope(s *authServer, req *oas.OAuth2ScopeRequest, self string) error {
	if req.Name == "" {
		return invalid("name", "The field cannot be left blank")
	}
	for id, sc := range s.scopes {
		if id != self && sc.Name.Value == req.Name {
			return invalid("name", "A scope with the name "+req.Name+" already exists")
		}
	}
	if v, ok := req.Consent.Get(); ok && !slices.Contains([]oas.OAuth2ScopeConsentType{"IMPLICIT", "REQUIRED", "FLEXIBLE"}, v) {
		return invalid("consent", "Invalid value "+strconv.Quote(string(v)))
	}
	if v, ok := req.MetadataPublish.Get(); ok && !slices.Contains([]oas.OAuth2ScopeMetadataPublish{"ALL_CLIENTS", "NO_CLIENTS"}, v) {
		return invalid("metadataPublish", "Invalid value "+strconv.Quote(string(v)))
	}
	return nil
}

func (h handler) CreateOAuth2Scope(_ context.Context, req *oas.OAuth2ScopeRequest, p oas.CreateOAuth2ScopeParams) (*oas.OAuth2Scope, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.AuthServerId)
	if err != nil {
		return nil, err
	}
	if err := checkScope(s, req, ""); err != nil {
		return nil, err
	}
	sc := newScope(req)
	s.scopes[sc.ID.Value] = sc
	c := *sc
	return &c, nil
}

func (h handler) scope(serverID, scopeID string) (*authServer, *oas.OAuth2Scope, error) {
	s, err := h.server(serverID)
	if err != nil {
		return nil, nil, err
	}
	sc, ok := s.scopes[scopeID]
	if !ok {
		return nil, nil, notFound(scopeID + " (OAuth2Scope)")
	}
	return s, sc, nil
}

func (h handler) GetOAuth2Scope(_ context.Context, p oas.GetOAuth2ScopeParams) (*oas.OAuth2Scope, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	_, sc, err := h.scope(p.AuthServerId, p.ScopeId)
	if err != nil {
		return nil, err
	}
	c := *sc
	return &c, nil
}

func (h handler) ReplaceOAuth2Scope(_ context.Context, req *oas.OAuth2ScopeRequest, p oas.ReplaceOAuth2ScopeParams) (*oas.OAuth2Scope, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, sc, err := h.scope(p.AuthServerId, p.ScopeId)
	if err != nil {
		return nil, err
	}
	if err := checkScope(s, req, p.ScopeId); err != nil {
		return nil, err
	}
	n := newScope(req)
	n.ID = sc.ID
	s.scopes[p.ScopeId] = n
	c := *n
	return &c, nil
}

func (h handler) DeleteOAuth2Scope(_ context.Context, p oas.DeleteOAuth2ScopeParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, sc, err := h.scope(p.AuthServerId, p.ScopeId)
	if err != nil {
		return err
	}
	delete(s.scopes, p.ScopeId)
	// Consent grants remain valid "until the user, app, authorization server, or scope is
	// deactivated or deleted" (Okta's document, the UserGrant tag).
	for _, gs := range h.f.grants {
		for id, g := range gs {
			if g.Issuer.Value == s.srv.Issuer.Value && g.ScopeId.Value == sc.Name.Value {
				delete(gs, id)
			}
		}
	}
	return nil
}
