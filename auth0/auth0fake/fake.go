// Package auth0fake is an in-memory, stateful fake of the Auth0 Management API's client-grants
// and resource-servers surface and its token endpoint, for tests and examples that must run
// without a tenant.
//
// As at Auth0, a client grant may only be created for an audience that is a resource server's
// identifier, and only with scopes that resource server defines. A new fake has no resource
// server: seed one with AddResourceServer (or through the client's ResourceServers.Create)
// before creating grants on it.
//
// It serves the same OpenAPI description the auth0 client is generated from, so it enforces
// the same validation (scope lengths, required fields) and answers with Auth0's error body.
// Beyond the description it checks what Auth0 checks itself: the values of subject_type,
// organization_usage and default_for, a create's scope, and Auth0's uniqueness rule — one
// grant per client (or default group), audience and subject type, so a client-access and a
// user-access grant of one client on one API coexist. It requires a bearer token it issued,
// from the client-credentials grant with ClientID and ClientSecret or from IssueToken.
// Fail makes chosen requests fail (a Match picks them by method, path pattern and order; a Fault
// says how), and Requests returns what the fake received.
//
//	srv := auth0fake.NewServer()
//	defer srv.Close()
//	srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices")
//	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL),
//		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret))
package auth0fake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/grantkit/grantkit/auth0/auth0fake/internal/oas"
	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// The shared part of the fake (the types Fault, Match, Request and Answer, the methods Fail,
// FailNext, Requests, IssueToken…, Server and api) is written from internal/testkit/fake into fake_gen.go.
//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen

// The client credentials the fake's token endpoint accepts.
const (
	ClientID     = "grantkit-fake-client"
	ClientSecret = "grantkit-fake-secret-Zq7!"
)

// Fake is an in-memory Auth0 tenant. It is an http.Handler: mount it anywhere, or use
// NewServer. It is safe for concurrent use.
type Fake struct {
	srv *fake.Server

	mu      sync.Mutex
	grants  map[string]*oas.ClientGrant
	orgs    map[string][]oas.Organization // by grant id
	clients map[string]bool               // the tenant's clients (applications), by client id
	rs      resourceServers               // the tenant's APIs (resourceservers.go)
}

// New returns an empty fake tenant.
func New() *Fake {
	f := &Fake{grants: map[string]*oas.ClientGrant{}, orgs: map[string][]oas.Organization{}, clients: map[string]bool{ClientID: true}}
	f.srv = fake.New(fake.Config{
		ClientID:     ClientID,
		ClientSecret: ClientSecret,
		TokenPath:    "/oauth/token",
		ErrorBody:    errorBody,
		RateLimit:    rateLimit,
		CheckTokenRequest: func(r *http.Request) string {
			if r.PostForm.Get("audience") == "" {
				return "audience is required"
			}
			return ""
		},
	})
	f.srv.SetAPI(f.api(handler{f}, "/api/v2", "Payload validation error: "))
	return f
}

// ServeHTTP serves the token endpoint at /oauth/token and the API under /api/v2.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.srv.ServeHTTP(w, r) }

// AddClient adds clients (applications) with these client ids to the tenant, as creating
// them in Auth0's dashboard or with POST /api/v2/clients would. As at Auth0, a grant can only
// be created for a client that exists: any other client_id is answered 404 "Client not found".
// The fake's own management client (ClientID) exists from the start.
func (f *Fake) AddClient(clientIDs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range clientIDs {
		f.clients[id] = true
	}
}

// AddOrganization associates an organization with grant grantID, as the Organizations API
// would; it reports whether the grant exists. The organization carries third-party client
// access "block", as Auth0 answers for an organization created without that setting, and an
// inactive app entitlement.
func (f *Fake) AddOrganization(grantID, orgID, name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.grants[grantID]; !ok {
		return false
	}
	f.orgs[grantID] = append(f.orgs[grantID], oas.Organization{
		ID: oas.NewOptString(orgID), Name: oas.NewOptString(name), DisplayName: oas.NewOptString(name),
		ThirdPartyClientAccess: oas.NewOptString("block"), IsAppEntitlementActive: oas.NewOptBool(false),
	})
	return true
}

// AddSystemGrant stores a grant flagged is_system, which Auth0 does not let callers modify or
// delete, and returns its id.
func (f *Fake) AddSystemGrant(clientID, audience string, scope ...string) string {
	g := &oas.ClientGrant{
		ID: oas.NewOptString(fake.NewID("cgr_")), ClientID: oas.NewOptString(clientID),
		Audience: oas.NewOptString(audience), Scope: oas.NewOptNilStringArray(append([]string{}, scope...)),
		IsSystem: oas.NewOptBool(true), SubjectType: oas.NewOptString("client"),
	}
	f.mu.Lock()
	f.grants[g.ID.Value] = g
	f.clients[clientID] = true
	f.mu.Unlock()
	return g.ID.Value
}

