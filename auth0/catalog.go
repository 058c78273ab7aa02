package auth0

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/validate"
)

// ScopeCatalog returns the vendor-neutral scope catalog of the tenant (see grantkit.ScopeCatalog): a
// resource is a resource server (an API) named by its identifier, the audience a grant's
// Key.Resource holds, and a scope is one of its scopes, named by its value. Every resource
// server is listed, Auth0's system Management API included, whose scopes Auth0 does not let
// anyone change.
//
// Auth0's PATCH replaces a resource server's scope list whole, so DefineScope, DescribeScope
// and RemoveScope read the list and write it back with only the one scope changed (see
// ResourceServersService.DefineScope for how calls are serialised and what a concurrent change
// elsewhere means). Removing a scope leaves it in the client grants that hold it: Auth0 keeps
// it there, and refuses to update such a grant's scopes while they name it, so revoke it from
// those grants (SetScopes without it) before or after removing it.
func (c *Client) ScopeCatalog() grantkit.ScopeCatalog { return catalog{c} }

type catalog struct{ c *Client }

func (catalog) Vendor() string { return vendor }

// begin starts method op of the catalog (see neutral.Begin).
func (k catalog) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, k.c.made())
}

func (k catalog) Resources(ctx context.Context) iter.Seq2[string, error] {
	ctx, _, err := k.begin(ctx, "ScopeCatalog.Resources")
	if err != nil {
		return func(yield func(string, error) bool) { yield("", err) }
	}
	return func(yield func(string, error) bool) {
		for rs, err := range k.c.ResourceServers.List(ctx, ResourceServerListOptions{PageSize: 100}) {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(rs.Identifier, nil) {
				return
			}
		}
	}
}

func (k catalog) ListScopes(ctx context.Context, resource string) ([]grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.ListScopes")
	if err != nil {
		return nil, err
	}
	rs, err := k.api(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	defs := make([]grantkit.ScopeDefinition, len(rs.Scopes))
	for i, s := range rs.Scopes {
		defs[i] = grantkit.ScopeDefinition{Name: s.Value, Description: s.Description}
	}
	return neutral.SortScopes(defs), nil
}

func (k catalog) DefineScope(ctx context.Context, resource string, s grantkit.ScopeDefinition) (*grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.DefineScope")
	if err != nil {
		return nil, err
	}
	if err := neutral.CheckScope(vendor, op, resource, s.Name); err != nil {
		return nil, err
	}
	scope := ResourceServerScope{Value: s.Name, Description: s.Description}
	if err := checkScope("scope", scope); err != nil {
		return nil, wrap(op, err)
	}
	rs, err := k.api(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	// The existence check is made on the list the write is built from, so a scope defined
	// since the read above is still found and never redescribed.
	exists := false
	ctx, call, err := k.c.ResourceServers.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	rs, err = k.c.ResourceServers.editScopes(ctx, call, rs.ID, s.Name, func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, bool) {
		if i >= 0 {
			exists = true
			return nil, false
		}
		return append(slices.Clip(scopes), scope), true
	})
	if err != nil {
		return nil, err
	}
	if exists {
		return nil, fmt.Errorf("%s: %s: %w: %q on %s", vendor, op, grantkit.ErrScopeExists, validate.Quote(s.Name), resource)
	}
	return k.stored(op, rs, s.Name)
}

func (k catalog) DescribeScope(ctx context.Context, resource, name, description string) (*grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.DescribeScope")
	if err != nil {
		return nil, err
	}
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return nil, err
	}
	if err := checkScope("", ResourceServerScope{Value: name, Description: description}); err != nil {
		return nil, wrap(op, err)
	}
	rs, err := k.api(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	missing := false
	ctx, call, err := k.c.ResourceServers.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	rs, err = k.c.ResourceServers.editScopes(ctx, call, rs.ID, name, func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, bool) {
		if i < 0 {
			missing = true
			return nil, false
		}
		if scopes[i].Description == description {
			return nil, false
		}
		out := slices.Clone(scopes)
		out[i].Description = description
		return out, true
	})
	if err != nil {
		return nil, err
	}
	if missing {
		return nil, fmt.Errorf("%s: %s: %w: %q on %s", vendor, op, grantkit.ErrScopeNotFound, validate.Quote(name), resource)
	}
	return k.stored(op, rs, name)
}

func (k catalog) RemoveScope(ctx context.Context, resource, name string) error {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.RemoveScope")
	if err != nil {
		return err
	}
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return err
	}
	rs, err := k.api(ctx, op, resource)
	if err != nil {
		return err
	}
	missing := false
	ctx, call, err := k.c.ResourceServers.begin(ctx, op)
	if err != nil {
		return err
	}
	_, err = k.c.ResourceServers.editScopes(ctx, call, rs.ID, name, func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, bool) {
		if i < 0 {
			missing = true
			return nil, false
		}
		return slices.Delete(slices.Clone(scopes), i, i+1), true
	})
	if err != nil {
		return err
	}
	if missing {
		return fmt.Errorf("%s: %s: %w: %q on %s", vendor, op, grantkit.ErrScopeNotFound, validate.Quote(name), resource)
	}
	return nil
}

// api returns the resource server whose identifier is resource. Auth0 finds a resource server
// by its id or its identifier; checking the identifier of the answer means a string that is
// another API's id never reaches that API.
func (k catalog) api(ctx context.Context, op, resource string) (*ResourceServer, error) {
	if resource == "" {
		return nil, wrap(op, validate.Errorf("resource", "must not be empty"))
	}
	rs, err := k.c.ResourceServers.Get(ctx, resource)
	if err != nil {
		return nil, err
	}
	if rs.Identifier != resource {
		return nil, fmt.Errorf("%s: %s: %s is the id of the API %q, not an identifier: name a resource by its identifier (audience)",
			vendor, op, validate.Quote(resource), rs.Identifier)
	}
	return rs, nil
}

// stored returns scope name as the resource server Auth0 answered with defines it.
func (k catalog) stored(op string, rs *ResourceServer, name string) (*grantkit.ScopeDefinition, error) {
	s, ok := rs.Scope(name)
	if !ok {
		return nil, fmt.Errorf("%s: %s: %w: Auth0 answered with success, but %s does not list %s", vendor, op, grantkit.ErrNotApplied, rs.Identifier, validate.Quote(name))
	}
	return &grantkit.ScopeDefinition{Name: s.Value, Description: s.Description}, nil
}
