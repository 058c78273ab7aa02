// Package core holds the settings every vendor client accepts and builds a vendor client's
// transport from them, so the four vendor packages differ only in what is really theirs: their
// token flow, their error body and their API.
package core

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// Settings are the options common to every vendor client. A vendor's options struct embeds
// it and adds its own credentials.
type Settings struct {
	HTTPClient  *http.Client
	Retry       grantkit.RetryPolicy
	UserAgent   string
	BaseURL     string
	Token       string
	TokenSource oauth2.TokenSource
	Logger      *slog.Logger

	// Sleep and Now replace the transport's clock; only tests set them.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time

	// errs collects option errors, reported by New.
	errs []error
}

// Fail records an invalid option; New reports it.
func (s *Settings) Fail(err error) { s.errs = append(s.errs, err) }

// Err returns the recorded option errors, if any.
func (s *Settings) Err() error { return errors.Join(s.errs...) }

// StaticTokens returns the token cache for WithToken or WithTokenSource, and how many of the
// two were given.
func (s *Settings) StaticTokens() (*auth.Tokens, int) {
	var t *auth.Tokens
	n := 0
	if s.Token != "" {
		t, n = auth.Static(s.Token), n+1
	}
	if s.TokenSource != nil {
		t, n = auth.FromTokenSource(s.TokenSource), n+1
	}
	return t, n
}

// ResolveBaseURL returns the caller's base URL, checked, or def.
func (s *Settings) ResolveBaseURL(def string) (string, error) {
	if s.BaseURL == "" {
		return def, nil
	}
	u, err := validate.BaseURL("base URL", s.BaseURL)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Transport completes cfg (vendor name, tokens and error format set by the vendor package)
// with these settings and returns the transport.
func (s *Settings) Transport(cfg transport.Config) *transport.Client {
	cfg.HTTPClient, cfg.Retry, cfg.UserAgent = s.HTTPClient, s.Retry, s.UserAgent
	cfg.Sleep, cfg.Now, cfg.Logger = s.Sleep, s.Now, s.Logger
	return transport.New(cfg)
}
