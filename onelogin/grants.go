package onelogin

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the account (see grantkit.Grants): a grant is a
// client app on an authorization server. Key.Resource is the authorization server's id and
// Key.ClientID the app's id, both in decimal; Scopes are scope values, resolved to ids on write.
// OneLogin keeps one client app per authorization server and app, so those two identify a
// grant; a key with a SubjectType is invalid input.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

func (g grants) List(ctx context.Context) iter.Seq2[*grantkit.Grant, error] {
	return func(yield func(*grantkit.Grant, error) bool) {
		for a, err := range g.c.Authorizations.List(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			for app, err := range g.c.ClientApps.List(ctx, a.ID) {
				if err != nil {
					yield(nil, err)
					return
				}
				if !yield(toGrant(app), nil) {
					return
				}
			}
		}
	}
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	authID, appID, err := parseKey(key)
	if err != nil {
		return nil, err
	}
	// OneLogin lists an app once per server; should it ever list it twice, neither is picked.
	var matches []*ClientApp
	for app, err := range g.c.ClientApps.List(ctx, authID) {
		if err != nil {
			return nil, err
		}
		if app.AppID == appID {
			matches = append(matches, app)
		}
	}
	app, err := neutral.One(vendor, "Grants.Get", key, matches, func(a *ClientApp) string { return strconv.FormatInt(a.AppID, 10) })
	if err != nil {
		return nil, err
	}
	return toGrant(app), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	authID, appID, err := parseKey(key)
	if err != nil {
		return nil, err
	}
	if _, err := g.Get(ctx, key); err != nil {
		return nil, err
	}
	byValue := map[string]int64{}
	for s, err := range g.c.Scopes.List(ctx, authID) {
		if err != nil {
			return nil, err
		}
		byValue[s.Value] = s.ID
	}
	names := grantkit.NormalizeScopes(scopes)
	ids := make([]int64, 0, len(names))
	for _, n := range names {
		id, ok := byValue[n]
		if !ok {
			return nil, wrap("Grants.SetScopes", validate.Errorf("scopes", "%q is not a scope of authorization server %d", n, authID))
		}
		ids = append(ids, id)
	}
	if _, err := g.c.ClientApps.UpdateScopes(ctx, authID, appID, ids); err != nil {
		return nil, err
	}
	// OneLogin's answer to the update carries ids at most, not necessarily the scopes: read
	// the app back to see what was stored.
	stored, err := g.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("%s: Grants.SetScopes: the update was answered with success, but reading it back failed: %w", vendor, err)
	}
	if err := grantkit.CheckStored(key, names, stored); err != nil {
		return nil, fmt.Errorf("%s: Grants.SetScopes: %w", vendor, err)
	}
	return stored, nil
}

func parseKey(key grantkit.GrantKey) (authID, appID int64, err error) {
	if err := neutral.NoSubject(vendor, "Grants", key); err != nil {
		return 0, 0, err
	}
	authID, err1 := strconv.ParseInt(key.Resource, 10, 64)
	appID, err2 := strconv.ParseInt(key.ClientID, 10, 64)
	if err1 != nil || err2 != nil || authID <= 0 || appID <= 0 {
		return 0, 0, wrap("Grants", validate.Errorf("key", "resource (authorization server id) and client (app id) must be positive integers, got %q", key))
	}
	return authID, appID, nil
}

func toGrant(app *ClientApp) *grantkit.Grant {
	names := make([]string, len(app.Scopes))
	for i, s := range app.Scopes {
		names[i] = s.Value
	}
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     strconv.FormatInt(app.AppID, 10),
		Key:    grantkit.GrantKey{Resource: strconv.FormatInt(app.AuthorizationID, 10), ClientID: strconv.FormatInt(app.AppID, 10)},
		Scopes: grantkit.NormalizeScopes(names),
	}
}
