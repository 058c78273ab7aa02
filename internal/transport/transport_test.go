package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// sleeper records the waits the transport asks for instead of waiting.
type sleeper struct {
	mu     sync.Mutex
	slept  []time.Duration
	cancel context.CancelFunc // if set, called on the first sleep
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.slept = append(s.slept, d)
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return ctx.Err()
}

func (s *sleeper) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.slept...)
}

var fixedNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

type testServer struct {
	*httptest.Server
	calls  atomic.Int32
	bodies chan string
}

// newServer answers each request with the next of answers (the last one repeats).
func newServer(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) *testServer {
	t.Helper()
	ts := &testServer{bodies: make(chan string, 100)}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(ts.calls.Add(1))
		b, _ := io.ReadAll(r.Body)
		ts.bodies <- string(b)
		answers[min(n, len(answers))-1](w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func status(code int, hdr ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"code":"c`+strconv.Itoa(code)+`","message":"m`+strconv.Itoa(code)+`"}`)
	}
}

func newClient(t *testing.T, s *sleeper, tokens *auth.Tokens, p grantkit.RetryPolicy) *Client {
	t.Helper()
	if tokens == nil {
		tokens = auth.Static("tok")
	}
	return New(Config{
		Vendor: "test", Tokens: tokens,
		Settings:        Settings{Retry: p, Sleep: s.sleep, Now: func() time.Time { return fixedNow }},
		RequestIDHeader: "X-Request-Id",
		ResetAfter:      ResetAtUnix("X-RateLimit-Reset"),
		ParseError: func(body []byte, e *grantkit.Error) {
			s := string(body)
			if i := strings.Index(s, `"code":"`); i >= 0 {
				e.Code = s[i+8 : i+8+strings.IndexByte(s[i+8:], '"')]
			}
		},
	})
}

func send(t *testing.T, c *Client, ctx context.Context, method, url, body string) (*http.Response, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	require.NoError(t, err)
	resp, err := c.Do(req)
	if resp != nil {
		t.Cleanup(func() { _ = resp.Body.Close() })
	}
	return resp, err
}

func TestRetriesHonourRetryAfterAndResetHeaders(t *testing.T) {
	httpDate := fixedNow.Add(7 * time.Second).Format(http.TimeFormat)
	cases := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		want   time.Duration
	}{
		{"429 Retry-After seconds", status(429, "Retry-After", "3"), 3 * time.Second},
		{"429 Retry-After HTTP date", status(429, "Retry-After", httpDate), 7 * time.Second},
		{"429 vendor reset epoch", status(429, "X-RateLimit-Reset", strconv.FormatInt(fixedNow.Add(5*time.Second).Unix(), 10)), 5 * time.Second},
		{"503 Retry-After", status(503, "Retry-After", "2"), 2 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &sleeper{}
			srv := newServer(t, tc.answer, tc.answer, status(200))
			resp, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.EqualValues(t, 3, srv.calls.Load())
			assert.Equal(t, []time.Duration{tc.want, tc.want}, s.waits())
		})
	}
}

func TestBackoffWithJitterWhenVendorGivesNoDelay(t *testing.T) {
	s := &sleeper{}
	srv := newServer(t, status(502), status(504), status(503), status(200))
	p := grantkit.RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond}
	_, err := send(t, newClient(t, s, nil, p), context.Background(), http.MethodPatch, srv.URL, `{"a":1}`)
	require.NoError(t, err)
	w := s.waits()
	require.Len(t, w, 3)
	// retry n waits within [d/2, d], d = 100ms·2^(n-1) capped at 300ms.
	for i, d := range []time.Duration{100, 200, 300} {
		d *= time.Millisecond
		assert.GreaterOrEqual(t, w[i], d/2, "wait %d", i)
		assert.LessOrEqual(t, w[i], d, "wait %d", i)
	}
}

func TestBodyIsResentOnEveryAttempt(t *testing.T) {
	srv := newServer(t, status(503), status(429), status(200))
	_, err := send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodPatch, srv.URL, `{"scope":["a"]}`)
	require.NoError(t, err)
	close(srv.bodies)
	var got []string
	for b := range srv.bodies {
		got = append(got, b)
	}
	assert.Equal(t, []string{`{"scope":["a"]}`, `{"scope":["a"]}`, `{"scope":["a"]}`}, got)
}

