package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

// sentRequest is what a RoundTripper saw of one request when it was handed over.
type sentRequest struct {
	req    *http.Request
	header http.Header // a copy taken at hand-over
	body   io.ReadCloser
	read   string
}

// recordingRT answers with the next of statuses (the last repeats) and records every request.
type recordingRT struct {
	mu       sync.Mutex
	statuses []int
	sent     []sentRequest
}

func (rt *recordingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	s := sentRequest{req: r, header: r.Header.Clone(), body: r.Body}
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		s.read = string(b)
	}
	rt.sent = append(rt.sent, s)
	code := rt.statuses[min(len(rt.sent), len(rt.statuses))-1]
	return &http.Response{StatusCode: code, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
}

func (rt *recordingRT) requests() []sentRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]sentRequest(nil), rt.sent...)
}

func rtClient(rt http.RoundTripper, tokens *auth.Tokens, p grantkit.RetryPolicy, s *sleeper) *Client {
	if tokens == nil {
		tokens = auth.Static("tok")
	}
	return New(Config{Vendor: "test", Tokens: tokens, Settings: Settings{
		HTTPClient: &http.Client{Transport: rt}, Retry: p, Sleep: s.sleep, Now: func() time.Time { return fixedNow }}})
}

// Each attempt hands the HTTP client a request of its own, and no request is changed after it
// was handed over: net/http forbids reusing one (golang/go#21316).
func TestEachAttemptSendsItsOwnRequest(t *testing.T) {
	for _, p := range []grantkit.RetryPolicy{{}, {AttemptTimeout: -1}} {
		rt := &recordingRT{statuses: []int{503, 401, 200}}
		var n atomic.Int32
		tokens := auth.New(func(context.Context) (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: "t" + string(rune('0'+n.Add(1))), TokenType: "Bearer"}, nil
		}, true)
		c := rtClient(rt, tokens, p, &sleeper{})
		resp, err := send(t, c, context.Background(), http.MethodPut, "https://example.com/x", `{"scope":["a"]}`)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)

		sent := rt.requests()
		require.Len(t, sent, 3)
		for i, s := range sent {
			assert.Equal(t, `{"scope":["a"]}`, s.read, "attempt %d sends the whole body", i+1)
			assert.Equal(t, s.header, s.req.Header, "attempt %d's request was changed after it was sent", i+1)
			assert.True(t, s.body == s.req.Body, "attempt %d's body was replaced after it was sent", i+1)
			for j := range i {
				assert.NotSame(t, sent[j].req, s.req, "attempts %d and %d share a request", j+1, i+1)
			}
		}
		assert.Equal(t, "Bearer t1", sent[1].header.Get("Authorization"))
		assert.Equal(t, "Bearer t2", sent[2].header.Get("Authorization"), "the 401 replay carries the new token")
	}
}

// countingRT counts the requests handed to it and answers 200.
type countingRT struct{ n atomic.Int32 }

func (rt *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.n.Add(1)
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
}

func TestCancelledContextSendsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rt := &countingRT{}
	var fetches atomic.Int32
	tokens := auth.New(func(context.Context) (*oauth2.Token, error) {
		fetches.Add(1)
		return token("x"), nil
	}, true)
	c := rtClient(rt, tokens, grantkit.RetryPolicy{}, &sleeper{})
	_, err := send(t, c, ctx, http.MethodPost, "https://example.com/x", `{}`)
	require.ErrorIs(t, err, context.Canceled)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 0, ge.Attempts)
	assert.Contains(t, err.Error(), "before anything was sent")
	assert.Zero(t, rt.n.Load(), "a request reached the caller's RoundTripper")
	assert.Zero(t, fetches.Load(), "a token was fetched for a call that had ended")

	// The token engine alone: a cancelled context runs no fetch either.
	_, err = c.retryToken(ctx, func(context.Context) (*oauth2.Token, error) {
		fetches.Add(1)
		return token("x"), nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, fetches.Load())
}

// Token requests and API requests run through the one engine: the same attempts, the same
// backoff, the same retry log.
func TestTokenAndAPIRequestsShareOneRetryEngine(t *testing.T) {
	p := grantkit.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: 2 * time.Second}
	api, tok := &sleeper{}, &sleeper{}

	rt := &recordingRT{statuses: []int{502}}
	c := rtClient(rt, nil, p, api)
	_, err := send(t, c, context.Background(), http.MethodGet, "https://example.com/x", "")
	require.Error(t, err)

	var fetches int
	tc := rtClient(&countingRT{}, nil, p, tok)
	_, err = tc.retryToken(context.Background(), func(context.Context) (*oauth2.Token, error) {
		fetches++
		return nil, &oauth2.RetrieveError{Response: &http.Response{StatusCode: 502, Header: http.Header{}}}
	})
	require.Error(t, err)

	assert.Len(t, rt.requests(), 3)
	assert.Equal(t, 3, fetches)
	for _, w := range [][]time.Duration{api.waits(), tok.waits()} {
		require.Len(t, w, 2)
		assert.True(t, w[0] >= 500*time.Millisecond && w[0] <= time.Second, "first backoff %v", w[0])
		assert.True(t, w[1] >= time.Second && w[1] <= 2*time.Second, "second backoff %v", w[1])
	}
}

// stallingRT answers 200 with a body that sends a few bytes and then stalls until the
// request's context ends.
type stallingRT struct{}

type stallingBody struct {
	ctx  context.Context
	sent bool
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, `{"id":`), nil
	}
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (*stallingBody) Close() error { return nil }

func (stallingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: -1, Body: &stallingBody{ctx: r.Context()}, Request: r}, nil
}

// A caller's deadline that ends a stalled answer is named as the cause: not a cut-off answer,
// not the attempt timeout, which never fired.
func TestCallerDeadlineWhileReadingIsNamed(t *testing.T) {
	c := rtClient(stallingRT{}, nil, grantkit.RetryPolicy{}, &sleeper{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := send(t, c, ctx, http.MethodPatch, "https://example.com/x", `{}`)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	msg := err.Error()
	assert.Contains(t, msg, "the caller's context deadline ended the call while reading the answer")
	assert.Contains(t, msg, "the request may have taken effect")
	assert.NotContains(t, msg, "AttemptTimeout")
	assert.NotContains(t, msg, "cut off")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 1, ge.Attempts)

	// The attempt timeout, when it is what fired, is named as such and retried.
	short := rtClient(stallingRT{}, nil, grantkit.RetryPolicy{AttemptTimeout: 20 * time.Millisecond, MaxAttempts: 2}, &sleeper{})
	_, err = send(t, short, context.Background(), http.MethodGet, "https://example.com/x", "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no answer within 20ms (RetryPolicy.AttemptTimeout)")
	assert.False(t, errors.Is(err, context.DeadlineExceeded), "the caller's context had no deadline")
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 2, ge.Attempts)
}
