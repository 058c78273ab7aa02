package cpn

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the organization (see grantkit.Grants): a grant is
// an OAuth app's allowed scopes. Key.Resource is the organization id and Key.ClientID the app's
// id; Scopes name its allowed scopes as AllowedScopes.Names does. An app has one set of allowed
// scopes, so the organization and the app id identify a grant; a key with a SubjectType is
// invalid input. An app whose allowed scopes are empty holds no grant: List leaves it out and
// Get, SetScopes and Delete report grantkit.ErrGrantNotFound for it. SetScopes changes only
// what the names describe (AllowedScopes.WithNames): permissions, role resources and whatever
// else CPN stores in allowedScopes are sent back as they were read.
//
// The vendor-neutral verbs never create or delete an app or its credentials:
//
//   - Create sets the allowed scopes of an existing app that has none (one read, one PATCH).
//     A missing app is an error wrapping grantkit.ErrGrantNotFound that names it (create the
//     app with OAuthApps.Create, which returns its secret); an app that has allowed scopes
//     already wraps grantkit.ErrGrantExists; a grant needs at least one scope, since an app
//     without any holds none.
//   - Delete empties the app's allowed scopes (names, permissions and role resources alike;
//     one read, one PATCH) and keeps the app and its secret. Delete the app itself with
//     OAuthApps.Delete.
//
// CheckGrant checks a key (this client's organization, an app id that is a safe path segment,
// no subject type) and the scope names' syntax (ParseScopes). CPN's scopes are defined by the
// platform (roles of the organization and of its services), so there is no scope catalog for
// CPN.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

// begin starts method op of the adapter (see neutral.Begin).
func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

// List lists the organization's apps that hold allowed scopes. opts.ClientID reads that one
// app (GET /orgs/{orgId}/oauth-apps/{id}) instead of listing them all; an opts.Resource other
// than this client's organization selects nothing.
func (g grants) List(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	ctx, op, err := g.begin(ctx, "Grants.List")
	if err != nil {
		return paging.Failed[grantkit.Grant](err)
	}
	return func(yield func(*grantkit.Grant, error) bool) {
		for a, err := range g.apps(ctx, op, opts) {
			if !yield(g.toGrant(a), err) || err != nil {
				return
			}
		}
	}
}

// apps iterates over the apps opts selects that hold a grant.
func (g grants) apps(ctx context.Context, op string, opts grantkit.GrantListOptions) iter.Seq2[*OAuthApp, error] {
	return func(yield func(*OAuthApp, error) bool) {
		if opts.Resource != "" && opts.Resource != g.c.org {
			return
		}
		if opts.ClientID != "" {
			if err := validate.ID("client_id", opts.ClientID); err != nil {
				yield(nil, wrap(op, err))
				return
			}
			a, err := g.c.OAuthApps.Get(ctx, opts.ClientID)
			if neutral.IsNotFound(err) {
				return
			}
			if err != nil || !a.AllowedScopes.empty() {
				yield(a, err)
			}
			return
		}
		for a, err := range g.c.OAuthApps.List(ctx, OAuthAppListOptions{}) {
			if err != nil {
				yield(nil, err)
				return
			}
			if a.AllowedScopes.empty() {
				continue
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return nil, err
	}
	a, err := g.granted(ctx, op, key)
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
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	cur, err := g.granted(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return g.setListed(ctx, op, cur, key, scopes)
}

// Create gives the existing app key.ClientID the allowed scopes scopes, which it must not
// have yet (see Grants): it never creates an app.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, wrap(op, validate.Errorf("scopes", "empty: at CPN a grant is an app's allowed scopes, and an app without any holds no grant"))
	}
	a, err := g.read(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if !a.AllowedScopes.empty() {
		return nil, neutral.Exists(vendor, op, key, key.ClientID)
	}
	return g.setListed(ctx, op, a, key, scopes)
}

// Delete empties the allowed scopes of app key.ClientID, which revokes all of its access,
// and keeps the app and its credentials (see Grants). An app that does not exist or has no
// allowed scopes wraps grantkit.ErrGrantNotFound.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	a, err := g.granted(ctx, op, key)
	if err != nil {
		return err
	}
	stored, err := g.c.OAuthApps.update(ctx, a.ID, OAuthAppUpdate{AllowedScopes: grantkit.Value(AllowedScopes{})}, &a.AllowedScopes)
	if err != nil {
		return err
	}
	if !stored.AllowedScopes.empty() {
		return fmt.Errorf("%s: %s: %w: %s: asked for no allowed scopes, CPN kept %q", vendor, op, grantkit.ErrNotApplied, key, stored.AllowedScopes.Names())
	}
	return nil
}

// read reads the app key names; a 404 is ErrGrantNotFound naming the app.
func (g grants) read(ctx context.Context, op string, key grantkit.GrantKey) (*OAuthApp, error) {
	if _, err := g.Check(op, key, nil); err != nil {
		return nil, err
	}
	a, err := g.c.OAuthApps.Get(ctx, key.ClientID)
	if neutral.IsNotFound(err) {
		return nil, fmt.Errorf("%s: %s: %w: %s: the OAuth app %q does not exist (grants never create apps: create it with OAuthApps.Create): %w",
			vendor, op, grantkit.ErrGrantNotFound, key, key.ClientID, err)
	}
	return a, err
}

// granted reads the app key names and returns it if it holds a grant (allowed scopes).
func (g grants) granted(ctx context.Context, op string, key grantkit.GrantKey) (*OAuthApp, error) {
	a, err := g.read(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if a.AllowedScopes.empty() {
		return nil, fmt.Errorf("%s: %s: %w: %s: the OAuth app has no allowed scopes", vendor, op, grantkit.ErrGrantNotFound, key)
	}
	return a, nil
}

func (g grants) toGrant(a *OAuthApp) *grantkit.Grant {
	if a == nil {
		return nil
	}
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     a.ID,
		Key:    grantkit.GrantKey{Resource: g.c.org, ClientID: a.ID},
		Scopes: grantkit.NormalizeScopes(a.AllowedScopes.Names()),
	}
}

// empty reports whether the app may request nothing: no general scope, no organization or
// service role or permission.
func (a AllowedScopes) empty() bool {
	o := a.Organization
	return len(a.GeneralScopes) == 0 && len(a.Services) == 0 && !o.AllRoles && !o.AllPermissions &&
		len(o.Roles) == 0 && len(o.Permissions) == 0
}
