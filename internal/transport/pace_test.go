package transport

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

// clock is a fake clock whose sleeps advance it at once, recording each wait.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newClock() *clock { return &clock{now: fixedNow} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func (c *clock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}

// pacedClient is a transport with Auth0's rate-limit headers (a refilling bucket, reset in
// UNIX seconds) or, with window, OneLogin's (reset in seconds from now).
func pacedClient(t *testing.T, now func() time.Time, sleep func(context.Context, time.Duration) error, s Settings, window bool) *Client {
	t.Helper()
	s.Now, s.Sleep = now, sleep
	cfg := Config{Vendor: "test", Tokens: auth.Static("tok"), Settings: s}
	if window {
		cfg.ResetAfter = ResetInSeconds("X-RateLimit-Reset")
		cfg.RateHeaders = RateHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining"}
	} else {
		cfg.ResetAfter = ResetAtUnix("X-RateLimit-Reset")
		cfg.RateHeaders = RateHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Refills: true}
	}
	return New(cfg)
}

func TestBudgetSpacesRequestsAfterItsBurst(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(200))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{RateLimit: RateLimit{RPS: 10, Burst: 2}}, false)
	for range 5 {
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
	}
	assert.EqualValues(t, 5, srv.calls.Load())
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}, clk.waits(),
		"two go at once (the burst), then one every 100ms")
}

func TestBudgetIsSharedByEveryGoroutine(t *testing.T) {
	// The clock stands still, so each goroutine's wait is its place in the one queue.
	s := &sleeper{}
	srv := newServer(t, status(200))
	c := pacedClient(t, func() time.Time { return fixedNow }, s.sleep, Settings{RateLimit: RateLimit{RPS: 50, Burst: 1}}, false)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	w := s.waits()
	slices.Sort(w)
	var want []time.Duration
	for i := 1; i < 10; i++ {
		want = append(want, time.Duration(i)*20*time.Millisecond)
	}
	assert.Equal(t, want, w, "one budget: the nine after the first wait 20ms, 40ms, ... 180ms")
}

func TestRetriesDrawFromTheBudget(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(503, "Retry-After", "0"), status(200))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{RateLimit: RateLimit{RPS: 4, Burst: 1}}, false)
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	w := clk.waits()
	require.Len(t, w, 2, "the retry's backoff, then the rest of the budget's 250ms")
	assert.InDelta(t, 250*time.Millisecond, w[0]+w[1], float64(time.Millisecond))
}

func TestWindowExhaustedWaitsForItsReset(t *testing.T) {
	clk := newClock()
	srv := newServer(t,
		status(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "1", "X-RateLimit-Reset", "30"),
		status(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "29"),
		status(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "4999", "X-RateLimit-Reset", "3600"))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{}, true)
	for range 3 {
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{29 * time.Second}, clk.waits(),
		"one left: the second goes at once; none left: the third waits for the reset")
}

func TestBucketExhaustedWaitsForOneUnitOfRefill(t *testing.T) {
	clk := newClock()
	reset := strconv.FormatInt(fixedNow.Add(time.Second).Unix(), 10)
	srv := newServer(t,
		status(200, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset),
		status(200))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{}, false)
	for range 2 {
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{100 * time.Millisecond}, clk.waits(),
		"ten refill by the reset a second away: one is there after 100ms")
}

func TestAdaptivePacingCountsRequestsInFlight(t *testing.T) {
	pc := &pacer{adaptive: true, hdr: RateHeaders{Refills: false}, maxWait: time.Minute}
	p := &bucket{}
	p.known, p.remaining, p.limit, p.seen, p.resetAt = true, 2, 100, fixedNow, fixedNow.Add(10*time.Second)
	assert.Zero(t, p.hold(pc, fixedNow))
	p.inflight = 1
	assert.Zero(t, p.hold(pc, fixedNow), "one in flight takes one of two: one is left")
	p.inflight = 2
	assert.Equal(t, 10*time.Second, p.hold(pc, fixedNow), "two in flight take both: wait for the reset")
	assert.Zero(t, p.hold(pc, fixedNow.Add(10*time.Second)), "after the reset the budget is unknown again")
	assert.False(t, p.known)

	bc := &pacer{adaptive: true, hdr: RateHeaders{Refills: true}, maxWait: time.Minute}
	b := &bucket{}
	b.known, b.remaining, b.limit, b.seen, b.resetAt = true, 0, 20, fixedNow, fixedNow.Add(time.Second)
	b.inflight = 3
	assert.Equal(t, 200*time.Millisecond, b.hold(bc, fixedNow), "the fourth unit of twenty refills at 200ms")
	assert.InDelta(t, 2.0, b.estimate(bc, fixedNow.Add(100*time.Millisecond)), 1e-9)
	b.inflight = 20
	assert.Equal(t, time.Second, b.hold(bc, fixedNow), "more than the bucket holds are in flight: wait for the reset")
}

func TestA429WithAWaitHoldsBackEveryRequest(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(429, "Retry-After", "2"), status(200))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{Retry: grantkit.RetryPolicy{MaxAttempts: 1}}, false)
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.Error(t, err, "no retries: the 429 is returned")
	_, err = send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second}, clk.waits(), "the next call waits out the 429's Retry-After")
}

func TestTheRetriedRequestIsNotHeldTwiceForItsOwn429(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(429, "Retry-After", "2", "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0",
		"X-RateLimit-Reset", strconv.FormatInt(fixedNow.Add(2*time.Second).Unix(), 10)), status(200))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{}, false)
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second}, clk.waits())
}