// apiError is an Auth0 error the handler returns; NewError turns it into the response.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorBody(status int, message string) []byte {
	b, _ := json.Marshal(map[string]any{"statusCode": status, "error": http.StatusText(status), "message": message})
	return b
}

// handler implements the generated server interfaces over the Fake's state.
type handler struct{ f *Fake }

func (h handler) HandleBearerAuth(ctx context.Context, _ oas.OperationName, t oas.BearerAuth) (context.Context, error) {
	return h.f.srv.Authorize(ctx, t.Token)
}

func (h handler) NewError(_ context.Context, err error) *oas.ErrorStatusCodeWithHeaders {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: fake.StatusOf(err), msg: err.Error()}
		if ae.status == http.StatusUnauthorized {
			// Auth0's own answer to a token it does not accept, never the generated server's
			// text (which names its operation and security scheme).
			ae.msg = "Invalid token"
		}
	}
	body := oas.Error{
		StatusCode: oas.NewOptInt(ae.status),
		Error:      oas.NewOptString(http.StatusText(ae.status)),
		Message:    oas.NewOptString(ae.msg),
	}
	if ae.code != "" {
		body.ErrorCode = oas.NewOptString(ae.code)
	}
	return &oas.ErrorStatusCodeWithHeaders{StatusCode: ae.status, Response: body}
}

func notFound() error {
	return &apiError{status: http.StatusNotFound, code: "inexistent_client_grant", msg: "The client grant does not exist"}
}

func (h handler) ListClientGrants(_ context.Context, p oas.ListClientGrantsParams) (oas.ListClientGrantsOK, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if p.ClientID.IsSet() && p.DefaultFor.IsSet() {
		return oas.ListClientGrantsOK{}, invalidQuery("default_for cannot be combined with client_id")
	}
	var all []oas.ClientGrant
	for _, g := range h.f.grants {
		if p.Audience.IsSet() && g.Audience.Value != p.Audience.Value ||
			p.ClientID.IsSet() && g.ClientID.Value != p.ClientID.Value ||
			p.DefaultFor.IsSet() && g.DefaultFor.Value != string(p.DefaultFor.Value) ||
			p.SubjectType.IsSet() && access(g.SubjectType.Value) != string(p.SubjectType.Value) ||
			p.AllowAnyOrganization.IsSet() && !g.AllowAnyOrganization.Value {
			continue
		}
		all = append(all, clone(g))
	}
	slices.SortFunc(all, func(a, b oas.ClientGrant) int { return strings.Compare(a.ID.Value, b.ID.Value) })

	switch {
	case p.Take.IsSet() || p.From.IsSet():
		items, next := checkpoint(all, p.From.Or(""), p.Take.Or(50), func(g oas.ClientGrant) string { return g.ID.Value })
		page := oas.ClientGrantPage{ClientGrants: items}
		if next != "" {
			page.Next = oas.NewOptString(next)
		}
		return oas.NewClientGrantPageListClientGrantsOK(page), nil
	case p.PerPage.IsSet() || p.Page.IsSet():
		per, pg := p.PerPage.Or(50), p.Page.Or(0)
		start := min(pg*per, len(all))
		items := all[start:min(start+per, len(all))]
		if p.IncludeTotals.Or(false) {
			return oas.NewClientGrantPageListClientGrantsOK(oas.ClientGrantPage{
				ClientGrants: items, Start: oas.NewOptInt(start), Limit: oas.NewOptInt(per), Total: oas.NewOptInt(len(all)),
			}), nil
		}
		return oas.NewClientGrantArrayListClientGrantsOK(items), nil
	default:
		return oas.NewClientGrantArrayListClientGrantsOK(all), nil
	}
}

// checkpoint returns up to take items starting at the one whose id is from, and the id that
// starts the next page. Auth0's checkpoints are opaque; the fake's are ids.
func checkpoint[T any](all []T, from string, take int, id func(T) string) ([]T, string) {
	start := 0
	if from != "" {
		start = len(all)
		for i, it := range all {
			if id(it) >= from {
				start = i
				break
			}
		}
	}
	end := min(start+take, len(all))
	next := ""
	if end < len(all) {
		next = id(all[end])
	}
	return all[start:end], next
}

