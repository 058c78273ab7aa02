package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
)

// attempts sends one GET through c and returns the final error's attempt count.
func attempts(t *testing.T, c *Client, method, url string) (*grantkit.Error, error) {
	t.Helper()
	_, err := send(t, c, context.Background(), method, url, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	return ge, err
}

func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	defer srv.Close()
	s := &sleeper{}
	c := New(Config{Vendor: "test", Tokens: auth.Static("tok"), Settings: Settings{Sleep: s.sleep}}) // http.DefaultClient: the test CA is not trusted
	ge, err := attempts(t, c, http.MethodGet, srv.URL)
	assert.Equal(t, 1, ge.Attempts)
	assert.Empty(t, s.waits())
	assert.Contains(t, err.Error(), "certificate")
	assert.Zero(t, hits.Load())
}

func TestMalformedRequestIsNotRetried(t *testing.T) {
	srv := newServer(t, status(200))
	s := &sleeper{}
	c := New(Config{Vendor: "test", Tokens: auth.Static("tok"), Settings: Settings{UserAgent: "svc/1\r\nX-Injected: 1", Sleep: s.sleep}})
	ge, err := attempts(t, c, http.MethodGet, srv.URL)
	assert.Equal(t, 1, ge.Attempts)
	assert.Empty(t, s.waits())
	assert.Contains(t, err.Error(), "invalid header field value")
	assert.Zero(t, srv.calls.Load())
}

// temporary is how a caller's RoundTripper marks its error as worth retrying.
type temporary struct{ error }

func (temporary) Temporary() bool { return true }

func TestCustomRoundTripperErrors(t *testing.T) {
	refusal := errors.New("egress policy: host not allowed")
	cases := []struct {
		name   string
		err    error
		method string
		want   int
	}{
		{"final by default", refusal, http.MethodGet, 1},
		{"marked Temporary", temporary{refusal}, http.MethodGet, 3},
		{"marked deep in a chain", fmt.Errorf("proxy: %w", fmt.Errorf("dial: %w", temporary{refusal})), http.MethodDelete, 3},
		{"marked, but a create that may have been sent", temporary{refusal}, http.MethodPost, 1},
		{"a connection that could not be made, even for a create", connRefused(), http.MethodPost, 3},
		{"reset by the peer", &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}}, http.MethodGet, 3},
		{"EOF before an answer", io.EOF, http.MethodPut, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			hc := httpfake.Client(func(*http.Request) (*http.Response, error) {
				n.Add(1)
				return nil, tc.err
			})
			s := &sleeper{}
			c := New(Config{Vendor: "test", Tokens: auth.Static("tok"), Settings: Settings{HTTPClient: hc, Retry: grantkit.RetryPolicy{MaxAttempts: 3}, Sleep: s.sleep}})
			ge, _ := attempts(t, c, tc.method, "https://vendor.example/things")
			assert.Equal(t, tc.want, ge.Attempts)
			assert.EqualValues(t, tc.want, n.Load())
			assert.Len(t, s.waits(), tc.want-1)
		})
	}
}

func TestClassifyNetErr(t *testing.T) {
	for _, tc := range []struct {
		err               error
		transient, unsent bool
	}{
		{connRefused(), true, true},
		{io.ErrUnexpectedEOF, true, false},
		{errAttemptTimeout(time.Second), true, false},
		{errors.New("http: server closed idle connection"), true, false},
		{errors.New(`net/http: invalid header field value for "User-Agent"`), false, false},
		{context.Canceled, false, false},
	} {
		tr, un := classifyNetErr(tc.err)
		assert.Equal(t, tc.transient, tr, tc.err.Error())
		assert.Equal(t, tc.unsent, un, tc.err.Error())
	}
}

// A vendor that accepts the connection and never answers cannot hang a call whose context has
// no deadline: each attempt ends at AttemptTimeout and counts as a transient failure.
func TestAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/stall-body" {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"id":`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	p := grantkit.RetryPolicy{MaxAttempts: 2, AttemptTimeout: 50 * time.Millisecond}

	for _, tc := range []struct {
		method, path string
		want         int
		status       int
	}{
		{http.MethodGet, "/never", 2, 0},
		{http.MethodPost, "/never", 1, 0},
		{http.MethodGet, "/stall-body", 2, 200},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			hits.Store(0)
			s := &sleeper{}
			ge, err := attempts(t, newClient(t, s, nil, p), tc.method, srv.URL+tc.path)
			assert.Equal(t, tc.want, ge.Attempts)
			assert.EqualValues(t, tc.want, hits.Load())
			assert.Equal(t, tc.status, ge.StatusCode)
			assert.Contains(t, err.Error(), "no answer within 50ms (RetryPolicy.AttemptTimeout)")
			assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context has no deadline")
		})
	}

	t.Run("token request", func(t *testing.T) {
		var fetches atomic.Int32
		tokens := auth.New(func(ctx context.Context) (*oauthToken, error) {
			if fetches.Add(1) == 1 {
				<-ctx.Done() // a token endpoint that never answers
				return nil, ctx.Err()
			}
			return token("t"), nil
		}, true)
		ok := newServer(t, status(200))
		_, err := send(t, newClient(t, &sleeper{}, tokens, p), context.Background(), http.MethodGet, ok.URL, "")
		require.NoError(t, err)
		assert.EqualValues(t, 2, fetches.Load())
	})
}

func TestAttemptTimeoutSettings(t *testing.T) {
	tok := auth.Static("t")
	assert.Equal(t, 30*time.Second, New(Config{Tokens: tok}).attemptTimeout, "on by default")
	assert.Zero(t, New(Config{Tokens: tok, Settings: Settings{Retry: grantkit.RetryPolicy{AttemptTimeout: -1}}}).attemptTimeout, "negative: no limit")
	own := &http.Client{Timeout: 5 * time.Second}
	assert.Zero(t, New(Config{Tokens: tok, Settings: Settings{HTTPClient: own}}).attemptTimeout, "the caller's http.Client.Timeout already bounds each attempt")
	assert.Equal(t, time.Second, New(Config{Tokens: tok, Settings: Settings{HTTPClient: own, Retry: grantkit.RetryPolicy{AttemptTimeout: time.Second}}}).attemptTimeout,
		"an explicit policy wins")
	assert.Equal(t, 5*time.Second, own.Timeout, "the caller's client is never changed")
}

func TestRetryPolicyDefaults(t *testing.T) {
	assert.Equal(t, grantkit.RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: time.Minute,
		AttemptTimeout: 30 * time.Second}, withDefaults(grantkit.RetryPolicy{}))
	p := grantkit.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Second, MaxDelay: 2 * time.Second, MaxRetryAfter: 5 * time.Second, AttemptTimeout: time.Second}
	assert.Equal(t, p, withDefaults(p))
	noLimit := withDefaults(grantkit.RetryPolicy{AttemptTimeout: -1})
	assert.Negative(t, noLimit.AttemptTimeout, "a negative AttemptTimeout (no per-attempt limit) is kept")
}
