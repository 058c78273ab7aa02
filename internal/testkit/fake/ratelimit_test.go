package fake

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

var t0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func TestBucketRefillsSteadilyAndReportsWhenFull(t *testing.T) {
	l := &limiter{rps: 10, burst: 3, bucket: rate.NewLimiter(10, 3)}
	l.bucket.AllowN(t0, 0) // start the bucket's clock at t0
	for want := 2; want >= 0; want-- {
		ok, st, _ := l.take(t0)
		require.True(t, ok)
		assert.Equal(t, 3, st.Limit)
		assert.Equal(t, want, st.Remaining)
		assert.Equal(t, t0.Add(time.Duration(3-want)*100*time.Millisecond), st.Reset, "full again after refilling what was taken")
	}
	ok, st, wait := l.take(t0.Add(50 * time.Millisecond))
	assert.False(t, ok, "half a request refilled is not one")
	assert.Equal(t, 0, st.Remaining)
	assert.Equal(t, 50*time.Millisecond, wait)
	ok, _, _ = l.take(t0.Add(100 * time.Millisecond))
	assert.True(t, ok, "one refilled after 100ms")
	assert.Equal(t, 1, l.refused)
}

func TestWindowStartsOverAtItsReset(t *testing.T) {
	l := &limiter{style: RateLimit{Window: true}, rps: 10, burst: 2, start: t0} // 2 per 200ms
	for want := 1; want >= 0; want-- {
		ok, st, _ := l.take(t0.Add(10 * time.Millisecond))
		require.True(t, ok)
		assert.Equal(t, want, st.Remaining)
		assert.Equal(t, t0.Add(200*time.Millisecond), st.Reset)
	}
	ok, _, wait := l.take(t0.Add(190 * time.Millisecond))
	assert.False(t, ok, "nothing comes back before the reset")
	assert.Equal(t, 10*time.Millisecond, wait)
	ok, st, _ := l.take(t0.Add(450 * time.Millisecond))
	assert.True(t, ok)
	assert.Equal(t, 1, st.Remaining)
	assert.Equal(t, t0.Add(600*time.Millisecond), st.Reset, "windows follow each other from the first")
}

func TestOverLimitAnswersWithTheVendorsRefusal(t *testing.T) {
	s := New(Config{TokenPath: "/token", ErrorBody: func(int, string) []byte { return []byte(`{"e":1}`) },
		RateLimit: RateLimit{
			RetryAfter:   true,
			TokensExempt: true,
			Headers:      func(h http.Header, st RateState) { h.Set("X-Left", string(rune('0'+st.Remaining))) },
		}})
	s.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	s.SetRateLimit(0.001, 1)
	serve := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	assert.Equal(t, http.StatusNoContent, serve("/api").Code)
	assert.Equal(t, "0", serve("/api").Header().Get("X-Left"))
	rec := serve("/api")
	assert.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.Equal(t, `{"e":1}`, rec.Body.String(), "the vendor's error body")
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	assert.Equal(t, http.StatusMethodNotAllowed, serve("/token").Code, "an exempt token endpoint is served (it wants a POST)")
	assert.Equal(t, 2, s.RateLimited())
	assert.Len(t, s.Requests(), 1, "refused requests are not served")
}

func TestCeilings(t *testing.T) {
	assert.Equal(t, int64(1), CeilSeconds(time.Millisecond))
	assert.Equal(t, int64(2), CeilSeconds(2*time.Second))
	assert.Equal(t, int64(0), CeilSeconds(-time.Second))
	assert.Equal(t, t0.Unix(), CeilUnix(t0))
	assert.Equal(t, t0.Unix()+1, CeilUnix(t0.Add(time.Nanosecond)))
}
