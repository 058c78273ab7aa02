package auth0

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// ScopeCatalog returns the vendor-neutral scope catalog of the tenant (see grantkit.ScopeCatalog): a
// resource is a resource server (an API) named by its identifier, the audience a grant's
// Key.Resource holds, and a scope is one of its scopes, named by its value. Every resource
// server is listed, Auth0's system Management API included, whose scopes Auth0 does not let
// anyone change.
//
// Auth0's PATCH replaces a resource server's scope list whole, so DefineScope, DescribeScope
// and RemoveScope read the list and write it back with only the one scope changed, as
// ResourceServersService.CreateScope, UpdateScope and DeleteScope do (see CreateScope for how
// calls are serialised and what a concurrent change elsewhere means). Removing a scope leaves it in the client grants that hold it: Auth0 keeps
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
	ctx, call, rs, err := k.resource(ctx, "ScopeCatalog.DefineScope", resource, s.Name, s.Description)
	if err != nil {
		return nil, err
	}
	return definition(k.c.ResourceServers.createScope(ctx, call, rs.ID, ResourceServerScope{Value: s.Name, Description: s.Description}))
}

func (k catalog) DescribeScope(ctx context.Context, resource, name, description string) (*grantkit.ScopeDefinition, error) {
	ctx, call, rs, err := k.resource(ctx, "ScopeCatalog.DescribeScope", resource, name, description)
	if err != nil {
		return nil, err
	}
	return definition(k.c.ResourceServers.updateScope(ctx, call, rs.ID, name, ResourceServerScopeUpdate{Description: description}))
}

func (k catalog) RemoveScope(ctx context.Context, resource, name string) error {
	ctx, call, rs, err := k.resource(ctx, "ScopeCatalog.RemoveScope", resource, name, "")
	if err != nil {
		return err
	}
	return k.c.ResourceServers.deleteScope(ctx, call, rs.ID, name)
}

// CheckScope checks resource and s as DefineScope does, without a request: a resource
// (identifier) and a name are required, the name is one OAuth scope token (no whitespace or
// control character), and whatever bounds the Management API document sets on a resource
// server scope (specs/auth0.yaml) hold.
func (k catalog) CheckScope(resource string, s grantkit.ScopeDefinition) error {
	const op = "ScopeCatalog.CheckScope"
	if err := neutral.CheckScope(vendor, op, resource, s.Name); err != nil {
		return err
	}
	return wrap(op, checkScope(ResourceServerScope{Value: s.Name, Description: s.Description}))
}

// resource begins catalog method op, checks the scope it writes (name and description, the
// same checks the typed scope writes run) and returns the resource server whose identifier is
// resource.
func (k catalog) resource(ctx context.Context, op, resource, name, description string) (context.Context, *transport.Call, *ResourceServer, error) {
	ctx, op, err := k.begin(ctx, op)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return nil, nil, nil, err
	}
	if err := checkScope(ResourceServerScope{Value: name, Description: description}); err != nil {
		return nil, nil, nil, wrap(op, err)
	}
	rs, err := k.api(ctx, op, resource)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, call, err := k.c.ResourceServers.begin(ctx, op)
	if err != nil {
		return nil, nil, nil, err
	}
	return ctx, call, rs, nil
}

// definition is the neutral view of a scope a typed scope write returned.
func definition(sc *ResourceServerScope, err error) (*grantkit.ScopeDefinition, error) {
	if err != nil {
		return nil, err
	}
	return &grantkit.ScopeDefinition{Name: sc.Value, Description: sc.Description}, nil
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
