package auth0

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
)

// ListForUpdate iterates over every grant, as List does (pages of 100), each with a writer
// that PATCHes only its scope by the grant's id: one request per change, no read. It makes
// the tenant's Grants a grantkit.BulkGrants, for grantkit.ApplyScopes.
func (g grants) ListForUpdate(ctx context.Context) iter.Seq2[grantkit.ListedGrant, error] {
	return func(yield func(grantkit.ListedGrant, error) bool) {
		for gr, err := range g.List(ctx) {
			if err != nil {
				yield(grantkit.ListedGrant{}, err)
				return
			}
			id, key, held := gr.ID, gr.Key, gr.Scopes
			if !yield(grantkit.ListedGrant{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
				return g.setByID(ctx, transport.Op(ctx, "Grants.SetScopes"), id, key, scopes, held)
			}}, nil) {
				return
			}
		}
	}
}

// CanonicalKey returns key as List reports it: the client-access subject type "client" is the
// empty SubjectType. A key without a client or an audience names no grant Get can reach.
func (grants) CanonicalKey(key grantkit.GrantKey) (grantkit.GrantKey, error) {
	if err := checkKey("Grants", key); err != nil {
		return key, err
	}
	if access(key.SubjectType) == SubjectTypeClient {
		key.SubjectType = ""
	}
	return key, nil
}

// setByID replaces the scopes of grant id, known to be key's and to hold held, and checks what
// was stored. Only scope is sent: Auth0's PATCH leaves every other field of the grant as it
// was. The scopes the grant holds go back as stored; only new ones are checked as scope tokens.
func (g grants) setByID(ctx context.Context, op, id string, key grantkit.GrantKey, scopes, held []string) (*grantkit.Grant, error) {
	want := grantkit.NormalizeScopes(scopes)
	cg, err := g.c.ClientGrants.update(ctx, id, ClientGrantUpdate{Scope: grantkit.Set(want...)}, held)
	if err != nil {
		return nil, err
	}
	stored := toGrant(cg)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: grant %s: %w", vendor, op, id, err)
	}
	return stored, nil
}

var _ grantkit.BulkGrants = grants{}
