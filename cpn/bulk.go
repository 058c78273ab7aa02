package cpn

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
)

// ListForUpdate iterates over every grant, as List does (the organization's OAuth apps, page
// by page), each with a writer that sends the app's allowedScopes as listed with only what the
// scope names describe changed: one request per change, no read. It makes the organization's
// Grants a grantkit.BulkGrants, for grantkit.ApplyScopes.
//
// It relies on the list's apps carrying allowedScopes whole, as a read of one app does (CSP
// documents one app object for both answers; see specs/README.md).
func (g grants) ListForUpdate(ctx context.Context) iter.Seq2[grantkit.ListedGrant, error] {
	return func(yield func(grantkit.ListedGrant, error) bool) {
		for a, err := range g.c.OAuthApps.List(ctx, OAuthAppListOptions{}) {
			if err != nil {
				yield(grantkit.ListedGrant{}, err)
				return
			}
			// A copy: the writer keeps this app, not the page it was listed in.
			listed := *a
			gr := g.toGrant(&listed)
			if !yield(grantkit.ListedGrant{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
				return g.setListed(ctx, transport.Op(ctx, "Grants.SetScopes"), &listed, gr.Key, scopes)
			}}, nil) {
				return
			}
		}
	}
}

// CanonicalKey checks key as Get does: the organization's id, an app id, no subject type.
func (g grants) CanonicalKey(key grantkit.GrantKey) (grantkit.GrantKey, error) {
	return key, g.check("Grants.CanonicalKey", key)
}

// setListed replaces the scopes of app a, as read, keeping in allowedScopes whatever the
// names do not describe, and checks what was stored.
func (g grants) setListed(ctx context.Context, op string, a *OAuthApp, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	if _, err := ParseScopes(scopes); err != nil {
		return nil, wrap(op, err)
	}
	// allowedScopes is replaced as a whole: start from the app as read, so that what the
	// names do not describe goes back unchanged.
	allowed, err := a.AllowedScopes.WithNames(scopes)
	if err != nil {
		return nil, wrap(op, err)
	}
	stored, err := g.c.OAuthApps.update(ctx, a.ID, OAuthAppUpdate{AllowedScopes: grantkit.Value(allowed)}, &a.AllowedScopes)
	if err != nil {
		return nil, err
	}
	gr := g.toGrant(stored)
	if err := grantkit.CheckStored(key, scopes, gr); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return gr, nil
}

var _ grantkit.BulkGrants = grants{}
