package auth0

import (
	"fmt"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/option"
)

const (
	vendor    = "auth0"
	apiPath   = "/api/v2"      // the Management API, under the base URL
	tokenPath = "/oauth/token" // the token endpoint, under the base URL
)

// Client calls the Auth0 Management API of one tenant. It is safe for concurrent use;
// create one per tenant and reuse it, so that its access token is reused too.
type Client struct {
	// ClientGrants manages the tenant's client grants.
	ClientGrants *ClientGrantsService
	// ResourceServers manages the tenant's APIs and the scopes they define.
	ResourceServers *ResourceServersService

	api *oas.Client
}

// own holds the settings of this package's own options.
type own struct {
	construct.ClientCredentials
}

// WithClientCredentials authenticates with the client-credentials grant of a
// machine-to-machine application authorized for the Management API. Tokens are requested
// from https://{domain}/oauth/token with audience https://{domain}/api/v2/ and cached until
// they expire. It is one of the credential options, of which New needs exactly one.
func WithClientCredentials(clientID string, clientSecret grantkit.Secret) option.Option {
	return construct.WithClientCredentials[own](vendor, clientID, clientSecret)
}

// New returns a client for the tenant at domain (for example "example.eu.auth0.com": the
// name only, without scheme or path). Exactly one credential option must be given:
// WithClientCredentials, option.WithToken or option.WithTokenSource.
//
// With option.WithBaseURL, the Management API is at {baseURL}/api/v2 and the token endpoint at
// {baseURL}/oauth/token; the base URL may have a path prefix, but not one ending in /api,
// /api/v2, /oauth or /oauth/token, which would be doubled.
func New(domain string, opts ...option.Option) (*Client, error) {
	if err := validate.Hostname("domain", domain); err != nil {
		return nil, fmt.Errorf("auth0: %w", err)
	}
	var o own
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return "https://" + domain },
		Paths:          []string{apiPath, tokenPath},
		Credentials:    []string{"auth0.WithClientCredentials"},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	if b.Tokens == nil {
		grant := o.Grant(b.BaseURL+tokenPath, oauth2.AuthStyleInParams)
		grant.EndpointParams = map[string][]string{"audience": {"https://" + domain + apiPath + "/"}}
		b.Tokens = auth.ClientCredentials(grant, b.TokenHTTPClient())
	}
	tr := b.Transport(transport.Config{
		ResetAfter: transport.ResetAtUnix("X-RateLimit-Reset"),
		// A bucket with a burst and a sustained rate, full again at the reset; the token
		// endpoint is the Authentication API, limited on its own. See specs/README.md.
		RateHeaders:          transport.RateHeaders{Limit: "X-Ratelimit-Limit", Remaining: "X-Ratelimit-Remaining", Refills: true},
		TokenRequestsUnpaced: true,
		ParseError:           parseError,
		// Undocumented but sent on every answer; see specs/README.md.
		RequestIDHeader: "X-Auth0-RequestId",
	})
	api, err := oas.NewClient(b.BaseURL+apiPath, construct.NoSecurity[oas.OperationName, oas.BearerAuth]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("auth0: %w", err)
	}
	c := &Client{api: api}
	c.ClientGrants = &ClientGrantsService{c: c}
	c.ResourceServers = newResourceServersService(c)
	return c, nil
}

// parseError reads Auth0's error body: {"statusCode":..,"error":..,"message":..,"errorCode":..}.
func parseError(body []byte, e *grantkit.Error) {
	var b oas.Error
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code = b.ErrorCode.Or("")
	e.Message = b.Message.Or("")
}

// made reports whether New made c: a zero Client, or a nil one, has no API client, and a
// call through it is refused (see transport.Begin) instead of panicking.
func (c *Client) made() bool { return c != nil && c.api != nil }

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
