// Package transport is the HTTP layer every generated vendor client sends through. It adds
// the User-Agent and the access token, retries what a retry can get past under a
// grantkit.RetryPolicy (API and token requests alike), bounds each attempt, refreshes the token
// once on a 401, caps response bodies, and builds every *grantkit.Error a call returns
// (errors.go), each one new and owned by its call.
//
// It implements the Do method that ogen's generated clients call (not http.RoundTripper, whose
// contract forbids interpreting status codes); the caller's *http.Client sends the requests.
// A vendor method starts each call with Begin and passes every error to Call.Err.
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

// MaxResponseBytes caps every response body read by grantkit (4 MiB, far above any grant or
// page the vendors return). A larger body fails the call instead of exhausting memory.
const MaxResponseBytes = 4 << 20

// maxErrorBodyBytes caps how much of an error body is read to find the vendor's message.
const maxErrorBodyBytes = 64 << 10

// Settings are the client-wide settings the transport reads, as the options left them
// (internal/construct's Settings embeds them): HTTPClient nil means http.DefaultClient;
// Logger, if set, receives one Info record per retry (vendor, method, URL path, status or
// error, attempt, wait), never headers, bodies, query strings or tokens; Sleep and Now, set
// only by tests, replace the real timer and clock.
type Settings struct {
	HTTPClient *http.Client // nil means http.DefaultClient
	Retry      grantkit.RetryPolicy
	UserAgent  string // a product token put before grantkit's own
	Logger     *slog.Logger
	// RateLimit is the caller's budget for the requests this client sends (zero: none).
	RateLimit RateLimit
	// NoAdaptivePacing turns off waiting on the vendor's own rate-limit headers.
	NoAdaptivePacing bool

	// Sleep and Now replace the transport's clock; only tests set them.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
}

// RateLimit is a budget of requests: RPS per second on average, at most Burst at once. The
// zero value means no budget.
type RateLimit struct {
	RPS   float64
	Burst int
}

// Config describes one vendor client's transport: the client's settings (HTTP client, retry
// policy, User-Agent product token, logger, and the clock tests replace), as the options wrote
// them, and the vendor's own parts.
type Config struct {
	Settings

	Vendor string       // "auth0", ...: put in User-Agent and errors
	Tokens *auth.Tokens // the access token; nil sends no credential (an endpoint that takes none)
	// AuthHeader names the header the token is sent in; empty means Authorization.
	AuthHeader string

	// RequestIDHeader names the vendor's request id response header, if it has one.
	RequestIDHeader string
	// ResetAfter reads the vendor's rate-limit reset header, if it has one, as a wait from now.
	// Retry-After is always honoured first and needs no function here.
	ResetAfter func(h http.Header, now time.Time) (time.Duration, bool)
	// RateHeaders names the vendor's other rate-limit headers, if it sends them on its
	// answers, for adaptive pacing (pace.go).
	RateHeaders RateHeaders
	// RateBucket, if set, names the budget a request draws from, for a vendor that limits each
	// endpoint family on its own (Okta: all of /api/v1/apps/* shares one per-minute budget,
	// authorization servers another): each name has its own caller's budget
	// (option.WithRateLimit), rate-limit header state and learned rate. path is the request's
	// URL path. The empty name is the client's one bucket, which token requests also use; nil
	// puts every request in it.
	RateBucket func(method, path string) string
	// TokenRequestsUnpaced says the vendor's token endpoint has a rate limit of its own (Auth0's
	// Authentication API), so token requests do not draw from the API's budget. Token requests
	// are paced only when the client fetches its tokens itself (PacedTokens).
	TokenRequestsUnpaced bool
	// PacedTokens says the tokens come from the vendor's own flow through the client's HTTP
	// client (not a static token or a caller's oauth2.TokenSource); set by the constructor
	// skeleton.
	PacedTokens bool
	// ParseError fills e.Code and e.Message from a non-2xx body in the vendor's error format.
	// It must tolerate any bytes.
	ParseError func(body []byte, e *grantkit.Error)
}

