// Package benchkit holds the fixtures grantkit's benchmarks share, so that grantkit, a
// hand-written net/http client (the floor) and the official Auth0 SDK (bench/officialsdk, a
// module of its own) are measured against exactly the same thing:
//
//   - Scopes and each vendor's grant object with those 20 scopes, pre-encoded;
//   - Handler, the server every benchmark talks to: it answers a token endpoint and every
//     benchmarked API path with a fixed, pre-encoded 200 (NewServer puts it on loopback);
//   - NewHTTPClient, the one keep-alive transport every client under test sends through, and
//     NewMemoryClient, the same answers without a network (to measure only client-side work);
//   - Recorder, Handler recording each request, and CheckSameRequests, which uses it to check
//     that the clients a benchmark compares send the same request (harness.go, with Call,
//     Client, Networks and Loop, the pieces every whole-call benchmark is made of);
//   - the hand-written encoding/json types of the floor and of the codec comparisons (floor.go).
//
// It is internal so that it is no part of the library's public surface: only grantkit's own
// benchmarks (bench/, the vendors' codec benchmarks, bench/officialsdk, whose import path is
// under this module's) may import it.
//
// The benchmarks are in bench/bench_test.go (whole calls, concurrency, token sharing), in each
// vendor's codec_bench_test.go (JSON encode/decode of the generated types), in
// internal/transport/bench_test.go (what the retry layer adds) and in bench/officialsdk.
// BENCHMARKS.md has the numbers and the commands.
//
// Adding a vendor: put its grant object here (a var like Auth0Grant), add its API path prefix
// to routes, and add an updateCase to bench/bench_test.go (its grantkit call and the same request
// written by hand); then a codec benchmark in the vendor's package (internal/testkit/codecbench.Run,
// with a test calling codecbench.Equivalent).
package benchkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/grantkit/grantkit/internal/testkit/httpfake"
)

// Scopes are the 20 scopes of every benchmarked grant.
var Scopes = func() []string {
	s := make([]string, 20)
	for i := range s {
		s[i] = fmt.Sprintf("scope:resource-%02d", i)
	}
	return s
}()

func quoted(prefix string) string {
	q := make([]string, len(Scopes))
	for i, s := range Scopes {
		q[i] = prefix + `"` + s + `"`
	}
	return strings.Join(q, ",")
}

func idObjects() string {
	q := make([]string, len(Scopes))
	for i, s := range Scopes {
		q[i] = `{"id":"` + s + `"}`
	}
	return strings.Join(q, ",")
}

// Each vendor's main grant object with the 20 Scopes, as the vendor answers it.
var (
	Auth0Grant = `{"id":"cgr_1","client_id":"client-1","audience":"https://api.example.com/","scope":[` + quoted("") +
		`],"organization_usage":"allow","allow_any_organization":true,"is_system":false,"subject_type":"client","authorization_details_types":["payment"],"allow_all_scopes":false}`
	PingOneGrant = `{"_links":{"self":{"href":"https://api.pingone.com/v1/environments/e/applications/a/grants/g"}},"id":"g","environment":{"id":"e"},"resource":{"id":"r"},"application":{"id":"a"},"scopes":[` +
		idObjects() + `],"createdAt":"2019-08-13T19:39:58.450Z","updatedAt":"2021-09-24T15:43:19.846Z"}`
	CPNApp = `{"accessTokenTTL":1800,"allowedScopes":{"generalScopes":[` + quoted("") +
		`],"organizationScopes":{"roles":[]},"servicesScopes":[]},"createdAt":1700000000000,"description":"d","displayName":"n","grantTypes":["client_credentials"],"id":"app","lastUpdatedAt":1700000000000,"ownerOnlySecretRotation":false,"secretRotationExpirationInSeconds":0}`
	// OryClient is what Hydra answers to a client update (PATCH /admin/clients/{id}): the
	// client, its scopes one space-separated string, with the fields Hydra v2.3.0 sends.
	OryClient = `{"client_id":"app","client_name":"billing-service","owner":"team-a","scope":"` + strings.Join(Scopes, " ") +
		`","audience":[],"grant_types":["client_credentials"],"response_types":["token"],"redirect_uris":[],"allowed_cors_origins":[],"contacts":null,"client_uri":"","logo_uri":"","policy_uri":"","tos_uri":"","subject_type":"public","token_endpoint_auth_method":"client_secret_post","userinfo_signed_response_alg":"none","client_secret_expires_at":0,"skip_consent":false,"skip_logout_consent":false,"metadata":{},"created_at":"2024-05-02T10:11:12Z","updated_at":"2024-05-02T10:11:13Z"}`
	// OktaGrant is what Okta's seed call (grant consent to a scope) answers: one consent grant.
	OktaGrant = `{"id":"oag3ih1zrm1cBFOiq0h6","clientId":"0oa1","issuer":"https://example.okta.com","scopeId":"okta.users.read","source":"ADMIN","status":"ACTIVE",` +
		`"created":"2026-06-29T10:00:00.000Z","lastUpdated":"2026-06-29T10:00:00.000Z","createdBy":{"id":"0oa9","type":"Client"},` +
		`"_links":{"app":{"href":"https://example.okta.com/api/v1/apps/0oa1"},"self":{"href":"https://example.okta.com/api/v1/apps/0oa1/grants/oag3ih1zrm1cBFOiq0h6"}}}`
	// OneLoginScope is what OneLogin's seed call (update a scope) answers: only the id.
	OneLoginScope = `{"id":323005}`
	// OneLoginClientApp is OneLogin's grant object: a client app of an authorization server
	// with the scopes it may request.
	OneLoginClientApp = func() string {
		q := make([]string, len(Scopes))
		for i, s := range Scopes {
			q[i] = fmt.Sprintf(`{"id":%d,"value":%q,"description":"Access %s"}`, 1000+i, s, s)
		}
		return `{"app_id":4242,"api_auth_id":1001,"name":"billing-service","scopes":[` + strings.Join(q, ",") + `]}`
	}()
)

