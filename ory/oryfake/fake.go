// Package oryfake is an in-memory, stateful fake of an Ory Hydra admin API (the OAuth 2.0
// clients), for tests and examples that must run without a Hydra.
//
// It serves the same OpenAPI description the ory client is generated from and answers with
// Ory's OAuth 2.0 error body, following what a real Hydra v2.3.0 was measured to do (the
// realserver module runs the same tables against both; specs/README.md lists what was
// measured). By default it wants a credential, as Ory Network does: APIKey, or a token from
// IssueToken or from its token endpoint at /oauth2/token (client credentials ClientID and
// ClientSecret, for a client built with option.WithTokenSource). Open makes it take none, as a
// self-hosted Hydra's admin listener does. Fail makes chosen requests fail (a Match picks them
// by method, path pattern and order; a Fault says how), and Requests returns what it received.
//
//	srv := oryfake.NewServer()
//	defer srv.Close()
//	c, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey))
package oryfake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/ory/oryfake/internal/oas"
)

// The shared part of the fake (the types Fault, Match, Request and Answer, the methods Fail,
// FailNext, Requests, IssueToken…, Server and api) is written from internal/testkit/fake into fake_gen.go.
//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen

// The credentials the fake accepts.
const (
	// APIKey is the fake project's API key (ory.WithAPIToken).
	APIKey = "ory_pat_grantkit_fake_project_key"
	// ClientID and ClientSecret are accepted at /oauth2/token for a bearer token to the admin
	// API (a client built with option.WithTokenSource over a client-credentials config).
	ClientID     = "grantkit-fake-admin"
	ClientSecret = "grantkit-fake-admin-secret"
	// TokenPath is where the fake's token endpoint is.
	TokenPath = "/oauth2/token"
)

// DefaultScope is what Hydra stores as the scope of a client created without one (its
// oidc.dynamic_client_registration.default_scope setting, as Hydra v2.3.0 ships it).
var DefaultScope = []string{"offline_access", "offline", "openid"}

// Fake is an in-memory Hydra admin API. It is an http.Handler; it is safe for concurrent use.
type Fake struct {
	srv  *fake.Server
	open atomic.Bool

	mu      sync.Mutex
	clients map[string]map[string]any // each client as its JSON object, the secret left out
	secrets map[string]string
}

// New returns an admin API with no clients that wants a credential.
func New() *Fake {
	f := &Fake{clients: map[string]map[string]any{}, secrets: map[string]string{}}
	f.srv = fake.New(fake.Config{
		ClientID: ClientID, ClientSecret: ClientSecret, TokenPath: TokenPath,
		ErrorBody: errorBody,
		RateLimit: rateLimit,
	})
	api := f.api(handler{f}, "", "The request could not be decoded: ")
	f.srv.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The spec makes the credential optional (a self-hosted admin listener takes none);
		// a fake that is not Open wants one, as Ory Network does.
		if !f.open.Load() && r.Header.Get("Authorization") == "" {
			f.srv.WriteError(w, http.StatusUnauthorized, "The request could not be authorized")
			return
		}
		api.ServeHTTP(w, r)
	}))
	return f
}

// Open makes the fake take requests without a credential, as a self-hosted Hydra's admin
// listener does (ory.WithoutAuthentication); a credential sent anyway is ignored, as Hydra
// ignores it. It returns f.
func (f *Fake) Open() *Fake {
	f.open.Store(true)
	return f
}

// ServeHTTP serves the admin API under /admin and the token endpoint at /oauth2/token.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.srv.ServeHTTP(w, r) }

// SecretOf returns the secret of client id, as a test that set or rotated it may check.
func (f *Fake) SecretOf(id string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.secrets[id]
	return s, ok
}

type apiError struct {
	status     int
	code, desc string
}

func (e *apiError) Error() string { return e.code + ": " + e.desc }

// errorBody is Ory's error body for the shared fake's own answers (401, faults, 404 routes).
func errorBody(status int, msg string) []byte {
	b, _ := json.Marshal(map[string]any{"error": codeOf(status), "error_description": msg})
	return b
}

func codeOf(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request"
	case http.StatusUnauthorized:
		return "request_unauthorized"
	case http.StatusForbidden:
		return "request_forbidden"
	case http.StatusNotFound:
		return "Unable to locate the resource"
	case http.StatusConflict:
		return "Unable to insert or update resource because a resource with that value exists already"
	}
	if status >= 500 {
		return "server_error"
	}
	return http.StatusText(status)
}

type handler struct{ f *Fake }

func (h handler) HandleBearerAuth(ctx context.Context, _ oas.OperationName, t oas.BearerAuth) (context.Context, error) {
	if h.f.open.Load() || t.Token == APIKey {
		return ctx, nil
	}
	return h.f.srv.Authorize(ctx, t.Token)
}

