package fake

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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

func TestWithheldHeadersEnforceTheSameLimitAndSayNothingOfIt(t *testing.T) {
	headers := func(h http.Header, st RateState) { h.Set("X-Left", strconv.Itoa(st.Remaining)) }
	for _, tc := range []struct {
		name       string
		retryAfter bool // the vendor's own style sends Retry-After
		withhold   *bool
		wantRA     bool
		wantLeft   bool
	}{
		{"as the vendor", true, nil, true, true},
		{"Retry-After only", false, ptr(true), true, false},
		{"bare", true, ptr(false), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{ErrorBody: func(int, string) []byte { return []byte(`{}`) },
				RateLimit: RateLimit{RetryAfter: tc.retryAfter, Headers: headers}})
			s.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
			s.SetRateLimit(0.001, 1)
			if tc.withhold != nil {
				s.WithholdRateLimitHeaders(*tc.withhold)
			}
			serve := func() *httptest.ResponseRecorder {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api", nil))
				return rec
			}
			ok := serve()
			assert.Equal(t, http.StatusNoContent, ok.Code)
			refused := serve()
			assert.Equal(t, http.StatusTooManyRequests, refused.Code, "the same limit is enforced")
			assert.Equal(t, tc.wantLeft, ok.Header().Get("X-Left") != "", "rate-limit headers on a success")
			assert.Equal(t, tc.wantLeft, refused.Header().Get("X-Left") != "", "rate-limit headers on a 429")
			assert.Equal(t, tc.wantRA, refused.Header().Get("Retry-After") != "")
			assert.Equal(t, 1, s.RateLimited())
		})
	}
}

func TestEachBucketHasABudgetOfItsOwn(t *testing.T) {
	s := New(Config{ErrorBody: func(int, string) []byte { return []byte(`{}`) },
		RateLimit: RateLimit{Bucket: func(r *http.Request) string { return strings.SplitN(r.URL.Path, "/", 3)[1] }}})
	s.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	s.SetRateLimit(0.001, 2)
	serve := func(path string) int {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	for _, p := range []string{"/apps/1", "/apps/2", "/authz/1", "/authz/2"} {
		assert.Equal(t, http.StatusNoContent, serve(p), p)
	}
	assert.Equal(t, http.StatusTooManyRequests, serve("/apps/3"), "the apps' burst of two is spent")
	assert.Equal(t, http.StatusTooManyRequests, serve("/authz/3"), "and so is the authorization servers'")
	assert.Equal(t, http.StatusNoContent, serve("/other"), "a third bucket is full")
	assert.Equal(t, 2, s.RateLimited(), "refusals of every bucket are counted")
}

func ptr[T any](v T) *T { return &v }
