// Package pingonefake is an in-memory, stateful fake of one PingOne environment: its
// applications, resources, resource scopes and application resource grants, with the
// environment's token endpoint, for tests and examples that must run without an account.
//
// It serves the same OpenAPI description the pingone client is generated from and answers with
// PingOne's error body. Applications and resources are created in parts of PingOne's API that
// grantkit does not cover: create them here with AddApplication and AddResource. Resource scopes
// are served (create, read, update, delete, with PingOne's unique-name rule; deleting a scope
// takes it out of the grants that held it), and AddScope seeds one directly.
// Fail makes chosen requests fail (a Match picks them by method, path pattern and order; a Fault
// says how), and Requests returns what the fake received.
//
//	srv := pingonefake.NewServer()
//	defer srv.Close()
//	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL),
//		pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret))
package pingonefake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/pingone/pingonefake/internal/oas"
)

// The shared part of the fake (the types Fault, Match, Request and Answer, the methods Fail,
// FailNext, Requests, IssueToken…, Server and api) is written from internal/testkit/fake into fake_gen.go.
//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen

// The fake's environment and the worker application credentials its token endpoint accepts
// (client_secret_basic or client_secret_post).
const (
	EnvironmentID = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"
	ClientID      = "9b1f2c3d-0000-4000-8000-00000000c11e"
	ClientSecret  = "grantkit-fake-pingone-secret"
)

// Fake is an in-memory PingOne environment. It is an http.Handler; it is safe for concurrent use.
type Fake struct {
	srv *fake.Server

	mu        sync.Mutex
	apps      map[string]oas.Application
	resources map[string]*resource
	grants    map[string]map[string]*oas.ApplicationResourceGrant // app id → grant id → grant
	pageSize  int
}

type resource struct {
	res    oas.Resource
	scopes map[string]oas.ResourceScope
}

// New returns an empty fake environment.
func New() *Fake {
	f := &Fake{apps: map[string]oas.Application{}, resources: map[string]*resource{}, grants: map[string]map[string]*oas.ApplicationResourceGrant{}}
	f.srv = fake.New(fake.Config{
		ClientID:     ClientID,
		ClientSecret: ClientSecret,
		TokenPath:    "/" + EnvironmentID + "/as/token",
		ErrorBody:    func(status int, msg string) []byte { return errorBody(codeFor(status), msg, "", "") },
		RateLimit:    rateLimit,
	})
	api := f.api(handler{f}, "/v1", "")
	// The generated server hands handlers typed parameters only; PingOne's paging lives in
	// the query of its next links, which the handlers read from the context.
	f.srv.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), queryKey{}, r.URL.Query())))
	}))
	return f
}

type queryKey struct{}

// SetPageSize makes the fake answer its collections n items at a time, each page linking the
// next in _links.next (with an opaque ?cursor=, as PingOne's paged collections do). Zero (the
// default) answers every collection whole.
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	f.pageSize = max(n, 0)
	f.mu.Unlock()
}

// page cuts a collection to the page the request's cursor names and returns the page's links,
// the collection's count and the page's size; the caller holds f.mu.
func page[T any](ctx context.Context, f *Fake, self string, items []T) ([]T, oas.OptLinksHATEOAS, oas.OptInt, oas.OptInt, error) {
	all := len(items)
	pairs := []string{"self", self}
	if f.pageSize > 0 {
		q, _ := ctx.Value(queryKey{}).(url.Values)
		start := 0
		if c := q.Get("cursor"); c != "" {
			raw, err := base64.RawURLEncoding.DecodeString(c)
			n, cerr := strconv.Atoi(string(raw))
			if err != nil || cerr != nil || n < 0 || n > all {
				return nil, oas.OptLinksHATEOAS{}, oas.OptInt{}, oas.OptInt{}, invalid("cursor", "The cursor is not valid")
			}
			start = n
		}
		end := min(start+f.pageSize, all)
		if end < all {
			cursor := base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
			pairs = append(pairs, "next", fmt.Sprintf("%s?cursor=%s&limit=%d", self, cursor, f.pageSize))
		}
		items = items[start:end]
	}
	return items, links(pairs...), oas.NewOptInt(all), oas.NewOptInt(len(items)), nil
}

