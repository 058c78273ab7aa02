package onelogin

import (
	"context"
	"errors"
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
	AppID           int64  // the OpenID Connect app's id; a grant key's ClientID in decimal
	AuthorizationID int64  // api_auth_id, or auth_server_id when only that is sent
	Name            string // the app's name, when OneLogin sends it
	// Scopes are the full scope objects OneLogin lists with the app; the results of Create
	// and Update have none.
	Scopes []Scope
	// ScopeIDs are the ids of every scope the app may request: OneLogin's scope_ids when it
	// sends them, together with the ids of Scopes (an id is never dropped because it came in
	// only one of the two).
	ScopeIDs []int64
}

// ClientAppListOptions pages ClientAppsService.List and ListPage.
type ClientAppListOptions struct {
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// ClientAppCreate is the body of ClientAppsService.Create: the OpenID Connect app to allow
// and the ids of the scopes it may request (each a scope of the authorization server).
type ClientAppCreate struct {
	AppID    int64   // the OpenID Connect app to allow
	ScopeIDs []int64 // the scopes it may request (empty: none)
}

// ClientAppUpdate is the body of ClientAppsService.Update: the ids of every scope the app may
// request, which replace the ones it had (empty: none).
type ClientAppUpdate struct {
	ScopeIDs []int64 // every scope the app may request from now on
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
func (s *ClientAppsService) List(ctx context.Context, authID int64, opts ClientAppListOptions) iter.Seq2[*ClientApp, error] {
	return pages(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[ClientApp], error) {
		return s.listPage(ctx, "ClientApps.List", authID, cursor)
	})
}

// ListPage returns one page of the client apps of authorization server authID. OneLogin
// documents no paging for them: the page holds them all, unless OneLogin answers with an
// After-Cursor, which becomes Next.
func (s *ClientAppsService) ListPage(ctx context.Context, authID int64, opts ClientAppListOptions) (grantkit.Page[ClientApp], error) {
	return s.listPage(ctx, "ClientApps.ListPage", authID, opts.Cursor)
}

func (s *ClientAppsService) listPage(ctx context.Context, op string, authID int64, cursor string) (grantkit.Page[ClientApp], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[ClientApp]{}, err
	}
	if err := checkID("id", authID); err != nil {
		return grantkit.Page[ClientApp]{}, call.Err(err)
	}
	res, err := s.c.api.ListAuthorizationClientApps(ctx, oas.ListAuthorizationClientAppsParams{ID: authID, Cursor: optCursor(cursor)})
	if err != nil {
		return grantkit.Page[ClientApp]{}, call.Err(err)
	}
	out := grantkit.Page[ClientApp]{Items: make([]ClientApp, len(res.Response)), Next: res.AfterCursor.Or(""), Total: -1}
	for i, a := range res.Response {
		app := ClientApp{AppID: a.AppID.Or(0), AuthorizationID: a.APIAuthID.Or(a.AuthServerID.Or(authID)), Name: a.Name.Or("")}
		for _, sc := range a.Scopes {
			app.Scopes = append(app.Scopes, fromScope(sc))
		}
		app.ScopeIDs = union(a.ScopeIds, app.Scopes)
		out.Items[i] = app
	}
	return out, nil
}

// Get returns client app appID of authorization server authID, with its scopes. OneLogin has
// no request for one client app, so Get lists the server's apps; one it does not list is an
// error wrapping grantkit.ErrGrantNotFound.
func (s *ClientAppsService) Get(ctx context.Context, authID, appID int64) (*ClientApp, error) {
	ctx, call, err := s.begin(ctx, "ClientApps.Get")
	if err != nil {
		return nil, err
	}
	if err := checkID("client_app_id", appID); err != nil {
		return nil, call.Err(err)
	}
	for app, err := range s.List(ctx, authID, ClientAppListOptions{}) {
		if err != nil {
			return nil, err
		}
		if app.AppID == appID {
			return app, nil
		}
	}
	return nil, call.Err(fmt.Errorf("%w: app %d is not a client app of authorization server %d", grantkit.ErrGrantNotFound, appID, authID))
}

