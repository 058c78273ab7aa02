// Package grantkit manages OAuth client grants and their scopes at several identity vendors
// through one consistent, typed and reliable SDK.
//
// Each vendor has its own package with one constructor, New:
//
//   - [github.com/grantkit/grantkit/auth0]: Auth0 Management API client grants.
//   - [github.com/grantkit/grantkit/cpn]: VMware Cloud Partner Navigator OAuth apps.
//   - [github.com/grantkit/grantkit/onelogin]: OneLogin API authorization scopes and client apps.
//   - [github.com/grantkit/grantkit/pingone]: PingOne application resource grants.
//
// New takes options of one type, [github.com/grantkit/grantkit/option.Option]: the options
// every vendor shares (HTTP client, retry policy, User-Agent, logger, base URL, a ready-made
// token) are in package option, and each vendor package adds its own (its credentials, ...):
//
//	c, err := auth0.New("example.eu.auth0.com",
//		auth0.WithClientCredentials(clientID, clientSecret),
//		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2}))
//
// This root package holds what every vendor package shares:
//
//   - [Field], the three-plus-one states of a field in a partial update (PATCH): left out,
//     null, an empty list, or values. Build them with [Value], [Set] and [Null].
//   - [Error], the one error type for a call that reached (or tried to reach) a vendor:
//     HTTP status, the vendor's error code and message, request id, Retry-After and the
//     number of attempts. Use [errors.As] to get it.
//   - [ErrInvalidInput], wrapped by every error for input rejected before anything is sent.
//   - [RetryPolicy], how a client retries rate-limited and transient failures, and how long
//     one attempt may take.
//   - [Secret], a client secret that never prints (every vendor's WithClientCredentials
//     takes one).
//   - [Page], one page of a list call; every List method also offers an iterator over all pages.
//   - [Grants], the vendor-neutral view every vendor client offers through its Grants method:
//     a client's grant on a resource ([GrantKey]) and its scopes by name, with [Diff],
//     [AddScopes] and [RemoveScopes]. A key identifies one grant by the vendor's own rule
//     (Auth0: client, audience and subject type; PingOne, OneLogin, CPN: client and
//     resource); a key matching several grants is [ErrAmbiguousGrant], and a write the
//     vendor stored otherwise than asked is [ErrNotApplied] (see [CheckStored]).
//
// Request fields a vendor documents as enums accept values grantkit does not know: they are
// sent as they are and the vendor validates them. Only what protects the URL and what the
// vendor's documentation forbids is refused before sending.
//
// Every vendor client authenticates with its vendor's real token flow (tokens are cached,
// shared by concurrent calls and refreshed once on a 401), retries only what a retry can get
// past (see [RetryPolicy]: 429, 503, transient 5xx and network failures for requests that are
// safe to resend, token requests included) with exponential backoff and jitter while
// honouring Retry-After and the vendor's rate-limit headers, bounds every attempt
// (RetryPolicy.AttemptTimeout), never sleeps past the context's deadline, and never puts a
// secret or an access token in an error or log line. Every error a call returns is its own
// [Error] value (or wraps [ErrInvalidInput]), including a 2xx answer it could not use.
package grantkit
