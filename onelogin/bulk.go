package onelogin

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"sync"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

type listed = grantwrite.Listed[*grantkit.Grant]

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = grants{}

// ListForUpdate iterates as List does (each selected authorization server's client apps),
// each with a writer that replaces the app's scope ids: one request per change, no read of
// the grant. Scope values are resolved to ids with the server's scope list, read once per
// server and only when a grant of it is written.
//
// OneLogin's answer to the update is documented with the app's and server's ids only: when it
// carries the scope ids too, the writer checks them; otherwise it returns no grant, and the
// caller reads it back (grantkit.ApplyScopes with one listing after all writes).
func (g grants) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		server := func(authID int64) bool {
			names := scopeNames{g: g, authID: authID}
			values := &serverScopes{g: g, authID: authID}
			for app, err := range g.c.ClientApps.List(ctx, authID, ClientAppListOptions{}) {
				if opts.Resource != "" && neutral.IsNotFound(err) {
					return true // a server OneLogin does not know has no grants
				}
				if err == nil && opts.ClientID != "" && strconv.FormatInt(app.AppID, 10) != opts.ClientID {
					continue
				}
				var l listed
				if err == nil {
					l, err = g.listed(ctx, &names, values, app)
				}
				if err != nil {
					yield(listed{}, err)
					return false
				}
				if !yield(l, nil) {
					return false
				}
			}
			return true
		}
		if opts.Resource != "" {
			authID, err := authorizationID(opts.Resource)
			if err != nil {
				yield(listed{}, wrap(transport.Op(ctx, "Grants.List"), err))
				return
			}
			server(authID)
			return
		}
		for a, err := range g.c.Authorizations.List(ctx, AuthorizationListOptions{}) {
			if err != nil {
				yield(listed{}, err)
				return
			}
			if !server(a.ID) {
				return
			}
		}
	}
}

// ReadForUpdate reads the one grant key identifies (the server's client apps, and its scope
// list when an app's scopes come without values) with its writer (the scope list, read at
// most once, and one PUT).
func (g grants) ReadForUpdate(ctx context.Context, key grantkit.GrantKey) (listed, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return listed{}, err
	}
	if _, err := g.Check(op, key, nil); err != nil {
		return listed{}, err
	}
	authID, appID, _ := parseKey(op, key) // checked
	app, err := g.find(ctx, op, key, authID, appID)
	if err != nil {
		return listed{}, err
	}
	names := scopeNames{g: g, authID: authID}
	return g.listed(ctx, &names, &serverScopes{g: g, authID: authID}, app)
}

func (g grants) listed(ctx context.Context, names *scopeNames, values *serverScopes, app *ClientApp) (listed, error) {
	gr, err := names.grant(ctx, app)
	if err != nil {
		return listed{}, err
	}
	held := slices.Clone(app.ScopeIDs)
	authID, appID, key := app.AuthorizationID, app.AppID, gr.Key
	return listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		return g.setListed(ctx, transport.Op(ctx, "Grants.SetScopes"), authID, appID, key, held, values, scopes)
	}}, nil
}

// CheckGrant checks key and scopes as a write does, without a request (see Grants).
func (g grants) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	_, err := g.Check("Grants.CheckGrant", key, scopes)
	return err
}

// Check runs CheckGrant's checks naming op: two positive decimal ids, no subject type, each
// scope one OAuth scope token.
func (grants) Check(op string, key grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	if _, _, err := parseKey(op, key); err != nil {
		return key, err
	}
	if err := validate.Each("scopes", scopes, func(f, s string) error {
		if s == "" {
			return validate.Errorf(f, "must not be empty")
		}
		return validate.ScopeToken(f, s)
	}); err != nil {
		return key, wrap(op, err)
	}
	return key, nil
}

// serverScopes is one authorization server's scope list, id → value, read at most once
// (again only after a failed read) and shared by the writers of the server's grants.
type serverScopes struct {
	g      grants
	authID int64

	mu   sync.Mutex
	byID map[int64]string
}

func (s *serverScopes) load(ctx context.Context) (map[int64]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID != nil {
		return s.byID, nil
	}
	byID := map[int64]string{}
	for sc, err := range s.g.c.Authorizations.ListScopes(ctx, s.authID) {
		if err != nil {
			return nil, err
		}
		byID[sc.ID] = sc.Value
	}
	s.byID = byID
	return byID, nil
}

// setListed replaces the scopes of app appID on server authID, which held the scope ids held
// when listed. It returns the grant as stored when the answer carries the scope ids, and nil
// otherwise.
func (g grants) setListed(ctx context.Context, op string, authID, appID int64, key grantkit.GrantKey, held []int64, s *serverScopes, scopes []string) (*grantkit.Grant, error) {
	byID, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	byValue := make(map[string][]int64, len(byID))
	for id, v := range byID {
		byValue[v] = append(byValue[v], id)
	}
	names := grantkit.NormalizeScopes(scopes)
	ids, err := resolveScopeIDs(op, authID, names, byValue, held)
	if err != nil {
		return nil, err
	}
	app, err := g.c.ClientApps.Update(ctx, authID, appID, ClientAppUpdate{ScopeIDs: ids})
	if err != nil {
		return nil, err
	}
	if len(app.ScopeIDs) == 0 && len(ids) > 0 {
		return nil, nil // the answer does not say what was stored
	}
	stored := make([]string, len(app.ScopeIDs))
	for i, id := range app.ScopeIDs {
		if v, ok := byID[id]; ok {
			stored[i] = v
		} else {
			stored[i] = strconv.FormatInt(id, 10)
		}
	}
	gr := &grantkit.Grant{Vendor: vendor, ID: strconv.FormatInt(appID, 10), Key: key, Scopes: grantkit.NormalizeScopes(stored)}
	if err := grantkit.CheckStored(key, names, gr); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return gr, nil
}
