package pingone

import (
	"fmt"
	"slices"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

const (
	vendor  = "pingone"
	apiPath = "/v1" // the Platform API, under the base URL
)

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

// own holds the settings of this package's own options.
type own struct {
	construct.ClientCredentials
	region     Region
	authMethod TokenAuthMethod
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

// WithTokenAuthMethod selects how WithClientCredentials sends the secret; the default is
// ClientSecretBasic. It is an error without WithClientCredentials.
func WithTokenAuthMethod(m TokenAuthMethod) option.Option {
	return construct.VendorOption(vendor, "pingone.WithTokenAuthMethod", func(s *construct.Settings, o *own) error {
		if err := validate.OneOf("pingone.WithTokenAuthMethod", m, ClientSecretBasic, ClientSecretPost); err != nil {
			return err
		}
		return construct.Set(s, "pingone.WithTokenAuthMethod", &o.authMethod, m)
	})
}

// WithClientCredentials authenticates as a worker application of the environment, with the
// client-credentials grant (sent as WithTokenAuthMethod says; HTTP Basic by default). It is
// one of the credential options, of which New needs exactly one.
func WithClientCredentials(clientID string, clientSecret grantkit.Secret) option.Option {
	return construct.WithClientCredentials[own](vendor, clientID, clientSecret)
}

// WithRegion selects the environment's region; the default is RegionNorthAmerica. It is an
// error together with option.WithBaseURL, which replaces the regional hosts.
func WithRegion(r Region) option.Option {
	return construct.VendorOption(vendor, "pingone.WithRegion", func(s *construct.Settings, o *own) error {
		if err := validate.OneOf("pingone.WithRegion", r, RegionNorthAmerica, RegionEurope, RegionCanada, RegionAsiaPacific, RegionSingapore, RegionAustralia); err != nil {
			return err
		}
		return construct.Set(s, "pingone.WithRegion", &o.region, r)
	})
}

// New returns a client for the environment environmentID. Exactly one credential option must
// be given: WithClientCredentials, option.WithToken or option.WithTokenSource.
//
// Without option.WithBaseURL, the API is at https://api.pingone.<region>/v1 and the token
// endpoint at https://auth.pingone.<region>/{environmentID}/as/token. With it, they are at
// {baseURL}/v1 and {baseURL}/{environmentID}/as/token; the base URL may have a path prefix,
// but not one ending in /v1, /{environmentID} or /{environmentID}/as, which would be doubled.
func New(environmentID string, opts ...option.Option) (*Client, error) {
	if err := validate.ID("environmentID", environmentID); err != nil {
		return nil, fmt.Errorf("pingone: %w", err)
	}
	o := own{region: RegionNorthAmerica, authMethod: ClientSecretBasic}
	tokenPath := "/" + environmentID + "/as/token"
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return "https://api.pingone." + string(o.region) },
		Paths:          []string{apiPath, tokenPath},
		Credentials:    []string{"pingone.WithClientCredentials"},
		Check: func(s *construct.Settings) error {
			if s.Given("pingone.WithRegion") && s.BaseURL != "" {
				return validate.Errorf("pingone.WithRegion", "given with option.WithBaseURL, which replaces the regional hosts; give one of them")
			}
			if s.Given("pingone.WithTokenAuthMethod") && !slices.Contains(s.Credentials(), "pingone.WithClientCredentials") {
				return validate.Errorf("pingone.WithTokenAuthMethod", "given without pingone.WithClientCredentials, the only credential it applies to")
			}
			return nil
		},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	if b.Tokens == nil {
		authBase := "https://auth.pingone." + string(o.region)
		if b.Settings.BaseURL != "" {
			authBase = b.BaseURL
		}
		style := oauth2.AuthStyleInHeader
		if o.authMethod == ClientSecretPost {
			style = oauth2.AuthStyleInParams
		}
		b.Tokens = auth.ClientCredentials(o.Grant(authBase+tokenPath, style), b.TokenHTTPClient())
	}
	tr := b.Transport(transport.Config{
		RequestIDHeader: "Correlation-Id",
		ParseError:      parseError,
	})
	api, err := oas.NewClient(b.BaseURL+apiPath, construct.NoSecurity[oas.OperationName, oas.Bearer]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("pingone: %w", err)
	}
	c := &Client{env: environmentID, api: api}
	c.ApplicationGrants = &ApplicationGrantsService{c}
	c.Resources = &ResourcesService{c}
	c.Applications = &ApplicationsService{c}
	return c, nil
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

// made reports whether New made c: a zero Client, or a nil one, has no API client, and a
// call through it is refused (see transport.Begin) instead of panicking.
func (c *Client) made() bool { return c != nil && c.api != nil }

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
