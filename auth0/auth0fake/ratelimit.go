package auth0fake

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// rateLimit is how Auth0 enforces the Management API's limit: a bucket with a burst and a
// sustained rate, reported on every answer as X-RateLimit-Limit (the burst),
// X-RateLimit-Remaining and X-RateLimit-Reset (the UNIX second, rounded up, at which the
// bucket is full again); over it, 429 with Auth0's error body. The token endpoint belongs to
// the Authentication API, whose limit is its own: the fake does not count it. See
// specs/README.md.
var rateLimit = fake.RateLimit{
	Headers: func(h http.Header, st fake.RateState) {
		h.Set("X-RateLimit-Limit", strconv.Itoa(st.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(st.Remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(fake.CeilUnix(st.Reset), 10))
	},
	Body: func() []byte {
		b, _ := json.Marshal(map[string]any{
			"statusCode": http.StatusTooManyRequests, "error": "Too Many Requests",
			"message": "Global limit has been reached", "errorCode": "too_many_requests",
		})
		return b
	},
	TokensExempt: true,
}

// SetRateLimit makes the fake enforce a Management API rate limit as Auth0 does: a bucket of
// burst requests refilling at rps per second, reported on every answer in X-RateLimit-Limit,
// -Remaining and -Reset, and a request over it answered 429 ("Global limit has been reached")
// and not served. Token requests are not counted (Auth0 limits its Authentication API on its
// own). Zero rps removes the limit; a new fake has none and sends no rate-limit headers.
func (f *Fake) SetRateLimit(rps float64, burst int) { f.srv.SetRateLimit(rps, burst) }

// RateLimited returns how many requests the fake refused with 429 for its rate limit.
func (f *Fake) RateLimited() int { return f.srv.RateLimited() }
