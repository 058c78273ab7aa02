package pingone

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/validate"
)

// ScopeCatalog returns the vendor-neutral scope catalog of the environment (see
// grantkit.ScopeCatalog): a resource is named by its id, as in a grant's Key.Resource, and a
// scope by its name. Every resource of the environment is listed, PingOne's own (openid,
// PingOne API) included; PingOne decides which scopes it lets a resource define.
//
// Scopes are found by name and changed by id through ResourcesService. DescribeScope reads the
// scope and sends back everything it does not change, because PingOne's update replaces the
// whole scope; an empty description removes it. RemoveScope deletes the scope; PingOne then no
// longer lists it in the grants that held it (the fake does the same; see specs/README.md).
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
		for r, err := range k.c.Resources.List(ctx, ResourceListOptions{}) {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(r.ID, nil) {
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
	scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	defs := make([]grantkit.ScopeDefinition, len(scopes))
	for i, s := range scopes {
		defs[i] = definition(s)
	}
	return neutral.SortScopes(defs), nil
}

func (k catalog) DefineScope(ctx context.Context, resource string, s grantkit.ScopeDefinition) (*grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.DefineScope")
	if err != nil {
		return nil, err
	}
	if err := k.check(op, resource, s); err != nil {
		return nil, err
	}
	scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	for _, cur := range scopes {
		if cur.Name == s.Name {
			return nil, fmt.Errorf("%s: %s: %w: %s on resource %s (scope %s)", vendor, op, grantkit.ErrScopeExists, validate.Quote(s.Name), resource, cur.ID)
		}
	}
	sc, err := k.c.Resources.CreateScope(ctx, resource, ResourceScopeCreate{Name: s.Name, Description: s.Description})
	if err != nil {
		return nil, err
	}
	d := definition(sc)
	return &d, nil
}

func (k catalog) DescribeScope(ctx context.Context, resource, name, description string) (*grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.DescribeScope")
	if err != nil {
		return nil, err
	}
	cur, err := k.named(ctx, op, resource, name)
	if err != nil {
		return nil, err
	}
	desc := grantkit.Value(description)
	if description == "" {
		desc = grantkit.Null[string]()
	}
	sc, err := k.c.Resources.UpdateScope(ctx, resource, cur.ID, ResourceScopeUpdate{Description: desc})
	if err != nil {
		return nil, err
	}
	d := definition(sc)
	return &d, nil
}

func (k catalog) RemoveScope(ctx context.Context, resource, name string) error {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.RemoveScope")
	if err != nil {
		return err
	}
	cur, err := k.named(ctx, op, resource, name)
	if err != nil {
		return err
	}
	return k.c.Resources.DeleteScope(ctx, resource, cur.ID)
}

// CheckScope checks resource and s as DefineScope does, without a request: resource is a
// resource id (a safe path segment) and s.Name a scope name PingOne can carry in a token (see
// checkScopeName).
func (k catalog) CheckScope(resource string, s grantkit.ScopeDefinition) error {
	return k.check("ScopeCatalog.CheckScope", resource, s)
}

func (catalog) check(op, resource string, s grantkit.ScopeDefinition) error {
	if err := neutral.CheckScope(vendor, op, resource, s.Name); err != nil {
		return err
	}
	if err := validate.ID("resource", resource); err != nil {
		return wrap(op, err)
	}
	if err := checkScopeName("name", s.Name); err != nil {
		return wrap(op, err)
	}
	return nil
}

// checkScopeName checks a resource scope's name: not empty (PingOne requires it) and one OAuth
// scope token, without whitespace or control characters (validate.ScopeToken): PingOne's
// authorize and token endpoints take scopes as a space-separated list, so a name holding a
// space or a newline could never be requested. PingOne documents no pattern and no length for
// a name, so no length is refused (specs/README.md says where this rule comes from).
func checkScopeName(field, name string) error {
	if name == "" {
		return validate.Errorf(field, "must not be empty")
	}
	return validate.ScopeToken(field, name)
}

// named returns the one scope of resource called name.
func (k catalog) named(ctx context.Context, op, resource, name string) (*ResourceScope, error) {
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return nil, err
	}
	scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	return neutral.ScopeNamed(vendor, op, resource, name, scopes,
		func(s *ResourceScope) string { return s.Name }, func(s *ResourceScope) string { return s.ID })
}

func (k catalog) scopes(ctx context.Context, op, resource string) ([]*ResourceScope, error) {
	if err := validate.ID("resource", resource); err != nil {
		return nil, wrap(op, err)
	}
	var out []*ResourceScope
	for s, err := range k.c.Resources.ListScopes(ctx, resource) {
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func definition(s *ResourceScope) grantkit.ScopeDefinition {
	return grantkit.ScopeDefinition{Name: s.Name, Description: s.Description}
}
