package onelogin

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/patch"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// ClientApp is an app allowed to request tokens from an authorization server, with the scopes
// it may request.
type ClientApp struct {
	AppID           int64
	AuthorizationID int64 // api_auth_id, or auth_server_id when only that is sent
	Name            string
	// Scopes are the full scope objects OneLogin lists with the app; the results of Add and
	// UpdateScopes have none.
	Scopes []Scope
	// ScopeIDs are the ids of every scope the app may request: OneLogin's scope_ids when it
	// sends them, together with the ids of Scopes (an id is never dropped because it came in
	// only one of the two).
	ScopeIDs []int64
}

// ClientAppsService manages the client apps of an authorization server and the scopes each may
// request (/api/2/api_authorizations/{id}/clients).
type ClientAppsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ClientAppsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the client apps of authorization server authID, with their scopes.
func (s *ClientAppsService) List(ctx context.Context, authID int64) iter.Seq2[*ClientApp, error] {
	return pages(ctx, func(ctx context.Context, cursor oas.OptString) ([]ClientApp, string, error) {
		ctx, call, err := s.begin(ctx, "ClientApps.List")
		if err != nil {
			return nil, "", err
		}
		if err := checkID("authID", authID); err != nil {
			return nil, "", call.Err(err)
		}
		res, err := s.c.api.ListAuthorizationClientApps(ctx, oas.ListAuthorizationClientAppsParams{ID: authID, Cursor: cursor})
		if err != nil {
			return nil, "", call.Err(err)
		}
		out := make([]ClientApp, len(res.Response))
		for i, a := range res.Response {
			out[i] = ClientApp{AppID: a.AppID.Or(0), AuthorizationID: a.APIAuthID.Or(a.AuthServerID.Or(authID)), Name: a.Name.Or("")}
			for _, sc := range a.Scopes {
				out[i].Scopes = append(out[i].Scopes, fromScope(sc))
			}
			out[i].ScopeIDs = union(a.ScopeIds, out[i].Scopes)
		}
		return out, res.AfterCursor.Or(""), nil
	})
}

// Add allows app appID to request scopeIDs from authorization server authID. An add whose
// answer is lost is never resent blindly: the server's client apps are looked up and the app
// returned if it has the scopes asked; the add is sent again only if the app is not there.
func (s *ClientAppsService) Add(ctx context.Context, authID, appID int64, scopeIDs []int64) (*ClientApp, error) {
	ctx, call, err := s.begin(ctx, "ClientApps.Add")
	if err != nil {
		return nil, err
	}
	call.Creates("the app may now be added with these scopes; check with ClientApps.List on the authorization server")
	if err := checkIDs(authID, appID, scopeIDs); err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*ClientApp, error) {
		res, err := s.c.api.AddAuthorizationClientApp(ctx, &oas.AddClientAppRequest{AppID: appID, Scopes: patch.List(slices.Clone(scopeIDs))}, oas.AddAuthorizationClientAppParams{ID: authID})
		if err != nil {
			return nil, call.Err(err)
		}
		return fromClientAppIDs(res, authID, appID), nil
	}, transport.Lookup[ClientApp]{
		Unique: true, // OneLogin keeps one entry per app on a server (422 "already been added")
		Exists: alreadyTaken,
		Find: func(ctx context.Context) (*ClientApp, string, error) {
			for a, err := range s.List(ctx, authID) {
				if err != nil {
					return nil, "", err
				}
				if a.AppID != appID {
					continue
				}
				have, want := slices.Clone(a.ScopeIDs), slices.Clone(scopeIDs)
				slices.Sort(have)
				slices.Sort(want)
				if !slices.Equal(slices.Compact(have), slices.Compact(want)) {
					return a, fmt.Sprintf("app %d has scope ids %v, asked %v", appID, a.ScopeIDs, scopeIDs), nil
				}
				return a, "", nil
			}
			return nil, "", nil
		},
	})
}

// alreadyTaken reports OneLogin's answer that what a create makes exists already: a 409, or
// the 422 whose message says it was already added or taken.
func alreadyTaken(e *grantkit.Error) bool {
	return e.StatusCode == http.StatusConflict ||
		(e.StatusCode == http.StatusUnprocessableEntity && strings.Contains(e.Message, "already"))
}

// UpdateScopes replaces the scopes app appID may request from authorization server authID.
func (s *ClientAppsService) UpdateScopes(ctx context.Context, authID, appID int64, scopeIDs []int64) (*ClientApp, error) {
	ctx, call, err := s.begin(ctx, "ClientApps.UpdateScopes")
	if err != nil {
		return nil, err
	}
	if err := checkIDs(authID, appID, scopeIDs); err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.UpdateAuthorizationClientApp(ctx, &oas.UpdateClientAppRequest{Scopes: patch.List(slices.Clone(scopeIDs))},
		oas.UpdateAuthorizationClientAppParams{ID: authID, ClientAppID: appID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromClientAppIDs(res, authID, appID), nil
}

// Remove removes app appID from authorization server authID. A 404 after an attempt whose
// answer was lost (it may have landed) is success: the app is removed as asked.
func (s *ClientAppsService) Remove(ctx context.Context, authID, appID int64) error {
	ctx, call, err := s.begin(ctx, "ClientApps.Remove")
	if err != nil {
		return err
	}
	if err := checkIDs(authID, appID, nil); err != nil {
		return call.Err(err)
	}
	// OneLogin's doc page answers 204 and its SDKs expect 200; the spec accepts both, and
	// either means the app was removed.
	_, err = s.c.api.RemoveAuthorizationClientApp(ctx, oas.RemoveAuthorizationClientAppParams{ID: authID, ClientAppID: appID})
	return call.Deleted(err)
}

func checkIDs(authID, appID int64, scopeIDs []int64) error {
	if err := checkID("authID", authID); err != nil {
		return err
	}
	if err := checkID("appID", appID); err != nil {
		return err
	}
	return validate.Each("scopeIDs", scopeIDs, checkID)
}

// union returns ids followed by the ids of scopes it lacks, or nil when both are empty.
func union(ids []int64, scopes []Scope) []int64 {
	out := slices.Clone(ids)
	for _, s := range scopes {
		if !slices.Contains(out, s.ID) {
			out = append(out, s.ID)
		}
	}
	return out
}

// fromClientAppIDs reads the answer of Add and UpdateScopes. The documented answer carries
// app_id and api_auth_id only; the scope ids are read when OneLogin includes them.
func fromClientAppIDs(res *oas.ClientAppIDs, authID, appID int64) *ClientApp {
	a := &ClientApp{AppID: res.AppID.Or(appID), AuthorizationID: res.APIAuthID.Or(authID), ScopeIDs: slices.Clone(res.Scopes)}
	for _, id := range res.ScopeIds {
		if !slices.Contains(a.ScopeIDs, id) {
			a.ScopeIDs = append(a.ScopeIDs, id)
		}
	}
	return a
}