func TestNoRetry(t *testing.T) {
	cases := []struct {
		name   string
		method string
		code   int
	}{
		{"400", http.MethodGet, 400},
		{"403", http.MethodPatch, 403},
		{"404", http.MethodDelete, 404},
		{"409", http.MethodPost, 409},
		{"422", http.MethodPut, 422},
		{"500 on a create may have been applied", http.MethodPost, 500},
		{"502 on a create may have been applied", http.MethodPost, 502},
		{"504 on a create may have been applied", http.MethodPost, 504},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &sleeper{}
			srv := newServer(t, status(tc.code, "X-Request-Id", "req-1"))
			_, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), context.Background(), tc.method, srv.URL, "")
			var ge *grantkit.Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, tc.code, ge.StatusCode)
			assert.Equal(t, "c"+strconv.Itoa(tc.code), ge.Code)
			assert.Equal(t, "req-1", ge.RequestID)
			assert.Equal(t, 1, ge.Attempts)
			assert.EqualValues(t, 1, srv.calls.Load())
			assert.Empty(t, s.waits())
		})
	}
}

func TestServerErrorsAreRetriedForIdempotentRequests(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		for _, code := range []int{500, 502, 504} {
			t.Run(method+" "+strconv.Itoa(code), func(t *testing.T) {
				s := &sleeper{}
				srv := newServer(t, status(code), status(200))
				_, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), context.Background(), method, srv.URL, "")
				require.NoError(t, err)
				assert.EqualValues(t, 2, srv.calls.Load())
				assert.Len(t, s.waits(), 1)
			})
		}
	}
}

func TestCreateIsRetriedWhenVendorDidNotActOnIt(t *testing.T) {
	srv := newServer(t, status(429, "Retry-After", "1"), status(429), status(201))
	resp, err := send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodPost, srv.URL, `{}`)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.EqualValues(t, 3, srv.calls.Load())
}

// A 503 can come from a proxy after the vendor carried the create out: it is not resent by
// the transport (the vendor method looks for what it may have made, see Create).
func TestCreateIsNotResentAfter503(t *testing.T) {
	srv := newServer(t, status(503), status(201))
	ctx, call, err := Begin(context.Background(), "test", "Things.Create", true)
	require.NoError(t, err)
	_, err = send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodPost, srv.URL, `{}`)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 503, ge.StatusCode)
	assert.EqualValues(t, 1, srv.calls.Load())
	assert.True(t, call.MayHaveLanded())
}

func TestFinalErrorCarriesStatusAndAttempts(t *testing.T) {
	s := &sleeper{}
	srv := newServer(t, status(503, "Retry-After", "1"))
	_, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{MaxAttempts: 3}), context.Background(), http.MethodGet, srv.URL, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 503, ge.StatusCode)
	assert.Equal(t, 3, ge.Attempts)
	assert.Equal(t, time.Second, ge.RetryAfter)
	assert.Len(t, s.waits(), 2)
	assert.Contains(t, err.Error(), "3 attempts")
}

func TestRetryAfterLongerThanPolicyIsNotWaited(t *testing.T) {
	s := &sleeper{}
	srv := newServer(t, status(429, "Retry-After", "3600"))
	_, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{MaxRetryAfter: time.Minute}), context.Background(), http.MethodGet, srv.URL, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, time.Hour, ge.RetryAfter)
	assert.EqualValues(t, 1, srv.calls.Load())
	assert.Empty(t, s.waits())
}

func TestNeverSleepsPastTheDeadline(t *testing.T) {
	s := &sleeper{}
	srv := newServer(t, status(429, "Retry-After", "10"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := newClient(t, s, nil, grantkit.RetryPolicy{})
	c.cfg.Now = time.Now // the deadline is on the real clock
	_, err := send(t, c, ctx, http.MethodGet, srv.URL, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 429, ge.StatusCode, "the real failure is reported, not a timeout")
	assert.Empty(t, s.waits(), "a 10s wait cannot fit before a deadline 5s away")
	assert.EqualValues(t, 1, srv.calls.Load())
}

func TestContextCancelledDuringWaitStopsRetrying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &sleeper{cancel: cancel}
	srv := newServer(t, status(503, "X-Request-Id", "req-9"))
	_, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), ctx, http.MethodGet, srv.URL, "")
	require.ErrorIs(t, err, context.Canceled, "the cancellation is visible")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge, "and the vendor's last answer stays reachable")
	assert.Equal(t, 503, ge.StatusCode)
	assert.Equal(t, "c503", ge.Code)
	assert.Equal(t, "req-9", ge.RequestID)
	assert.EqualValues(t, 1, srv.calls.Load())
}

func TestDeadlineDuringALaterAttemptKeepsTheEarlierAnswer(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			status(502)(w, r)
			return
		}
		select { // the retry hangs until the caller's deadline
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c := newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{})
	c.cfg.Now = time.Now
	_, err := send(t, c, ctx, http.MethodGet, srv.URL, "")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 502, ge.StatusCode)
	assert.Equal(t, 2, ge.Attempts)
}

func TestSlowServerPastDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	s := &sleeper{}
	_, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), ctx, http.MethodGet, srv.URL, "")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 1, ge.Attempts)
	assert.Empty(t, s.waits())
}

func TestConnectionErrors(t *testing.T) {
	// A server that accepts and immediately closes connections: the request may have reached
	// the vendor, so only non-creates are retried.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var accepted atomic.Int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			buf := make([]byte, 4096)
			_, _ = conn.Read(buf)
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	url := "http://" + ln.Addr().String()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	mk := func(s *sleeper) *Client {
		c := newClient(t, s, nil, grantkit.RetryPolicy{MaxAttempts: 3})
		c.hc = hc
		return c
	}

	s := &sleeper{}
	_, err = send(t, mk(s), context.Background(), http.MethodGet, url, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 0, ge.StatusCode)
	assert.Equal(t, 3, ge.Attempts)
	assert.NotNil(t, ge.Err)
	assert.Len(t, s.waits(), 2)

	before := accepted.Load()
	_, err = send(t, mk(&sleeper{}), context.Background(), http.MethodPost, url, "{}")
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 1, ge.Attempts, "a create that may have arrived is not resent")
	assert.EqualValues(t, 1, accepted.Load()-before)

	// Nothing listens: the dial fails, so even a create is retried.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln2.Addr().String()
	require.NoError(t, ln2.Close())
	_, err = send(t, mk(&sleeper{}), context.Background(), http.MethodPost, dead, "{}")
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 3, ge.Attempts)
}

func TestUnauthorizedRefreshesTokenOnceAndReplays(t *testing.T) {
	var fetches atomic.Int32
	tokens := auth.New(func(context.Context) (*oauthToken, error) {
		n := fetches.Add(1)
		return token("t" + strconv.Itoa(int(n))), nil
	}, true)
	var seen []string
	var mu sync.Mutex
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") == "Bearer t1" {
			status(401)(w, r)
			return
		}
		status(200)(w, r)
	})
	s := &sleeper{}
	_, err := send(t, newClient(t, s, tokens, grantkit.RetryPolicy{MaxAttempts: 1}), context.Background(), http.MethodPatch, srv.URL, `{"x":1}`)
	require.NoError(t, err, "the 401 replay does not spend the (disabled) retry budget")
	assert.Equal(t, []string{"Bearer t1", "Bearer t2"}, seen)
	assert.EqualValues(t, 2, fetches.Load())
	assert.Empty(t, s.waits())
}

func TestUnauthorizedTwiceIsReturned(t *testing.T) {
	var fetches atomic.Int32
	tokens := auth.New(func(context.Context) (*oauthToken, error) {
		fetches.Add(1)
		return token("t"), nil
	}, true)
	srv := newServer(t, status(401))
	_, err := send(t, newClient(t, &sleeper{}, tokens, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 401, ge.StatusCode)
	assert.Equal(t, 2, ge.Attempts, "one refresh and one replay, no loop")
	assert.EqualValues(t, 2, fetches.Load())
}

func TestStaticTokenIsNotRefreshedOn401(t *testing.T) {
	srv := newServer(t, status(401))
	_, err := send(t, newClient(t, &sleeper{}, auth.Static("fixed"), grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 1, ge.Attempts)
	assert.NotContains(t, err.Error(), "fixed", "the token never appears in an error")
}

func TestTokenFailureIsReported(t *testing.T) {
	tokens := auth.New(func(context.Context) (*oauthToken, error) { return nil, errors.New("boom") }, true)
	srv := newServer(t, status(200))
	_, err := send(t, newClient(t, &sleeper{}, tokens, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Empty(t, ge.Operation, "no call was begun")
	assert.True(t, ge.TokenRequest)
	assert.ErrorIs(t, err, grantkit.ErrToken)
	assert.Equal(t, "test: token request: boom", ge.Error())
	assert.Equal(t, "test", ge.Vendor)
	assert.EqualValues(t, 0, srv.calls.Load(), "nothing is sent without a token")

	ctx, _, err := Begin(context.Background(), "test", "Things.Get", true)
	require.NoError(t, err)
	_, err = send(t, newClient(t, &sleeper{}, tokens, grantkit.RetryPolicy{}), ctx, http.MethodGet, srv.URL, "")
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "Things.Get", ge.Operation, "a token failure names the call, like every other error of it")
	assert.True(t, ge.TokenRequest)
	assert.ErrorIs(t, err, grantkit.ErrToken)
	assert.Equal(t, "test: Things.Get: token request: boom", ge.Error())
}

func TestHeadersAndUserAgent(t *testing.T) {
	var ua, authz string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		ua, authz = r.Header.Get("User-Agent"), r.Header.Get("Authorization")
		status(200)(w, r)
	})
	c := New(Config{Vendor: "auth0", Tokens: auth.Static("abc"), Settings: Settings{UserAgent: "my-svc/2"}})
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	assert.Equal(t, "Bearer abc", authz)
	assert.True(t, strings.HasPrefix(ua, "my-svc/2 grantkit/"+grantkit.Version+" (auth0; go"), ua)
	assert.Equal(t, ua, c.UserAgent())
}

func TestResponseBodyIsCapped(t *testing.T) {
	for _, n := range []int{MaxResponseBytes, MaxResponseBytes + 1} {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(strings.Repeat("x", n)))
		})
		s := &sleeper{}
		resp, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
		if n <= MaxResponseBytes {
			require.NoError(t, err)
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Len(t, b, n)
		} else {
			require.ErrorIs(t, err, ErrResponseTooLarge)
			var ge *grantkit.Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, 200, ge.StatusCode)
			assert.Empty(t, s.waits(), "too large is not transient: no retry")
		}
	}
}

