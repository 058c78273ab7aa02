package pingone

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// ListForUpdate iterates over every grant, as List does (each application's grants, and each
// resource's scopes once), each with a writer that replaces the grant as listed with the new
// scope ids: one request per change, no read. It makes the environment's Grants a
// grantkit.BulkGrants, for grantkit.ApplyScopes.
func (g grants) ListForUpdate(ctx context.Context) iter.Seq2[grantkit.ListedGrant, error] {
	return func(yield func(grantkit.ListedGrant, error) bool) {
		names := map[string]map[string]string{} // resource id → scope id → name
		for app, err := range g.c.Applications.List(ctx) {
			if err != nil {
				yield(grantkit.ListedGrant{}, err)
				return
			}
			for ag, err := range g.c.ApplicationGrants.List(ctx, app.ID) {
				if err == nil && names[ag.ResourceID] == nil {
					names[ag.ResourceID], err = g.scopeNames(ctx, ag.ResourceID)
				}
				if err != nil {
					yield(grantkit.ListedGrant{}, err)
					return
				}
				// A copy: the writer keeps this grant, not the page it was listed in.
				listed, resNames := *ag, names[ag.ResourceID]
				gr := toGrant(&listed, resNames)
				if !yield(grantkit.ListedGrant{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
					return g.setListed(ctx, transport.Op(ctx, "Grants.SetScopes"), &listed, gr.Key, resNames, scopes)
				}}, nil) {
					return
				}
			}
		}
	}
}

// CanonicalKey checks key as Get does: PingOne keys name no subject type, and both ids become
// path segments.
func (grants) CanonicalKey(key grantkit.GrantKey) (grantkit.GrantKey, error) {
	const op = "Grants.CanonicalKey"
	if err := checkKey(op, key); err != nil {
		return key, err
	}
	if err := validate.ID("key.ClientID", key.ClientID); err != nil {
		return key, wrap(op, err)
	}
	return key, nil
}

// setListed replaces the scopes of ag, as read, naming them through names (the resource's
// scopes, id → name), and checks what was stored. UPDATE Grant replaces the grant: it starts
// from the grant as read, so that what grantkit does not model goes back unchanged.
func (g grants) setListed(ctx context.Context, op string, ag *ApplicationGrant, key grantkit.GrantKey, names map[string]string, scopes []string) (*grantkit.Grant, error) {
	want := grantkit.NormalizeScopes(scopes)
	p := ag.AsUpdate()
	var err error
	if p.ScopeIDs, err = scopeIDs(op, key.Resource, names, want); err != nil {
		return nil, err
	}
	stored, err := g.c.ApplicationGrants.Update(ctx, key.ClientID, ag.ID, p)
	if err != nil {
		return nil, err
	}
	gr := toGrant(stored, names)
	if err := grantkit.CheckStored(key, want, gr); err != nil {
		return nil, fmt.Errorf("%s: %s: grant %s: %w", vendor, op, stored.ID, err)
	}
	return gr, nil
}

var _ grantkit.BulkGrants = grants{}
