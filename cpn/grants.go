package cpn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the organization (see grantkit.Grants): a grant is
// an OAuth app. Key.Resource is the organization id and Key.ClientID the app's id; Scopes name
// its allowed scopes as AllowedScopes.Names does. An app has one set of allowed scopes, so the
// organization and the app id identify a grant; a key with a SubjectType is invalid input.
// SetScopes changes only what the names describe (AllowedScopes.WithNames): permissions, role
// resources and whatever else CPN stores in allowedScopes are sent back as they were read.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

func (g grants) List(ctx context.Context) iter.Seq2[*grantkit.Grant, error] {
	return paging.Map(g.c.OAuthApps.List(ctx, OAuthAppListOptions{}), g.toGrant)
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	if err := g.check(key); err != nil {
		return nil, err
	}
	a, err := g.c.OAuthApps.Get(ctx, key.ClientID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s: Grants.Get: %w: %s: %w", vendor, grantkit.ErrGrantNotFound, key, err)
	}
	if err != nil {
		return nil, err
	}
	return g.toGrant(a), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	if err := g.check(key); err != nil {
		return nil, err
	}
	if _, err := ParseScopes(scopes); err != nil {
		return nil, wrap("Grants.SetScopes", err)
	}
	cur, err := g.c.OAuthApps.Get(ctx, key.ClientID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s: Grants.SetScopes: %w: %s: %w", vendor, grantkit.ErrGrantNotFound, key, err)
	}
	if err != nil {
		return nil, err
	}
	return g.setListed(ctx, cur, key, scopes)
}

func (g grants) check(key grantkit.GrantKey) error {
	if err := neutral.NoSubject(vendor, "Grants", key); err != nil {
		return err
	}
	if err := validate.ID("key.ClientID", key.ClientID); err != nil {
		return wrap("Grants", err)
	}
	if key.Resource != g.c.org {
		return wrap("Grants", validate.Errorf("key.Resource", "%q is not this client's organization %q", key.Resource, g.c.org))
	}
	return nil
}

func (g grants) toGrant(a *OAuthApp) *grantkit.Grant {
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     a.ID,
		Key:    grantkit.GrantKey{Resource: g.c.org, ClientID: a.ID},
		Scopes: grantkit.NormalizeScopes(a.AllowedScopes.Names()),
	}
}