// ServeHTTP serves the token endpoint at /{EnvironmentID}/as/token and the API under /v1.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.srv.ServeHTTP(w, r) }

// AddApplication creates an OpenID Connect worker application and returns its id.
func (f *Fake) AddApplication(name string) string { return f.AddApplicationWithID(uuid(), name) }

// AddApplicationWithID is AddApplication with an id of the caller's choice, for fixtures that
// must name it in advance. It returns id.
func (f *Fake) AddApplicationWithID(id, name string) string {
	f.mu.Lock()
	f.apps[id] = oas.Application{ID: oas.NewOptString(id), Name: oas.NewOptString(name), Type: oas.NewOptString("WORKER"),
		Protocol: oas.NewOptString("OPENID_CONNECT"), Enabled: oas.NewOptBool(true)}
	f.mu.Unlock()
	return id
}

// AddResource creates a custom resource (an API) and returns its id.
func (f *Fake) AddResource(name, audience string) string {
	return f.AddResourceWithID(uuid(), name, audience)
}

// AddResourceWithID is AddResource with an id of the caller's choice. It returns id.
func (f *Fake) AddResourceWithID(id, name, audience string) string {
	f.mu.Lock()
	f.resources[id] = &resource{
		res: oas.Resource{ID: oas.NewOptString(id), Name: oas.NewOptString(name), Type: oas.NewOptString("CUSTOM"),
			Audience: oas.NewOptString(audience), AccessTokenValiditySeconds: oas.NewOptInt(3600)},
		scopes: map[string]oas.ResourceScope{},
	}
	f.mu.Unlock()
	return id
}

// AddScope creates a scope named name on resource resourceID and returns its id, or "" if the
// resource does not exist.
func (f *Fake) AddScope(resourceID, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.resources[resourceID]
	if !ok {
		return ""
	}
	id := uuid()
	r.scopes[id] = oas.ResourceScope{ID: oas.NewOptString(id), Name: oas.NewOptString(name),
		Resource: oas.NewOptObjectID(oas.ObjectID{ID: oas.NewOptString(resourceID)})}
	return id
}

func uuid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type apiError struct {
	status      int
	code, msg   string
	target, det string
	detCode     string // INVALID_VALUE unless set
}

func (e *apiError) Error() string { return e.msg }

func codeFor(status int) string {
	switch status {
	case 400:
		return "INVALID_DATA"
	case 401:
		return "ACCESS_FAILED"
	case 403:
		return "ACCESS_FAILED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "UNIQUENESS_VIOLATION"
	case 429:
		return "REQUEST_LIMITED"
	}
	return "UNEXPECTED_ERROR"
}

func errorBody(code, msg, target, detail string, detailCode ...string) []byte {
	body := map[string]any{"id": uuid(), "code": code, "message": msg}
	if target != "" {
		dc := "INVALID_VALUE"
		if len(detailCode) > 0 && detailCode[0] != "" {
			dc = detailCode[0]
		}
		body["details"] = []map[string]string{{"code": dc, "target": target, "message": detail}}
	}
	b, _ := json.Marshal(body)
	return b
}

func notFound(what string) error {
	return &apiError{status: 404, code: "NOT_FOUND", msg: "Unable to find " + what}
}

func invalid(target, detail string) error {
	return &apiError{status: 400, code: "INVALID_DATA", msg: "The request could not be completed. One or more validation errors were in the request.", target: target, det: detail}
}

type handler struct{ f *Fake }

func (h handler) HandleBearer(ctx context.Context, _ oas.OperationName, t oas.Bearer) (context.Context, error) {
	return h.f.srv.Authorize(ctx, t.Token)
}

func (h handler) NewError(_ context.Context, err error) *oas.ErrorStatusCodeWithHeaders {
	var ae *apiError
	if !errors.As(err, &ae) {
		status := fake.StatusOf(err)
		ae = &apiError{status: status, code: codeFor(status), msg: err.Error()}
		if status == http.StatusUnauthorized {
			ae.msg = "The request could not be completed. You do not have access to this resource."
		}
	}
	var b oas.P1Error
	_ = b.UnmarshalJSON(errorBody(ae.code, ae.msg, ae.target, ae.det, ae.detCode))
	return &oas.ErrorStatusCodeWithHeaders{StatusCode: ae.status, Response: b}
}

