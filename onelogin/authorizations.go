package onelogin

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// Authorization is an API authorization server: it issues tokens for one API (its resource
// identifier, the tokens' audience) with the scopes defined on it.
type Authorization struct {
	ID                            int64    // the server's id; a grant key's Resource in decimal
	Name                          string   // the server's name
	Description                   string   // empty when OneLogin sent none
	ResourceIdentifier            string   // the API's identifier, such as "https://api.example.com/"
	Audiences                     []string // the audiences of the tokens it issues
	AccessTokenExpirationMinutes  int      // 0 when OneLogin did not say
	RefreshTokenExpirationMinutes int      // 0 when OneLogin did not say
}

// AuthorizationListOptions pages AuthorizationsService.List and ListPage.
type AuthorizationListOptions struct {
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// Scope is a scope defined on an authorization server.
type Scope struct {
	ID              int64  // the scope's id, which client apps are given
	Value           string // as it appears in tokens, such as "read:invoices"
	Description     string // what access the scope grants
	AuthorizationID int64  // the server's id, when OneLogin sends it (auth_server_id)
}

// ScopeCreate is the body of AuthorizationsService.CreateScope. OneLogin requires both fields
// on every write, so neither may be empty, and Value is a scope token: no whitespace or
// control character, since tokens carry scopes as a space-separated list.
type ScopeCreate struct {
	Value       string // unique within the server; a scope token
	Description string // required
}

// ScopeUpdate is the body of AuthorizationsService.UpdateScope: the same two fields as
// ScopeCreate, both required, because OneLogin's update replaces the scope's value and
// description together.
type ScopeUpdate = ScopeCreate

// AuthorizationsService reads API authorization servers (/api/2/api_authorizations) and
// manages the scopes each defines (/api/2/api_authorizations/{id}/scopes).
type AuthorizationsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *AuthorizationsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the account's authorization servers, following OneLogin's paging
// (After-Cursor) should it ever page them.
func (s *AuthorizationsService) List(ctx context.Context, opts AuthorizationListOptions) iter.Seq2[*Authorization, error] {
	return pages(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[Authorization], error) {
		return s.listPage(ctx, "Authorizations.List", cursor)
	})
}

// ListPage returns one page of the account's authorization servers. OneLogin documents no
// paging for them: the page holds them all, unless OneLogin answers with an After-Cursor,
// which becomes Next.
func (s *AuthorizationsService) ListPage(ctx context.Context, opts AuthorizationListOptions) (grantkit.Page[Authorization], error) {
	return s.listPage(ctx, "Authorizations.ListPage", opts.Cursor)
}

func (s *AuthorizationsService) listPage(ctx context.Context, op, cursor string) (grantkit.Page[Authorization], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[Authorization]{}, err
	}
	res, err := s.c.api.ListApiAuthorizations(ctx, oas.ListApiAuthorizationsParams{Cursor: optCursor(cursor)})
	if err != nil {
		return grantkit.Page[Authorization]{}, call.Err(err)
	}
	out := grantkit.Page[Authorization]{Items: make([]Authorization, len(res.Response)), Next: res.AfterCursor.Or(""), Total: -1}
	for i := range res.Response {
		out.Items[i] = fromAuthorization(&res.Response[i])
	}
	return out, nil
}

// Get returns the authorization server with id.
func (s *AuthorizationsService) Get(ctx context.Context, id int64) (*Authorization, error) {
	ctx, call, err := s.begin(ctx, "Authorizations.Get")
	if err != nil {
		return nil, err
	}
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

func fromAuthorization(a *oas.ApiAuthorization) Authorization {
	cfg := a.Configuration.Value
	return Authorization{
		ID: a.ID.Or(0), Name: a.Name.Or(""), Description: a.Description.Or(""),
		ResourceIdentifier: cfg.ResourceIdentifier.Or(""), Audiences: cfg.Audiences,
		AccessTokenExpirationMinutes:  cfg.AccessTokenExpirationMinutes.Or(0),
		RefreshTokenExpirationMinutes: cfg.RefreshTokenExpirationMinutes.Or(0),
	}
}

// ListScopes iterates over the scopes authorization server authID defines.
func (s *AuthorizationsService) ListScopes(ctx context.Context, authID int64) iter.Seq2[*Scope, error] {
	return pages(ctx, "", func(ctx context.Context, cursor string) (grantkit.Page[Scope], error) {
		ctx, call, err := s.begin(ctx, "Authorizations.ListScopes")
		if err != nil {
			return grantkit.Page[Scope]{}, err
		}
		if err := checkID("id", authID); err != nil {
			return grantkit.Page[Scope]{}, call.Err(err)
		}
		res, err := s.c.api.ListAuthorizationScopes(ctx, oas.ListAuthorizationScopesParams{ID: authID, Cursor: optCursor(cursor)})
		if err != nil {
			return grantkit.Page[Scope]{}, call.Err(err)
		}
		out := grantkit.Page[Scope]{Items: make([]Scope, len(res.Response)), Next: res.AfterCursor.Or(""), Total: -1}
		for i, sc := range res.Response {
			out.Items[i] = fromScope(sc)
		}
		return out, nil
	})
}

// GetScope returns scope scopeID of authorization server authID. OneLogin has no request for
// one scope, so GetScope lists the server's scopes; one it does not list is an error wrapping
// grantkit.ErrScopeNotFound.
func (s *AuthorizationsService) GetScope(ctx context.Context, authID, scopeID int64) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "Authorizations.GetScope")
	if err != nil {
		return nil, err
	}
	if err := checkID("scope_id", scopeID); err != nil {
		return nil, call.Err(err)
	}
	for sc, err := range s.ListScopes(ctx, authID) {
		if err != nil {
			return nil, err
		}
		if sc.ID == scopeID {
			return sc, nil
		}
	}
	return nil, call.Err(fmt.Errorf("%w: scope %d of authorization server %d", grantkit.ErrScopeNotFound, scopeID, authID))
}