func clone(g *oas.ClientGrant) oas.ClientGrant {
	c := *g
	c.Scope.Value = slices.Clone(g.Scope.Value)
	c.AuthorizationDetailsTypes = slices.Clone(g.AuthorizationDetailsTypes)
	return c
}

// The values Auth0 accepts for its enum fields. The OpenAPI description leaves them open
// (grantkit sends what its caller gives), so the fake checks them here, as Auth0 does; its
// subject types include anonymous_user, which Auth0 accepts though its reference lists only
// client and user.
var (
	subjectTypes       = []string{"client", "user", "anonymous_user"}
	organizationUsages = []string{"deny", "allow", "require"}
	defaultFors        = []string{"third_party_clients"}
)

// access is a grant's kind of access: its subject_type, "client" when it has none.
func access(subjectType string) string {
	if subjectType == "" {
		return "client"
	}
	return subjectType
}

// invalidBody is Auth0's answer to a body that breaks one of its rules.
func invalidBody(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, code: "invalid_body", msg: "Payload validation error: " + fmt.Sprintf(format, args...)}
}

func invalidQuery(msg string) error {
	return &apiError{status: http.StatusBadRequest, code: "invalid_query_string", msg: "Query validation error: " + msg}
}

func checkEnum(field, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return invalidBody("'No enum match for: %q' on property %s", v, field)
}

