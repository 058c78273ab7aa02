package transport

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/grantkit/grantkit/internal/auth"
)

// headerless is a pacer of a vendor with no rate-limit headers (PingOne, CPN) on clk.
func headerless(clk *clock, s Settings) *pacer {
	s.Now, s.Sleep = clk.Now, clk.Sleep
	return newPacer(&Config{Settings: s}, time.Minute)
}

// vendorSim is a vendor enforcing a token bucket on the fake clock, with no rate-limit
// headers: each request is let through or refused with a bare 429.
type vendorSim struct {
	clk     *clock
	bucket  *rate.Limiter
	refused int
	served  int
}

func newVendorSim(clk *clock, rps float64, burst int) *vendorSim {
	v := &vendorSim{clk: clk, bucket: rate.NewLimiter(rate.Limit(rps), burst)}
	v.bucket.AllowN(clk.Now(), 0) // the bucket's clock starts full at the fake clock's now
	return v
}

// send admits one request through p, lets the vendor answer it and reports the answer.
func (v *vendorSim) send(t *testing.T, p *pacer, key string) int {
	t.Helper()
	tk, err := p.wait(context.Background(), key, time.Time{})
	require.NoError(t, err)
	status := http.StatusOK
	if v.bucket.AllowN(v.clk.Now(), 1) {
		v.served++
	} else {
		status = http.StatusTooManyRequests
		v.refused++
	}
	p.done(tk, http.Header{}, status, 0)
	return status
}

func TestLearnedRateFindsAHeaderlessVendorsLimit(t *testing.T) {
	// A vendor at 200/s with bursts of 20 that reports nothing but its 429s; one caller sends
	// as fast as the pacer lets it, with or without a budget of its own (one twice the
	// vendor's real limit caps nothing). On the fake clock, 2,000 requests served take what
	// the vendor's rate allows plus at most 10%, and 429s stay under 5% of what was sent.
	for name, rl := range map[string]RateLimit{"no budget": {}, "a budget twice the limit": {RPS: 400, Burst: 40}} {
		t.Run(name, func(t *testing.T) {
			clk := newClock()
			p := headerless(clk, Settings{RateLimit: rl})
			v := newVendorSim(clk, 200, 20)
			start := clk.Now()
			for v.served < 2000 {
				v.send(t, p, "")
			}
			elapsed := clk.Now().Sub(start)
			assert.LessOrEqual(t, elapsed, 11*time.Second, "2,000 at 200/s need 10 s (less the burst)")
			assert.LessOrEqual(t, v.refused, 105, "429s under 5%% of the %d requests sent", v.refused+v.served)
			assert.Positive(t, v.refused, "the limit was only learned from 429s")
			t.Logf("%v for 2,000 served, %d 429s", elapsed, v.refused)
		})
	}
}

func TestWithoutLearningTheSameCallerStorms(t *testing.T) {
	// The control for TestLearnedRateFindsAHeaderlessVendorsLimit: the same caller with
	// adaptive pacing off draws a 429 for nearly every request over the vendor's rate.
	clk := newClock()
	p := headerless(clk, Settings{NoAdaptivePacing: true, RateLimit: RateLimit{RPS: 400, Burst: 40}})
	v := newVendorSim(clk, 200, 20)
	for v.served < 2000 {
		v.send(t, p, "")
	}
	assert.Greater(t, v.refused, 1500)
}

func TestA429CutsTheLearnedRateOncePerRound(t *testing.T) {
	clk := newClock()
	p := headerless(clk, Settings{})
	ctx := context.Background()
	var round1 []ticket
	for range 10 {
		tk, err := p.wait(ctx, "", time.Time{})
		require.NoError(t, err)
		round1 = append(round1, tk)
	}
	assert.Empty(t, clk.waits(), "nothing learned: nothing waits")
	b := round1[0].b
	for _, tk := range round1 {
		p.done(tk, http.Header{}, http.StatusTooManyRequests, 0)
	}
	l := &b.learned
	require.True(t, l.limited())
	assert.EqualValues(t, 1, l.gen, "ten 429s of requests sent together are one cut")
	// Ten admitted at one instant measure as ten in the shortest window (10ms): 1,000/s.
	assert.InDelta(t, 1000, l.ceiling, 1e-6)
	assert.InDelta(t, 850, l.rate(clk.Now()), 1e-6, "a cut keeps 85%")

	tk, err := p.wait(ctx, "", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{time.Second / 850}, clk.waits(), "the next request waits one learned interval")
	p.done(tk, http.Header{}, http.StatusTooManyRequests, 0)
	assert.EqualValues(t, 2, l.gen, "a 429 of a request sent after the cut cuts again")
	assert.Less(t, l.ceiling, 1000.0)
}

