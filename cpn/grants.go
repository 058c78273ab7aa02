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
//
// Because the app is the grant, Create creates the OAuth app (with key.ClientID as its id and
// the scopes as its allowed scopes, its secret not kept) and Delete deletes the app, its
// credentials with it. CPN's scopes are defined by the platform (roles of the organization and
// of its services), so there is no scope catalog for CPN.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

// begin starts method op of the adapter (see neutral.Begin).
func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

func (g grants) List(ctx context.Context) iter.Seq2[*grantkit.Grant, error] {
	ctx, _, err := g.begin(ctx, "Grants.List")
	if err != nil {
		return paging.Failed[grantkit.Grant](err)
	}
	return paging.Map(g.c.OAuthApps.List(ctx, OAuthAppListOptions{}), g.toGrant)
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return nil, err
	}
	a, err := g.read(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return g.toGrant(a), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if err := g.check(op, key); err != nil {
		return nil, err
	}
	if _, err := ParseScopes(scopes); err != nil {
		return nil, wrap(op, err)
	}
	cur, err := g.read(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return g.setListed(ctx, op, cur, key, scopes)
}

// Create creates the OAuth app key.ClientID in the organization with scopes as its allowed
// scopes: at CPN the app is the grant, so granting an app that does not exist yet means
// creating it. CPN generates the app's secret and shows it only in its answer to the create;
// the vendor-neutral view has no place for it and does not keep it, so give the app a secret
// with OAuthApps.Update (Secret) before it is used, or create it with OAuthApps.Create to
// receive one. An app that already exists, whatever its scopes, wraps grantkit.ErrGrantExists.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if err := g.check(op, key); err != nil {
		return nil, err
	}
	allowed, err := ParseScopes(scopes)
	if err != nil {
		return nil, wrap(op, err)
	}
	switch _, err := g.read(ctx, op, key); {
	case err == nil:
		return nil, neutral.Exists(vendor, op, key, key.ClientID)
	case !errors.Is(err, grantkit.ErrGrantNotFound):
		return nil, err
	}
	_, err = g.c.OAuthApps.Create(ctx, OAuthAppCreate{ID: key.ClientID, AllowedScopes: allowed})
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict {
		// Created by someone else between the lookup and the create.
		return nil, fmt.Errorf("%s: %s: %w: %s: %w", vendor, op, grantkit.ErrGrantExists, key, err)
	}
	if err != nil {
		return nil, err
	}
	// CPN answers a create with the credentials only: read the app back to see its scopes.
	a, err := g.read(ctx, op, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: the app was created, but reading it back failed: %w", vendor, op, err)
	}
	stored := g.toGrant(a)
	if err := grantkit.CheckStored(key, scopes, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return stored, nil
}

// Delete deletes the OAuth app key.ClientID, which revokes all of its access: its allowed
// scopes are the grant, and an app without any still holds credentials, so removing its scopes
// would leave it in place. A missing app wraps grantkit.ErrGrantNotFound.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	if _, err := g.read(ctx, op, key); err != nil {
		return err
	}
	_, err = g.c.OAuthApps.Delete(ctx, key.ClientID)
	return err
}

// read reads the app key names; a 404 is ErrGrantNotFound.
func (g grants) read(ctx context.Context, op string, key grantkit.GrantKey) (*OAuthApp, error) {
	if err := g.check(op, key); err != nil {
		return nil, err
	}
	a, err := g.c.OAuthApps.Get(ctx, key.ClientID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s: %s: %w: %s: %w", vendor, op, grantkit.ErrGrantNotFound, key, err)
	}
	return a, err
}

func (g grants) check(op string, key grantkit.GrantKey) error {
	if err := neutral.NoSubject(vendor, op, key); err != nil {
		return err
	}
	if err := validate.ID("key.ClientID", key.ClientID); err != nil {
		return wrap(op, err)
	}
	if key.Resource != g.c.org {
		return wrap(op, validate.Errorf("key.Resource", "%s is not this client's organization %s", validate.Quote(key.Resource), validate.Quote(g.c.org)))
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
