package ory

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/transport"
)

type listed = grantwrite.Listed[*grantkit.Grant]

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = grants{}

// ListForUpdate iterates as List does, each grant with a writer that replaces the client's
// scope in one JSON Patch, without reading it again.
func (g grants) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		ctx, op, err := g.begin(ctx, "Grants.List")
		if err != nil {
			yield(listed{}, err)
			return
		}
		for a, err := range g.clients(ctx, op, opts) {
			if err != nil {
				yield(listed{}, err)
				return
			}
			if !yield(g.listed(a), nil) {
				return
			}
		}
	}
}

// ReadForUpdate reads the client key names (one GET) with its writer (one PATCH).
func (g grants) ReadForUpdate(ctx context.Context, key grantkit.GrantKey) (listed, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return listed{}, err
	}
	a, err := g.read(ctx, op, key, true)
	if err != nil {
		return listed{}, err
	}
	return g.listed(a), nil
}

func (g grants) listed(a *OAuth2Client) listed {
	gr := g.toGrant(a)
	return listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		return g.write(ctx, transport.Op(ctx, "Grants.SetScopes"), gr.Key, scopes)
	}}
}
