package grantkit

import "time"

// Version is grantkit's version, sent in every request's User-Agent.
const Version = "0.1.0"

// RetryPolicy says how a client retries a call that was rate limited (429) or met a transient
// failure (502, 503, 504, or a connection error). Zero fields take the defaults below, so
// RetryPolicy{} is the default policy and RetryPolicy{MaxAttempts: 1} disables retries.
//
// The wait before a retry is the vendor's own when it sends one (Retry-After in seconds or as
// an HTTP date, or the vendor's rate-limit reset header), otherwise exponential backoff with
// jitter: a random duration between half and all of BaseDelay·2^(retry-1), capped at MaxDelay.
// A retry whose wait would end after the context's deadline is not attempted: the call
// returns the last error at once instead of sleeping into a certain timeout.
//
// A create (POST) is retried only when the vendor cannot have acted on it: 429, 503, or a
// connection that failed before the request was sent. Reads, deletes and grantkit's updates
// (which always send absolute values) are retried on every transient failure.
type RetryPolicy struct {
	// MaxAttempts is the most times one request is sent, the first included. Default 4.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry. Default 250ms.
	BaseDelay time.Duration
	// MaxDelay caps one backoff. Default 8s.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest wait asked for by the vendor that is honoured; a longer one
	// ends the call with an *Error whose RetryAfter says how long. Default 60s.
	MaxRetryAfter time.Duration
}

// WithDefaults returns the policy with every zero field set to its default.
func (p RetryPolicy) WithDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 250 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 8 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	return p
}