// Client sends requests for one vendor client. It is safe for concurrent use.
type Client struct {
	cfg       Config
	hc        *http.Client
	policy    grantkit.RetryPolicy
	userAgent []string
	// attemptTimeout is the per-attempt limit this transport enforces, or zero if the
	// caller's own http.Client.Timeout applies or there is none.
	attemptTimeout time.Duration
	// pace paces every request of the client (pace.go); nil when nothing does.
	pace *pacer
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	if cfg.AuthHeader == "" {
		cfg.AuthHeader = "Authorization"
	}
	cfg.AuthHeader = http.CanonicalHeaderKey(cfg.AuthHeader)
	c := &Client{cfg: cfg, hc: cfg.HTTPClient, policy: withDefaults(cfg.Retry)}
	if c.hc == nil {
		c.hc = http.DefaultClient
	}
	// A Timeout the caller set on their http.Client already bounds each attempt (each is one
	// hc.Do); it is kept unless the policy names an AttemptTimeout explicitly.
	if d := c.policy.AttemptTimeout; d > 0 && (c.hc.Timeout == 0 || cfg.Retry.AttemptTimeout != 0) {
		c.attemptTimeout = d
	}
	if cfg.Tokens != nil {
		cfg.Tokens.SetRetrier(c.retryToken)
	}
	if c.cfg.Sleep == nil {
		c.cfg.Sleep = Sleep
	}
	if c.cfg.Now == nil {
		c.cfg.Now = time.Now
	}
	c.pace = newPacer(&c.cfg, c.policy.MaxRetryAfter)
	c.userAgent = []string{UserAgent(cfg.Vendor, cfg.UserAgent)}
	return c
}

// withDefaults returns p with every zero field set to its default (see grantkit.RetryPolicy).
func withDefaults(p grantkit.RetryPolicy) grantkit.RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 250 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 8 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	if p.AttemptTimeout == 0 {
		p.AttemptTimeout = 30 * time.Second
	}
	return p
}

// UserAgent is the User-Agent header grantkit sends for vendor: the caller's product token
// (option.WithUserAgent), if any, before grantkit's own. Token requests send it too.
func UserAgent(vendor, product string) string {
	ua := "grantkit/" + grantkit.Version + " (" + vendor + "; " + runtime.Version() + ")"
	if product != "" {
		ua = product + " " + ua
	}
	return ua
}

// WithUserAgent returns a copy of hc (nil means http.DefaultClient) whose requests carry the
// User-Agent ua, for the token requests that the OAuth library or a vendor's own exchange
// send through the caller's client rather than through Client.Do. The caller's transport,
// redirects, jar and timeout are kept.
func WithUserAgent(hc *http.Client, ua string) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	c.Transport = userAgentTransport{base: hc.Transport, ua: []string{ua}}
	return &c
}

type userAgentTransport struct {
	base http.RoundTripper
	ua   []string
}

func (t userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	// A RoundTripper must not change the caller's request: send a shallow copy.
	r := req.Clone(req.Context())
	r.Header["User-Agent"] = t.ua
	return base.RoundTrip(r)
}

// UserAgent returns the User-Agent header value this client sends.
func (c *Client) UserAgent() string { return c.userAgent[0] }

