// Package fake is the machinery every vendor fake shares: an OAuth token endpoint that issues
// bearer tokens for one set of client credentials, the bearer check, fault injection (errors,
// delays, dropped connections, truncated bodies, for the requests a Match picks) and a log of
// the requests received.
//
// Users cannot import this package, so what they use of it is declared again in each vendor
// fake by fakegen (see fakegen/main.go): the types marked //fakegen:alias and the Server
// methods marked //fakegen:forward. Their doc comments are written for the fakes' pages.
package fake

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ogen-go/ogen/ogenerrors"

	"github.com/grantkit/grantkit"
)

// Fault is an answer the fake gives instead of (or after) serving a request normally: give
// it to Fail, FailNext or FailTokenRequests. Status alone answers with the vendor's error body,
// as in Fault{Status: 429, RetryAfter: "1"}; the other fields break the connection, delay,
// truncate or replace the answer.
//
//fakegen:alias
type Fault struct {
	// Status is the HTTP status to answer with, with the vendor's error body. Zero with Drop
	// or Truncate set means no status of its own.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header (e.g. "2" or an HTTP date).
	RetryAfter string
	// Header holds extra headers, such as a vendor's rate-limit reset header.
	Header http.Header
	// Delay holds the answer back this long (or until the client gives up).
	Delay time.Duration
	// Drop closes the connection without an answer. With Apply, the request is carried out first.
	Drop bool
	// Truncate serves the request but cuts the JSON body in half (a short but complete
	// response: its Content-Length matches what is sent).
	Truncate bool
	// ResetMidBody carries the request out, sends the status, headers and half the body, then
	// breaks the connection: a response cut off in flight.
	ResetMidBody bool
	// Apply carries the request out before dropping the connection (Drop), before sending
	// Answer, or before answering Status with the vendor's error body (a 503 from a proxy
	// after the vendor acted), as a server that committed a change and then answered badly
	// would.
	Apply bool
	// Answer, when set, is sent with Status (200 if zero) instead of the vendor's error body:
	// an answer the spec does not describe, such as a 202, or a 200 with an empty body for a
	// DELETE documented as 204.
	Answer *Answer
}

// Answer is a raw answer a [Fault] sends instead of the vendor's error body (Fault.Answer).
//
//fakegen:alias
type Answer struct {
	Body        string // sent as is
	ContentType string // empty sends no Content-Type header at all
}

// Request is one API request as the fake received it (token requests are not recorded).
//
//fakegen:alias
type Request struct {
	Method   string
	Path     string // escaped, as sent: what a [Match] Path is matched against
	RawQuery string // without the '?'
	Header   http.Header
	Body     []byte
}

// Config configures a Server.
type Config struct {
	ClientID, ClientSecret string
	// TokenPath is where the token endpoint is served, e.g. "/oauth/token"; a vendor with
	// several token flows lists the other paths in MoreTokenPaths.
	TokenPath      string
	MoreTokenPaths []string
	// TokenBody, if set, shapes the token response for vendors whose format is not OAuth's
	// {"access_token","token_type","expires_in"}.
	TokenBody func(token string, ttl time.Duration) any
	// TokenTTL is the lifetime of issued tokens; zero means one hour.
	TokenTTL time.Duration
	// ErrorBody renders the vendor's error body for a status and message.
	ErrorBody func(status int, message string) []byte
	// CheckTokenRequest, if set, may reject a token request (e.g. a missing audience)
	// with a message; it is called after the credentials are verified.
	CheckTokenRequest func(r *http.Request) string
	// RateLimit is how the vendor enforces its rate limit once SetRateLimit sets one
	// (ratelimit.go).
	RateLimit RateLimit
	// VerifyTokenRequest, if set, replaces the default check of a token request (a form POST
	// with grant_type=client_credentials and ClientID/ClientSecret in Basic auth or the form),
	// for vendors with another flow. It returns 0 to issue a token, or an HTTP status, an OAuth
	// error code and a description to refuse it.
	VerifyTokenRequest func(r *http.Request) (status int, code, desc string)
}