func (h handler) CreateClientGrant(_ context.Context, req *oas.CreateClientGrantRequest) (*oas.ClientGrant, error) {
	clientID, defaultFor := req.ClientID.Or(""), string(req.DefaultFor.Or(""))
	switch {
	case req.ClientID.IsSet() && req.DefaultFor.IsSet():
		return nil, invalidBody("client_id and default_for are mutually exclusive")
	case clientID == "" && defaultFor == "":
		return nil, invalidBody("Missing required property: client_id")
	// Auth0 requires scope, even [], unless every scope is allowed; with allow_all_scopes
	// it refuses a list of scopes.
	case req.Scope == nil && !req.AllowAllScopes.Or(false):
		return nil, invalidBody("Missing required property: scope")
	case len(req.Scope) > 0 && req.AllowAllScopes.Or(false):
		return nil, invalidBody("scope cannot be provided when allow_all_scopes is true")
	}
	if req.DefaultFor.IsSet() {
		if err := checkEnum("default_for", defaultFor, defaultFors); err != nil {
			return nil, err
		}
	}
	subject := string(req.SubjectType.Or("client"))
	if err := checkEnum("subject_type", subject, subjectTypes); err != nil {
		return nil, err
	}
	if v, ok := req.OrganizationUsage.Get(); ok {
		if err := checkEnum("organization_usage", string(v), organizationUsages); err != nil {
			return nil, err
		}
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if clientID != "" && !h.f.clients[clientID] {
		// Auth0's reference documents 404 "Client not found" for this create.
		return nil, &apiError{status: http.StatusNotFound, msg: "Client not found"}
	}
	if err := h.f.checkGrant(req.Audience, req.Scope); err != nil {
		return nil, err
	}
	// Auth0's uniqueness rule: one grant per client (or default group), audience and subject
	// type. The message is the one Auth0 gives; its reference documents no body for this 409.
	for _, g := range h.f.grants {
		if g.ClientID.Value == clientID && g.DefaultFor.Value == defaultFor && g.Audience.Value == req.Audience &&
			access(g.SubjectType.Value) == subject {
			owner := clientID
			if owner == "" {
				owner = defaultFor
			}
			return nil, &apiError{status: http.StatusConflict,
				msg: "A client grant already exists between " + owner + " and " + req.Audience}
		}
	}
	g := &oas.ClientGrant{
		ID:                        oas.NewOptString(fake.NewID("cgr_")),
		Audience:                  oas.NewOptString(req.Audience),
		Scope:                     oas.NewOptNilStringArray(append([]string{}, req.Scope...)),
		AuthorizationDetailsTypes: slices.Clone(req.AuthorizationDetailsTypes),
		// As Auth0 answers (../shared/vendor-recordings): allow_any_organization and
		// allow_all_scopes only when the create sent them, is_system never for a grant a
		// caller made, subject_type always.
		AllowAnyOrganization: req.AllowAnyOrganization,
		AllowAllScopes:       req.AllowAllScopes,
		SubjectType:          oas.NewOptString(subject),
	}
	// A default grant has no client_id in Auth0's answers, only default_for.
	if clientID != "" {
		g.ClientID = oas.NewOptString(clientID)
	}
	if defaultFor != "" {
		g.DefaultFor = oas.NewOptString(defaultFor)
	}
	if v, ok := req.OrganizationUsage.Get(); ok {
		g.OrganizationUsage = oas.NewOptString(string(v))
	}
	h.f.grants[g.ID.Value] = g
	c := clone(g)
	return &c, nil
}

func (h handler) GetClientGrant(_ context.Context, p oas.GetClientGrantParams) (*oas.ClientGrant, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	g, ok := h.f.grants[p.ID]
	if !ok {
		return nil, notFound()
	}
	c := clone(g)
	return &c, nil
}

// UpdateClientGrant applies a PATCH: an absent field is kept, null clears it (an empty scope
// list, or the field removed), [] and values replace it.
func (h handler) UpdateClientGrant(_ context.Context, req *oas.UpdateClientGrantRequest, p oas.UpdateClientGrantParams) (*oas.ClientGrant, error) {
	if v, ok := req.OrganizationUsage.Get(); ok {
		if err := checkEnum("organization_usage", v, organizationUsages); err != nil {
			return nil, err
		}
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	g, ok := h.f.grants[p.ID]
	if !ok {
		return nil, notFound()
	}
	if g.IsSystem.Value {
		return nil, &apiError{status: http.StatusForbidden, code: "operation_not_supported", msg: "System grants cannot be modified"}
	}
	if err := h.f.checkGrantScopes(g.Audience.Value, req.Scope.Value); err != nil {
		return nil, err
	}
	if req.Scope.IsSet() {
		g.Scope = oas.NewOptNilStringArray(append([]string{}, req.Scope.Value...)) // null and [] both leave no scopes
	}
	if req.OrganizationUsage.IsSet() {
		g.OrganizationUsage = oas.OptString{}
		if !req.OrganizationUsage.IsNull() {
			g.OrganizationUsage = oas.NewOptString(req.OrganizationUsage.Value)
		}
	}
	if req.AllowAnyOrganization.IsSet() {
		g.AllowAnyOrganization = oas.NewOptBool(req.AllowAnyOrganization.Or(false))
	}
	if req.AuthorizationDetailsTypes != nil {
		g.AuthorizationDetailsTypes = slices.Clone(req.AuthorizationDetailsTypes)
	}
	if req.AllowAllScopes.IsSet() {
		g.AllowAllScopes = oas.NewOptBool(req.AllowAllScopes.Or(false))
	}
	c := clone(g)
	return &c, nil
}

func (h handler) DeleteClientGrant(_ context.Context, p oas.DeleteClientGrantParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	g, ok := h.f.grants[p.ID]
	if !ok {
		// Auth0 answers 204 to a DELETE of a grant that does not exist, a second DELETE of
		// the same id included (every DELETE in ../shared/vendor-recordings does).
		return nil
	}
	if g.IsSystem.Value {
		return &apiError{status: http.StatusForbidden, code: "operation_not_supported", msg: "System grants cannot be deleted"}
	}
	delete(h.f.grants, p.ID)
	delete(h.f.orgs, p.ID)
	return nil
}

func (h handler) ListClientGrantOrganizations(_ context.Context, p oas.ListClientGrantOrganizationsParams) (oas.ListClientGrantOrganizationsOK, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if _, ok := h.f.grants[p.ID]; !ok {
		return oas.ListClientGrantOrganizationsOK{}, notFound()
	}
	all := slices.Clone(h.f.orgs[p.ID])
	slices.SortFunc(all, func(a, b oas.Organization) int { return strings.Compare(a.ID.Value, b.ID.Value) })
	switch {
	case p.Take.IsSet() || p.From.IsSet():
		items, next := checkpoint(all, p.From.Or(""), p.Take.Or(50), func(o oas.Organization) string { return o.ID.Value })
		page := oas.OrganizationPage{Organizations: items}
		if next != "" {
			page.Next = oas.NewOptString(next)
		}
		return oas.NewOrganizationPageListClientGrantOrganizationsOK(page), nil
	case p.PerPage.IsSet() || p.Page.IsSet():
		per, pg := p.PerPage.Or(50), p.Page.Or(0)
		start := min(pg*per, len(all))
		items := all[start:min(start+per, len(all))]
		if p.IncludeTotals.Or(false) {
			return oas.NewOrganizationPageListClientGrantOrganizationsOK(oas.OrganizationPage{
				Organizations: items, Start: oas.NewOptInt(start), Limit: oas.NewOptInt(per), Total: oas.NewOptInt(len(all)),
			}), nil
		}
		return oas.NewOrganizationArrayListClientGrantOrganizationsOK(items), nil
	default:
		return oas.NewOrganizationArrayListClientGrantOrganizationsOK(all), nil
	}
}