func TestWrap(t *testing.T) {
	ge := &grantkit.Error{Vendor: "v", StatusCode: 404}
	wrapped := fmt.Errorf("lookup: %w", ge)
	assert.Same(t, wrapped, Wrap("v", "Grants.Get", wrapped), "an error of a call already names it")
	assert.EqualError(t, Wrap("v", "Grants.Get", errors.New("no such grant")), "v: Grants.Get: no such grant")
	assert.NoError(t, Wrap("v", "op", nil))
}

func TestHeaderParsers(t *testing.T) {
	h := http.Header{}
	_, ok := RetryAfter(h, fixedNow)
	assert.False(t, ok)
	for v, want := range map[string]time.Duration{"0": 0, "5": 5 * time.Second, fixedNow.Add(-time.Minute).Format(http.TimeFormat): 0} {
		h.Set("Retry-After", v)
		d, ok := RetryAfter(h, fixedNow)
		assert.True(t, ok, v)
		assert.Equal(t, want, d, v)
	}
	for _, bad := range []string{"-1", "soon", "1.5"} {
		h.Set("Retry-After", bad)
		_, ok := RetryAfter(h, fixedNow)
		assert.False(t, ok, bad)
	}
	h = http.Header{"X-Ratelimit-Reset": {"12"}}
	d, ok := ResetInSeconds("X-RateLimit-Reset")(h, fixedNow)
	assert.True(t, ok)
	assert.Equal(t, 12*time.Second, d)
	h.Set("X-RateLimit-Reset", "garbage")
	_, ok = ResetAtUnix("X-RateLimit-Reset")(h, fixedNow)
	assert.False(t, ok)
}

func TestRetriesAreLoggedWithoutSecrets(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil))
	srv := newServer(t, status(429, "Retry-After", "1"), status(200))
	c := newClient(t, &sleeper{}, auth.Static("tok-SECRET-123"), grantkit.RetryPolicy{})
	c.cfg.Logger = logger
	_, err := send(t, c, context.Background(), http.MethodPatch, srv.URL+"/things/1?filter=x", `{"secret":"body-SECRET"}`)
	require.NoError(t, err)
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.Contains(t, out, `"msg":"grantkit: retrying request"`)
	assert.Contains(t, out, `"status":429`)
	assert.Contains(t, out, `"path":"/things/1"`)
	assert.Contains(t, out, `"wait":1000000000`)
	for _, s := range []string{"SECRET", "filter=x", "Bearer"} {
		assert.NotContains(t, out, s)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestDeclaredTooLargeBodyIsRefusedWithoutReading(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(MaxResponseBytes+1))
		w.WriteHeader(200)
		_, _ = w.Write([]byte("{}")) // the server never sends the rest
	})
	_, err := send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
	require.ErrorIs(t, err, ErrResponseTooLarge)
}

func TestBodyCutMidwayIsRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"id":`))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		status(200)(w, r)
	}))
	defer srv.Close()
	s := &sleeper{}
	resp, err := send(t, newClient(t, s, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodPut, srv.URL, `{"a":1}`)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	assert.JSONEq(t, `{"code":"c200","message":"m200"}`, string(b))
	assert.EqualValues(t, 2, calls.Load())
	assert.Len(t, s.waits(), 1)

	// A create cut midway is not resent: the vendor has acted on it.
	calls.Store(0)
	_, err = send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), context.Background(), http.MethodPost, srv.URL, `{}`)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 1, ge.Attempts)
}
