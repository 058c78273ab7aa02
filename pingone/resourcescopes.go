package pingone

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// ResourceScopeCreate is the body of ResourcesService.CreateScope. Name is required, unique
// within the resource, and a scope token: no whitespace or control character, since tokens
// carry scopes as a space-separated list. An empty Description is left out.
type ResourceScopeCreate struct {
	Name        string // the scope as tokens will carry it
	Description string // left out when empty
}

// ResourceScopeUpdate is what ResourcesService.UpdateScope changes: fields left as their zero
// value keep the scope's current value. Description may be grantkit.Null, which removes it;
// Name may not.
type ResourceScopeUpdate struct {
	Name        grantkit.Field[string] // the scope's new name; not null
	Description grantkit.Field[string] // the new description; null removes it
}

// GetScope returns scope scopeID of resource resourceID (READ One Scope).
func (s *ResourcesService) GetScope(ctx context.Context, resourceID, scopeID string) (*ResourceScope, error) {
	sc, err := s.readScope(ctx, "Resources.GetScope", resourceID, scopeID)
	if err != nil {
		return nil, err
	}
	return fromResourceScope(sc, resourceID), nil
}

// CreateScope defines a scope on resource resourceID (CREATE Custom resource scope) and
// returns it as PingOne stored it. PingOne refuses a name the resource already defines. A
// create whose answer is lost is never resent blindly: the scope is looked up by name and
// returned if it is what was asked; the create is sent again only if there is none.
func (s *ResourcesService) CreateScope(ctx context.Context, resourceID string, p ResourceScopeCreate) (*ResourceScope, error) {
	ctx, call, err := s.begin(ctx, "Resources.CreateScope")
	if err != nil {
		return nil, err
	}
	call.Creates("the scope may now exist; find it by name with Resources.ListScopes")
	if err := validate.ID("resourceID", resourceID); err != nil {
		return nil, call.Err(err)
	}
	if err := checkScopeName("name", p.Name); err != nil {
		return nil, call.Err(err)
	}
	req := &oas.ResourceScopeRequest{Name: p.Name}
	if p.Description != "" {
		req.Description.SetTo(p.Description)
	}
	return transport.Create(ctx, call, func() (*ResourceScope, error) {
		sc, err := s.c.api.CreateResourceScope(ctx, req, oas.CreateResourceScopeParams{EnvironmentID: s.c.env, ResourceID: resourceID})
		if err != nil {
			return nil, call.Err(err)
		}
		return fromResourceScope(sc, resourceID), nil
	}, transport.Lookup[ResourceScope]{
		// PingOne refuses a second scope of the name: 400 with the UNIQUENESS_VIOLATION detail.
		Unique: true,
		Exists: func(e *grantkit.Error) bool {
			return e.StatusCode == http.StatusConflict || (e.StatusCode == http.StatusBadRequest && (strings.Contains(e.Message, "already exists") || strings.Contains(e.Message, "UNIQUENESS_VIOLATION")))
		},
		Find: func(ctx context.Context) (*ResourceScope, string, error) {
			for sc, err := range s.ListScopes(ctx, resourceID) {
				if err != nil {
					return nil, "", err
				}
				if sc.Name != p.Name {
					continue
				}
				if sc.Description != p.Description {
					return sc, fmt.Sprintf("scope %s has description %q, asked %q", sc.ID, sc.Description, p.Description), nil
				}
				return sc, "", nil
			}
			return nil, "", nil
		},
	})
}

