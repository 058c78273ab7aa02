package option

import (
	"math"

	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// WithRateLimit paces the client at rps requests per second on average, with at most burst
// sent at once: every goroutine using the client shares this one budget, and a request that
// would overspend it waits for its turn before it is sent (its context ending ends the wait).
// Retries and token requests counted by the vendor's API limit draw from it too. Set it a
// little under the limit your vendor account has, so that what else uses the account still
// fits; see the README's Reliability section for each vendor's limits. Where a vendor limits
// each endpoint family on its own, each family gets this budget.
//
// A budget set above the vendor's real limit is not trusted blindly: with adaptive pacing (the
// default), the vendor's rate-limit headers and, where it sends none, the rate learned from its
// 429s cap it (see WithoutAdaptivePacing).
//
// rps must be positive and finite, burst at least 1. Without the option the client sends as
// fast as it is called, paced only by adaptive pacing.
func WithRateLimit(rps float64, burst int) Option {
	return func(s *construct.Settings) error {
		if !(rps > 0) || math.IsInf(rps, 0) {
			return validate.Errorf("option.WithRateLimit", "rps %v must be a positive, finite number of requests per second", rps)
		}
		if burst < 1 {
			return validate.Errorf("option.WithRateLimit", "burst %d must be at least 1", burst)
		}
		return construct.Set(s, "option.WithRateLimit", &s.RateLimit, transport.RateLimit{RPS: rps, Burst: burst})
	}
}

// WithoutAdaptivePacing turns off what the client learns of the vendor's limit from its
// answers. By default:
//
//   - when an answer's rate-limit headers (Auth0's and OneLogin's X-RateLimit-Limit, -Remaining
//     and -Reset) say the account's remaining budget will be used up by the requests already in
//     flight, further requests wait until the vendor's budget has room again instead of
//     drawing 429s;
//   - when a 429 reports nothing of the budget (PingOne sends only Retry-After, CPN a bare
//     429), the client learns a rate from its 429s: each one of a request sent since the last
//     cut cuts the rate to 85% of what the client was sending (your WithRateLimit budget at
//     most), after which it climbs back and probes above, so that the client settles just
//     under the vendor's limit; every goroutine of the client shares the learned rate;
//   - a 429 or 503 that names a wait holds back every request of the client, not only the one
//     retried, except a 429 reporting nothing of the budget whose Retry-After is a second or
//     less: that is the retried request's own wait, and the learned rate paces the others.
//
// Without it, only WithRateLimit paces the client and a 429 is only retried.
func WithoutAdaptivePacing() Option {
	return func(s *construct.Settings) error {
		return construct.Set(s, "option.WithoutAdaptivePacing", &s.NoAdaptivePacing, true)
	}
}
