// Package oneloginfake is an in-memory, stateful fake of the OneLogin API v2 authorization
// servers, scopes and client apps, with OneLogin's token endpoint, for tests and examples that
// must run without an account.
//
// It serves the same OpenAPI description the onelogin client is generated from, so it enforces
// the same validation, and answers with OneLogin's error body. Authorization servers and the
// apps that can be added to them exist elsewhere in OneLogin; create them with
// AddAuthorization.
// Fail makes chosen requests fail (a Match picks them by method, path pattern and order; a Fault
// says how), and Requests returns what the fake received.
//
//	srv := oneloginfake.NewServer()
//	defer srv.Close()
//	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")
//	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL),
//		onelogin.WithClientCredentials(oneloginfake.ClientID, oneloginfake.ClientSecret))
package oneloginfake

import (
	"context"
	"encoding/base64"
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
	"github.com/grantkit/grantkit/onelogin/oneloginfake/internal/oas"
)

// The shared part of the fake (the types Fault, Match, Request and Answer, the methods Fail,
// FailNext, Requests, IssueToken…, Server and api) is written from internal/testkit/fake into fake_gen.go.
//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen

// The API credentials the fake's token endpoint accepts.
const (
	ClientID     = "grantkit-fake-onelogin-client"
	ClientSecret = "grantkit-fake-onelogin-secret"
)

// Fake is an in-memory OneLogin account. It is an http.Handler; it is safe for concurrent use.
type Fake struct {
	srv *fake.Server

	mu       sync.Mutex
	nextID   int64
	servers  map[int64]*authServer
	apps     map[int64]bool // the account's apps, by id
	pageSize int
}

type authServer struct {
	api     oas.ApiAuthorization
	scopes  map[int64]oas.Scope
	clients map[int64][]int64 // app id → scope ids
}

// New returns an empty fake account.
func New() *Fake {
	f := &Fake{nextID: 1000, servers: map[int64]*authServer{}, apps: map[int64]bool{}}
	f.srv = fake.New(fake.Config{
		ClientID:     ClientID,
		ClientSecret: ClientSecret,
		TokenPath:    "/auth/oauth2/v2/token",
		TokenTTL:     10 * time.Hour,
		ErrorBody:    errorBody,
		RateLimit:    rateLimit,
	})
	f.srv.SetAPI(f.api(handler{f}, "/api/2", "Validation failed: "))
	return f
}

// ServeHTTP serves the token endpoint at /auth/oauth2/v2/token and the API under /api/2.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.srv.ServeHTTP(w, r) }

// AddAuthorization creates an API authorization server for the API resourceIdentifier and
// returns its id.
func (f *Fake) AddAuthorization(name, resourceIdentifier string) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	id := f.nextID
	f.servers[id] = &authServer{
		api: oas.ApiAuthorization{
			ID: oas.NewOptInt64(id), Name: oas.NewOptString(name),
			Configuration: oas.NewOptApiAuthorizationConfiguration(oas.ApiAuthorizationConfiguration{
				ResourceIdentifier: oas.NewOptString(resourceIdentifier), Audiences: []string{resourceIdentifier},
			}),
		},
		scopes:  map[int64]oas.Scope{},
		clients: map[int64][]int64{},
	}
	return id
}

// AddApp adds apps with these ids to the account, as creating them in OneLogin's admin
// portal would. Only an app that exists can be added as a client app of an authorization
// server: any other app id is answered 404 (see specs/README.md).
func (f *Fake) AddApp(appIDs ...int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range appIDs {
		f.apps[id] = true
	}
}

// SetPageSize makes the fake answer its lists n items at a time, the way OneLogin's API v2
// pages other lists: an After-Cursor header names the next page, sent back as ?cursor=. OneLogin
// documents no paging for these lists; this lets a test prove the client would follow it.
// Zero (the default) answers every list whole.
func (f *Fake) SetPageSize(n int) {
	f.mu.Lock()
	f.pageSize = max(n, 0)
	f.mu.Unlock()
}

// page cuts items to the page cursor names; the caller holds f.mu. OneLogin's cursors are
// opaque base64 ("limit=…&page=…"); the fake's are the same kind of thing.
func page[T any](f *Fake, items []T, cursor oas.OptString) ([]T, oas.OptString, error) {
	var next oas.OptString
	if f.pageSize == 0 {
		return items, next, nil
	}
	n := 0
	if c, ok := cursor.Get(); ok {
		raw, err := base64.StdEncoding.DecodeString(c)
		v, ok := strings.CutPrefix(string(raw), fmt.Sprintf("limit=%d&page=", f.pageSize))
		p, perr := strconv.Atoi(v)
		if err != nil || !ok || perr != nil || p < 1 {
			return nil, next, &apiError{status: 400, name: "BadRequestError", msg: "Invalid cursor"}
		}
		n = p - 1
	}
	start := min(n*f.pageSize, len(items))
	end := min(start+f.pageSize, len(items))
	if end < len(items) {
		next.SetTo(base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "limit=%d&page=%d", f.pageSize, n+2)))
	}
	return items[start:end], next, nil
}