func TestWithoutAdaptivePacingHeadersAreIgnored(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "30"))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{NoAdaptivePacing: true}, true)
	assert.Nil(t, c.pace, "nothing paces the client")
	for range 3 {
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
	}
	assert.Empty(t, clk.waits())
}

func TestABudgetUsedUpBeyondMaxRetryAfterFailsWithoutSending(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1800"))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{Retry: grantkit.RetryPolicy{MaxRetryAfter: time.Minute}}, true)
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	ctx, _, _ := Begin(context.Background(), "test", "Things.Get", true)
	_, err = send(t, c, ctx, http.MethodGet, srv.URL, "")
	require.ErrorIs(t, err, grantkit.ErrRateLimited)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 30*time.Minute, ge.RetryAfter)
	assert.Equal(t, "Things.Get", ge.Operation)
	assert.Zero(t, ge.Attempts)
	assert.EqualValues(t, 1, srv.calls.Load(), "the second call was not sent")
	assert.Empty(t, clk.waits())
}

func TestPacingWaitsHonourTheContext(t *testing.T) {
	srv := newServer(t, status(200))
	t.Run("cancelled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		s := &sleeper{cancel: cancel}
		c := pacedClient(t, func() time.Time { return fixedNow }, s.sleep, Settings{RateLimit: RateLimit{RPS: 1, Burst: 1}}, false)
		before := srv.calls.Load()
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
		_, err = send(t, c, ctx, http.MethodGet, srv.URL, "")
		require.ErrorIs(t, err, context.Canceled)
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Zero(t, ge.Attempts)
		assert.Equal(t, before+1, srv.calls.Load(), "the cancelled call sent nothing")
		// The cancelled request gave its place back: the next one waits one interval only.
		_, err = send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{time.Second, time.Second}, s.waits())
	})
	t.Run("a wait past the deadline is not started", func(t *testing.T) {
		s := &sleeper{}
		c := pacedClient(t, time.Now, s.sleep, Settings{RateLimit: RateLimit{RPS: 0.1, Burst: 1}}, false)
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		before := srv.calls.Load()
		_, err = send(t, c, ctx, http.MethodGet, srv.URL, "")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NoError(t, ctx.Err(), "returned at once, before the deadline")
		assert.Equal(t, before, srv.calls.Load())
		assert.Empty(t, s.waits())
	})
}

func TestTokenRequestsArePacedWhenTheVendorCountsThem(t *testing.T) {
	for _, unpaced := range []bool{false, true} {
		t.Run("unpaced="+strconv.FormatBool(unpaced), func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, status(200))
			tokens := auth.New(func(context.Context) (*oauthToken, error) {
				tok := token("fetched")
				tok.Expiry = time.Now().Add(time.Hour)
				return tok, nil
			}, true)
			c := New(Config{
				Vendor: "test", Tokens: tokens, PacedTokens: true, TokenRequestsUnpaced: unpaced,
				Settings: Settings{RateLimit: RateLimit{RPS: 2, Burst: 1}, Now: clk.Now, Sleep: clk.Sleep},
			})
			_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
			require.NoError(t, err)
			if unpaced {
				assert.Empty(t, clk.waits(), "the token request spent nothing of the API's budget")
			} else {
				assert.Equal(t, []time.Duration{500 * time.Millisecond}, clk.waits(), "the token request took the burst")
			}
		})
	}
}

func TestPacingErrorsUnwrap(t *testing.T) {
	assert.ErrorIs(t, errPaceDeadline(time.Second), context.DeadlineExceeded)
	assert.ErrorIs(t, errRateLimited(time.Minute), grantkit.ErrRateLimited)
	assert.False(t, errors.Is(errRateLimited(time.Minute), context.DeadlineExceeded))
}

func TestAnAnswerOlderThanTheStateCanOnlyLowerIt(t *testing.T) {
	clk := newClock()
	p := &pacer{adaptive: true, hdr: RateHeaders{Limit: "X-Ratelimit-Limit", Remaining: "X-Ratelimit-Remaining", Refills: true},
		reset: ResetInSeconds("X-RateLimit-Reset"), now: clk.Now, sleep: clk.Sleep, maxWait: time.Minute}
	h := func(rem int) http.Header {
		return http.Header{"X-Ratelimit-Limit": {"20"}, "X-Ratelimit-Remaining": {strconv.Itoa(rem)}, "X-Ratelimit-Reset": {"1"}}
	}
	ctx := context.Background()
	var tickets []ticket
	for range 3 {
		tk, err := p.wait(ctx, "", time.Time{})
		require.NoError(t, err)
		tickets = append(tickets, tk)
	}
	b := tickets[0].b
	// The vendor counted the three in the order 3, 1, 2; their answers come in the order 2, 1.
	p.done(tickets[1], h(18), 200, 0)
	assert.Equal(t, 18, b.remaining)
	p.done(tickets[0], h(19), 200, 0)
	assert.Equal(t, 18, b.remaining, "admitted before the state was taken: 19 may be older than 18")
	p.done(tickets[2], h(17), 200, 0)
	assert.Equal(t, 17, b.remaining, "less is always taken")

	tk, err := p.wait(ctx, "", time.Time{})
	require.NoError(t, err)
	p.done(tk, h(19), 200, 0)
	assert.Equal(t, 19, b.remaining, "admitted after the state was taken: counted after it, so its answer is newer")
	assert.Zero(t, b.inflight)
}
