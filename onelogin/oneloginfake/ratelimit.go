package oneloginfake

import (
	"net/http"
	"strconv"

	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// rateLimit is how OneLogin documents its limit: a budget of calls per window (5,000 an hour
// for the account) that starts over at the reset, reported as X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (seconds until the reset, rounded up); over it,
// 429 with OneLogin's v2 error body. See specs/README.md.
var rateLimit = fake.RateLimit{
	Window: true,
	Headers: func(h http.Header, st fake.RateState) {
		h.Set("X-RateLimit-Limit", strconv.Itoa(st.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(st.Remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(fake.CeilSeconds(st.Reset.Sub(st.Now)), 10))
	},
	Body: func() []byte { return errorBody(http.StatusTooManyRequests, "Too Many Requests") },
}

// SetRateLimit makes the fake enforce a rate limit as OneLogin documents it: burst calls per
// window of burst/rps seconds (OneLogin's is 5,000 an hour), counted over every request, token
// requests included, reported on every answer in X-RateLimit-Limit, -Remaining and -Reset, and
// a request over it answered 429 and not served. Zero rps removes the limit; a new fake has
// none and sends no rate-limit headers.
func (f *Fake) SetRateLimit(rps float64, burst int) { f.srv.SetRateLimit(rps, burst) }

// RateLimited returns how many requests the fake refused with 429 for its rate limit.
func (f *Fake) RateLimited() int { return f.srv.RateLimited() }
