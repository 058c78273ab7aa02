package ory

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
)

// ListForUpdate iterates over every grant, as List does (the clients with a scope, page by
// page), each with a writer that replaces the client's scope in one JSON Patch, without
// reading it again. It makes Grants a grantkit.BulkGrants, for grantkit.ApplyScopes.
func (g grants) ListForUpdate(ctx context.Context) iter.Seq2[grantkit.ListedGrant, error] {
	return func(yield func(grantkit.ListedGrant, error) bool) {
		for gr, err := range g.List(ctx) {
			if err != nil {
				yield(grantkit.ListedGrant{}, err)
				return
			}
			key := gr.Key
			if !yield(grantkit.ListedGrant{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
				ctx, op, err := g.begin(ctx, "Grants.SetScopes")
				if err != nil {
					return nil, err
				}
				if err := g.checkGrant(op, key, scopes); err != nil {
					return nil, err
				}
				return g.write(ctx, op, key, scopes)
			}}, nil) {
				return
			}
		}
	}
}

// CanonicalKey checks key as Get does: this client's admin URL, a client id, no subject type.
func (g grants) CanonicalKey(key grantkit.GrantKey) (grantkit.GrantKey, error) {
	return key, g.check("Grants.CanonicalKey", key)
}

var _ grantkit.BulkGrants = grants{}
