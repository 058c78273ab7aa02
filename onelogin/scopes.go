package onelogin

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// Scope is a scope defined on an authorization server.
type Scope struct {
	ID              int64
	Value           string // as it appears in tokens, such as "read:invoices"
	Description     string
	AuthorizationID int64 // the server's id, when OneLogin sends it (auth_server_id)
}

// ScopeCreate is the body of ScopesService.Create. OneLogin requires both fields on every
// write, so neither may be empty, and Value is a scope token: no whitespace or control
// character, since tokens carry scopes as a space-separated list.
type ScopeCreate struct {
	Value       string
	Description string
}

// ScopeUpdate is the body of ScopesService.Update: the same two fields as ScopeCreate, both
// required, because OneLogin's update replaces the scope's value and description together.
type ScopeUpdate = ScopeCreate

// ScopesService manages the scopes of an authorization server
// (/api/2/api_authorizations/{id}/scopes).
type ScopesService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ScopesService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the scopes of authorization server authID.
func (s *ScopesService) List(ctx context.Context, authID int64) iter.Seq2[*Scope, error] {
	return pages(ctx, func(ctx context.Context, cursor oas.OptString) ([]Scope, string, error) {
		ctx, call, err := s.begin(ctx, "Scopes.List")
		if err != nil {
			return nil, "", err
		}
		if err := checkID("authID", authID); err != nil {
			return nil, "", call.Err(err)
		}
		res, err := s.c.api.ListAuthorizationScopes(ctx, oas.ListAuthorizationScopesParams{ID: authID, Cursor: cursor})
		if err != nil {
			return nil, "", call.Err(err)
		}
		out := make([]Scope, len(res.Response))
		for i, sc := range res.Response {
			out[i] = fromScope(sc)
		}
		return out, res.AfterCursor.Or(""), nil
	})
}

// Create creates a scope on authorization server authID. OneLogin answers 422 if a scope with
// the same value exists. A create whose answer is lost is never resent blindly: the scope is
// looked up by value and returned if it is what was asked; sent again only if there is none.
func (s *ScopesService) Create(ctx context.Context, authID int64, p ScopeCreate) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "Scopes.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the scope may now exist; find it with Scopes.List on the authorization server, by its Value")
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
			for sc, err := range s.List(ctx, authID) {
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

// Update replaces the value and description of scope scopeID on authorization server authID
// (PUT /api/2/api_authorizations/{id}/scopes/{scope_id}).
func (s *ScopesService) Update(ctx context.Context, authID, scopeID int64, p ScopeUpdate) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "Scopes.Update")
	if err != nil {
		return nil, err
	}
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
	return &Scope{ID: res.ID.Or(scopeID), Value: p.Value, Description: p.Description, AuthorizationID: authID}, nil
}

// Delete deletes scope scopeID of authorization server authID. A 404 after an attempt whose
// answer was lost (it may have landed) is success: the scope is gone as asked.
func (s *ScopesService) Delete(ctx context.Context, authID, scopeID int64) error {
	ctx, call, err := s.begin(ctx, "Scopes.Delete")
	if err != nil {
		return err
	}
	if err := checkID("authID", authID); err != nil {
		return call.Err(err)
	}
	if err := checkID("scopeID", scopeID); err != nil {
		return call.Err(err)
	}
	return call.Deleted(s.c.api.DeleteAuthorizationScope(ctx, oas.DeleteAuthorizationScopeParams{ID: authID, ScopeID: scopeID}))
}

func (p ScopeCreate) toOAS(authID int64) (*oas.ScopeRequest, error) {
	if err := checkID("authID", authID); err != nil {
		return nil, err
	}
	// Both fields' lengths (OneLogin requires a description) are the spec's. The token rule is
	// grantkit's, the same at every vendor (validate.ScopeToken), where a read-modify-write
	// must be able to skip it for the scopes it sends back; a schema cannot.
	if err := validate.ScopeToken("Value", p.Value); err != nil {
		return nil, err
	}
	return &oas.ScopeRequest{Value: p.Value, Description: p.Description}, nil
}

func fromScope(s oas.Scope) Scope {
	return Scope{ID: s.ID.Or(0), Value: s.Value.Or(""), Description: s.Description.Or(""), AuthorizationID: s.AuthServerID.Or(0)}
}