// Do sends req, retrying as the policy allows. It returns the response only for a 2xx status
// whose body was read whole; anything else is a *grantkit.Error built for the call begun in
// req's context (see Begin). The request's body must be replayable through GetBody (ogen's
// requests are) for it to be retried.
//
// Each attempt sends a request of its own: the first sends req, each later one a clone of it
// with a fresh body, because net/http forbids changing or resending a request once it has been
// handed to a RoundTripper (golang/go#21316). A context that has ended sends nothing.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	call := callFrom(ctx)
	call.forget()
	var (
		next      *http.Request   // the request the next attempt sends
		authz     []string        // its token header
		refreshed bool            // the one 401 refresh has been used
		last      *grantkit.Error // the latest attempt's failure
		prepErr   *grantkit.Error // why the next request could not be made ready
		out       *http.Response  // the answer delivered
		cut       bool            // the caller's context ended an attempt: last says how
	)
	prepare := func(sent int) error {
		var err error
		if c.cfg.Tokens != nil { // nil: an endpoint that takes no credential (ory.WithoutAuthentication)
			if authz, err = c.cfg.Tokens.HeaderValues(ctx); err != nil {
				if ctx.Err() != nil && last != nil {
					prepErr = c.ended(call, last, sent, ctx.Err())
				} else {
					prepErr = c.tokenError(call, err)
				}
				return prepErr
			}
		}
		next = req
		if sent > 0 {
			if next, err = resend(req); err != nil {
				prepErr = c.noAnswer(call, req.Method, sent, err, true, false)
				return prepErr
			}
		}
		// Shared, read-only slices: setting a header this way allocates nothing.
		next.Header["User-Agent"] = c.userAgent
		if authz != nil {
			next.Header[c.cfg.AuthHeader] = authz
		} else {
			next.Header.Del(c.cfg.AuthHeader) // what a generated client's security hook may have set
		}
		return nil
	}
	attempt := func(actx context.Context, seq ticket, sent int) step {
		r := next
		if actx != ctx {
			r = r.WithContext(actx)
		}
		res := c.send(r, call, sent)
		if c.pace != nil {
			// Pacing: record each answer's rate-limit headers once it is in.
			c.pace.record(seq, res)
		}
		s := step{method: req.Method, path: req.URL.Path}
		switch {
		case res.resp == nil:
			if ctx.Err() != nil {
				last, cut = c.endedWhile(call, last, sent, ctx.Err(), req.Method, "waiting for the answer"), true
				return step{ended: true}
			}
			transient, unsent := classifyNetErr(res.err)
			call.attempted(!unsent, c.policy.MaxAttempts)
			last = c.noAnswer(call, req.Method, sent, res.err, unsent, timedOut(ctx, actx))
			s.retry, s.cause = transient && (unsent || idempotent(req.Method)), last.Err
		case res.failure == nil:
			call.attempted(res.err != nil, c.policy.MaxAttempts)
			if res.err == nil {
				a := answer{method: req.Method, status: res.resp.StatusCode, attempts: sent}
				if c.cfg.RequestIDHeader != "" {
					a.requestID = res.resp.Header.Get(c.cfg.RequestIDHeader)
				}
				call.deliver(a)
				out = res.resp
				return step{ok: true}
			}
			if ctx.Err() != nil {
				last, cut = c.endedReading(call, req.Method, res.resp, sent, ctx.Err()), true
				return step{ended: true}
			}
			// The answer broke off while it was read: a network failure after the vendor
			// acted. A create is not resent; the rest are, and an update the vendor applied
			// before the connection broke is then reported as the success it was.
			last = c.cutOff(call, req.Method, res.resp, sent, res.err, timedOut(ctx, actx))
			s.retry = !errors.Is(res.err, ErrResponseTooLarge) && transientCause(res.err) && idempotent(req.Method)
			s.cause = last.Err
		default:
			last = res.failure
			call.attempted(unknownStatus(last.StatusCode), c.policy.MaxAttempts)
			s.status = last.StatusCode
			if last.StatusCode == http.StatusUnauthorized && !refreshed && c.cfg.Tokens != nil && c.cfg.Tokens.Refreshable() {
				// The token may have been revoked or rotated early: fetch a new one and
				// replay once. This does not spend a retry.
				refreshed = true
				c.cfg.Tokens.Invalidate(authz[0])
				s.retry, s.free = true, true
				return s
			}
			s.retry, s.delay = retryableStatus(req.Method, last.StatusCode), last.RetryAfter
		}
		return s
	}
	bucket := ""
	if c.pace != nil {
		bucket = c.pace.key(req.Method, req.URL.Path)
	}
	o := c.retrying(ctx, c.pace, bucket, prepare, attempt)
	switch o.why {
	case succeeded:
		return out, nil
	case unprepared:
		return nil, prepErr
	case paceFailed:
		return nil, c.paceError(call, last, o.sent, o.err)
	case ctxEnded:
		if !cut {
			// Ended before a send or during a wait between attempts.
			return nil, c.ended(call, last, o.sent, o.err)
		}
	}
	return nil, last
}

// resend makes the request of a later attempt: a clone of req, which an earlier attempt handed
// to the HTTP client and which is therefore not changed again, with a fresh copy of its body.
func resend(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, nil
	}
	if req.GetBody == nil {
		return nil, errors.New("request body cannot be replayed")
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r.Body = body
	return r, nil
}

// result is one attempt's outcome: no answer (resp nil, err says why), a 2xx answer whose
// body was read whole into resp (or could not be, err), or another status read into failure.
type result struct {
	resp    *http.Response
	err     error
	failure *grantkit.Error
}

// send sends req once and reads the answer.
func (c *Client) send(req *http.Request, call *Call, sent int) result {
	resp, err := c.hc.Do(req)
	if err != nil {
		return result{err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return result{resp: resp, failure: c.statusError(call, resp, sent)}
	}
	body, err := readBody(resp)
	if err == nil {
		resp.Body = body
	}
	return result{resp: resp, err: err}
}

// logRetry records one retry. It never logs headers, bodies, query strings or tokens: a
// network error is logged without the URL net/http puts in it.
func (c *Client) logRetry(ctx context.Context, method, path string, status int, cause error, sent int, delay time.Duration) {
	attrs := []slog.Attr{
		slog.String("vendor", c.cfg.Vendor),
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("attempt", sent),
		slog.Duration("wait", delay),
	}
	if status != 0 {
		attrs = append(attrs, slog.Int("status", status))
	} else if cause != nil {
		var ue *url.Error
		if errors.As(cause, &ue) {
			cause = ue.Err
		}
		attrs = append(attrs, slog.String("error", cause.Error()))
	}
	c.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "grantkit: retrying request", attrs...)
}

