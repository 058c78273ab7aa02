package auth0

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the tenant's client grants (see grantkit.Grants):
// a grant's Key.Resource is its audience, Key.ClientID its client, Scopes its scope.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

func (g grants) List(ctx context.Context) iter.Seq2[*grantkit.Grant, error] {
	return paging.Map(g.c.ClientGrants.List(ctx, ClientGrantListOptions{PageSize: 100}), toGrant)
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	cg, err := g.find(ctx, key)
	if err != nil {
		return nil, err
	}
	return toGrant(cg), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	cg, err := g.find(ctx, key)
	if err != nil {
		return nil, err
	}
	cg, err = g.c.ClientGrants.Update(ctx, cg.ID, ClientGrantUpdate{Scope: grantkit.Set(grantkit.NormalizeScopes(scopes)...)})
	if err != nil {
		return nil, err
	}
	return toGrant(cg), nil
}

// find looks the grant up by client and audience, which Auth0 keeps unique.
func (g grants) find(ctx context.Context, key grantkit.GrantKey) (*ClientGrant, error) {
	const op = "Grants.Get"
	if key.ClientID == "" || key.Resource == "" {
		return nil, wrap(op, validate.Errorf("key", "client id and resource (audience) are both required"))
	}
	page, err := g.c.ClientGrants.ListPage(ctx, ClientGrantListOptions{ClientID: key.ClientID, Audience: key.Resource, PageSize: 2})
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		if page.Items[i].ClientID == key.ClientID && page.Items[i].Audience == key.Resource {
			return &page.Items[i], nil
		}
	}
	return nil, fmt.Errorf("%s: %s: %w: %s", vendor, op, grantkit.ErrGrantNotFound, key)
}

func toGrant(cg *ClientGrant) *grantkit.Grant {
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     cg.ID,
		Key:    grantkit.GrantKey{Resource: cg.Audience, ClientID: cg.ClientID},
		Scopes: grantkit.NormalizeScopes(cg.Scope),
	}
}
