// Package transport is the HTTP layer every generated vendor client sends through. It adds
// the User-Agent and the access token, retries rate-limited and transient failures under a
// grantkit.RetryPolicy, refreshes the token once on a 401, caps response bodies, and turns every
// non-2xx answer into a *grantkit.Error carrying the vendor's own error code and message.
//
// It implements the Do method that ogen's generated clients call (not http.RoundTripper, whose
// contract forbids interpreting status codes); the caller's *http.Client sends the requests.
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/settings"
	"github.com/ogen-go/ogen/validate"
)

// MaxResponseBytes caps every response body read by grantkit (4 MiB, far above any grant or
// page the vendors return). A larger body fails the call instead of exhausting memory.
const MaxResponseBytes = 4 << 20

// maxErrorBodyBytes caps how much of an error body is read to find the vendor's message.
const maxErrorBodyBytes = 64 << 10

// Config describes one vendor client's transport: the client's settings (HTTP client, retry
// policy, User-Agent product token, logger, and the clock tests replace), as the options wrote
// them, and the vendor's own parts.
type Config struct {
	// Settings are read as the options left them: HTTPClient nil means http.DefaultClient;
	// Logger, if set, receives one Info record per retry (vendor, method, URL path, status or
	// error, attempt, wait), never headers, bodies, query strings or tokens; Sleep and Now,
	// set only by tests, replace the real timer and clock.
	settings.Settings

	Vendor string       // "auth0", ...: put in User-Agent and errors
	Tokens *auth.Tokens // the access token; required
	// AuthHeader names the header the token is sent in; empty means Authorization.
	AuthHeader string

	// RequestIDHeader names the vendor's request id response header, if it has one.
	RequestIDHeader string
	// ResetAfter reads the vendor's rate-limit reset header, if it has one, as a wait from now.
	// Retry-After is always honoured first and needs no function here.
	ResetAfter func(h http.Header, now time.Time) (time.Duration, bool)
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
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	if cfg.AuthHeader == "" {
		cfg.AuthHeader = "Authorization"
	}
	cfg.AuthHeader = http.CanonicalHeaderKey(cfg.AuthHeader)
	c := &Client{cfg: cfg, hc: cfg.HTTPClient, policy: cfg.Retry.WithDefaults()}
	if c.hc == nil {
		c.hc = http.DefaultClient
	}
	if c.cfg.Sleep == nil {
		c.cfg.Sleep = sleep
	}
	if c.cfg.Now == nil {
		c.cfg.Now = time.Now
	}
	ua := "grantkit/" + grantkit.Version + " (" + cfg.Vendor + "; " + runtime.Version() + ")"
	if cfg.UserAgent != "" {
		ua = cfg.UserAgent + " " + ua
	}
	c.userAgent = []string{ua}
	return c
}

// UserAgent returns the User-Agent header value this client sends.
func (c *Client) UserAgent() string { return c.userAgent[0] }

// Do sends req, retrying as the policy allows. It returns the response only for a 2xx status;
// anything else is a *grantkit.Error. The request's body must be replayable through GetBody
// (ogen's requests are) for it to be retried.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var (
		sent      int  // requests sent, 401 replays included
		retries   int  // retries spent from the policy
		refreshed bool // the one 401 refresh has been used
	)
	for {
		if sent > 0 {
			if err := rewind(req); err != nil {
				return nil, c.failure(sent, err)
			}
		}
		authz, err := c.cfg.Tokens.HeaderValues(ctx)
		if err != nil {
			return nil, c.tokenFailure(err)
		}
		// Shared, read-only slices: setting a header this way allocates nothing.
		req.Header["User-Agent"] = c.userAgent
		req.Header[c.cfg.AuthHeader] = authz

		resp, err := c.hc.Do(req)
		sent++
		var (
			last  error
			delay time.Duration
			retry bool
		)
		if err != nil {
			if ctx.Err() != nil {
				return nil, c.failure(sent, ctx.Err())
			}
			last, retry = c.failure(sent, err), retryableNetErr(req.Method, err)
		} else if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			body, err := readBody(resp)
			if err == nil {
				resp.Body = body
				return resp, nil
			}
			// The connection failed while the answer was being read: a network failure like
			// any other (a create is not resent; the rest are, and an update the vendor
			// applied before the connection broke is then reported as the success it was).
			if ctx.Err() != nil {
				return nil, c.failure(sent, ctx.Err())
			}
			last, retry = c.failure(sent, err), !errors.Is(err, ErrResponseTooLarge) && retryableNetErr(req.Method, err)
		} else {
			apiErr := c.apiError(resp, sent)
			if resp.StatusCode == http.StatusUnauthorized && !refreshed && c.cfg.Tokens.Refreshable() {
				// The token may have been revoked or rotated early: fetch a new one and
				// replay once. This does not spend a retry.
				refreshed = true
				c.cfg.Tokens.Invalidate(authz[0])
				continue
			}
			last, retry, delay = apiErr, retryableStatus(req.Method, resp.StatusCode), apiErr.RetryAfter
			if delay > c.policy.MaxRetryAfter {
				return nil, apiErr
			}
		}
		if !retry || retries+1 >= c.policy.MaxAttempts {
			return nil, last
		}
		retries++
		if delay <= 0 {
			delay = c.backoff(retries)
		}
		if dl, ok := ctx.Deadline(); ok && c.cfg.Now().Add(delay).After(dl) {
			// Waiting would outlive the caller's deadline: report the real failure now.
			return nil, last
		}
		if c.cfg.Logger != nil {
			c.logRetry(ctx, req, last, sent, delay)
		}
		if err := c.cfg.Sleep(ctx, delay); err != nil {
			return nil, last
		}
	}
}

