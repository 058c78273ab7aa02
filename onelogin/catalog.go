package onelogin

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// ScopeCatalog returns the vendor-neutral scope catalog of the account (see
// grantkit.ScopeCatalog): a resource is an API authorization server, named by its id in
// decimal as in a grant's Key.Resource, and a scope is named by its value.
//
// The catalog is built on the scope methods of Client.Authorizations. DescribeScope sends the
// scope's value with the new description, since OneLogin's update replaces both and a scope
// has no other field.
// RemoveScope deletes the scope; grantkit assumes OneLogin then no longer lists it in the
// client apps that held it, as the fake does (see specs/README.md).
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
		for a, err := range k.c.Authorizations.List(ctx, AuthorizationListOptions{}) {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(strconv.FormatInt(a.ID, 10), nil) {
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
		defs[i] = grantkit.ScopeDefinition{Name: s.Value, Description: s.Description}
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
		if cur.Value == s.Name {
			return nil, fmt.Errorf("%s: %s: %w: %s on authorization server %s (scope %d)", vendor, op, grantkit.ErrScopeExists, validate.Quote(s.Name), resource, cur.ID)
		}
	}
	authID, _ := strconv.ParseInt(resource, 10, 64) // checked by scopes
	sc, err := k.c.Authorizations.CreateScope(ctx, authID, ScopeCreate{Value: s.Name, Description: s.Description})
	if err != nil {
		return nil, err
	}
	return &grantkit.ScopeDefinition{Name: sc.Value, Description: sc.Description}, nil
}

func (k catalog) DescribeScope(ctx context.Context, resource, name, description string) (*grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.DescribeScope")
	if err != nil {
		return nil, err
	}
	cur, authID, err := k.named(ctx, op, resource, name)
	if err != nil {
		return nil, err
	}
	sc, err := k.c.Authorizations.UpdateScope(ctx, authID, cur.ID, ScopeUpdate{Value: cur.Value, Description: description})
	if err != nil {
		return nil, err
	}
	return &grantkit.ScopeDefinition{Name: sc.Value, Description: sc.Description}, nil
}

func (k catalog) RemoveScope(ctx context.Context, resource, name string) error {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.RemoveScope")
	if err != nil {
		return err
	}
	cur, authID, err := k.named(ctx, op, resource, name)
	if err != nil {
		return err
	}
	return k.c.Authorizations.DeleteScope(ctx, authID, cur.ID)
}

// CheckScope checks resource and s as DefineScope does, without a request: resource is an
// authorization server id (a positive decimal integer), s.Name one OAuth scope token (no
// whitespace or control character), and the lengths are the API document's (specs/onelogin.yaml;
// OneLogin requires a description).
func (k catalog) CheckScope(resource string, s grantkit.ScopeDefinition) error {
	return k.check("ScopeCatalog.CheckScope", resource, s)
}

func (catalog) check(op, resource string, s grantkit.ScopeDefinition) error {
	if err := neutral.CheckScope(vendor, op, resource, s.Name); err != nil {
		return err
	}
	if _, err := authorizationID(resource); err != nil {
		return wrap(op, err)
	}
	if err := validate.ScopeToken("name", s.Name); err != nil {
		return wrap(op, err)
	}
	if err := transport.Check("", &oas.ScopeRequest{Value: s.Name, Description: s.Description}); err != nil {
		return wrap(op, err)
	}
	return nil
}

func authorizationID(resource string) (int64, error) {
	authID, err := strconv.ParseInt(resource, 10, 64)
	if err != nil || authID <= 0 {
		return 0, validate.Errorf("resource", "%q: an authorization server id is a positive integer", resource)
	}
	return authID, nil
}

// named returns the one scope of the server whose value is name.
func (k catalog) named(ctx context.Context, op, resource, name string) (*Scope, int64, error) {
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return nil, 0, err
	}
	scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return nil, 0, err
	}
	s, err := neutral.ScopeNamed(vendor, op, resource, name, scopes,
		func(s *Scope) string { return s.Value }, func(s *Scope) string { return strconv.FormatInt(s.ID, 10) })
	if err != nil {
		return nil, 0, err
	}
	authID, _ := strconv.ParseInt(resource, 10, 64) // checked by scopes
	return s, authID, nil
}

func (k catalog) scopes(ctx context.Context, op, resource string) ([]*Scope, error) {
	authID, err := authorizationID(resource)
	if err != nil {
		return nil, wrap(op, err)
	}
	var out []*Scope
	for s, err := range k.c.Authorizations.ListScopes(ctx, authID) {
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
