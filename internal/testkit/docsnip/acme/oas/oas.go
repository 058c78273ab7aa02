// Package oas stands in for the client ogen would generate from specs/acme.yaml: the names and
// signatures package acme uses, as ogen writes them (compare auth0/internal/oas).
package oas

import (
	"context"
	"net/http"
)

type (
	OperationName  = string
	BearerAuth     struct{ Token string }
	SecuritySource interface {
		BearerAuth(ctx context.Context, operationName OperationName) (BearerAuth, error)
	}
	HTTPClient interface { // ogen's ht.Client
		Do(r *http.Request) (*http.Response, error)
	}
	Client       struct{ hc HTTPClient }
	ClientOption func(*Client)
)

func WithClient(hc HTTPClient) ClientOption { return func(c *Client) { c.hc = hc } }

func NewClient(serverURL string, sec SecuritySource, opts ...ClientOption) (*Client, error) {
	c := &Client{}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}