func TestTheLearnedRateClimbsBackHoldsThenProbes(t *testing.T) {
	l := learner{ceiling: 100, floor: minRate, cutAt: fixedNow}
	at := func(d time.Duration) float64 { return l.rate(fixedNow.Add(d)) }
	assert.InDelta(t, 85, at(0), 1e-9, "beta·ceiling just after the cut")
	assert.Less(t, at(learnRise/2), 100.0)
	assert.Greater(t, at(learnRise/2), 85.0+15.0/2, "concave: most of the way back by half the rise")
	assert.InDelta(t, 100, at(learnRise), 1e-9)
	assert.InDelta(t, 100, at(learnRise+learnHold), 1e-9, "flat at the ceiling for learnHold")
	assert.InDelta(t, 115, at(2*learnRise+learnHold), 1e-9, "then probing, as far above as the cut went below")
	l.floor = 90
	assert.InDelta(t, 90, at(0), 1e-9, "never below the floor")
}

func TestRetryAfterSetsTheLearnedRatesFloor(t *testing.T) {
	clk := newClock()
	p := headerless(clk, Settings{})
	tk, err := p.wait(context.Background(), "", time.Time{})
	require.NoError(t, err)
	// Nothing else was sent for two seconds: the rate sent is one request in that time.
	require.NoError(t, clk.Sleep(context.Background(), 2*time.Second))
	clk.slept = nil
	p.done(tk, http.Header{}, http.StatusTooManyRequests, 500*time.Millisecond)
	l := &tk.b.learned
	assert.InDelta(t, 2.0, l.floor, 1e-9, "one request per Retry-After of 500ms")
	assert.GreaterOrEqual(t, l.rate(clk.Now()), 2.0)
}

func TestAShortRetryAfterIsTheRetriedRequestsOwnWait(t *testing.T) {
	// A 429 with no rate-limit headers and Retry-After: 1 (PingOne's answer to a per-second
	// limit, rounded up to whole seconds) holds back the request retried, not every request
	// of the client: the learned rate paces those. A longer wait holds every request
	// (TestA429WithAWaitHoldsBackEveryRequest).
	clk := newClock()
	p := headerless(clk, Settings{})
	ctx := context.Background()
	tk, err := p.wait(ctx, "", time.Time{})
	require.NoError(t, err)
	p.done(tk, http.Header{}, http.StatusTooManyRequests, time.Second)
	tk, err = p.wait(ctx, "", time.Time{})
	require.NoError(t, err)
	p.done(tk, http.Header{}, http.StatusOK, 0)
	w := clk.waits()
	require.Len(t, w, 1)
	assert.Less(t, w[0], time.Second, "one learned interval, not the Retry-After")

	p.done(ticket{b: tk.b, seq: tk.b.learned.seq}, http.Header{}, http.StatusTooManyRequests, 2*time.Second)
	assert.Equal(t, clk.Now().Add(2*time.Second), tk.b.blockedUntil, "a longer wait holds every request")
}

func TestA429ReportingTheBudgetTeachesNothing(t *testing.T) {
	// Auth0's 429 carries its rate-limit headers: the header-driven pacing answers it, as
	// before, and nothing is learned.
	clk := newClock()
	srv := newServer(t, status(429, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0",
		"X-RateLimit-Reset", strconv.FormatInt(fixedNow.Add(time.Second).Unix(), 10)), status(200))
	c := pacedClient(t, clk.Now, clk.Sleep, Settings{}, false)
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	b := c.pace.buckets[""]
	require.NotNil(t, b)
	assert.False(t, b.learned.limited())
	assert.EqualValues(t, 1, b.epoch, "the 429's headers were taken")
}

