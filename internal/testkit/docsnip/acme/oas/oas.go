// Package oas stands in for the client ogen generates (same names and signatures as in
// auth0/internal/oas), so that package acme compiles.
package oas

import (
	"context"
	"net/http"
)

// OperationName is the name of an operation.
type OperationName = string

// BearerAuth is the value of the bearer security scheme.
type BearerAuth struct{ Token string }

// SecuritySource is the security hook.
type SecuritySource interface {
	BearerAuth(ctx context.Context, op OperationName) (BearerAuth, error)
}

// HTTPClient sends requests (ogen's ht.Client).
type HTTPClient interface {
	Do(r *http.Request) (*http.Response, error)
}

// Client is the generated client.
type Client struct{ hc HTTPClient }

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithClient sets the HTTP client.
func WithClient(hc HTTPClient) ClientOption { return func(c *Client) { c.hc = hc } }

// NewClient returns a client of the API at serverURL.
func NewClient(serverURL string, sec SecuritySource, opts ...ClientOption) (*Client, error) {
	c := &Client{}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}
