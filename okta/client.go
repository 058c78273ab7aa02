package okta

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/okta/internal/oas"
	"github.com/grantkit/grantkit/option"
)

const (
	vendor    = "okta"
	apiPath   = "/api/v1"          // the Management API, under the base URL
	tokenPath = "/oauth2/v1/token" // the org authorization server's token endpoint
)

// Client calls the Okta Management API of one org. It is safe for concurrent use.
type Client struct {
	// ApplicationGrants manages the scope consent grants of the org's apps.
	ApplicationGrants *ApplicationGrantsService
	// AuthorizationServers reads the org's custom authorization servers and manages their
	// scopes.
	AuthorizationServers *AuthorizationServersService
	// Applications lists the org's apps.
	Applications *ApplicationsService

	issuer string // the org authorization server's issuer: https://{domain}
	api    *oas.Client
}

// own holds the settings of this package's own options.
type own struct {
	apiToken grantkit.Secret
	key      *privateKey
}

// WithAPIToken authenticates with an Okta API token, sent as "Authorization: SSWS {token}".
// It is one of the credential options, of which New needs exactly one.
func WithAPIToken(token grantkit.Secret) option.Option {
	return construct.VendorOption(vendor, "okta.WithAPIToken", func(s *construct.Settings, o *own) error {
		s.AddCredential("okta.WithAPIToken")
		if token == "" {
			return validate.Errorf("okta.WithAPIToken", "must not be empty")
		}
		// The token becomes the Authorization header: the error names the bad byte, never the
		// token.
		if err := validate.HeaderSecret("okta.WithAPIToken", token.Reveal()); err != nil {
			return err
		}
		return construct.Set(s, "okta.WithAPIToken", &o.apiToken, token)
	})
}

// New returns a client for the Okta org at domain ("example.okta.com"). Exactly one
// credential option must be given: WithAPIToken, WithPrivateKey, option.WithToken or
// option.WithTokenSource.
//
// Without option.WithBaseURL, the API is at https://{domain}/api/v1 and the token endpoint of
// WithPrivateKey at https://{domain}/oauth2/v1/token. With it, they are at {baseURL}/api/v1 and
// {baseURL}/oauth2/v1/token; the base URL may have a path prefix, but not one ending in /api,
// /api/v1, /oauth2 or /oauth2/v1, which would be doubled. The org authorization server's
// issuer, the Resource of grants of Okta's own scopes, is https://{domain} either way.
func New(domain string, opts ...option.Option) (*Client, error) {
	if err := validate.Hostname("domain", domain); err != nil {
		return nil, fmt.Errorf("okta: %w", err)
	}
	var o own
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return "https://" + domain },
		Paths:          []string{apiPath, tokenPath},
		Credentials:    []string{"okta.WithAPIToken", "okta.WithPrivateKey"},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	hc := b.HTTPClient
	switch {
	case o.apiToken != "":
		tok := &oauth2.Token{AccessToken: string(o.apiToken), TokenType: "SSWS"}
		b.Tokens = auth.New(func(context.Context) (*oauth2.Token, error) { return tok, nil }, false)
	case o.key != nil:
		d := newDPoP(b.Now)
		b.Tokens = auth.New(o.key.fetch(b.BaseURL+tokenPath, b.TokenHTTPClient(), d, b.Now), true)
		// API requests with a DPoP-bound token carry a proof of their own (RFC 9449 section 7).
		b.HTTPClient = d.client(hc)
	}
	tr := b.Transport(transport.Config{
		ResetAfter:  transport.ResetAtUnix("X-Rate-Limit-Reset"),
		RateHeaders: transport.RateHeaders{Limit: "X-Rate-Limit-Limit", Remaining: "X-Rate-Limit-Remaining"},
		ParseError:  parseError,
		// One budget per Okta rate-limit family (ratebucket.go).
		RateBucket: rateBucket,
	})
	api, err := oas.NewClient(b.BaseURL+apiPath, construct.NoSecurity[oas.OperationName, oas.ApiToken]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("okta: %w", err)
	}
	c := &Client{issuer: "https://" + domain, api: api}
	c.ApplicationGrants = &ApplicationGrantsService{c}
	c.AuthorizationServers = &AuthorizationServersService{c}
	c.Applications = &ApplicationsService{c}
	return c, nil
}

// Issuer returns the issuer of the org authorization server, https://{domain}: the issuer of
// grants of Okta's own scopes (okta.*).
func (c *Client) Issuer() string {
	if c == nil {
		return ""
	}
	return c.issuer
}

// parseError reads Okta's error body {errorCode, errorSummary, errorLink, errorId,
// errorCauses[{errorSummary}]}: errorCode is the Code, errorSummary the Message with every
// cause added, errorId the RequestID.
func parseError(body []byte, e *grantkit.Error) {
	var b oas.Error
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code, e.Message = b.ErrorCode.Or(""), b.ErrorSummary.Or("")
	var causes []string
	for _, c := range b.ErrorCauses {
		if s := c.ErrorSummary.Or(""); s != "" {
			causes = append(causes, s)
		}
	}
	if len(causes) > 0 {
		e.Message += " (" + strings.Join(causes, "; ") + ")"
	}
	if e.RequestID == "" {
		e.RequestID = b.ErrorId.Or("")
	}
}

// made reports whether New made c: a zero Client, or a nil one, has no API client, and a
// call through it is refused (see transport.Begin) instead of panicking.
func (c *Client) made() bool { return c != nil && c.api != nil }

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
