package fake

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit describes how a vendor enforces its API rate limit, for Server.SetRateLimit: how
// it counts, what it says on every answer, and how it refuses.
type RateLimit struct {
	// Window says the vendor counts requests in a fixed window that starts over at its reset,
	// nothing coming back before (OneLogin's hourly budget). Otherwise the budget is a bucket
	// that refills steadily and holds at most the burst (Auth0's burst and sustained limits).
	Window bool
	// Headers writes the vendor's rate-limit headers from st. It is called for every answer
	// while a limit is set, the 429 included; nil means the vendor sends none.
	Headers func(h http.Header, st RateState)
	// RetryAfter sends Retry-After on a 429: the whole seconds, rounded up, until a request
	// would be let through again.
	RetryAfter bool
	// Body is the vendor's 429 body; nil sends ErrorBody(429, "Too Many Requests").
	Body func() []byte
	// TokensExempt says the token endpoint is not counted: it has a limit of its own (Auth0's
	// Authentication API).
	TokensExempt bool
	// Bucket, if set, names the budget a request draws from: each name gets a budget of its
	// own, of the rate and burst SetRateLimit gives (Okta limits each endpoint family on its
	// own). Nil means one budget for every request.
	Bucket func(r *http.Request) string
}

// RateState is what a vendor's rate-limit headers report after a request.
type RateState struct {
	// Limit is the budget: the bucket's size, or the requests a window allows.
	Limit int
	// Remaining is what is left of it after this request.
	Remaining int
	// Reset is when the budget is whole again: the bucket full, or the window's end.
	Reset time.Time
	// Now is when the request was counted.
	Now time.Time
}

// limiter is the rate limit a Server enforces; nil when none is set.
type limiter struct {
	style  RateLimit
	rps    float64
	burst  int
	bucket *rate.Limiter

	mu      sync.Mutex
	start   time.Time // the current window's start
	count   int       // requests counted in it
	refused int
	// others are the budgets of the buckets other than the first one met (RateLimit.Bucket),
	// by name; the first is this limiter itself.
	first  string
	others map[string]*limiter
}

// forBucket returns the budget of the named bucket, making it on first use.
func (l *limiter) forBucket(name string, now time.Time) *limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.others == nil {
		l.first, l.others = name, map[string]*limiter{}
	}
	if name == l.first {
		return l
	}
	o := l.others[name]
	if o == nil {
		o = &limiter{style: l.style, rps: l.rps, burst: l.burst, start: now}
		if !l.style.Window {
			o.bucket = rate.NewLimiter(rate.Limit(l.rps), l.burst)
		}
		l.others[name] = o
	}
	return o
}

// WithholdRateLimitHeaders makes the fake's rate limit (SetRateLimit) report nothing of its
// budget from now on: no rate-limit header on any answer, and a 429 with Retry-After (whole
// seconds, rounded up) when retryAfter is true, as PingOne answers, or with no header at all
// when it is false, as CPN is assumed to. The limit enforced is the same. It lets a test meet,
// at any vendor's fake, a vendor that sends no rate-limit headers; it is not how a vendor that
// sends them (Auth0, OneLogin) answers. A new fake answers as its vendor does.
//
//fakegen:forward
func (s *Server) WithholdRateLimitHeaders(retryAfter bool) {
	s.mu.Lock()
	s.withheld = &retryAfter
	s.mu.Unlock()
}

// SetRateLimit makes the fake enforce a rate limit as its vendor does (see RateLimit): on
// average rps requests per second, at most burst at once; a window vendor allows burst
// requests per window of burst/rps seconds. A request over the limit is answered with the
// vendor's 429 and not served. Zero rps removes the limit. Token requests count unless the
// vendor's token endpoint is limited on its own.
func (s *Server) SetRateLimit(rps float64, burst int) {
	var l *limiter
	if rps > 0 && !math.IsInf(rps, 0) {
		burst = max(burst, 1)
		l = &limiter{style: s.cfg.RateLimit, rps: rps, burst: burst, start: time.Now()}
		if !l.style.Window {
			l.bucket = rate.NewLimiter(rate.Limit(rps), burst)
		}
	}
	s.mu.Lock()
	s.limiter = l
	s.mu.Unlock()
}

// RateLimited returns how many requests the fake refused with 429 for its rate limit.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	l := s.limiter
	s.mu.Unlock()
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// overLimit counts r against the rate limit, if one is set, and writes the vendor's
// rate-limit headers. It answers a request over the limit with the vendor's 429 and reports
// true; ServeHTTP then serves nothing else.
func (s *Server) overLimit(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	l, withheld := s.limiter, s.withheld
	s.mu.Unlock()
	if l == nil {
		return false
	}
	token := r.URL.Path == s.cfg.TokenPath || slices.Contains(s.cfg.MoreTokenPaths, r.URL.Path)
	if token && l.style.TokensExempt {
		return false
	}
	now := time.Now()
	b := l
	if l.style.Bucket != nil {
		b = l.forBucket(l.style.Bucket(r), now)
	}
	ok, st, wait := b.take(now)
	if !ok && b != l {
		l.mu.Lock()
		l.refused++ // RateLimited counts every bucket's refusals
		l.mu.Unlock()
	}
	if l.style.Headers != nil && withheld == nil {
		l.style.Headers(w.Header(), st)
	}
	if ok {
		return false
	}
	if (withheld == nil && l.style.RetryAfter) || (withheld != nil && *withheld) {
		w.Header().Set("Retry-After", strconv.FormatInt(CeilSeconds(wait), 10))
	}
	body := []byte(nil)
	if l.style.Body != nil {
		body = l.style.Body()
	} else {
		body = s.cfg.ErrorBody(http.StatusTooManyRequests, "Too Many Requests")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write(body)
	return true
}

// take counts one request at now: whether it is let through, the state to report, and, when
// it is not, how long until one would be.
func (l *limiter) take(now time.Time) (bool, RateState, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := RateState{Limit: l.burst, Now: now}
	if l.style.Window {
		period := time.Duration(float64(l.burst) / l.rps * float64(time.Second))
		if end := l.start.Add(period); !now.Before(end) {
			// Windows follow each other from the first: the next starts where the last ended.
			l.start = l.start.Add(now.Sub(l.start) / period * period)
			l.count = 0
		}
		st.Reset = l.start.Add(period)
		ok := l.count < l.burst
		if ok {
			l.count++
		} else {
			l.refused++
		}
		st.Remaining = l.burst - l.count
		return ok, st, st.Reset.Sub(now)
	}
	ok := l.bucket.AllowN(now, 1)
	tokens := max(l.bucket.TokensAt(now), 0)
	st.Remaining = int(tokens)
	st.Reset = now.Add(time.Duration((float64(l.burst) - tokens) / l.rps * float64(time.Second)))
	if ok {
		return true, st, 0
	}
	l.refused++
	return false, st, time.Duration((1 - tokens) / l.rps * float64(time.Second))
}

// CeilSeconds is d in whole seconds, rounded up, as rate-limit headers give it.
func CeilSeconds(d time.Duration) int64 {
	return int64(math.Ceil(max(d, 0).Seconds()))
}

// CeilUnix is t as UNIX seconds, rounded up, as Auth0's X-RateLimit-Reset gives it.
func CeilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}