func (h handler) env(id string) error {
	if id != EnvironmentID {
		return notFound("environment " + id)
	}
	return nil
}

func links(pairs ...string) oas.OptLinksHATEOAS {
	l := oas.LinksHATEOAS{}
	for i := 0; i+1 < len(pairs); i += 2 {
		l[pairs[i]] = oas.Link{Href: oas.NewOptString("https://api.pingone.com/v1" + pairs[i+1])}
	}
	return oas.NewOptLinksHATEOAS(l)
}

func (h handler) ReadAllApplications(ctx context.Context, p oas.ReadAllApplicationsParams) (*oas.ApplicationList, error) {
	if err := h.env(p.EnvironmentID); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	out := []oas.Application{}
	for _, id := range sortedKeys(h.f.apps) {
		out = append(out, h.f.apps[id])
	}
	out, l, count, size, err := page(ctx, h.f, "/environments/"+p.EnvironmentID+"/applications", out)
	if err != nil {
		return nil, err
	}
	return &oas.ApplicationList{Links: l, Embedded: oas.NewOptApplicationListEmbedded(oas.ApplicationListEmbedded{Applications: out}),
		Count: count, Size: size}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// app checks the environment and application; the caller holds f.mu.
func (h handler) app(env, appID string) error {
	if err := h.env(env); err != nil {
		return err
	}
	if _, ok := h.f.apps[appID]; !ok {
		return notFound("application " + appID)
	}
	return nil
}

func (h handler) ReadAllApplicationGrants(ctx context.Context, p oas.ReadAllApplicationGrantsParams) (*oas.GrantList, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if err := h.app(p.EnvironmentID, p.ApplicationID); err != nil {
		return nil, err
	}
	out := []oas.ApplicationResourceGrant{}
	gs := h.f.grants[p.ApplicationID]
	for _, id := range sortedKeys(gs) {
		out = append(out, clone(gs[id]))
	}
	out, l, count, size, err := page(ctx, h.f, "/environments/"+p.EnvironmentID+"/applications/"+p.ApplicationID+"/grants", out)
	if err != nil {
		return nil, err
	}
	return &oas.GrantList{Links: l, Embedded: oas.NewOptGrantListEmbedded(oas.GrantListEmbedded{Grants: out}), Count: count, Size: size}, nil
}

func clone(g *oas.ApplicationResourceGrant) oas.ApplicationResourceGrant {
	c := *g
	c.Scopes = slices.Clone(g.Scopes)
	return c
}

// checkScopes verifies the request's resource and scopes; the caller holds f.mu.
func (h handler) checkScopes(req *oas.ApplicationResourceGrantRequest) ([]oas.ObjectID, error) {
	r, ok := h.f.resources[req.Resource.ID]
	if !ok {
		return nil, invalid("resource.id", "Resource "+req.Resource.ID+" does not exist")
	}
	out := make([]oas.ObjectID, len(req.Scopes))
	for i, s := range req.Scopes {
		if _, ok := r.scopes[s.ID]; !ok {
			return nil, invalid(fmt.Sprintf("scopes[%d].id", i), "Scope "+s.ID+" is not a scope of resource "+req.Resource.ID)
		}
		out[i] = oas.ObjectID{ID: oas.NewOptString(s.ID), AdditionalProps: oas.ObjectIDAdditional(maps.Clone(s.AdditionalProps))}
	}
	return out, nil
}

func (h handler) CreateApplicationGrant(_ context.Context, req *oas.ApplicationResourceGrantRequest, p oas.CreateApplicationGrantParams) (*oas.ApplicationResourceGrant, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if err := h.app(p.EnvironmentID, p.ApplicationID); err != nil {
		return nil, err
	}
	scopes, err := h.checkScopes(req)
	if err != nil {
		return nil, err
	}
	// One grant per application and resource. PingOne's pages do not say what a second one
	// answers; the fake assumes the 409 the official document lists for CREATE Grant, with
	// PingOne's uniqueness detail code on resource.id (specs/README.md).
	for _, g := range h.f.grants[p.ApplicationID] {
		if g.Resource.Value.ID.Value == req.Resource.ID {
			return nil, &apiError{status: 409, code: "UNIQUENESS_VIOLATION", msg: "A grant for this resource already exists",
				target: "resource.id", det: "The application already has a grant for resource " + req.Resource.ID, detCode: "UNIQUENESS_VIOLATION"}
		}
	}
	id := uuid()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	base := "/environments/" + p.EnvironmentID + "/applications/" + p.ApplicationID
	g := &oas.ApplicationResourceGrant{
		Links:       links("self", base+"/grants/"+id, "environment", "/environments/"+p.EnvironmentID, "application", base, "resource", "/environments/"+p.EnvironmentID+"/resources/"+req.Resource.ID),
		ID:          oas.NewOptString(id),
		Environment: oas.NewOptObjectID(oas.ObjectID{ID: oas.NewOptString(p.EnvironmentID)}),
		Resource:    oas.NewOptObjectID(oas.ObjectID{ID: oas.NewOptString(req.Resource.ID), AdditionalProps: oas.ObjectIDAdditional(maps.Clone(req.Resource.AdditionalProps))}),
		Application: oas.NewOptObjectID(oas.ObjectID{ID: oas.NewOptString(p.ApplicationID)}),
		Scopes:      scopes,
		CreatedAt:   oas.NewOptString(now),
		UpdatedAt:   oas.NewOptString(now),
		// What a client sends that the fake does not model is stored and answered back.
		AdditionalProps: oas.ApplicationResourceGrantAdditional(maps.Clone(req.AdditionalProps)),
	}
	if h.f.grants[p.ApplicationID] == nil {
		h.f.grants[p.ApplicationID] = map[string]*oas.ApplicationResourceGrant{}
	}
	h.f.grants[p.ApplicationID][id] = g
	c := clone(g)
	return &c, nil
}

// grant finds a grant; the caller holds f.mu.
func (h handler) grant(env, appID, grantID string) (*oas.ApplicationResourceGrant, error) {
	if err := h.app(env, appID); err != nil {
		return nil, err
	}
	g, ok := h.f.grants[appID][grantID]
	if !ok {
		return nil, notFound("grant " + grantID)
	}
	return g, nil
}

func (h handler) ReadOneApplicationGrant(_ context.Context, p oas.ReadOneApplicationGrantParams) (*oas.ApplicationResourceGrant, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	g, err := h.grant(p.EnvironmentID, p.ApplicationID, p.GrantID)
	if err != nil {
		return nil, err
	}
	c := clone(g)
	return &c, nil
}

// UpdateApplicationGrant replaces the scopes; resource.id must be the grant's own resource.
func (h handler) UpdateApplicationGrant(_ context.Context, req *oas.ApplicationResourceGrantRequest, p oas.UpdateApplicationGrantParams) (*oas.ApplicationResourceGrant, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	g, err := h.grant(p.EnvironmentID, p.ApplicationID, p.GrantID)
	if err != nil {
		return nil, err
	}
	if req.Resource.ID != g.Resource.Value.ID.Value {
		return nil, invalid("resource.id", "The resource of a grant cannot be changed")
	}
	scopes, err := h.checkScopes(req)
	if err != nil {
		return nil, err
	}
	// PUT replaces the grant: its scopes and whatever else the request carries.
	g.Scopes = scopes
	res := g.Resource.Value
	res.AdditionalProps = oas.ObjectIDAdditional(maps.Clone(req.Resource.AdditionalProps))
	g.Resource.SetTo(res)
	g.AdditionalProps = oas.ApplicationResourceGrantAdditional(maps.Clone(req.AdditionalProps))
	g.UpdatedAt = oas.NewOptString(time.Now().UTC().Format(time.RFC3339Nano))
	c := clone(g)
	return &c, nil
}

func (h handler) DeleteApplicationGrant(_ context.Context, p oas.DeleteApplicationGrantParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if _, err := h.grant(p.EnvironmentID, p.ApplicationID, p.GrantID); err != nil {
		return err
	}
	delete(h.f.grants[p.ApplicationID], p.GrantID)
	return nil
}

func (h handler) ReadAllResources(ctx context.Context, p oas.ReadAllResourcesParams) (*oas.ResourceList, error) {
	if err := h.env(p.EnvironmentID); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	out := []oas.Resource{}
	for _, id := range sortedKeys(h.f.resources) {
		out = append(out, h.f.resources[id].res)
	}
	out, l, count, size, err := page(ctx, h.f, "/environments/"+p.EnvironmentID+"/resources", out)
	if err != nil {
		return nil, err
	}
	return &oas.ResourceList{Links: l, Embedded: oas.NewOptResourceListEmbedded(oas.ResourceListEmbedded{Resources: out}), Count: count, Size: size}, nil
}

func (h handler) ReadOneResource(_ context.Context, p oas.ReadOneResourceParams) (*oas.Resource, error) {
	if err := h.env(p.EnvironmentID); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	r, ok := h.f.resources[p.ResourceID]
	if !ok {
		return nil, notFound("resource " + p.ResourceID)
	}
	res := r.res
	return &res, nil
}

func (h handler) ReadAllResourceScopes(ctx context.Context, p oas.ReadAllResourceScopesParams) (*oas.ResourceScopeList, error) {
	if err := h.env(p.EnvironmentID); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	r, ok := h.f.resources[p.ResourceID]
	if !ok {
		return nil, notFound("resource " + p.ResourceID)
	}
	out := []oas.ResourceScope{}
	for _, id := range sortedKeys(r.scopes) {
		out = append(out, r.scopes[id])
	}
	out, l, count, size, err := page(ctx, h.f, "/environments/"+p.EnvironmentID+"/resources/"+p.ResourceID+"/scopes", out)
	if err != nil {
		return nil, err
	}
	return &oas.ResourceScopeList{Links: l, Embedded: oas.NewOptResourceScopeListEmbedded(oas.ResourceScopeListEmbedded{Scopes: out}), Count: count, Size: size}, nil
}

// scopeResource returns the resource of a scope request; the caller holds f.mu.
func (h handler) scopeResource(env, resourceID string) (*resource, error) {
	if err := h.env(env); err != nil {
		return nil, err
	}
	r, ok := h.f.resources[resourceID]
	if !ok {
		return nil, notFound("resource " + resourceID)
	}
	return r, nil
}

// uniqueName refuses a scope name the resource already gives another scope: PingOne documents
// names as unique within their resource. The answer's shape (400 INVALID_DATA with a
// UNIQUENESS_VIOLATION detail on name) is PingOne's documented detail code for such a value;
// the caller holds f.mu.
func uniqueName(r *resource, name, except string) error {
	// A scope is one token of the space-separated scope list PingOne's authorize and token
	// endpoints take, so the fake refuses a name no token request could carry (the rule the
	// client checks; specs/README.md says where it comes from). No length is refused: PingOne
	// documents none.
	if name == "" || strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return invalid("name", "a scope name is one scope token: not empty, no whitespace or control character")
	}
	for id, sc := range r.scopes {
		if id != except && sc.Name.Value == name {
			return &apiError{status: 400, code: "INVALID_DATA", msg: "The request could not be completed. One or more validation errors were in the request.",
				target: "name", det: "A scope named " + name + " already exists for this resource", detCode: "UNIQUENESS_VIOLATION"}
		}
	}
	return nil
}

