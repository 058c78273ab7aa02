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
// Key.ClientID the app's id, both in decimal; Scopes are scope values, resolved to ids on write
// (a scope id the server does not list is named by its decimal id and kept on write).
// OneLogin keeps one entry per app on a server (adding an app twice is refused, 422), so those
// two identify a grant; a key with a SubjectType is invalid input.
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
			names := scopeNames{g: g, authID: a.ID}
			for app, err := range g.c.ClientApps.List(ctx, a.ID) {
				var grant *grantkit.Grant
				if err == nil {
					grant, err = names.grant(ctx, app)
				}
				if err != nil {
					yield(nil, err)
					return
				}
				if !yield(grant, nil) {
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
	app, err := g.find(ctx, "Grants.Get", key, authID, appID)
	if err != nil {
		return nil, err
	}
	names := scopeNames{g: g, authID: authID}
	return names.grant(ctx, app)
}

func (g grants) find(ctx context.Context, op string, key grantkit.GrantKey, authID, appID int64) (*ClientApp, error) {
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
	return neutral.One(vendor, op, key, matches, func(a *ClientApp) string { return strconv.FormatInt(a.AppID, 10) })
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	authID, appID, err := parseKey(key)
	if err != nil {
		return nil, err
	}
	app, err := g.find(ctx, "Grants.SetScopes", key, authID, appID)
	if err != nil {
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
	ids, err := scopeIDs(names, byValue, app.ScopeIDs, authID)
	if err != nil {
		return nil, err
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

// scopeNames names the scopes of one authorization server's apps. An app's scope objects
// carry their values; an id that comes without one (scope_ids) is looked up in the server's
// scope list, read once and only when needed; an id the server does not list keeps its
// decimal form, so that it is shown, and kept by a read-modify-write, rather than dropped.
type scopeNames struct {
	g      grants
	authID int64
	byID   map[int64]string
}

func (n *scopeNames) grant(ctx context.Context, app *ClientApp) (*grantkit.Grant, error) {
	values := map[int64]string{}
	for _, s := range app.Scopes {
		if s.Value != "" {
			values[s.ID] = s.Value
		}
	}
	names := make([]string, len(app.ScopeIDs))
	for i, id := range app.ScopeIDs {
		v, ok := values[id]
		if !ok {
			if n.byID == nil {
				n.byID = map[int64]string{}
				for s, err := range n.g.c.Scopes.List(ctx, n.authID) {
					if err != nil {
						return nil, err
					}
					n.byID[s.ID] = s.Value
				}
			}
			if v, ok = n.byID[id]; !ok {
				v = strconv.FormatInt(id, 10)
			}
		}
		names[i] = v
	}
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     strconv.FormatInt(app.AppID, 10),
		Key:    grantkit.GrantKey{Resource: strconv.FormatInt(app.AuthorizationID, 10), ClientID: strconv.FormatInt(app.AppID, 10)},
		Scopes: grantkit.NormalizeScopes(names),
	}, nil
}