// Server holds the shared state of one vendor fake.
type Server struct {
	cfg Config
	api http.Handler

	mu            sync.Mutex
	tokens        map[string]time.Time
	rules         []*rule // see Fail
	tokenFaults   []Fault
	requests      []Request
	tokenRequests int
	limiter       *limiter // the rate limit SetRateLimit set, if any
	withheld      *bool    // rate-limit headers withheld; Retry-After sent if true (WithholdRateLimitHeaders)
}

// New returns a Server that answers cfg.TokenPath itself. Give it the API handler with
// SetAPI before serving.
func New(cfg Config) *Server {
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = time.Hour
	}
	return &Server{cfg: cfg, tokens: map[string]time.Time{}}
}

// SetAPI sets the handler for every request other than the token endpoint. The API handler
// is built after the Server because its error handlers (see Options) need the Server.
func (s *Server) SetAPI(api http.Handler) { s.api = api }

// ServeHTTP is the fake's one entry point: it answers the token endpoint, records any other
// request, applies the fault queued for it (see Fail) and serves it. With RecordEnv set it
// also writes the exchange to a file.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Path == s.cfg.TokenPath || slices.Contains(s.cfg.MoreTokenPaths, r.URL.Path)
	if recordDir() != "" { // see RecordEnv
		rec := startRecording(w, r, token)
		defer rec.finish()
		w = rec
	}
	if s.overLimit(w, r) { // the token endpoint too, where the vendor counts it
		return
	}
	if token {
		s.serveToken(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	f, faulty := s.nextFault(r.Method, r.URL.EscapedPath())
	s.mu.Unlock()
	if faulty {
		s.serveFault(w, r, f, s.api)
		return
	}
	s.api.ServeHTTP(w, r)
}

func pop(q *[]Fault) (Fault, bool) {
	if len(*q) == 0 {
		return Fault{}, false
	}
	f := (*q)[0]
	*q = (*q)[1:]
	return f, true
}

// FailNext makes the next n API requests meet fault, whatever their method and path: it is
// Fail(Match{}, fault, fault, …) with n faults.
//
//fakegen:forward
func (s *Server) FailNext(n int, fault Fault) {
	if n > 0 {
		s.Fail(Match{}, slices.Repeat([]Fault{fault}, n)...)
	}
}

// FailTokenRequests makes the next n token requests meet fault.
//
//fakegen:forward
func (s *Server) FailTokenRequests(n int, fault Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.tokenFaults = append(s.tokenFaults, fault)
	}
}

// Requests returns the API requests received so far, in order, token requests excluded.
//
//fakegen:forward
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// TokenRequests returns how many token requests were received.
//
//fakegen:forward
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}

// IssueToken returns a new valid access token, for a client built with option.WithToken.
//
//fakegen:forward
func (s *Server) IssueToken() grantkit.Secret {
	tok := randomToken()
	s.mu.Lock()
	s.tokens[tok] = time.Now().Add(s.cfg.TokenTTL)
	s.mu.Unlock()
	return grantkit.Secret(tok)
}

// RevokeTokens makes every token issued so far invalid, as a key rotation at the vendor would.
//
//fakegen:forward
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}