func cloneScope(sc oas.ResourceScope) *oas.ResourceScope {
	sc.SchemaAttributes = slices.Clone(sc.SchemaAttributes)
	sc.MappedClaims = slices.Clone(sc.MappedClaims)
	if sc.AdditionalProps != nil {
		m := make(oas.ResourceScopeAdditional, len(sc.AdditionalProps))
		for k, v := range sc.AdditionalProps {
			m[k] = v
		}
		sc.AdditionalProps = m
	}
	return &sc
}

func (h handler) CreateResourceScope(_ context.Context, req *oas.ResourceScopeRequest, p oas.CreateResourceScopeParams) (*oas.ResourceScope, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	r, err := h.scopeResource(p.EnvironmentID, p.ResourceID)
	if err != nil {
		return nil, err
	}
	if err := uniqueName(r, req.Name, ""); err != nil {
		return nil, err
	}
	id := uuid()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	sc := oas.ResourceScope{
		Links:       links("self", "/environments/"+p.EnvironmentID+"/resources/"+p.ResourceID+"/scopes/"+id),
		ID:          oas.NewOptString(id),
		Name:        oas.NewOptString(req.Name),
		Description: req.Description,
		Resource:    oas.NewOptObjectID(oas.ObjectID{ID: oas.NewOptString(p.ResourceID)}),
		Environment: oas.NewOptObjectID(oas.ObjectID{ID: oas.NewOptString(p.EnvironmentID)}),
		// Stored as sent, the properties grantkit does not model included, so that tests can
		// see an update keep them.
		SchemaAttributes: slices.Clone(req.SchemaAttributes),
		MappedClaims:     slices.Clone(req.MappedClaims),
		CreatedAt:        oas.NewOptString(now),
		UpdatedAt:        oas.NewOptString(now),
	}
	for k, v := range req.AdditionalProps {
		if sc.AdditionalProps == nil {
			sc.AdditionalProps = oas.ResourceScopeAdditional{}
		}
		sc.AdditionalProps[k] = v
	}
	r.scopes[id] = sc
	return cloneScope(sc), nil
}

