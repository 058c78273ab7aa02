package onelogin

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"sync"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
)

// ListForUpdate iterates over every grant, as List does (each authorization server's client
// apps), each with a writer that replaces the app's scope ids: one request per change, no
// read of the grant. Scope values are resolved to ids with the server's scope list, read once
// per server and only when a grant of it is written. It makes the account's Grants a
// grantkit.BulkGrants, for grantkit.ApplyScopes.
//
// OneLogin's answer to the update is documented with the app's and server's ids only: when it
// carries the scope ids too, the writer checks them; otherwise it returns no grant, and
// grantkit.ApplyScopes checks what was stored with one listing after all writes.
func (g grants) ListForUpdate(ctx context.Context) iter.Seq2[grantkit.ListedGrant, error] {
	return func(yield func(grantkit.ListedGrant, error) bool) {
		for a, err := range g.c.Authorizations.List(ctx) {
			if err != nil {
				yield(grantkit.ListedGrant{}, err)
				return
			}
			names := scopeNames{g: g, authID: a.ID}
			values := &serverScopes{g: g, authID: a.ID}
			for app, err := range g.c.ClientApps.List(ctx, a.ID) {
				var gr *grantkit.Grant
				if err == nil {
					gr, err = names.grant(ctx, app)
				}
				if err != nil {
					yield(grantkit.ListedGrant{}, err)
					return
				}
				held := slices.Clone(app.ScopeIDs)
				authID, appID, key := app.AuthorizationID, app.AppID, gr.Key
				if !yield(grantkit.ListedGrant{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
					return g.setListed(ctx, authID, appID, key, held, values, scopes)
				}}, nil) {
					return
				}
			}
		}
	}
}

// CanonicalKey checks key as Get does: two positive decimal ids, no subject type.
func (grants) CanonicalKey(key grantkit.GrantKey) (grantkit.GrantKey, error) {
	_, _, err := parseKey("Grants.CanonicalKey", key)
	return key, err
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
	for sc, err := range s.g.c.Scopes.List(ctx, s.authID) {
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
func (g grants) setListed(ctx context.Context, authID, appID int64, key grantkit.GrantKey, held []int64, s *serverScopes, scopes []string) (*grantkit.Grant, error) {
	byID, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	byValue := make(map[string][]int64, len(byID))
	for id, v := range byID {
		byValue[v] = append(byValue[v], id)
	}
	names := grantkit.NormalizeScopes(scopes)
	ids, err := resolveScopeIDs(transport.Op(ctx, "Grants.SetScopes"), authID, names, byValue, held)
	if err != nil {
		return nil, err
	}
	app, err := g.c.ClientApps.UpdateScopes(ctx, authID, appID, ids)
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
		return nil, fmt.Errorf("%s: Grants.SetScopes: %w", vendor, err)
	}
	return gr, nil
}

var _ grantkit.BulkGrants = grants{}