// Authorize is every fake's security handler: it lets a request through when its token was
// issued by this fake and has not expired; otherwise the generated server answers 401 with
// the vendor's error body (see StatusOf).
func (s *Server) Authorize(ctx context.Context, token string) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.tokens[token]; !ok || !time.Now().Before(exp) {
		return ctx, errors.New("invalid token")
	}
	return ctx, nil
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	f, faulty := pop(&s.tokenFaults)
	s.mu.Unlock()
	if faulty {
		s.serveFault(w, r, f, nil)
		return
	}
	if r.Method != http.MethodPost {
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	if s.cfg.VerifyTokenRequest != nil {
		if status, code, desc := s.cfg.VerifyTokenRequest(r); status != 0 {
			writeOAuthError(w, status, code, desc)
			return
		}
		s.writeToken(w)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != s.cfg.ClientID || secret != s.cfg.ClientSecret {
		writeOAuthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
		return
	}
	if s.cfg.CheckTokenRequest != nil {
		if msg := s.cfg.CheckTokenRequest(r); msg != "" {
			writeOAuthError(w, http.StatusForbidden, "access_denied", msg)
			return
		}
	}
	s.writeToken(w)
}

func (s *Server) writeToken(w http.ResponseWriter) {
	tok := s.IssueToken().Reveal()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	var body any = map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int(s.cfg.TokenTTL / time.Second),
	}
	if s.cfg.TokenBody != nil {
		body = s.cfg.TokenBody(tok, s.cfg.TokenTTL)
	}
	_ = json.NewEncoder(w).Encode(body)
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// WriteError writes the vendor's error body with status.
func (s *Server) WriteError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(s.cfg.ErrorBody(status, message))
}

// StatusOf returns the HTTP status for an error the generated server passes to a fake's
// NewError: 401 for a failed security check (these arrive there because every spec has one
// default response), otherwise 500. A fake checks its own error type first.
func StatusOf(err error) int {
	var secErr *ogenerrors.SecurityError
	if errors.As(err, &secErr) {
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// ServerOptions are the handlers every fake gives its generated server, so that requests the
// generated code rejects before the fake's handler still get the vendor's error body: a body
// or parameter that breaks the schema (400), an unknown path (404), a wrong method (405).
type ServerOptions struct {
	Error            func(ctx context.Context, w http.ResponseWriter, r *http.Request, err error)
	NotFound         http.HandlerFunc
	MethodNotAllowed func(w http.ResponseWriter, r *http.Request, allowed string)
}

// Options returns the ServerOptions for this fake. badRequest prefixes schema errors, e.g.
// "Payload validation error: ".
func (s *Server) Options(badRequest string) ServerOptions {
	return ServerOptions{
		Error: func(_ context.Context, w http.ResponseWriter, _ *http.Request, err error) {
			var bodyErr *ogenerrors.DecodeRequestError
			var paramErr *ogenerrors.DecodeParamsError
			if errors.As(err, &bodyErr) || errors.As(err, &paramErr) {
				s.WriteError(w, http.StatusBadRequest, badRequest+err.Error())
				return
			}
			// Anything else is the generated server's own failure, whose text names its
			// operations and schemes: the vendor's body carries the status text instead.
			status := StatusOf(err)
			s.WriteError(w, status, http.StatusText(status))
		},
		NotFound: func(w http.ResponseWriter, _ *http.Request) {
			s.WriteError(w, http.StatusNotFound, "Not Found")
		},
		MethodNotAllowed: func(w http.ResponseWriter, _ *http.Request, allowed string) {
			w.Header().Set("Allow", allowed)
			s.WriteError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		},
	}
}

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault, next http.Handler) {
	markFault(w, f)
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.Drop:
		if f.Apply && next != nil {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		hijackClose(w)
	case f.ResetMidBody && next != nil:
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // net/http closes the connection without finishing the body
	case f.Truncate && next != nil:
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)/2))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
	case f.Answer != nil:
		if f.Apply && next != nil {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		if f.Answer.ContentType != "" {
			w.Header().Set("Content-Type", f.Answer.ContentType)
		} else {
			w.Header()["Content-Type"] = nil // net/http would otherwise sniff one
		}
		code := f.Status
		if code == 0 {
			code = http.StatusOK
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, f.Answer.Body)
	case f.Status != 0:
		if f.Apply && next != nil {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		s.WriteError(w, f.Status, http.StatusText(f.Status))
	default:
		if next != nil {
			next.ServeHTTP(w, r)
		}
	}
}

// hijackClose ends the connection without writing a response.
func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewID returns a random id made of prefix and 16 letters and digits.
func NewID(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}
