package auth0

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/core"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

const vendor = "auth0"

// Client calls the Auth0 Management API of one tenant. It is safe for concurrent use;
// create one per tenant and reuse it, so that its access token is reused too.
type Client struct {
	// ClientGrants manages the tenant's client grants.
	ClientGrants *ClientGrantsService
	// ResourceServers manages the tenant's APIs and the scopes they define.
	ResourceServers *ResourceServersService

	api *oas.Client
}

// An Option configures a Client.
type Option func(*options)

type options struct {
	core.Settings
	clientID, clientSecret string
	credentials            bool
}

// WithClientCredentials authenticates with the client-credentials grant of a
// machine-to-machine application authorized for the Management API. Tokens are requested
// from https://{domain}/oauth/token with audience https://{domain}/api/v2/ and cached until
// they expire.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(o *options) {
		if clientID == "" || clientSecret == "" {
			o.Fail(validate.Errorf("client credentials", "client id and secret must not be empty"))
		}
		o.clientID, o.clientSecret, o.credentials = clientID, clientSecret, true
	}
}

// WithToken authenticates with a Management API access token obtained elsewhere. It is used
// as is and never refreshed.
func WithToken(token string) Option {
	return func(o *options) {
		if token == "" {
			o.Fail(validate.Errorf("token", "must not be empty"))
		}
		o.Token = token
	}
}

// WithTokenSource authenticates with tokens from ts, asked again when Auth0 rejects one.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(o *options) { o.TokenSource = ts }
}

// WithHTTPClient sends every request, token requests included, through hc. By default
// http.DefaultClient is used.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) { o.HTTPClient = hc }
}

// WithRetryPolicy replaces the default retry policy (see grantkit.RetryPolicy).
func WithRetryPolicy(p grantkit.RetryPolicy) Option {
	return func(o *options) { o.Retry = p }
}

// WithUserAgent puts a product token (such as "my-service/1.2") before grantkit's own in the
// User-Agent header.
func WithUserAgent(ua string) Option {
	return func(o *options) { o.UserAgent = ua }
}

// WithLogger logs each retry (vendor, method, URL path, status or error, attempt, wait) to
// logger at Info level. Headers, bodies, query strings and tokens are never logged.
func WithLogger(logger *slog.Logger) Option {
	return func(o *options) { o.Logger = logger }
}

// WithBaseURL sends requests to baseURL instead of https://{domain}: the Management API is
// then at {baseURL}/api/v2 and the token endpoint at {baseURL}/oauth/token. Use it for a
// proxy or a fake (see package auth0fake). Plain http is accepted only for loopback hosts.
func WithBaseURL(baseURL string) Option {
	return func(o *options) { o.BaseURL = baseURL }
}

// New returns a client for the tenant at domain (for example "example.eu.auth0.com": the
// name only, without scheme or path). Exactly one of WithClientCredentials, WithToken and
// WithTokenSource must be given.
func New(domain string, opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if err := validate.Hostname("domain", domain); err != nil {
		return nil, fmt.Errorf("auth0: %w", err)
	}
	if err := o.Err(); err != nil {
		return nil, fmt.Errorf("auth0: %w", err)
	}
	base, err := o.ResolveBaseURL("https://" + domain)
	if err != nil {
		return nil, fmt.Errorf("auth0: %w", err)
	}

	tokens, n := o.StaticTokens()
	if o.credentials {
		n++
		tokens = auth.ClientCredentials(&clientcredentials.Config{
			ClientID:       o.clientID,
			ClientSecret:   o.clientSecret,
			TokenURL:       base + "/oauth/token",
			EndpointParams: map[string][]string{"audience": {"https://" + domain + "/api/v2/"}},
			AuthStyle:      oauth2.AuthStyleInParams,
		}, o.HTTPClient)
	}
	if n != 1 {
		return nil, fmt.Errorf("auth0: %w", validate.Errorf("credentials", "give exactly one of WithClientCredentials, WithToken, WithTokenSource (got %d)", n))
	}

	tr := o.Transport(transport.Config{
		Vendor:     vendor,
		Tokens:     tokens,
		ResetAfter: transport.ResetAtUnix("X-RateLimit-Reset"),
		ParseError: parseError,
		// Undocumented but sent on every answer; see specs/README.md.
		RequestIDHeader: "X-Auth0-RequestId",
	})
	api, err := oas.NewClient(base+"/api/v2", noSecurity{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("auth0: %w", err)
	}
	c := &Client{api: api}
	c.ClientGrants = &ClientGrantsService{c: c}
	c.ResourceServers = newResourceServersService(c)
	return c, nil
}

// noSecurity satisfies the generated client's security hook; the transport sets the
// Authorization header itself because a 401 refresh must replace it between attempts.
type noSecurity struct{}

func (noSecurity) BearerAuth(context.Context, oas.OperationName) (oas.BearerAuth, error) {
	return oas.BearerAuth{}, nil
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

// begin starts a call of operation op: pass the returned context to the generated client and
// every error of the method to the Call's Err, which builds the error the caller receives.
func begin(ctx context.Context, op string) (context.Context, *transport.Call) {
	return transport.Begin(ctx, vendor, op)
}

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