func (c *Client) logRetry(ctx context.Context, req *http.Request, last error, sent int, delay time.Duration) {
	attrs := []slog.Attr{
		slog.String("vendor", c.cfg.Vendor),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", sent),
		slog.Duration("wait", delay),
	}
	var ge *grantkit.Error
	if errors.As(last, &ge) && ge.StatusCode != 0 {
		attrs = append(attrs, slog.Int("status", ge.StatusCode))
	} else if ge != nil && ge.Err != nil {
		attrs = append(attrs, slog.String("error", ge.Err.Error()))
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

func (c *Client) failure(sent int, err error) *grantkit.Error {
	return &grantkit.Error{Vendor: c.cfg.Vendor, Attempts: sent, Err: err}
}

func (c *Client) tokenFailure(err error) error {
	var ge *grantkit.Error
	if errors.As(err, &ge) {
		ge.Vendor = c.cfg.Vendor
		return ge
	}
	return &grantkit.Error{Vendor: c.cfg.Vendor, Operation: "token", Err: err}
}

// apiError reads (a capped prefix of) a non-2xx response and closes it.
func (c *Client) apiError(resp *http.Response, sent int) *grantkit.Error {
	e := &grantkit.Error{Vendor: c.cfg.Vendor, StatusCode: resp.StatusCode, Attempts: sent}
	if c.cfg.RequestIDHeader != "" {
		e.RequestID = resp.Header.Get(c.cfg.RequestIDHeader)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = c.serverDelay(resp.Header)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBodyBytes)) // let the connection be reused
	resp.Body.Close()
	if c.cfg.ParseError != nil && len(body) > 0 {
		c.cfg.ParseError(body, e)
	}
	return e
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
	return func(h http.Header, now time.Time) (time.Duration, bool) {
		s, err := strconv.ParseInt(h.Get(name), 10, 64)
		if err != nil || s <= 0 {
			return 0, false
		}
		return max(time.Unix(s, 0).Sub(now), 0), true
	}
}

// ResetInSeconds reads a header holding the number of seconds until a rate limit resets.
func ResetInSeconds(name string) func(http.Header, time.Time) (time.Duration, bool) {
	return func(h http.Header, _ time.Time) (time.Duration, bool) {
		s, err := strconv.ParseInt(h.Get(name), 10, 64)
		if err != nil || s < 0 {
			return 0, false
		}
		return time.Duration(min(s, int64(24*time.Hour/time.Second))) * time.Second, true
	}
}

// retryableStatus: 429 and 503 mean the vendor did not act on the request, so any method is
// retried; 502 and 504 may hide a request that was carried out, so a create (POST) is not.
func retryableStatus(method string, status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return method != http.MethodPost
	}
	return false
}

// retryableNetErr: a connection that could not be made never reached the vendor, so any
// method is retried; any other network failure may hide a request that was carried out.
func retryableNetErr(method string, err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return method != http.MethodPost
}

func rewind(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	if req.GetBody == nil {
		return errors.New("request body cannot be replayed")
	}
	body, err := req.GetBody()
	if err != nil {
		return err
	}
	req.Body = body
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
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
	defer resp.Body.Close()
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

// Wrap names the operation in an error returned by a generated client call. A
// *grantkit.Error is returned as itself (with Operation set), so the generated client's own
// wrapping ("do request: ...") never reaches the caller; a request the generated validator
// rejected wraps grantkit.ErrInvalidInput.
func Wrap(vendor, op string, err error) error {
	if err == nil {
		return nil
	}
	var ge *grantkit.Error
	if errors.As(err, &ge) {
		if ge.Operation == "token" {
			ge.Operation = op + ": token request"
		} else {
			ge.Operation = op
		}
		return ge
	}
	var ve *validate.Error
	if errors.As(err, &ve) {
		return fmt.Errorf("%s: %s: %w: %v", vendor, op, grantkit.ErrInvalidInput, ve)
	}
	// Error statuses never reach the generated client (Do turns them into *grantkit.Error),
	// so a status the generated client still reports is a success or redirect status the
	// spec does not list for this call. Say so plainly: the server accepted the request, and
	// a change it asked for may have been made.
	var sc interface{ GetStatusCode() int }
	if errors.As(err, &sc) {
		return &grantkit.Error{
			Vendor:     vendor,
			Operation:  op,
			StatusCode: sc.GetStatusCode(),
			Message:    fmt.Sprintf("unexpected HTTP %d, a status not documented for this call; the request may have taken effect", sc.GetStatusCode()),
		}
	}
	return fmt.Errorf("%s: %s: %w", vendor, op, err)
}