func (h handler) ReadOneResourceScope(_ context.Context, p oas.ReadOneResourceScopeParams) (*oas.ResourceScope, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	r, err := h.scopeResource(p.EnvironmentID, p.ResourceID)
	if err != nil {
		return nil, err
	}
	sc, ok := r.scopes[p.ScopeID]
	if !ok {
		return nil, notFound("scope " + p.ScopeID)
	}
	return cloneScope(sc), nil
}

// UpdateResourceScope replaces the scope with the body, as PingOne's PUT does: what the body
// leaves out is not kept.
func (h handler) UpdateResourceScope(_ context.Context, req *oas.ResourceScopeRequest, p oas.UpdateResourceScopeParams) (*oas.ResourceScope, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	r, err := h.scopeResource(p.EnvironmentID, p.ResourceID)
	if err != nil {
		return nil, err
	}
	cur, ok := r.scopes[p.ScopeID]
	if !ok {
		return nil, notFound("scope " + p.ScopeID)
	}
	if err := uniqueName(r, req.Name, p.ScopeID); err != nil {
		return nil, err
	}
	sc := oas.ResourceScope{
		Links: cur.Links, ID: cur.ID, Resource: cur.Resource, Environment: cur.Environment, CreatedAt: cur.CreatedAt,
		Name:             oas.NewOptString(req.Name),
		Description:      req.Description,
		SchemaAttributes: slices.Clone(req.SchemaAttributes),
		MappedClaims:     slices.Clone(req.MappedClaims),
		UpdatedAt:        oas.NewOptString(time.Now().UTC().Format(time.RFC3339Nano)),
	}
	for k, v := range req.AdditionalProps {
		if sc.AdditionalProps == nil {
			sc.AdditionalProps = oas.ResourceScopeAdditional{}
		}
		sc.AdditionalProps[k] = v
	}
	r.scopes[p.ScopeID] = sc
	return cloneScope(sc), nil
}

// DeleteResourceScope deletes the scope and takes it out of every grant that held it. PingOne
// documents neither a refusal to delete a granted scope nor what becomes of the grant; this is
// the behaviour terraform-provider-pingone's handling of deleting granted scopes points to
// (see specs/README.md).
func (h handler) DeleteResourceScope(_ context.Context, p oas.DeleteResourceScopeParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	r, err := h.scopeResource(p.EnvironmentID, p.ResourceID)
	if err != nil {
		return err
	}
	if _, ok := r.scopes[p.ScopeID]; !ok {
		return notFound("scope " + p.ScopeID)
	}
	delete(r.scopes, p.ScopeID)
	for _, gs := range h.f.grants {
		for _, g := range gs {
			if g.Resource.Value.ID.Value == p.ResourceID {
				g.Scopes = slices.DeleteFunc(g.Scopes, func(o oas.ObjectID) bool { return o.ID.Value == p.ScopeID })
			}
		}
	}
	return nil
}
