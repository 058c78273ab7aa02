package cpnfake

import "github.com/grantkit/grantkit/internal/testkit/fake"

// rateLimit: neither CPN nor CSP documents a rate limit, its headers or its answer. The fake
// assumes a 429 with CSP's error body and no other header, so that a client meets the least a
// vendor can send. See specs/README.md.
var rateLimit = fake.RateLimit{}

// SetRateLimit makes the fake refuse requests beyond rps per second, with bursts of burst,
// token requests included, with 429 and CSP's error body and nothing else: CPN documents no
// rate limit, so the fake assumes the barest answer (no Retry-After, no rate-limit headers).
// Zero rps removes the limit; a new fake has none.
func (f *Fake) SetRateLimit(rps float64, burst int) { f.srv.SetRateLimit(rps, burst) }

// RateLimited returns how many requests the fake refused with 429 for its rate limit.
func (f *Fake) RateLimited() int { return f.srv.RateLimited() }
