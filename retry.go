package grantkit

import "time"

// Version is grantkit's version, sent in every request's User-Agent.
const Version = "0.1.0"

// RetryPolicy says how a client retries a request that failed in a way a later attempt can
// get past. Zero fields take the defaults below, so RetryPolicy{} is the default policy and
// RetryPolicy{MaxAttempts: 1} disables retries. Token requests follow the same policy.
//
// What is retried:
//
//   - 429, for every method: the vendor says it did not act on the request.
//   - 500, 502, 503 and 504, for every method but POST: a read, a delete or one of grantkit's
//     updates (PUT, or a PATCH that always sends absolute values) can be sent again safely; a
//     create (POST) may have been carried out (a 503 can come from a proxy after the vendor
//     acted) and is never resent blindly: the create looks the object up by its natural key,
//     returns it when it is what was asked, and sends again only when it is absent and the
//     vendor refuses duplicates. A token request creates nothing and is retried like a read.
//   - Transient network failures: a connection refused, reset or aborted, a timeout (see
//     AttemptTimeout), a connection closed before the answer (EOF), or a DNS failure the
//     resolver marks temporary. A create is resent only when the connection could not be made
//     at all, so the vendor cannot have seen it.
//   - A 2xx answer cut off while it was read, for every method but POST.
//
// What is never retried: other 4xx statuses (a 401 is answered once by fetching a new token
// and resending, which spends no attempt), a certificate or other TLS verification failure, a
// request the HTTP client refuses to send (such as an invalid header value), a redirect loop,
// an answer above the size cap, and any other error an http.RoundTripper returns.
//
// A custom http.RoundTripper (given with a vendor's WithHTTPClient) marks one of its own
// errors as worth retrying by giving it, or any error it wraps, a method
//
//	Temporary() bool
//
// that returns true; grantkit then treats it as a transient network failure. An error without
// it (an egress policy's refusal, say) ends the call at once.
//
// The wait before a retry is the vendor's own when it sends one (Retry-After in seconds or as
// an HTTP date, or the vendor's rate-limit reset header), otherwise exponential backoff with
// jitter: a random duration between half and all of BaseDelay·2^(retry-1), capped at MaxDelay.
// A retry whose wait would end after the context's deadline is not attempted: the call
// returns the last error at once instead of sleeping into a certain timeout. A context that
// has already ended sends nothing, token requests included. A context that
// ends during a wait ends the call with an *Error for which errors.Is(err, context.Canceled)
// (or DeadlineExceeded) is true and which still carries the last answer's status.
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
	// AttemptTimeout bounds one attempt, from sending the request to reading the last byte of
	// the answer, so that a vendor that accepts the connection and never answers cannot hang
	// a call whose context has no deadline. An attempt that runs out is a transient failure
	// (retried as above). The context's own deadline still applies when it is sooner.
	// Default 30s; a negative value sets no limit. When zero and the http.Client given to the
	// vendor's client has a Timeout of its own, that Timeout bounds each attempt instead.
	AttemptTimeout time.Duration
}