// UpdateScope changes the fields of scope scopeID that p sets and returns the scope as stored.
// PingOne's UPDATE Scope (a PUT) replaces the whole scope, so the scope is read first and every
// property p does not change is sent back as read, those grantkit does not model included
// (schema attributes, mapped claims and any PingOne adds later). An update that sets no field
// is rejected without a request.
func (s *ResourcesService) UpdateScope(ctx context.Context, resourceID, scopeID string, p ResourceScopeUpdate) (*ResourceScope, error) {
	const op = "Resources.UpdateScope"
	ctx, _, err := s.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	if err := checkScopeIDs(resourceID, scopeID); err != nil {
		return nil, wrap(op, err)
	}
	if p.Name.IsZero() && p.Description.IsZero() {
		return nil, wrap(op, validate.Errorf("update", "sets no field"))
	}
	if p.Name.IsNull() {
		return nil, wrap(op, validate.Errorf("name", "a scope's name cannot be removed"))
	}
	if name, ok := p.Name.Get(); ok {
		// The spec's rules for a name, checked before the read that precedes the write.
		if err := transport.Check("", &oas.ResourceScopeRequest{Name: name}); err != nil {
			return nil, wrap(op, err)
		}
		if err := checkScopeName("name", name); err != nil {
			return nil, wrap(op, err)
		}
	}
	cur, err := s.readScope(ctx, op, resourceID, scopeID)
	if err != nil {
		return nil, err
	}
	req := &oas.ResourceScopeRequest{
		Name:             cur.Name.Or(""),
		Description:      cur.Description,
		SchemaAttributes: cur.SchemaAttributes,
		MappedClaims:     cur.MappedClaims,
	}
	if len(cur.AdditionalProps) > 0 {
		req.AdditionalProps = make(oas.ResourceScopeRequestAdditional, len(cur.AdditionalProps))
		for k, v := range cur.AdditionalProps {
			req.AdditionalProps[k] = v
		}
	}
	if name, ok := p.Name.Get(); ok {
		req.Name = name
	}
	switch d, ok := p.Description.Get(); {
	case ok:
		req.Description.SetTo(d)
	case p.Description.IsNull():
		req.Description.Reset()
	}
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	sc, err := s.c.api.UpdateResourceScope(ctx, req, oas.UpdateResourceScopeParams{EnvironmentID: s.c.env, ResourceID: resourceID, ScopeID: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromResourceScope(sc, resourceID), nil
}

// DeleteScope deletes scope scopeID of resource resourceID (DELETE Scope). A 404 after an
// attempt whose answer was lost (it may have landed) is success: the scope is gone as asked.
func (s *ResourcesService) DeleteScope(ctx context.Context, resourceID, scopeID string) error {
	ctx, call, err := s.begin(ctx, "Resources.DeleteScope")
	if err != nil {
		return err
	}
	if err := checkScopeIDs(resourceID, scopeID); err != nil {
		return call.Err(err)
	}
	return call.Deleted(s.c.api.DeleteResourceScope(ctx, oas.DeleteResourceScopeParams{EnvironmentID: s.c.env, ResourceID: resourceID, ScopeID: scopeID}))
}

// readScope reads one scope as PingOne sends it, unmodelled properties included (one call of
// operation op).
func (s *ResourcesService) readScope(ctx context.Context, op, resourceID, scopeID string) (*oas.ResourceScope, error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	if err := checkScopeIDs(resourceID, scopeID); err != nil {
		return nil, call.Err(err)
	}
	sc, err := s.c.api.ReadOneResourceScope(ctx, oas.ReadOneResourceScopeParams{EnvironmentID: s.c.env, ResourceID: resourceID, ScopeID: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	return sc, nil
}

func checkScopeIDs(resourceID, scopeID string) error {
	if err := validate.ID("resourceID", resourceID); err != nil {
		return err
	}
	return validate.ID("scopeID", scopeID)
}

func fromResourceScope(sc *oas.ResourceScope, resourceID string) *ResourceScope {
	return &ResourceScope{ID: sc.ID.Or(""), Name: sc.Name.Or(""), Description: sc.Description.Or(""), ResourceID: sc.Resource.Value.ID.Or(resourceID),
		CreatedAt: parseTime(sc.CreatedAt.Or("")), UpdatedAt: parseTime(sc.UpdatedAt.Or(""))}
}
