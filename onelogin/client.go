package onelogin

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/core"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

const vendor = "onelogin"

// Client calls the OneLogin API v2 of one account. It is safe for concurrent use; create one
// per account and reuse it, so that its access token is reused too.
type Client struct {
	// Authorizations reads API authorization servers.
	Authorizations *AuthorizationsService
	// Scopes manages the scopes of an authorization server.
	Scopes *ScopesService
	// ClientApps manages the client apps of an authorization server and their scopes.
	ClientApps *ClientAppsService

	api *oas.Client
}

// An Option configures a Client.
type Option func(*options)

type options struct {
	core.Settings
	clientID, clientSecret string
	credentials            bool
}

// WithClientCredentials authenticates with an API credential pair (created under Developers >
// API Credentials, with "Manage All" or "Manage Authorizations" access). Tokens are requested
// from https://{host}/auth/oauth2/v2/token and cached until they expire.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(o *options) {
		if clientID == "" || clientSecret == "" {
			o.Fail(validate.Errorf("client credentials", "client id and secret must not be empty"))
		}
		o.clientID, o.clientSecret, o.credentials = clientID, clientSecret, true
	}
}

// WithToken authenticates with an access token obtained elsewhere, used as is.
func WithToken(token string) Option {
	return func(o *options) {
		if token == "" {
			o.Fail(validate.Errorf("token", "must not be empty"))
		}
		o.Token = token
	}
}

// WithTokenSource authenticates with tokens from ts, asked again when OneLogin rejects one.
func WithTokenSource(ts oauth2.TokenSource) Option { return func(o *options) { o.TokenSource = ts } }

// WithHTTPClient sends every request, token requests included, through hc.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.HTTPClient = hc } }

// WithRetryPolicy replaces the default retry policy (see grantkit.RetryPolicy).
func WithRetryPolicy(p grantkit.RetryPolicy) Option { return func(o *options) { o.Retry = p } }

// WithUserAgent puts a product token before grantkit's own in the User-Agent header.
func WithUserAgent(ua string) Option { return func(o *options) { o.UserAgent = ua } }

// WithLogger logs each retry to logger at Info level (never headers, bodies or tokens).
func WithLogger(logger *slog.Logger) Option { return func(o *options) { o.Logger = logger } }

// WithBaseURL sends requests to baseURL instead of https://{host}: the API is then at
// {baseURL}/api/2 and the token endpoint at {baseURL}/auth/oauth2/v2/token. Use it for a proxy
// or a fake (see package oneloginfake). Plain http is accepted only for loopback hosts.
func WithBaseURL(baseURL string) Option { return func(o *options) { o.BaseURL = baseURL } }

// New returns a client for the OneLogin account at account: a subdomain ("acme", meaning
// acme.onelogin.com) or a full host name ("acme.onelogin.com", "api.eu.onelogin.com").
// Exactly one of WithClientCredentials, WithToken and WithTokenSource must be given.
func New(account string, opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	host := account
	if !strings.Contains(host, ".") && host != "" {
		host += ".onelogin.com"
	}
	if err := validate.Hostname("account", host); err != nil {
		return nil, fmt.Errorf("onelogin: %w", err)
	}
	if err := o.Err(); err != nil {
		return nil, fmt.Errorf("onelogin: %w", err)
	}
	base, err := o.ResolveBaseURL("https://" + host)
	if err != nil {
		return nil, fmt.Errorf("onelogin: %w", err)
	}
	tokens, n := o.StaticTokens()
	if o.credentials {
		n++
		tokens = auth.ClientCredentials(&clientcredentials.Config{
			ClientID:     o.clientID,
			ClientSecret: o.clientSecret,
			TokenURL:     base + "/auth/oauth2/v2/token",
			AuthStyle:    oauth2.AuthStyleInParams,
		}, o.HTTPClient)
	}
	if n != 1 {
		return nil, fmt.Errorf("onelogin: %w", validate.Errorf("credentials", "give exactly one of WithClientCredentials, WithToken, WithTokenSource (got %d)", n))
	}
	tr := o.Transport(transport.Config{
		Vendor:     vendor,
		Tokens:     tokens,
		ResetAfter: transport.ResetInSeconds("X-RateLimit-Reset"),
		ParseError: parseError,
	})
	api, err := oas.NewClient(base+"/api/2", noSecurity{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("onelogin: %w", err)
	}
	c := &Client{api: api}
	c.Authorizations = &AuthorizationsService{c}
	c.Scopes = &ScopesService{c}
	c.ClientApps = &ClientAppsService{c}
	return c, nil
}

// noSecurity satisfies the generated client's security hook; the transport sets the
// Authorization header itself because a 401 refresh must replace it between attempts.
type noSecurity struct{}

func (noSecurity) BearerAuth(context.Context, oas.OperationName) (oas.BearerAuth, error) {
	return oas.BearerAuth{}, nil
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

// begin starts a call of operation op: pass the returned context to the generated client and
// every error of the method to the Call's Err, which builds the error the caller receives.
func begin(ctx context.Context, op string) (context.Context, *transport.Call) {
	return transport.Begin(ctx, vendor, op)
}

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }

func checkID(field string, id int64) error {
	if id <= 0 {
		return validate.Errorf(field, "%d, want a positive id", id)
	}
	return nil
}