// Token is the access token every benchmarked client sends, and the one TokenPath issues.
const Token = "bench-token"

// TokenPath is the path of the token endpoint (the client-credentials grant).
const TokenPath = "/oauth/token"

// TokenResponse is what TokenPath answers: Token, valid for a day.
const TokenResponse = `{"access_token":"` + Token + `","token_type":"Bearer","expires_in":86400}`

// route is a path prefix and the fixed body answered for it.
type route struct {
	prefix string
	body   string
	length []string // Content-Length, pre-formatted
	// created is the status of an answer to a POST: 201 where the vendor's create answers
	// it (Okta), 200 otherwise.
	created int
}

func newRoute(prefix, body string) route {
	return route{prefix, body, []string{strconv.Itoa(len(body))}, http.StatusOK}
}

// routes are the benchmarked API paths; a vendor is added here with its grant object.
var routes = []route{
	newRoute(TokenPath, TokenResponse),
	newRoute("/api/v2/client-grants/", Auth0Grant),
	newRoute("/v1/environments/", PingOneGrant),
	newRoute("/cphub/api/auth/v2/orgs/", CPNApp),
	newRoute("/api/2/api_authorizations/", OneLoginScope),
	newRoute("/admin/clients/", OryClient),
	func() route { r := newRoute("/api/v1/apps/", OktaGrant); r.created = http.StatusCreated; return r }(),
}

var jsonContentType = []string{"application/json"}

func lookup(path string) (route, bool) {
	for _, r := range routes {
		if strings.HasPrefix(path, r.prefix) {
			return r, true
		}
	}
	return route{}, false
}

// Handler answers TokenPath with TokenResponse and every benchmarked API path with that
// vendor's grant object (a fixed 200 whatever the method or body, 201 to a POST where the
// vendor's create answers so), everything else with 404.
// The request body is read and discarded. Its answers are pre-encoded, so the server's own
// work is small and the same for every client.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		rt, ok := lookup(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = jsonContentType
		h["Content-Length"] = rt.length
		if r.Method == http.MethodPost && rt.created != http.StatusOK {
			w.WriteHeader(rt.created)
		}
		_, _ = io.WriteString(w, rt.body)
	})
}

// Request is what a Recorder saw of one request.
type Request struct {
	Method, Path, ContentType string
	// Token is the credential header: Authorization, or csp-auth-token for CPN.
	Token string
	Body  any // the JSON body, decoded; the raw text if it is not JSON
}

// Recorder is Handler that also records every request, for tests that check that the clients
// a benchmark compares send the same thing. The zero value is ready to use.
type Recorder struct {
	mu   sync.Mutex
	reqs []Request
}

func (rec *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Token: r.Header.Get("Authorization")}
	if req.Token == "" {
		req.Token = "csp-auth-token: " + r.Header.Get("Csp-Auth-Token")
	}
	if json.Unmarshal(data, &req.Body) != nil {
		req.Body = string(data)
	}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, req)
	rec.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(data))
	Handler().ServeHTTP(w, r)
}

// Requests returns the requests recorded so far.
func (rec *Recorder) Requests() []Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.reqs)
}

// NewServer starts Handler on a loopback address.
func NewServer() *httptest.Server { return httptest.NewServer(Handler()) }

// NewTransport is the HTTP transport every client under test sends through: keep-alive, with
// enough idle connections for the concurrent benchmarks, no compression.
func NewTransport() *http.Transport {
	return &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}
}

// NewHTTPClient returns an *http.Client over a NewTransport.
func NewHTTPClient() *http.Client { return &http.Client{Transport: NewTransport()} }

// NewMemoryClient returns an *http.Client that answers as Handler does, without a network or
// a server: a benchmark through it measures only the client's own work (building the request,
// encoding, headers, decoding) plus the same few allocations for every client. Use any base
// URL with it.
func NewMemoryClient() *http.Client {
	return httpfake.Client(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		rt, ok := lookup(r.URL.Path)
		if !ok {
			return httpfake.JSON(r, http.StatusNotFound, `{}`), nil
		}
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = rt.created
		}
		return httpfake.JSON(r, status, rt.body), nil
	})
}