// backoff is the wait before retry number n (1-based): a random duration in [d/2, d] where
// d = BaseDelay·2^(n-1) capped at MaxDelay. The jitter keeps many clients from retrying in step.
func (c *Client) backoff(n int) time.Duration {
	d := c.policy.BaseDelay
	for i := 1; i < n && d < c.policy.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, c.policy.MaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

// serverDelay is the wait the vendor asked for: Retry-After (seconds or HTTP date) first, then
// the vendor's reset header. Zero means it did not say (or said "now").
func (c *Client) serverDelay(h http.Header) time.Duration {
	now := c.cfg.Now()
	if d, ok := RetryAfter(h, now); ok {
		return d
	}
	if c.cfg.ResetAfter != nil {
		if d, ok := c.cfg.ResetAfter(h, now); ok {
			return d
		}
	}
	return 0
}

// RetryAfter parses a Retry-After header given in seconds or as an HTTP date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// ResetAtUnix reads a header holding the UNIX time (seconds) at which a rate limit resets,
// as Auth0's X-RateLimit-Reset does.
func ResetAtUnix(name string) func(http.Header, time.Time) (time.Duration, bool) {
	name = http.CanonicalHeaderKey(name) // looked up directly: every answer is read (pace.go)
	return func(h http.Header, now time.Time) (time.Duration, bool) {
		s, err := strconv.ParseInt(first(h, name), 10, 64)
		if err != nil || s <= 0 {
			return 0, false
		}
		return max(time.Unix(s, 0).Sub(now), 0), true
	}
}

// ResetInSeconds reads a header holding the number of seconds until a rate limit resets.
func ResetInSeconds(name string) func(http.Header, time.Time) (time.Duration, bool) {
	name = http.CanonicalHeaderKey(name)
	return func(h http.Header, _ time.Time) (time.Duration, bool) {
		s, err := strconv.ParseInt(first(h, name), 10, 64)
		if err != nil || s < 0 {
			return 0, false
		}
		return time.Duration(min(s, int64(24*time.Hour/time.Second))) * time.Second, true
	}
}

// first is h's first value of the canonical header name, without Get's canonicalization.
func first(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Sleep waits d or until ctx ends, whichever comes first: the wait between attempts, and what a
// vendor package uses for waits of its own (Ory's resends of a write Hydra refused as a
// concurrent transaction).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ErrResponseTooLarge is returned while reading a response body larger than MaxResponseBytes.
var ErrResponseTooLarge = errors.New("response body exceeds " + strconv.Itoa(MaxResponseBytes) + " bytes")

// readBody reads a 2xx body whole, up to MaxResponseBytes, into a pooled buffer, so that a
// connection that breaks mid-body is seen here, where the request can still be retried, and
// not later by the decoder. The returned body hands its buffer back to the pool on Close; the
// decoders copy what they keep, so nothing refers to it afterwards.
func readBody(resp *http.Response) (io.ReadCloser, error) {
	defer func() { _ = resp.Body.Close() }() // the body is read whole: a failed close loses nothing
	if resp.ContentLength > MaxResponseBytes {
		return nil, ErrResponseTooLarge
	}
	pb := bodyPool.Get().(*pooledBody)
	buf := pb.buf[:0]
	if resp.ContentLength > int64(cap(buf)) {
		buf = make([]byte, 0, resp.ContentLength)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := resp.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > MaxResponseBytes {
			pb.release(buf)
			return nil, ErrResponseTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			pb.release(buf)
			return nil, err
		}
	}
	pb.buf, pb.closed = buf, false
	pb.r.Reset(buf)
	return pb, nil
}

var bodyPool = sync.Pool{New: func() any { return new(pooledBody) }}

// maxPooledBuffer keeps the pool from holding on to the buffer of an unusually large answer.
const maxPooledBuffer = 64 << 10

type pooledBody struct {
	r      bytes.Reader
	buf    []byte
	closed bool
}

func (p *pooledBody) Read(b []byte) (int, error) { return p.r.Read(b) }

// Close returns the buffer to the pool. The body must be closed once, as the generated
// clients do: after Close the value may already serve another response.
func (p *pooledBody) Close() error {
	if !p.closed {
		p.release(p.buf)
	}
	return nil
}

func (p *pooledBody) release(buf []byte) {
	p.closed = true
	p.r.Reset(nil)
	p.buf = nil
	if cap(buf) <= maxPooledBuffer {
		p.buf = buf[:0]
	}
	bodyPool.Put(p)
}

// Wrap names vendor and operation in an error that did not come from a request of a call
// (grantkit's own input checks, a lookup that found nothing). An error holding a
// *grantkit.Error already names its call and is returned unchanged.
func Wrap(vendor, op string, err error) error {
	if err == nil {
		return nil
	}
	var ge *grantkit.Error
	if errors.As(err, &ge) {
		return err
	}
	return fmt.Errorf("%s: %s: %w", vendor, op, err)
}
