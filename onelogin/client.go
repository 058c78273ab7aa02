package onelogin

import (
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
	"github.com/grantkit/grantkit/option"
)

const (
	vendor    = "onelogin"
	apiPath   = "/api/2"                // the API, under the base URL
	tokenPath = "/auth/oauth2/v2/token" // the token endpoint, under the base URL
)

// Client calls the OneLogin API v2 of one account. It is safe for concurrent use; create one
// per account and reuse it, so that its access token is reused too.
type Client struct {
	// Authorizations reads API authorization servers and manages the scopes they define.
	Authorizations *AuthorizationsService
	// ClientApps manages the client apps of an authorization server and their scopes.
	ClientApps *ClientAppsService

	api *oas.Client
}

// own holds the settings of this package's own options.
type own struct {
	construct.ClientCredentials
}

// WithClientCredentials authenticates with an API credential pair (created under Developers >
// API Credentials, with "Manage All" or "Manage Authorizations" access). Tokens are requested
// from https://{host}/auth/oauth2/v2/token and cached until they expire. It is one of the
// credential options, of which New needs exactly one.
func WithClientCredentials(clientID string, clientSecret grantkit.Secret) option.Option {
	return construct.WithClientCredentials[own](vendor, clientID, clientSecret)
}

// New returns a client for the OneLogin account at account: a subdomain ("acme", meaning
// acme.onelogin.com) or a full host name ("acme.onelogin.com", "api.eu.onelogin.com").
// Exactly one credential option must be given: WithClientCredentials, option.WithToken or
// option.WithTokenSource.
//
// With option.WithBaseURL, the API is at {baseURL}/api/2 and the token endpoint at
// {baseURL}/auth/oauth2/v2/token; the base URL may have a path prefix, but not one ending in
// /api, /api/2 or a leading part of /auth/oauth2/v2/token, which would be doubled.
func New(account string, opts ...option.Option) (*Client, error) {
	host := account
	if !strings.Contains(host, ".") && host != "" {
		host += ".onelogin.com"
	}
	if err := validate.Hostname("account", host); err != nil {
		return nil, fmt.Errorf("onelogin: %w", err)
	}
	var o own
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return "https://" + host },
		Paths:          []string{apiPath, tokenPath},
		Credentials:    []string{"onelogin.WithClientCredentials"},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	if b.Tokens == nil {
		b.Tokens = auth.ClientCredentials(o.Grant(b.BaseURL+tokenPath, oauth2.AuthStyleInParams), b.TokenHTTPClient())
	}
	tr := b.Transport(transport.Config{
		ResetAfter: transport.ResetInSeconds("X-RateLimit-Reset"),
		// A window: the calls left until the reset, when the count starts over. See
		// specs/README.md.
		RateHeaders: transport.RateHeaders{Limit: "X-Ratelimit-Limit", Remaining: "X-Ratelimit-Remaining"},
		ParseError:  parseError,
	})
	api, err := oas.NewClient(b.BaseURL+apiPath, construct.NoSecurity[oas.OperationName, oas.BearerAuth]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("onelogin: %w", err)
	}
	c := &Client{api: api}
	c.Authorizations = &AuthorizationsService{c}
	c.ClientApps = &ClientAppsService{c}
	return c, nil
}

// parseError reads OneLogin's error body: {"statusCode":..,"name":..,"message":..}.
func parseError(body []byte, e *grantkit.Error) {
	var b oas.Error
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code = b.Name.Or("")
	e.Message = b.Message.Or("")
}

// made reports whether New made c: a zero Client, or a nil one, has no API client, and a
// call through it is refused (see transport.Begin) instead of panicking.
func (c *Client) made() bool { return c != nil && c.api != nil }

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }

func checkID(field string, id int64) error {
	if id <= 0 {
		return validate.Errorf(field, "%d, want a positive id", id)
	}
	return nil
}
