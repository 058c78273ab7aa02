// Package construct owns client construction: the one settings struct every option writes
// (Settings, with the helpers vendor options are written with), and the constructor skeleton
// every vendor's New runs: apply the options, report every option error at once, check the
// base URL against the vendor's paths, require exactly one credential, and build the
// transport. A vendor's New keeps only what is its own: the identity it is given, its token
// flow, its error body and its services.
//
// It does not import the public package option: option.Option's underlying type is
// func(*Settings) error, which New accepts as it is.
package construct

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// Rules are what a vendor's New tells the skeleton about the vendor.
type Rules struct {
	// Vendor names the vendor package: "auth0", ...; it prefixes New's errors.
	Vendor string
	// DefaultBaseURL returns the base URL used without option.WithBaseURL. It is called after
	// the options are applied, so it may read the vendor's own settings (PingOne's region).
	DefaultBaseURL func() string
	// Paths are the paths the vendor appends to the base URL (its API root, its token
	// endpoint). A base URL ending in a leading part of one of them is refused: that part
	// would be doubled.
	Paths []string
	// Credentials names the vendor's own credential options, for the "exactly one" error.
	Credentials []string
	// Check, if set, reports a contradiction among the options that only the vendor can see
	// (PingOne: a region together with a base URL).
	Check func(s *Settings) error
}

// Client is what the skeleton resolved for a vendor's New.
type Client struct {
	*Settings
	// BaseURL is the checked base URL (the caller's or the vendor's default), with no
	// trailing slash.
	BaseURL string
	// Tokens is the token cache for option.WithToken or option.WithTokenSource. It is nil when
	// the credential given is one of the vendor's own: New then builds it from its settings.
	Tokens *auth.Tokens

	vendor string
}

// New applies opts (a vendor New's []option.Option) to a fresh settings struct and own (the
// vendor's own settings, holding its defaults) and checks the result. Its errors are prefixed
// with the vendor's name and wrap grantkit.ErrInvalidInput.
func New[T any, O ~func(*Settings) error](r Rules, own *T, opts []O) (*Client, error) {
	s := &Settings{}
	s.begin(r.Vendor, own)
	var errs []error
	for i, opt := range opts {
		if opt == nil {
			errs = append(errs, validate.Errorf("opts", "option %d is nil", i+1))
			continue
		}
		if err := opt(s); err != nil {
			errs = append(errs, err)
		}
	}
	if r.Check != nil {
		if err := r.Check(s); err != nil {
			errs = append(errs, err)
		}
	}
	base := r.DefaultBaseURL()
	if s.BaseURL != "" {
		base = s.BaseURL
		if err := checkPaths(s.BaseURL, r.Paths); err != nil {
			errs = append(errs, err)
		}
	}
	if n := len(s.Credentials()); n != 1 {
		all := append(append([]string(nil), r.Credentials...), "option.WithToken", "option.WithTokenSource")
		got := "none"
		if n > 0 {
			got = strings.Join(s.Credentials(), ", ")
		}
		errs = append(errs, validate.Errorf("credentials", "give exactly one of %s (got %s)", strings.Join(all, ", "), got))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%s: %w", r.Vendor, err)
	}
	c := &Client{Settings: s, BaseURL: base, vendor: r.Vendor}
	switch {
	case s.Token != "":
		c.Tokens = auth.Static(s.Token.Reveal())
	case s.TokenSource != nil:
		c.Tokens = auth.FromTokenSource(s.TokenSource)
	}
	return c, nil
}

// checkPaths refuses a base URL whose path ends with a leading part of one of the vendor's
// paths: for Auth0's "/api/v2", a base URL ending in /api or /api/v2.
func checkPaths(base string, paths []string) error {
	for _, p := range paths {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		for i := range segs {
			lead := "/" + strings.Join(segs[:i+1], "/")
			if strings.HasSuffix(base, lead) {
				return validate.Errorf("option.WithBaseURL", "%s ends with %s, which grantkit appends itself (requests would go to %s%s); give the URL without it",
					validate.Quote(base), lead, base, p)
			}
		}
	}
	return nil
}

// TokenHTTPClient is the HTTP client the vendor's own token flow sends through: the caller's
// (option.WithHTTPClient) with grantkit's User-Agent on every request, as the API requests have.
func (c *Client) TokenHTTPClient() *http.Client {
	return transport.WithUserAgent(c.HTTPClient, transport.UserAgent(c.vendor, c.UserAgent))
}

// Transport returns the transport for cfg, which holds the vendor's parts (error body, rate
// limit header, ...); the vendor name, settings and tokens are c's.
func (c *Client) Transport(cfg transport.Config) *transport.Client {
	cfg.Vendor, cfg.Settings = c.vendor, c.Settings.Settings
	cfg.Tokens = c.Tokens
	// The vendor's own credential flow sends token requests through the client; a static
	// token sends none, and a caller's TokenSource sends its own, which grantkit cannot pace.
	cfg.PacedTokens = c.Token == "" && c.TokenSource == nil
	return transport.New(cfg)
}

// NoSecurity satisfies a generated client's security hook with an empty value: the transport
// sets the token header itself, because a 401 refresh must replace it between attempts. It
// has one method per security scheme name the specs use; Op and V are the generated package's
// OperationName and scheme types.
type NoSecurity[Op, V any] struct{}

// BearerAuth is the hook of Auth0's and OneLogin's specs.
func (NoSecurity[Op, V]) BearerAuth(context.Context, Op) (V, error) { var v V; return v, nil }

// Bearer is the hook of PingOne's spec.
func (NoSecurity[Op, V]) Bearer(context.Context, Op) (V, error) { var v V; return v, nil }

// CspAuthToken is the hook of CPN's spec.
func (NoSecurity[Op, V]) CspAuthToken(context.Context, Op) (V, error) { var v V; return v, nil }

// ApiToken is the hook of Okta's spec (derived from Okta's document, which names its
// "Authorization: SSWS" scheme apiToken).
func (NoSecurity[Op, V]) ApiToken(context.Context, Op) (V, error) { var v V; return v, nil }

// WithSleep replaces the transport's sleep, so tests record retry waits instead of spending
// them. It is for grantkit's own tests only (users cannot import this package).
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) func(*Settings) error {
	return func(s *Settings) error { s.Sleep = sleep; return nil }
}