// Create allows app p.AppID to request scopes p.ScopeIDs from authorization server authID. A
// create whose answer is lost is never resent blindly: the app is looked up on the server
// (ClientApps.Get) and returned if it has the scopes asked; the create is sent again only if
// the app is not there (OneLogin keeps one entry per app and server).
func (s *ClientAppsService) Create(ctx context.Context, authID int64, p ClientAppCreate) (*ClientApp, error) {
	ctx, call, err := s.begin(ctx, "ClientApps.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the app may now be added with these scopes; check with ClientApps.Get")
	if err := checkIDs(authID, "app_id", p.AppID, p.ScopeIDs); err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*ClientApp, error) {
		res, err := s.c.api.AddAuthorizationClientApp(ctx, &oas.AddClientAppRequest{AppID: p.AppID, Scopes: patch.List(slices.Clone(p.ScopeIDs))}, oas.AddAuthorizationClientAppParams{ID: authID})
		if err != nil {
			return nil, call.Err(err)
		}
		return fromClientAppIDs(res, authID, p.AppID), nil
	}, transport.Lookup[ClientApp]{
		Unique: true, // OneLogin keeps one entry per app on a server (422 "already been added")
		Exists: alreadyTaken,
		Find: func(ctx context.Context) (*ClientApp, string, error) {
			a, err := s.Get(ctx, authID, p.AppID)
			if errors.Is(err, grantkit.ErrGrantNotFound) {
				return nil, "", nil
			}
			if err != nil {
				return nil, "", err
			}
			have, want := slices.Clone(a.ScopeIDs), slices.Clone(p.ScopeIDs)
			slices.Sort(have)
			slices.Sort(want)
			if !slices.Equal(slices.Compact(have), slices.Compact(want)) {
				return a, fmt.Sprintf("app %d has scope ids %v, asked %v", p.AppID, a.ScopeIDs, p.ScopeIDs), nil
			}
			return a, "", nil
		},
	})
}

// alreadyTaken reports OneLogin's answer that what a create makes exists already: a 409, or
// the 422 whose message says it was already added or taken.
func alreadyTaken(e *grantkit.Error) bool {
	return e.StatusCode == http.StatusConflict ||
		(e.StatusCode == http.StatusUnprocessableEntity && strings.Contains(e.Message, "already"))
}

// Update replaces the scopes app appID may request from authorization server authID.
func (s *ClientAppsService) Update(ctx context.Context, authID, appID int64, p ClientAppUpdate) (*ClientApp, error) {
	ctx, call, err := s.begin(ctx, "ClientApps.Update")
	if err != nil {
		return nil, err
	}
	if err := checkIDs(authID, "client_app_id", appID, p.ScopeIDs); err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.UpdateAuthorizationClientApp(ctx, &oas.UpdateClientAppRequest{Scopes: patch.List(slices.Clone(p.ScopeIDs))},
		oas.UpdateAuthorizationClientAppParams{ID: authID, ClientAppID: appID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromClientAppIDs(res, authID, appID), nil
}

// Delete removes app appID from authorization server authID: the app can no longer get
// tokens from it. The app itself, and its credentials, stay. A 404 after an attempt whose
// answer was lost (it may have landed) is success: the app is removed as asked.
func (s *ClientAppsService) Delete(ctx context.Context, authID, appID int64) error {
	ctx, call, err := s.begin(ctx, "ClientApps.Delete")
	if err != nil {
		return err
	}
	if err := checkIDs(authID, "client_app_id", appID, nil); err != nil {
		return call.Err(err)
	}
	// OneLogin's doc page answers 204 and its SDKs expect 200; the spec accepts both, and
	// either means the app was removed.
	_, err = s.c.api.RemoveAuthorizationClientApp(ctx, oas.RemoveAuthorizationClientAppParams{ID: authID, ClientAppID: appID})
	return call.Deleted(err)
}

// checkIDs checks the ids of a client app write, each named as OneLogin's document names it:
// the authorization server's id, the app's (appField: app_id in a create's body,
// client_app_id in the path otherwise) and the scopes (the body's scopes).
func checkIDs(authID int64, appField string, appID int64, scopeIDs []int64) error {
	if err := checkID("id", authID); err != nil {
		return err
	}
	if err := checkID(appField, appID); err != nil {
		return err
	}
	return validate.Each("scopes", scopeIDs, checkID)
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

// fromClientAppIDs reads the answer of Create and Update. The documented answer carries
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
