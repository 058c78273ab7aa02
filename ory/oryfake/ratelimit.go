package oryfake

import "github.com/grantkit/grantkit/internal/testkit/fake"

// rateLimit: a self-hosted Hydra has no rate limit (measured: v2.3.0 sends no rate-limit
// header), and Ory Network documents its project rate limits without the shape of its 429.
// The fake assumes the barest answer: a 429 with Ory's error body and no other header, so that
// a client meets the least a vendor can send. See specs/README.md.
var rateLimit = fake.RateLimit{}

// SetRateLimit makes the fake refuse requests beyond rps per second, with bursts of burst,
// token requests included, with 429 and Ory's error body and nothing else (no Retry-After,
// no rate-limit headers). Zero rps removes the limit; a new fake has none.
func (f *Fake) SetRateLimit(rps float64, burst int) { f.srv.SetRateLimit(rps, burst) }

// RateLimited returns how many requests the fake refused with 429 for its rate limit.
func (f *Fake) RateLimited() int { return f.srv.RateLimited() }
