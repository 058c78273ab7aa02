package pingone

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

type listed = grantwrite.Listed[*grantkit.Grant]

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = grants{}

// ListForUpdate iterates as List does (each selected application's grants, and each
// resource's scopes once), each with a writer that replaces the grant as listed with the new
// scope ids: one request per change, no read.
func (g grants) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		names := map[string]map[string]string{} // resource id → scope id → name
		each := func(appID string) bool {
			for ag, err := range g.c.ApplicationGrants.List(ctx, appID, ApplicationGrantListOptions{}) {
				if opts.ClientID != "" && neutral.IsNotFound(err) {
					return true // an application PingOne does not know has no grants
				}
				if err == nil && opts.Resource != "" && ag.ResourceID != opts.Resource {
					continue
				}
				if err == nil && names[ag.ResourceID] == nil {
					names[ag.ResourceID], err = g.scopeNames(ctx, ag.ResourceID)
				}
				if err != nil {
					yield(listed{}, err)
					return false
				}
				if !yield(g.listed(ag, names[ag.ResourceID]), nil) {
					return false
				}
			}
			return true
		}
		if opts.ClientID != "" {
			if err := validate.ID("client_id", opts.ClientID); err != nil {
				yield(listed{}, wrap(transport.Op(ctx, "Grants.List"), err))
				return
			}
			each(opts.ClientID)
			return
		}
		for app, err := range g.c.Applications.List(ctx, ApplicationListOptions{}) {
			if err != nil {
				yield(listed{}, err)
				return
			}
			if !each(app.ID) {
				return
			}
		}
	}
}

// ReadForUpdate reads the one grant key identifies (the application's grants, then the
// resource's scopes: two list requests) with its writer (one PUT).
func (g grants) ReadForUpdate(ctx context.Context, key grantkit.GrantKey) (listed, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return listed{}, err
	}
	ag, err := g.find(ctx, op, key)
	if err != nil {
		return listed{}, err
	}
	names, err := g.scopeNames(ctx, key.Resource)
	if err != nil {
		return listed{}, err
	}
	return g.listed(ag, names), nil
}

func (g grants) listed(ag *ApplicationGrant, names map[string]string) listed {
	// A copy: the writer keeps this grant, not the page it was listed in.
	held := *ag
	gr := toGrant(&held, names)
	return listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		return g.setListed(ctx, transport.Op(ctx, "Grants.SetScopes"), &held, gr.Key, names, scopes)
	}}
}

// CheckGrant checks key and scopes as a write does, without a request (see Grants).
func (g grants) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	_, err := g.Check("Grants.CheckGrant", key, scopes)
	return err
}

// Check runs CheckGrant's checks naming op: PingOne keys name no subject type, both ids
// become path segments, and each scope is a name the scope catalog would define.
func (grants) Check(op string, key grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	if err := checkKey(op, key); err != nil {
		return key, err
	}
	if err := validate.Each("scopes", scopes, checkScopeName); err != nil {
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