func TestWithoutAdaptivePacingNothingIsLearned(t *testing.T) {
	clk := newClock()
	srv := newServer(t, status(429), status(200))
	c := New(Config{Vendor: "test", Tokens: auth.Static("tok"), Settings: Settings{
		NoAdaptivePacing: true, RateLimit: RateLimit{RPS: 1000, Burst: 10}, Now: clk.Now, Sleep: clk.Sleep}})
	_, err := send(t, c, context.Background(), http.MethodGet, srv.URL, "")
	require.NoError(t, err)
	assert.False(t, c.pace.buckets[""].learned.limited())
}

func TestEachRateBucketKeepsItsOwnBudget(t *testing.T) {
	family := func(_, path string) string {
		if strings.HasPrefix(path, "/api/v1/apps") {
			return "apps"
		}
		if strings.HasPrefix(path, "/api/v1/authorizationServers") {
			return "authz"
		}
		return ""
	}
	t.Run("the caller's budget", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, status(200))
		c := pacedClient(t, clk.Now, clk.Sleep, Settings{RateLimit: RateLimit{RPS: 10, Burst: 1}}, false)
		c.pace.bucketOf = family
		for _, p := range []string{"/api/v1/apps/a", "/api/v1/authorizationServers/s", "/other"} {
			_, err := send(t, c, context.Background(), http.MethodGet, srv.URL+p, "")
			require.NoError(t, err)
		}
		assert.Empty(t, clk.waits(), "three buckets, a burst of one each")
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL+"/api/v1/apps/b", "")
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{100 * time.Millisecond}, clk.waits(), "the second app request waits for its bucket")
	})
	t.Run("the learned rate", func(t *testing.T) {
		clk := newClock()
		p := headerless(clk, Settings{})
		p.bucketOf = family
		apps, authz := p.key(http.MethodPut, "/api/v1/apps/a/grants"), p.key(http.MethodGet, "/api/v1/authorizationServers/s")
		require.Equal(t, "apps", apps)
		v := newVendorSim(clk, 1, 1)
		v.send(t, p, apps)
		assert.Equal(t, http.StatusTooManyRequests, v.send(t, p, apps))
		assert.True(t, p.buckets[apps].learned.limited())
		tk, err := p.wait(context.Background(), authz, time.Time{})
		require.NoError(t, err)
		p.done(tk, http.Header{}, http.StatusOK, 0)
		assert.Empty(t, clk.waits(), "the authorization servers' bucket learned nothing from the apps' 429")
		assert.False(t, p.buckets[authz].learned.limited())
	})
	t.Run("the headers' state", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, status(200, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "30"))
		c := pacedClient(t, clk.Now, clk.Sleep, Settings{}, true)
		c.pace.bucketOf = family
		_, err := send(t, c, context.Background(), http.MethodGet, srv.URL+"/api/v1/apps/a", "")
		require.NoError(t, err)
		_, err = send(t, c, context.Background(), http.MethodGet, srv.URL+"/api/v1/authorizationServers/s", "")
		require.NoError(t, err)
		assert.Empty(t, clk.waits(), "the apps' budget is used up, not the authorization servers'")
		_, err = send(t, c, context.Background(), http.MethodGet, srv.URL+"/api/v1/apps/b", "")
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{30 * time.Second}, clk.waits())
	})
	t.Run("shared by every goroutine", func(t *testing.T) {
		s := &sleeper{}
		srv := newServer(t, status(200))
		c := pacedClient(t, func() time.Time { return fixedNow }, s.sleep, Settings{RateLimit: RateLimit{RPS: 50, Burst: 1}}, false)
		c.pace.bucketOf = family
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				_, err := send(t, c, context.Background(), http.MethodGet, srv.URL+"/api/v1/apps/x", "")
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		assert.Len(t, s.waits(), 3, "one bucket for the four: three wait their turn")
	})
}