// CreateScope defines a scope on authorization server authID. OneLogin answers 422 if a
// scope with the same value exists. A create whose answer is lost is never resent blindly: the
// scope is looked up by value and returned if it is what was asked; sent again only if there
// is none.
func (s *AuthorizationsService) CreateScope(ctx context.Context, authID int64, p ScopeCreate) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "Authorizations.CreateScope")
	if err != nil {
		return nil, err
	}
	call.Creates("the scope may now exist; find it with Authorizations.ListScopes on the authorization server, by its Value")
	req, err := p.toOAS(authID)
	if err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*Scope, error) {
		res, err := s.c.api.CreateAuthorizationScope(ctx, req, oas.CreateAuthorizationScopeParams{ID: authID})
		if err != nil {
			return nil, call.Err(err)
		}
		return &Scope{ID: res.ID.Or(0), Value: p.Value, Description: p.Description, AuthorizationID: authID}, nil
	}, transport.Lookup[Scope]{
		Unique: true, // OneLogin refuses a second scope of the value (422 "has already been taken")
		Exists: alreadyTaken,
		Find: func(ctx context.Context) (*Scope, string, error) {
			for sc, err := range s.ListScopes(ctx, authID) {
				if err != nil {
					return nil, "", err
				}
				if sc.Value != p.Value {
					continue
				}
				if sc.Description != p.Description {
					return sc, fmt.Sprintf("scope %d has description %q, asked %q", sc.ID, sc.Description, p.Description), nil
				}
				return sc, "", nil
			}
			return nil, "", nil
		},
	})
}

// UpdateScope replaces the value and description of scope scopeID on authorization server
// authID (PUT /api/2/api_authorizations/{id}/scopes/{scope_id}).
func (s *AuthorizationsService) UpdateScope(ctx context.Context, authID, scopeID int64, p ScopeUpdate) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "Authorizations.UpdateScope")
	if err != nil {
		return nil, err
	}
	if err := checkID("scope_id", scopeID); err != nil {
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
	return &Scope{ID: res.ID.Or(scopeID), Value: p.Value, Description: p.Description, AuthorizationID: authID}, nil
}

// DeleteScope deletes scope scopeID of authorization server authID. A 404 after an attempt
// whose answer was lost (it may have landed) is success: the scope is gone as asked.
func (s *AuthorizationsService) DeleteScope(ctx context.Context, authID, scopeID int64) error {
	ctx, call, err := s.begin(ctx, "Authorizations.DeleteScope")
	if err != nil {
		return err
	}
	if err := checkID("id", authID); err != nil {
		return call.Err(err)
	}
	if err := checkID("scope_id", scopeID); err != nil {
		return call.Err(err)
	}
	return call.Deleted(s.c.api.DeleteAuthorizationScope(ctx, oas.DeleteAuthorizationScopeParams{ID: authID, ScopeID: scopeID}))
}

func (p ScopeCreate) toOAS(authID int64) (*oas.ScopeRequest, error) {
	if err := checkID("id", authID); err != nil {
		return nil, err
	}
	// Both fields' lengths (OneLogin requires a description) are the spec's. The token rule is
	// grantkit's, the same at every vendor (validate.ScopeToken), where a read-modify-write
	// must be able to skip it for the scopes it sends back; a schema cannot.
	if err := validate.ScopeToken("value", p.Value); err != nil {
		return nil, err
	}
	return &oas.ScopeRequest{Value: p.Value, Description: p.Description}, nil
}

func fromScope(s oas.Scope) Scope {
	return Scope{ID: s.ID.Or(0), Value: s.Value.Or(""), Description: s.Description.Or(""), AuthorizationID: s.AuthServerID.Or(0)}
}
