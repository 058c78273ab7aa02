package onelogin

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the account (see grantkit.Grants): a grant is a
// client app on an authorization server. Key.Resource is the authorization server's id and
// Key.ClientID the app's id, both in decimal; Scopes are scope values, resolved to ids on write
// (a scope id the server does not list is named by its decimal id and kept on write).
// OneLogin keeps one entry per app on a server (adding an app twice is refused, 422), so those
// two identify a grant; a key with a SubjectType is invalid input. Create adds the app to the
// server as a client app and Delete removes it from the server; the app itself is not touched.
// Scopes a grant names must be defined on the server first (see ScopeCatalog). CheckGrant
// checks the key (two positive decimal ids, no subject type) and each scope as one OAuth scope
// token (no whitespace or control character), as the scope catalog defines them.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

// begin starts method op of the adapter (see neutral.Begin).
func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

// List lists every authorization server's client apps, naming their scopes. opts.Resource
// lists only that server's client apps (OneLogin's per-server list) instead of every
// server's; opts.ClientID keeps that app's entries (OneLogin has no filter for it).
func (g grants) List(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	ctx, _, err := g.begin(ctx, "Grants.List")
	if err != nil {
		return paging.Failed[grantkit.Grant](err)
	}
	return func(yield func(*grantkit.Grant, error) bool) {
		for l, err := range g.ListForUpdate(ctx, opts) {
			if !yield(l.Grant, err) || err != nil {
				return
			}
		}
	}
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	l, err := g.ReadForUpdate(ctx, key)
	return l.Grant, err
}

func (g grants) find(ctx context.Context, op string, key grantkit.GrantKey, authID, appID int64) (*ClientApp, error) {
	// OneLogin lists an app once per server; should it ever list it twice, neither is picked.
	var matches []*ClientApp
	for app, err := range g.c.ClientApps.List(ctx, authID, ClientAppListOptions{}) {
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
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	authID, appID, err := parseKey(op, key)
	if err != nil {
		return nil, err
	}
	app, err := g.find(ctx, op, key, authID, appID)
	if err != nil {
		return nil, err
	}
	names := grantkit.NormalizeScopes(scopes)
	ids, err := g.scopeIDs(ctx, op, authID, names, app.ScopeIDs)
	if err != nil {
		return nil, err
	}
	if _, err := g.c.ClientApps.Update(ctx, authID, appID, ClientAppUpdate{ScopeIDs: ids}); err != nil {
		return nil, err
	}
	return g.readBack(ctx, op, "update", key, names)
}

// Create adds app key.ClientID to authorization server key.Resource as a client app allowed
// scopes (POST /api/2/api_authorizations/{id}/clients). Scopes are named by value and sent
// by id; a value the server does not define is invalid input, refused before anything is
// sent. An app already on the server wraps grantkit.ErrGrantExists.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	authID, appID, err := parseKey(op, key)
	if err != nil {
		return nil, err
	}
	switch _, err := g.find(ctx, op, key, authID, appID); {
	case err == nil:
		return nil, neutral.Exists(vendor, op, key, key.ClientID)
	case !errors.Is(err, grantkit.ErrGrantNotFound):
		return nil, err
	}
	names := grantkit.NormalizeScopes(scopes)
	ids, err := g.scopeIDs(ctx, op, authID, names, nil)
	if err != nil {
		return nil, err
	}
	if _, err := g.c.ClientApps.Create(ctx, authID, ClientAppCreate{AppID: appID, ScopeIDs: ids}); err != nil {
		return nil, err
	}
	return g.readBack(ctx, op, "add", key, names)
}

// readBack reads the grant after a write (verb, such as "update") that OneLogin answered with
// success and checks that it holds names: OneLogin's answer carries ids at most, not
// necessarily the scopes.
func (g grants) readBack(ctx context.Context, op, verb string, key grantkit.GrantKey, names []string) (*grantkit.Grant, error) {
	stored, err := g.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: the %s was answered with success, but reading it back failed: %w", vendor, op, verb, err)
	}
	if err := grantkit.CheckStored(key, names, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return stored, nil
}

// Delete removes app key.ClientID from authorization server key.Resource (DELETE
// /api/2/api_authorizations/{id}/clients/{app_id}); the app itself stays in OneLogin.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	authID, appID, err := parseKey(op, key)
	if err != nil {
		return err
	}
	if _, err := g.find(ctx, op, key, authID, appID); err != nil {
		return err
	}
	return g.c.ClientApps.Delete(ctx, authID, appID)
}

// scopeIDs resolves scope values to the ids of the server's scopes. A value the server does
// not define is invalid input, unless it is the decimal id of a scope in held: an id the app
// holds but the server no longer lists is named by its id (see scopeNames), and naming it
// again keeps it rather than refusing the write.
func (g grants) scopeIDs(ctx context.Context, op string, authID int64, names []string, held []int64) ([]int64, error) {
	byValue := map[string][]int64{}
	for s, err := range g.c.Authorizations.ListScopes(ctx, authID) {
		if err != nil {
			return nil, err
		}
		byValue[s.Value] = append(byValue[s.Value], s.ID)
	}
	return resolveScopeIDs(op, authID, names, byValue, held)
}

// resolveScopeIDs resolves scope values with byValue, the server's scope ids by value.
func resolveScopeIDs(op string, authID int64, names []string, byValue map[string][]int64, held []int64) ([]int64, error) {
	ids := make([]int64, 0, len(names))
	for _, n := range names {
		switch found := byValue[n]; len(found) {
		case 0:
			id, err := strconv.ParseInt(n, 10, 64)
			if err != nil || !slices.Contains(held, id) {
				return nil, wrap(op, validate.Errorf("scopes", "%s is not a scope of authorization server %d", validate.Quote(n), authID))
			}
			ids = append(ids, id)
		case 1:
			ids = append(ids, found[0])
		default:
			// OneLogin keeps values unique; should it ever list one twice, neither is picked.
			return nil, fmt.Errorf("%s: %s: %w: authorization server %d defines %s %d times (ids %v)", vendor, op, grantkit.ErrDuplicateScope, authID, validate.Quote(n), len(found), found)
		}
	}
	return ids, nil
}

func parseKey(op string, key grantkit.GrantKey) (authID, appID int64, err error) {
	if err := neutral.NoSubject(vendor, op, key); err != nil {
		return 0, 0, err
	}
	authID, err1 := strconv.ParseInt(key.Resource, 10, 64)
	appID, err2 := strconv.ParseInt(key.ClientID, 10, 64)
	if err1 != nil || authID <= 0 {
		return 0, 0, wrap(op, validate.Errorf("key.resource", "%s: an authorization server id is a positive integer", validate.Quote(key.Resource)))
	}
	if err2 != nil || appID <= 0 {
		return 0, 0, wrap(op, validate.Errorf("key.client_id", "%s: an app id is a positive integer", validate.Quote(key.ClientID)))
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
				for s, err := range n.g.c.Authorizations.ListScopes(ctx, n.authID) {
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
