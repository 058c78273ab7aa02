package okta

import (
	"context"
	"fmt"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/validate"
)

// ScopeCatalog returns the vendor-neutral scope catalog of the org's custom authorization
// servers (see grantkit.ScopeCatalog): a resource is named by its server's issuer, as in a
// grant's Key.Resource, and a scope by its name. Okta's own okta.* scopes belong to the
// platform and are not in the catalog. DescribeScope reads the scope and sends back everything
// it does not change (Okta's replace); an empty description removes it. RemoveScope deletes the
// scope; Okta then revokes the consent grants of it.
func (c *Client) ScopeCatalog() grantkit.ScopeCatalog { return catalog{c} }

type catalog struct{ c *Client }

func (catalog) Vendor() string { return vendor }

func (k catalog) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, k.c.made())
}

func (k catalog) Resources(ctx context.Context) iter.Seq2[string, error] {
	ctx, _, err := k.begin(ctx, "ScopeCatalog.Resources")
	if err != nil {
		return func(yield func(string, error) bool) { yield("", err) }
	}
	return func(yield func(string, error) bool) {
		for s, err := range k.c.AuthorizationServers.List(ctx, AuthorizationServerListOptions{PageSize: 200}) {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(s.Issuer, nil) {
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
	_, scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	defs := make([]grantkit.ScopeDefinition, len(scopes))
	for i, s := range scopes {
		defs[i] = definition(s)
	}
	return neutral.SortScopes(defs), nil
}

// CheckScope runs the checks DefineScope runs on s for resource, without a request: an issuer
// URL and a scope name that is an OAuth scope token. Its error wraps grantkit.ErrInvalidInput.
func (catalog) CheckScope(resource string, s grantkit.ScopeDefinition) error {
	return checkDefinition("ScopeCatalog.CheckScope", resource, s.Name)
}

func checkDefinition(op, resource, name string) error {
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return err
	}
	if err := checkIssuer("resource", resource); err != nil {
		return wrap(op, err)
	}
	if err := validate.ScopeToken("name", name); err != nil {
		return wrap(op, err)
	}
	return nil
}

func (k catalog) DefineScope(ctx context.Context, resource string, s grantkit.ScopeDefinition) (*grantkit.ScopeDefinition, error) {
	ctx, op, err := k.begin(ctx, "ScopeCatalog.DefineScope")
	if err != nil {
		return nil, err
	}
	if err := checkDefinition(op, resource, s.Name); err != nil {
		return nil, err
	}
	serverID, scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return nil, err
	}
	for _, cur := range scopes {
		if cur.Name == s.Name {
			return nil, fmt.Errorf("%s: %s: %w: %s on %s (scope %s)", vendor, op, grantkit.ErrScopeExists, validate.Quote(s.Name), validate.Quote(resource), cur.ID)
		}
	}
	sc, err := k.c.AuthorizationServers.CreateScope(ctx, serverID, ScopeCreate{Name: s.Name, Description: s.Description})
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
	serverID, cur, err := k.named(ctx, op, resource, name)
	if err != nil {
		return nil, err
	}
	desc := grantkit.Value(description)
	if description == "" {
		desc = grantkit.Null[string]()
	}
	sc, err := k.c.AuthorizationServers.UpdateScope(ctx, serverID, cur.ID, ScopeUpdate{Description: desc})
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
	serverID, cur, err := k.named(ctx, op, resource, name)
	if err != nil {
		return err
	}
	return k.c.AuthorizationServers.DeleteScope(ctx, serverID, cur.ID)
}

func (k catalog) named(ctx context.Context, op, resource, name string) (string, *Scope, error) {
	if err := neutral.CheckScope(vendor, op, resource, name); err != nil {
		return "", nil, err
	}
	serverID, scopes, err := k.scopes(ctx, op, resource)
	if err != nil {
		return "", nil, err
	}
	s, err := neutral.ScopeNamed(vendor, op, resource, name, scopes,
		func(s *Scope) string { return s.Name }, func(s *Scope) string { return s.ID })
	return serverID, s, err
}

// scopes finds the custom authorization server whose issuer is resource and lists its scopes.
func (k catalog) scopes(ctx context.Context, op, resource string) (string, []*Scope, error) {
	if err := checkIssuer("resource", resource); err != nil {
		return "", nil, wrap(op, err)
	}
	serverID := ""
	for s, err := range k.c.AuthorizationServers.List(ctx, AuthorizationServerListOptions{PageSize: 200}) {
		if err != nil {
			return "", nil, err
		}
		if s.Issuer == resource {
			serverID = s.ID
			break
		}
	}
	if serverID == "" {
		return "", nil, wrap(op, validate.Errorf("resource", "%s is the issuer of no custom authorization server of the org", validate.Quote(resource)))
	}
	var out []*Scope
	for s, err := range k.c.AuthorizationServers.ListScopes(ctx, serverID, ScopeListOptions{PageSize: 200}) {
		if err != nil {
			return "", nil, err
		}
		out = append(out, s)
	}
	return serverID, out, nil
}

func definition(s *Scope) grantkit.ScopeDefinition {
	return grantkit.ScopeDefinition{Name: s.Name, Description: s.Description}
}
