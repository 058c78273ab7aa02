package onelogin

import (
	"context"
	"iter"
	"slices"

	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// Authorization is an API authorization server: it issues tokens for one API (its resource
// identifier, the tokens' audience) with the scopes defined on it.
type Authorization struct {
	ID                 int64
	Name               string
	Description        string
	ResourceIdentifier string
	Audiences          []string
}

// Scope is a scope defined on an authorization server.
type Scope struct {
	ID          int64
	Value       string // as it appears in tokens, such as "read:invoices"
	Description string
}

// ScopeParams is the body of ScopesService.Create and Update. OneLogin requires both fields
// on every write; Value must not be empty.
type ScopeParams struct {
	Value       string
	Description string
}

// ClientApp is an app allowed to request tokens from an authorization server, with the scopes
// it may request. In the results of Add and UpdateScopes only the scopes' ids are set.
type ClientApp struct {
	AppID           int64
	AuthorizationID int64
	Name            string
	Scopes          []Scope
}

// ScopeIDs returns the ids of the app's scopes.
func (a *ClientApp) ScopeIDs() []int64 {
	ids := make([]int64, len(a.Scopes))
	for i, s := range a.Scopes {
		ids[i] = s.ID
	}
	return ids
}

// AuthorizationsService reads API authorization servers (/api/2/api_authorizations).
type AuthorizationsService struct{ c *Client }

// List iterates over the account's authorization servers.
func (s *AuthorizationsService) List(ctx context.Context) iter.Seq2[*Authorization, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]Authorization, error) {
		ctx, call := begin(ctx, "Authorizations.List")
		list, err := s.c.api.ListApiAuthorizations(ctx)
		if err != nil {
			return nil, call.Err(err)
		}
		out := make([]Authorization, len(list))
		for i := range list {
			out[i] = fromAuthorization(&list[i])
		}
		return out, nil
	})
}

// Get returns the authorization server with id.
func (s *AuthorizationsService) Get(ctx context.Context, id int64) (*Authorization, error) {
	ctx, call := begin(ctx, "Authorizations.Get")
	if err := checkID("id", id); err != nil {
		return nil, call.Err(err)
	}
	a, err := s.c.api.GetApiAuthorization(ctx, oas.GetApiAuthorizationParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	out := fromAuthorization(a)
	return &out, nil
}

// ScopesService manages the scopes of an authorization server
// (/api/2/api_authorizations/{id}/scopes).
type ScopesService struct{ c *Client }

// List iterates over the scopes of authorization server authID.
func (s *ScopesService) List(ctx context.Context, authID int64) iter.Seq2[*Scope, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]Scope, error) {
		ctx, call := begin(ctx, "Scopes.List")
		if err := checkID("authID", authID); err != nil {
			return nil, call.Err(err)
		}
		list, err := s.c.api.ListAuthorizationScopes(ctx, oas.ListAuthorizationScopesParams{ID: authID})
		if err != nil {
			return nil, call.Err(err)
		}
		out := make([]Scope, len(list))
		for i, sc := range list {
			out[i] = fromScope(sc)
		}
		return out, nil
	})
}

// Create creates a scope on authorization server authID. OneLogin answers 422 if a scope with
// the same value exists.
func (s *ScopesService) Create(ctx context.Context, authID int64, p ScopeParams) (*Scope, error) {
	ctx, call := begin(ctx, "Scopes.Create")
	call.Creates("the scope may now exist; find it with Scopes.List on the authorization server, by its Value")
	req, err := p.toOAS(authID)
	if err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.CreateAuthorizationScope(ctx, req, oas.CreateAuthorizationScopeParams{ID: authID})
	if err != nil {
		return nil, call.Err(err)
	}
	return &Scope{ID: res.ID.Or(0), Value: p.Value, Description: p.Description}, nil
}

