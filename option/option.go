// Package option holds the options every grantkit client accepts, whatever its vendor: the
// HTTP client, the retry policy, pacing (a rate limit, adaptive pacing), the User-Agent, a
// logger, a base URL and a ready-made token.
//
// Each vendor package adds options of its own (its credentials, PingOne's region, ...). They
// have the same type, Option, so both kinds go in one list:
//
//	c, err := auth0.New("example.eu.auth0.com",
//		auth0.WithClientCredentials(clientID, clientSecret),
//		option.WithHTTPClient(hc),
//		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2}))
//
// New checks every option before anything is sent and reports all mistakes at once, each
// wrapping grantkit.ErrInvalidInput: an empty or nil value, a malformed base URL or
// User-Agent, a negative retry setting, an option of another vendor, the same option given
// twice with different values, and anything but exactly one credential.
package option

import (
	"log/slog"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/validate"
)

// An Option configures a client in a vendor package's New. Options come from this package
// and from the vendor packages' With functions; they cannot be written outside grantkit.
type Option func(*construct.Settings) error

// WithHTTPClient sends every request, token requests included, through hc. Without it,
// http.DefaultClient is used.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *construct.Settings) error {
		if hc == nil {
			return validate.Errorf("option.WithHTTPClient", "nil *http.Client; leave the option out for http.DefaultClient")
		}
		return construct.Set(s, "option.WithHTTPClient", &s.HTTPClient, hc)
	}
}

// WithRetryPolicy replaces the default retry policy (see grantkit.RetryPolicy). Zero fields
// take their defaults; negative ones are an error.
func WithRetryPolicy(p grantkit.RetryPolicy) Option {
	return func(s *construct.Settings) error {
		if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0 {
			return validate.Errorf("option.WithRetryPolicy", "negative field in %+v; use MaxAttempts: 1 to disable retries", p)
		}
		return construct.Set(s, "option.WithRetryPolicy", &s.Retry, p)
	}
}

// WithUserAgent puts a product token, such as "my-service/1.2", before grantkit's own in the
// User-Agent header. It must be a valid header value: no CR, LF or other control character.
func WithUserAgent(product string) Option {
	return func(s *construct.Settings) error {
		if product == "" {
			return validate.Errorf("option.WithUserAgent", "must not be empty; leave the option out for grantkit's own")
		}
		if err := validate.HeaderValue("option.WithUserAgent", product); err != nil {
			return err
		}
		return construct.Set(s, "option.WithUserAgent", &s.UserAgent, product)
	}
}

// WithLogger logs each retry (vendor, method, URL path, status or error, attempt, wait) to
// logger at Info level. Headers, bodies, query strings and tokens are never logged.
func WithLogger(logger *slog.Logger) Option {
	return func(s *construct.Settings) error {
		if logger == nil {
			return validate.Errorf("option.WithLogger", "nil *slog.Logger; leave the option out for no logging")
		}
		return construct.Set(s, "option.WithLogger", &s.Logger, logger)
	}
}

// WithBaseURL sends every request, token requests included, to baseURL instead of the
// vendor's hosts: for a proxy, or for a vendor's fake (auth0fake, ...). The vendor's own paths
// are appended to it, as its New documents.
//
// baseURL is https, or plain http on a loopback host only. It may have a path prefix under
// which a proxy serves the vendor's paths, but no query, fragment or credentials, and it may
// not end with the vendor's own paths (Auth0's "https://x/api/v2" would send to
// /api/v2/api/v2/...).
func WithBaseURL(baseURL string) Option {
	return func(s *construct.Settings) error {
		u, err := validate.BaseURL("option.WithBaseURL", baseURL)
		if err != nil {
			return err
		}
		return construct.Set(s, "option.WithBaseURL", &s.BaseURL, u.String())
	}
}

// WithToken authenticates with an access token obtained elsewhere, sent as
// "Authorization: Bearer <token>". It is used as is and never refreshed. It is one of a
// client's credential options, of which New needs exactly one. A token holding a byte that a
// header value cannot carry (CR, LF or another control character) is refused; the error never
// shows the token.
func WithToken(token grantkit.Secret) Option {
	return func(s *construct.Settings) error {
		s.AddCredential("option.WithToken")
		if token == "" {
			return validate.Errorf("option.WithToken", "must not be empty")
		}
		if err := validate.HeaderSecret("option.WithToken", token.Reveal()); err != nil {
			return err
		}
		s.Token = token
		return nil
	}
}

// WithTokenSource authenticates with tokens from ts, asked again when the vendor rejects one.
// It is one of a client's credential options, of which New needs exactly one.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(s *construct.Settings) error {
		s.AddCredential("option.WithTokenSource")
		if ts == nil {
			return validate.Errorf("option.WithTokenSource", "nil oauth2.TokenSource")
		}
		s.TokenSource = ts
		return nil
	}
}