type apiError struct {
	status int
	name   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorBody(status int, message string) []byte {
	b, _ := json.Marshal(map[string]any{"statusCode": status, "name": errorName(status), "message": message})
	return b
}

func errorName(status int) string {
	switch status {
	case 400:
		return "BadRequestError"
	case 401:
		return "UnauthorizedError"
	case 404:
		return "NotFoundError"
	case 422:
		return "UnprocessableEntityError"
	}
	return "Error"
}

func notFound() error {
	return &apiError{status: 404, name: "NotFoundError", msg: "The resource with the given id could not be found"}
}

type handler struct{ f *Fake }

func (h handler) HandleBearerAuth(ctx context.Context, _ oas.OperationName, t oas.BearerAuth) (context.Context, error) {
	return h.f.srv.Authorize(ctx, t.Token)
}

func (h handler) NewError(_ context.Context, err error) *oas.ErrorStatusCodeWithHeaders {
	var ae *apiError
	if !errors.As(err, &ae) {
		status := fake.StatusOf(err)
		msg := err.Error()
		if status == http.StatusUnauthorized {
			msg = "Unauthorized"
		}
		ae = &apiError{status: status, name: errorName(status), msg: msg}
	}
	return &oas.ErrorStatusCodeWithHeaders{StatusCode: ae.status, Response: oas.Error{
		StatusCode: oas.NewOptInt(ae.status), Name: oas.NewOptString(ae.name), Message: oas.NewOptString(ae.msg),
	}}
}

// server returns authorization server id; the caller holds f.mu.
func (h handler) server(id int64) (*authServer, error) {
	s, ok := h.f.servers[id]
	if !ok {
		return nil, notFound()
	}
	return s, nil
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (h handler) ListApiAuthorizations(_ context.Context, p oas.ListApiAuthorizationsParams) (*oas.ListApiAuthorizationsOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	out := []oas.ApiAuthorization{}
	for _, id := range sortedKeys(h.f.servers) {
		out = append(out, h.f.servers[id].api)
	}
	out, next, err := page(h.f, out, p.Cursor)
	if err != nil {
		return nil, err
	}
	return &oas.ListApiAuthorizationsOKHeaders{AfterCursor: next, Response: out}, nil
}

func (h handler) GetApiAuthorization(_ context.Context, p oas.GetApiAuthorizationParams) (*oas.ApiAuthorization, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	a := s.api
	return &a, nil
}

func (h handler) ListAuthorizationScopes(_ context.Context, p oas.ListAuthorizationScopesParams) (*oas.ListAuthorizationScopesOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	out := []oas.Scope{}
	for _, id := range sortedKeys(s.scopes) {
		out = append(out, s.scopes[id])
	}
	out, next, err := page(h.f, out, p.Cursor)
	if err != nil {
		return nil, err
	}
	return &oas.ListAuthorizationScopesOKHeaders{AfterCursor: next, Response: out}, nil
}

func duplicate(s *authServer, value string, except int64) error {
	for id, sc := range s.scopes {
		if id != except && sc.Value.Value == value {
			return &apiError{status: 422, name: "UnprocessableEntityError", msg: "Validation failed: Value has already been taken"}
		}
	}
	return nil
}

func (h handler) CreateAuthorizationScope(_ context.Context, req *oas.ScopeRequest, p oas.CreateAuthorizationScopeParams) (*oas.ScopeID, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	if err := duplicate(s, req.Value, 0); err != nil {
		return nil, err
	}
	h.f.nextID++
	id := h.f.nextID
	s.scopes[id] = oas.Scope{ID: oas.NewOptInt64(id), Value: oas.NewOptString(req.Value), Description: oas.NewOptString(req.Description)}
	return &oas.ScopeID{ID: oas.NewOptInt64(id)}, nil
}

func (h handler) UpdateAuthorizationScope(_ context.Context, req *oas.ScopeRequest, p oas.UpdateAuthorizationScopeParams) (*oas.ScopeID, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	if _, ok := s.scopes[p.ScopeID]; !ok {
		return nil, notFound()
	}
	if err := duplicate(s, req.Value, p.ScopeID); err != nil {
		return nil, err
	}
	s.scopes[p.ScopeID] = oas.Scope{ID: oas.NewOptInt64(p.ScopeID), Value: oas.NewOptString(req.Value), Description: oas.NewOptString(req.Description)}
	return &oas.ScopeID{ID: oas.NewOptInt64(p.ScopeID)}, nil
}

func (h handler) DeleteAuthorizationScope(_ context.Context, p oas.DeleteAuthorizationScopeParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return err
	}
	if _, ok := s.scopes[p.ScopeID]; !ok {
		return notFound()
	}
	delete(s.scopes, p.ScopeID)
	for app, ids := range s.clients {
		s.clients[app] = slices.DeleteFunc(ids, func(id int64) bool { return id == p.ScopeID })
	}
	return nil
}

func (h handler) ListAuthorizationClientApps(_ context.Context, p oas.ListAuthorizationClientAppsParams) (*oas.ListAuthorizationClientAppsOKHeaders, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	out := []oas.ClientApp{}
	for _, app := range sortedKeys(s.clients) {
		c := oas.ClientApp{AppID: oas.NewOptInt64(app), APIAuthID: oas.NewOptInt64(p.ID), Name: oas.NewOptString(fmt.Sprintf("App %d", app)), Scopes: []oas.Scope{}}
		for _, id := range s.clients[app] {
			c.Scopes = append(c.Scopes, s.scopes[id])
		}
		out = append(out, c)
	}
	out, next, err := page(h.f, out, p.Cursor)
	if err != nil {
		return nil, err
	}
	return &oas.ListAuthorizationClientAppsOKHeaders{AfterCursor: next, Response: out}, nil
}

// checkScopes verifies every id names a scope of s; the caller holds f.mu.
func checkScopes(s *authServer, ids []int64) error {
	for _, id := range ids {
		if _, ok := s.scopes[id]; !ok {
			// The add-client-app doc page's wording.
			return &apiError{status: 422, name: "UnprocessableEntityError", msg: fmt.Sprintf("Validation failed: Scopes %d does not belong to the specified ApiAuthorizationApp", id)}
		}
	}
	return nil
}

func (h handler) AddAuthorizationClientApp(_ context.Context, req *oas.AddClientAppRequest, p oas.AddAuthorizationClientAppParams) (*oas.ClientAppIDs, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	// One entry per app on a server. OneLogin's pages do not say what a second add answers;
	// the fake assumes the 422 the page documents for other invalid adds (specs/README.md).
	if _, ok := s.clients[req.AppID]; ok {
		return nil, &apiError{status: 422, name: "UnprocessableEntityError", msg: "Validation failed: App has already been added"}
	}
	// An app that does not exist cannot be a client app. OneLogin's pages do not say what
	// this answers; the fake assumes its 404 for an id that names nothing (specs/README.md).
	if !h.f.apps[req.AppID] {
		return nil, notFound()
	}
	if err := checkScopes(s, req.Scopes); err != nil {
		return nil, err
	}
	s.clients[req.AppID] = slices.Clone(req.Scopes)
	return &oas.ClientAppIDs{AppID: oas.NewOptInt64(req.AppID), APIAuthID: oas.NewOptInt64(p.ID), Scopes: slices.Clone(req.Scopes)}, nil
}

func (h handler) UpdateAuthorizationClientApp(_ context.Context, req *oas.UpdateClientAppRequest, p oas.UpdateAuthorizationClientAppParams) (*oas.ClientAppIDs, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	if _, ok := s.clients[p.ClientAppID]; !ok {
		return nil, notFound()
	}
	if err := checkScopes(s, req.Scopes); err != nil {
		return nil, err
	}
	s.clients[p.ClientAppID] = slices.Clone(req.Scopes)
	return &oas.ClientAppIDs{AppID: oas.NewOptInt64(p.ClientAppID), APIAuthID: oas.NewOptInt64(p.ID), Scopes: slices.Clone(req.Scopes)}, nil
}

func (h handler) RemoveAuthorizationClientApp(_ context.Context, p oas.RemoveAuthorizationClientAppParams) (oas.RemoveAuthorizationClientAppRes, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	s, err := h.server(p.ID)
	if err != nil {
		return nil, err
	}
	if _, ok := s.clients[p.ClientAppID]; !ok {
		return nil, notFound()
	}
	delete(s.clients, p.ClientAppID)
	// The doc page's status; the client accepts OneLogin SDKs' 200 too.
	return &oas.RemoveAuthorizationClientAppNoContent{}, nil
}
