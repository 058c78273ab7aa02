// Package acme is CONTRIBUTING.md's skeleton of a vendor package, compiled: acme.go and
// widgets.go hold its ```go blocks verbatim (TestSnippetsAreCompiled checks they are there), and
// package oas stands in for the client ogen would generate from specs/acme.yaml.
package acme

//lint:file-ignore U1000 CONTRIBUTING.md's skeleton shows the pieces a service starts from, before any method uses them

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/testkit/docsnip/acme/oas"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/option"
)

const (
	vendor    = "acme"
	apiPath   = "/api/v3"      // the API, under the base URL
	tokenPath = "/oauth/token" // the token endpoint, under the base URL
)

// own holds the settings of this package's own options.
type own struct {
	construct.ClientCredentials
}

// WithClientCredentials authenticates with ... It is one of the credential options, of which
// New needs exactly one.
func WithClientCredentials(clientID string, clientSecret grantkit.Secret) option.Option {
	return construct.WithClientCredentials[own](vendor, clientID, clientSecret)
}

// New returns a client for the tenant at host. ... (document where option.WithBaseURL puts
// the API and the token endpoint, and which base URL paths are refused).
func New(host string, opts ...option.Option) (*Client, error) {
	if err := validate.Hostname("host", host); err != nil {
		return nil, fmt.Errorf("acme: %w", err)
	}
	var o own
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return "https://" + host },
		Paths:          []string{apiPath, tokenPath},
		Credentials:    []string{"acme.WithClientCredentials"},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	if b.Tokens == nil { // the credential given is the vendor's own, not option.WithToken(Source)
		b.Tokens = auth.ClientCredentials(o.Grant(b.BaseURL+tokenPath, oauth2.AuthStyleInParams), b.HTTPClient)
	}
	tr := b.Transport(transport.Config{ParseError: parseError})
	api, err := oas.NewClient(b.BaseURL+apiPath, construct.NoSecurity[oas.OperationName, oas.BearerAuth]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("acme: %w", err)
	}
	return &Client{api: api}, nil
}

// WidgetsService manages the tenant's widgets.
type WidgetsService struct{ c *Client }

func (c *Client) made() bool { return c != nil && c.api != nil }

func (s *WidgetsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// Client is a client of an Acme tenant.
type Client struct {
	api *oas.Client
}

// parseError would fill e from Acme's error body.
func parseError(body []byte, e *grantkit.Error) { e.Message = string(body) }
