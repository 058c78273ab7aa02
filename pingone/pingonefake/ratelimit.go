package pingonefake

import "github.com/grantkit/grantkit/internal/testkit/fake"

// rateLimit is how PingOne documents its limit: requests per second for the license, no
// rate-limit headers on answers, and a request over it refused with 429, code REQUEST_LIMITED
// and Retry-After in seconds. How the limit counts is not documented; the fake uses a bucket.
// See specs/README.md.
var rateLimit = fake.RateLimit{
	RetryAfter: true,
	Body:       func() []byte { return errorBody(codeFor(429), "The request was rate limited", "", "") },
}

// SetRateLimit makes the fake enforce a rate limit as PingOne documents it: rps requests per
// second with bursts of burst, token requests included, and a request over it answered 429
// (REQUEST_LIMITED) with Retry-After and not served. PingOne sends no rate-limit headers, so
// neither does the fake. Zero rps removes the limit; a new fake has none.
func (f *Fake) SetRateLimit(rps float64, burst int) { f.srv.SetRateLimit(rps, burst) }

// RateLimited returns how many requests the fake refused with 429 for its rate limit.
func (f *Fake) RateLimited() int { return f.srv.RateLimited() }
