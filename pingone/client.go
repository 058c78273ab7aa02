package pingone

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/core"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

const vendor = "pingone"

// Region is the PingOne region of an environment: it selects the top-level domain of both the
// API host (api.pingone.<tld>) and the token host (auth.pingone.<tld>).
type Region string

// The PingOne regions.
const (
	RegionNorthAmerica Region = "com"
	RegionEurope       Region = "eu"
	RegionCanada       Region = "ca"
	RegionAsiaPacific  Region = "asia" // the older Asia-Pacific domain
	RegionSingapore    Region = "sg"
	RegionAustralia    Region = "com.au"
)

// Client calls the PingOne Platform API for one environment. It is safe for concurrent use.
type Client struct {
	// ApplicationGrants manages the resource grants of the environment's applications.
	ApplicationGrants *ApplicationGrantsService
	// Resources reads the environment's resources and their scopes.
	Resources *ResourcesService
	// Applications reads the environment's applications.
	Applications *ApplicationsService

	env string
	api *oas.Client
}

// An Option configures a Client.
type Option func(*options)

type options struct {
	core.Settings
	clientID, clientSecret string
	credentials            bool
	region                 Region
	authMethod             TokenAuthMethod
}

// TokenAuthMethod is how a worker application presents its secret at the token endpoint. It
// must match the application's "Token Endpoint Authentication Method" in PingOne, which
// accepts only the one it is set to.
type TokenAuthMethod string

// The token endpoint authentication methods grantkit supports.
const (
	ClientSecretBasic TokenAuthMethod = "CLIENT_SECRET_BASIC" // HTTP Basic (the default)
	ClientSecretPost  TokenAuthMethod = "CLIENT_SECRET_POST"  // client_id and client_secret in the form
)

// WithTokenAuthMethod selects how the client credentials are sent; the default is
// ClientSecretBasic.
func WithTokenAuthMethod(m TokenAuthMethod) Option {
	return func(o *options) {
		if err := validate.OneOf("token auth method", m, ClientSecretBasic, ClientSecretPost); err != nil {
			o.Fail(err)
		}
		o.authMethod = m
	}
}

// WithClientCredentials authenticates as a worker application of the environment, with the
// client-credentials grant (sent as WithTokenAuthMethod says; HTTP Basic by default).
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(o *options) {
		if clientID == "" || clientSecret == "" {
			o.Fail(validate.Errorf("client credentials", "client id and secret must not be empty"))
		}
		o.clientID, o.clientSecret, o.credentials = clientID, clientSecret, true
	}
}

// WithRegion selects the environment's region; the default is RegionNorthAmerica.
func WithRegion(r Region) Option {
	return func(o *options) {
		if err := validate.OneOf("region", r, RegionNorthAmerica, RegionEurope, RegionCanada, RegionAsiaPacific, RegionSingapore, RegionAustralia); err != nil {
			o.Fail(err)
		}
		o.region = r
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

// WithTokenSource authenticates with tokens from ts, asked again when PingOne rejects one.
func WithTokenSource(ts oauth2.TokenSource) Option { return func(o *options) { o.TokenSource = ts } }

// WithHTTPClient sends every request, token requests included, through hc.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.HTTPClient = hc } }

// WithRetryPolicy replaces the default retry policy (see grantkit.RetryPolicy).
func WithRetryPolicy(p grantkit.RetryPolicy) Option { return func(o *options) { o.Retry = p } }

// WithUserAgent puts a product token before grantkit's own in the User-Agent header.
func WithUserAgent(ua string) Option { return func(o *options) { o.UserAgent = ua } }

// WithLogger logs each retry to logger at Info level (never headers, bodies or tokens).
func WithLogger(logger *slog.Logger) Option { return func(o *options) { o.Logger = logger } }

// WithBaseURL sends every request to baseURL instead of the regional hosts: the API is then at
// {baseURL}/v1 and the token endpoint at {baseURL}/{environmentID}/as/token. Use it for a proxy
// or a fake (see package pingonefake). Plain http is accepted only for loopback hosts.
func WithBaseURL(baseURL string) Option { return func(o *options) { o.BaseURL = baseURL } }

// New returns a client for the environment environmentID. Exactly one of
// WithClientCredentials, WithToken and WithTokenSource must be given.
func New(environmentID string, opts ...Option) (*Client, error) {
	o := options{region: RegionNorthAmerica, authMethod: ClientSecretBasic}
	for _, opt := range opts {
		opt(&o)
	}
	if err := validate.ID("environmentID", environmentID); err != nil {
		return nil, fmt.Errorf("pingone: %w", err)
	}
	if err := o.Err(); err != nil {
		return nil, fmt.Errorf("pingone: %w", err)
	}
	apiBase, authBase := "https://api.pingone."+string(o.region)+"/v1", "https://auth.pingone."+string(o.region)
	if o.BaseURL != "" {
		base, err := o.ResolveBaseURL("")
		if err != nil {
			return nil, fmt.Errorf("pingone: %w", err)
		}
		apiBase, authBase = base+"/v1", base
	}
	tokens, n := o.StaticTokens()
	if o.credentials {
		n++
		style := oauth2.AuthStyleInHeader
		if o.authMethod == ClientSecretPost {
			style = oauth2.AuthStyleInParams
		}
		tokens = auth.ClientCredentials(&clientcredentials.Config{
			ClientID:     o.clientID,
			ClientSecret: o.clientSecret,
			TokenURL:     authBase + "/" + environmentID + "/as/token",
			AuthStyle:    style,
		}, o.HTTPClient)
	}
	if n != 1 {
		return nil, fmt.Errorf("pingone: %w", validate.Errorf("credentials", "give exactly one of WithClientCredentials, WithToken, WithTokenSource (got %d)", n))
	}
	tr := o.Transport(transport.Config{
		Vendor:          vendor,
		Tokens:          tokens,
		RequestIDHeader: "Correlation-Id",
		ParseError:      parseError,
	})
	api, err := oas.NewClient(apiBase, noSecurity{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("pingone: %w", err)
	}
	c := &Client{env: environmentID, api: api}
	c.ApplicationGrants = &ApplicationGrantsService{c}
	c.Resources = &ResourcesService{c}
	c.Applications = &ApplicationsService{c}
	return c, nil
}

// noSecurity satisfies the generated client's security hook; the transport sets the
// Authorization header itself because a 401 refresh must replace it between attempts.
type noSecurity struct{}

func (noSecurity) Bearer(context.Context, oas.OperationName) (oas.Bearer, error) {
	return oas.Bearer{}, nil
}

// parseError reads PingOne's error body {id, code, message, details[{code, target, message}]}:
// the first detail, which names the offending field, is added to the message.
func parseError(body []byte, e *grantkit.Error) {
	var b oas.P1Error
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code, e.Message = b.Code.Or(""), b.Message.Or("")
	if e.RequestID == "" {
		e.RequestID = b.ID.Or("")
	}
	if len(b.Details) > 0 {
		d := b.Details[0]
		if t := d.Target.Or(""); t != "" {
			e.Message += " (" + t + ": " + d.Message.Or(d.Code.Or("")) + ")"
		}
	}
}

// begin starts a call of operation op: pass the returned context to the generated client and
// every error of the method to the Call's Err, which builds the error the caller receives.
func begin(ctx context.Context, op string) (context.Context, *transport.Call) {
	return transport.Begin(ctx, vendor, op)
}

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