// Update replaces the value and description of scope scopeID on authorization server authID
// (PUT /api/2/api_authorizations/{id}/scopes/{scope_id}).
func (s *ScopesService) Update(ctx context.Context, authID, scopeID int64, p ScopeParams) (*Scope, error) {
	ctx, call := begin(ctx, "Scopes.Update")
	if err := checkID("scopeID", scopeID); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS(authID)
	if err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.UpdateAuthorizationScope(ctx, req, oas.UpdateAuthorizationScopeParams{ID: authID, ScopeID: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	return &Scope{ID: res.ID.Or(scopeID), Value: p.Value, Description: p.Description}, nil
}

// Delete deletes scope scopeID of authorization server authID.
func (s *ScopesService) Delete(ctx context.Context, authID, scopeID int64) error {
	ctx, call := begin(ctx, "Scopes.Delete")
	if err := checkID("authID", authID); err != nil {
		return call.Err(err)
	}
	if err := checkID("scopeID", scopeID); err != nil {
		return call.Err(err)
	}
	return call.Err(s.c.api.DeleteAuthorizationScope(ctx, oas.DeleteAuthorizationScopeParams{ID: authID, ScopeID: scopeID}))
}

func (p ScopeParams) toOAS(authID int64) (*oas.ScopeRequest, error) {
	if err := checkID("authID", authID); err != nil {
		return nil, err
	}
	if err := validate.Length("Value", p.Value, 1, -1); err != nil {
		return nil, err
	}
	return &oas.ScopeRequest{Value: p.Value, Description: p.Description}, nil
}

// ClientAppsService manages the client apps of an authorization server and the scopes each may
// request (/api/2/api_authorizations/{id}/clients).
type ClientAppsService struct{ c *Client }

// List iterates over the client apps of authorization server authID, with their scopes.
func (s *ClientAppsService) List(ctx context.Context, authID int64) iter.Seq2[*ClientApp, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]ClientApp, error) {
		ctx, call := begin(ctx, "ClientApps.List")
		if err := checkID("authID", authID); err != nil {
			return nil, call.Err(err)
		}
		list, err := s.c.api.ListAuthorizationClientApps(ctx, oas.ListAuthorizationClientAppsParams{ID: authID})
		if err != nil {
			return nil, call.Err(err)
		}
		out := make([]ClientApp, len(list))
		for i, a := range list {
			out[i] = ClientApp{AppID: a.AppID.Or(0), AuthorizationID: a.APIAuthID.Or(authID), Name: a.Name.Or("")}
			for _, sc := range a.Scopes {
				out[i].Scopes = append(out[i].Scopes, fromScope(sc))
			}
		}
		return out, nil
	})
}

// Add allows app appID to request scopeIDs from authorization server authID.
func (s *ClientAppsService) Add(ctx context.Context, authID, appID int64, scopeIDs []int64) (*ClientApp, error) {
	ctx, call := begin(ctx, "ClientApps.Add")
	call.Creates("the app may now be added with these scopes; check with ClientApps.List on the authorization server")
	if err := checkIDs(authID, appID, scopeIDs); err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.AddAuthorizationClientApp(ctx, &oas.AddClientAppRequest{AppID: appID, Scopes: nonNil(scopeIDs)}, oas.AddAuthorizationClientAppParams{ID: authID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromClientAppIDs(res, authID, appID), nil
}

// UpdateScopes replaces the scopes app appID may request from authorization server authID.
func (s *ClientAppsService) UpdateScopes(ctx context.Context, authID, appID int64, scopeIDs []int64) (*ClientApp, error) {
	ctx, call := begin(ctx, "ClientApps.UpdateScopes")
	if err := checkIDs(authID, appID, scopeIDs); err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.UpdateAuthorizationClientApp(ctx, &oas.UpdateClientAppRequest{Scopes: nonNil(scopeIDs)},
		oas.UpdateAuthorizationClientAppParams{ID: authID, ClientAppID: appID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromClientAppIDs(res, authID, appID), nil
}

// Remove removes app appID from authorization server authID.
func (s *ClientAppsService) Remove(ctx context.Context, authID, appID int64) error {
	ctx, call := begin(ctx, "ClientApps.Remove")
	if err := checkIDs(authID, appID, nil); err != nil {
		return call.Err(err)
	}
	// OneLogin's doc page answers 204 and its SDKs expect 200; the spec accepts both, and
	// either means the app was removed.
	_, err := s.c.api.RemoveAuthorizationClientApp(ctx, oas.RemoveAuthorizationClientAppParams{ID: authID, ClientAppID: appID})
	return call.Err(err)
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

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return slices.Clone(ids)
}

func fromClientAppIDs(res *oas.ClientAppIDs, authID, appID int64) *ClientApp {
	a := &ClientApp{AppID: res.AppID.Or(appID), AuthorizationID: res.APIAuthID.Or(authID)}
	for _, id := range res.Scopes {
		a.Scopes = append(a.Scopes, Scope{ID: id})
	}
	return a
}

func fromScope(s oas.Scope) Scope {
	return Scope{ID: s.ID.Or(0), Value: s.Value.Or(""), Description: s.Description.Or("")}
}

func fromAuthorization(a *oas.ApiAuthorization) Authorization {
	cfg := a.Configuration.Value
	return Authorization{
		ID: a.ID.Or(0), Name: a.Name.Or(""), Description: a.Description.Or(""),
		ResourceIdentifier: cfg.ResourceIdentifier.Or(""), Audiences: cfg.Audiences,
	}
}