func (h handler) NewError(_ context.Context, err error) *oas.ErrorStatusCode {
	var ae *apiError
	if !errors.As(err, &ae) {
		status := fake.StatusOf(err)
		ae = &apiError{status: status, code: codeOf(status), desc: err.Error()}
		if status == http.StatusUnauthorized {
			ae.desc = "The request could not be authorized"
		}
	}
	var b oas.ErrorOAuth2
	b.Error.SetTo(ae.code)
	b.ErrorDescription.SetTo(ae.desc)
	return &oas.ErrorStatusCode{StatusCode: ae.status, Response: b}
}

// The bodies Hydra v2.3.0 answers (measured): the message is in "error", the description empty.
func notFound() error {
	return &apiError{status: http.StatusNotFound, code: "Unable to locate the resource"}
}

// unrecognizable is Hydra's answer to a JSON Patch it cannot apply, a failed "test" included.
func unrecognizable() error {
	return &apiError{status: http.StatusInternalServerError, code: "error", desc: "The error is unrecognizable"}
}

// shortSecret is Hydra's answer to a client secret under 6 characters.
func shortSecret() error {
	return &apiError{status: http.StatusBadRequest, code: "invalid_client_metadata", desc: "The value of one of the Client Metadata fields is invalid and the server has rejected this request. " +
		"Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client's Metadata. " +
		"Field client_secret must contain a secret that is at least 6 characters long."}
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// toOAS answers a stored client (a copy).
func toOAS(c map[string]any, secret string) (*oas.OAuth2Client, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var out oas.OAuth2Client
	if err := out.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	if secret != "" {
		out.ClientSecret.SetTo(secret)
	}
	return &out, nil
}

func (h handler) ListOAuth2Clients(_ context.Context, p oas.ListOAuth2ClientsParams) (*oas.ListOAuth2ClientsOKHeaders, error) {
	size := max(int(p.PageSize.Or(250)), 1)
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	var ids []string
	for id, c := range h.f.clients {
		if n, ok := p.ClientName.Get(); ok && c["client_name"] != n {
			continue
		}
		if o, ok := p.Owner.Get(); ok && c["owner"] != o {
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids) // Hydra lists by client_id
	// Hydra's page token is {"offset":"N","v":2}, base64url without padding; one it cannot
	// read is ignored (the first page is served), as Hydra does.
	start := 0
	if tok, ok := p.PageToken.Get(); ok {
		start = offsetOf(tok)
	}
	start = min(start, len(ids))
	end := min(start+size, len(ids))
	res := &oas.ListOAuth2ClientsOKHeaders{Response: []oas.OAuth2Client{}}
	for _, id := range ids[start:end] {
		c, err := toOAS(h.f.clients[id], "")
		if err != nil {
			return nil, err
		}
		res.Response = append(res.Response, *c)
	}
	link := func(offset int, rel string) string {
		return "</admin/clients?page_size=" + strconv.Itoa(size) + "&page_token=" + pageToken(offset) + `>; rel="` + rel + `"`
	}
	var links []string
	if start > 0 {
		links = append(links, link(0, "first"), link(max(0, start-size), "prev"))
	}
	if end < len(ids) {
		links = append(links, link(end, "next"), link((len(ids)-1)/size*size, "last"))
	}
	if len(links) > 0 {
		res.Link.SetTo(strings.Join(links, ","))
	}
	res.XTotalCount.SetTo(strconv.Itoa(len(ids)))
	return res, nil
}

func pageToken(offset int) string {
	b, _ := json.Marshal(map[string]any{"offset": strconv.Itoa(offset), "v": 2})
	return base64.RawURLEncoding.EncodeToString(b)
}

func offsetOf(tok string) int {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	var v struct {
		Offset string `json:"offset"`
	}
	if err != nil || json.Unmarshal(b, &v) != nil {
		return 0
	}
	n, err := strconv.Atoi(v.Offset)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (h handler) GetOAuth2Client(_ context.Context, p oas.GetOAuth2ClientParams) (*oas.OAuth2Client, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	c, ok := h.f.clients[p.ID]
	if !ok {
		return nil, notFound()
	}
	return toOAS(c, "")
}

func (h handler) CreateOAuth2Client(_ context.Context, req *oas.OAuth2ClientRequest) (*oas.OAuth2Client, error) {
	b, err := req.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	secret, _ := c["client_secret"].(string)
	delete(c, "client_secret")
	id, _ := c["client_id"].(string)
	if id == "" {
		id = newID()
	}
	c["client_id"] = id
	var omitted []string
	for _, k := range nullUnlessGiven {
		if l, _ := c[k].([]any); len(l) == 0 {
			omitted = append(omitted, k)
		}
	}
	defaults(c)
	if secret == "" && c["token_endpoint_auth_method"] != "none" {
		secret = randomSecret()
	}
	if secret != "" && len(secret) < 6 {
		return nil, shortSecret()
	}
	now := time.Now().UTC().Format(time.RFC3339)
	c["created_at"], c["updated_at"] = now, now
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if _, ok := h.f.clients[id]; ok {
		return nil, &apiError{status: http.StatusConflict, code: "Unable to insert or update resource because a resource with that value exists already"}
	}
	h.f.clients[id] = c
	h.f.secrets[id] = secret
	answer := cloneJSON(c)
	answer["registration_client_uri"] = "/oauth2/register/" + id
	for _, k := range omitted {
		answer[k] = nil
	}
	res, err := toOAS(answer, secret)
	if err == nil {
		// Only the create's answer holds it and registration_client_uri (Hydra's dynamic
		// registration endpoint for the client, and the credential it takes).
		res.RegistrationAccessToken.SetTo("ory_at_" + randomSecret())
	}
	return res, err
}

// defaults fills in what Hydra v2.3.0 stores for what a write leaves out or empty (measured;
// realserver's TestSameAnswers compares the two): its default scope for an empty one, [] for
// a list, "" for a text, null for the lifespans.
func defaults(c map[string]any) {
	if s, _ := c["scope"].(string); s == "" {
		c["scope"] = strings.Join(DefaultScope, " ")
	}
	for _, k := range []string{"grant_types", "response_types", "redirect_uris", "contacts", "audience", "allowed_cors_origins"} {
		if l, ok := c[k].([]any); !ok || l == nil {
			c[k] = []any{}
		}
	}
	set := func(k string, v any) {
		if _, ok := c[k]; !ok {
			c[k] = v
		}
	}
	set("token_endpoint_auth_method", "client_secret_basic")
	set("userinfo_signed_response_alg", "none")
	set("subject_type", "public")
	set("metadata", map[string]any{})
	set("jwks", map[string]any{})
	set("client_secret_expires_at", 0)
	set("skip_consent", false)
	set("skip_logout_consent", nil)
	for _, k := range []string{"client_name", "owner", "client_uri", "policy_uri", "tos_uri", "logo_uri"} {
		set(k, "")
	}
	for _, k := range lifespans {
		set(k, nil)
	}
}

var lifespans = []string{
	"authorization_code_grant_access_token_lifespan", "authorization_code_grant_id_token_lifespan",
	"authorization_code_grant_refresh_token_lifespan", "client_credentials_grant_access_token_lifespan",
	"implicit_grant_access_token_lifespan", "implicit_grant_id_token_lifespan", "jwt_bearer_grant_access_token_lifespan",
	"refresh_token_grant_access_token_lifespan", "refresh_token_grant_id_token_lifespan", "refresh_token_grant_refresh_token_lifespan",
}

// nullUnlessGiven are the lists Hydra's answer to a create shows as null when the create did
// not give them (a read shows []).
var nullUnlessGiven = []string{"grant_types", "response_types", "redirect_uris", "contacts"}

func randomSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (h handler) PatchOAuth2Client(_ context.Context, req oas.JsonPatchDocument, p oas.PatchOAuth2ClientParams) (*oas.OAuth2Client, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	c, ok := h.f.clients[p.ID]
	if !ok {
		return nil, notFound()
	}
	doc := any(cloneJSON(c))
	doc.(map[string]any)["client_secret"] = h.f.secrets[p.ID]
	for _, op := range req {
		var err error
		if doc, err = apply(doc, op); err != nil {
			return nil, unrecognizable()
		}
	}
	next, ok := doc.(map[string]any)
	if !ok {
		return nil, unrecognizable()
	}
	if next["client_id"] != p.ID {
		return nil, notFound() // what Hydra answers (measured)
	}
	secret, _ := next["client_secret"].(string)
	delete(next, "client_secret")
	answered := ""
	if secret != h.f.secrets[p.ID] {
		if len(secret) < 6 {
			return nil, shortSecret()
		}
		answered = secret
	}
	// A client's JSON is typed: a patch must leave it decodable as one.
	if _, err := toOAS(next, ""); err != nil {
		return nil, unrecognizable()
	}
	defaults(next)
	next["updated_at"] = time.Now().UTC().Format(time.RFC3339)
	h.f.clients[p.ID] = next
	h.f.secrets[p.ID] = secret
	return toOAS(next, answered)
}

func (h handler) DeleteOAuth2Client(_ context.Context, p oas.DeleteOAuth2ClientParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if _, ok := h.f.clients[p.ID]; !ok {
		return notFound()
	}
	delete(h.f.clients, p.ID)
	delete(h.f.secrets, p.ID)
	return nil
}

func cloneJSON[T any](v T) T {
	b, _ := json.Marshal(v)
	var out T
	_ = json.Unmarshal(b, &out)
	return out
}
