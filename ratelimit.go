package grantkit

import "errors"

// ErrRateLimited is wrapped by the *Error of a call that was not sent because the vendor's
// rate limit has no room for it sooner than RetryPolicy.MaxRetryAfter: the vendor's
// rate-limit headers said the account's budget is used up until a reset further away than
// that (OneLogin's hourly budget, say), or a 429 asked every request of the client to wait that
// long. The Error's RetryAfter says how long until the vendor has room again; nothing was
// sent, so the call can be made again after it.
var ErrRateLimited = errors.New("vendor rate limit used up")
