package cpn

import (
	"maps"
	"slices"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/patch"
	"github.com/grantkit/grantkit/internal/validate"
)

// AllowedScopes are the scopes an OAuth app may request, in the model of VMware Cloud Services
// (CSP), whose identity service CPN fronts. CPN's own pages show only GeneralScopes,
// organization role names and per-service AllRoles and role names; the rest (role resources,
// permissions, KeptInToken, organization AllRoles) is CSP's model and is kept as read.
//
// An AllowedScopes read from CPN also remembers what CPN sent that this type does not model;
// an update built from it (change a field, pass it back) sends that back unchanged, so a
// read-modify-write never erases what grantkit does not know. To change only the scope names,
// use WithNames.
type AllowedScopes struct {
	GeneralScopes []string           // such as "openid"
	Organization  OrganizationScopes // roles and permissions in the organization
	Services      []ServiceScope     // roles and permissions in services of the organization

	kept kept
}

// OrganizationScopes are the organization roles and permissions an app may hold.
type OrganizationScopes struct {
	AllRoles       bool         // every organization role; CSP wants Roles empty then
	Roles          []Role       // organization roles, by name
	AllPermissions bool         // every organization permission; CSP wants Permissions empty then
	Permissions    []Permission // organization permissions, by id
	// KeptInToken says which kinds of grant go into the app's access token: CSP documents
	// "ROLES" and "PERMISSIONS"; other values pass through.
	KeptInToken []string

	kept kept
}

// ServiceScope is the access an app may request in one service.
type ServiceScope struct {
	ServiceDefinitionID string       // the service's definition id (the <serviceDefinitionId> of a scope name)
	AllRoles            bool         // every role of the service; CSP wants Roles empty then
	Roles               []Role       // roles in the service, by name
	AllPermissions      bool         // every permission of the service; CSP wants Permissions empty then
	Permissions         []Permission // permissions in the service, by id
	KeptInToken         []string     // as in OrganizationScopes

	kept kept
}

// Role is a role by name; Resource, when set, limits it to one resource (CSP).
type Role struct {
	Name     string
	Resource string

	kept kept
}

// Permission is a permission by id, optionally limited to some resources (CSP).
type Permission struct {
	PermissionID string
	Resources    []string

	kept kept
}

// Roles returns one Role per name, for short literals: Roles: cpn.Roles("viewer", "editor").
func Roles(names ...string) []Role {
	out := make([]Role, len(names))
	for i, n := range names {
		out[i].Name = n
	}
	return out
}

// roleNames returns the names of roles, in order.
func roleNames(roles []Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = r.Name
	}
	return out
}

// kept is what CPN sent in one object that the exported fields cannot show: the properties
// grantkit does not model, and the names of modelled ones CPN sent with a zero value (false or
// ""), which the exported fields cannot tell from "not sent". An update built from a read sends
// both back, so the object reaches CPN as it was read.
type kept struct {
	unknown map[string]jx.Raw
	zero    []string
}

// keep records what a decoded object carried beyond its modelled non-zero values.
func keep(unknown map[string]jx.Raw, zero ...string) kept {
	k := kept{zero: slices.DeleteFunc(zero, func(s string) bool { return s == "" })}
	if len(unknown) > 0 {
		k.unknown = maps.Clone(unknown)
	}
	if len(k.zero) == 0 {
		k.zero = nil
	}
	return k
}

// zeroIf returns name when an optional field was sent with its zero value.
func zeroIf[T comparable](name string, v interface{ Get() (T, bool) }) string {
	var zero T
	if x, ok := v.Get(); ok && x == zero {
		return name
	}
	return ""
}

func (k kept) empty() bool { return len(k.unknown) == 0 && len(k.zero) == 0 }

// props returns the unknown properties for an encoder; the map is a copy, so the generated
// request never shares it with the caller's value.
func (k kept) props() map[string]jx.Raw { return maps.Clone(k.unknown) }

// set sends v when it is not zero, or when CPN sent the zero value in the read.
func set[T comparable](dst interface{ SetTo(T) }, v T, k kept, name string) {
	var zero T
	if v != zero || slices.Contains(k.zero, name) {
		dst.SetTo(v)
	}
}

// check checks what the spec cannot say about the scopes an update or create sends (names that
// are not empty, and every other rule of specs/cpn.yaml, are the generated client's): general
// scopes and role names are scope tokens (no whitespace or control character,
// validate.ScopeToken); and, as CSP documents for OrganizationScopesDto and ServiceScopesDto,
// Roles are empty when AllRoles is set and Permissions when AllPermissions is. held, when not
// nil, is the AllowedScopes the app has now (a read-modify-write): what it holds already goes
// back as CPN stored it, unchecked, which a schema cannot tell from what the update adds.
func (a AllowedScopes) check(held *AllowedScopes) error {
	var h AllowedScopes
	if held != nil {
		h = *held
	}
	scope := func(heldNames []string) func(f, s string) error {
		return func(f, s string) error {
			if slices.Contains(heldNames, s) {
				return nil
			}
			return validate.ScopeToken(f, s)
		}
	}
	roles := func(heldRoles []Role) func(f string, r Role) error {
		names := roleNames(heldRoles)
		return func(f string, r Role) error { return scope(names)(f+".name", r.Name) }
	}
	if err := validate.Each("allowedScopes.generalScopes", a.GeneralScopes, scope(h.GeneralScopes)); err != nil {
		return err
	}
	if err := validate.Each("allowedScopes.organizationScopes.roles", a.Organization.Roles, roles(h.Organization.Roles)); err != nil {
		return err
	}
	o, ho := a.Organization, h.Organization
	if err := exclusive("allowedScopes.organizationScopes", o.AllRoles, len(o.Roles), o.AllPermissions, len(o.Permissions),
		ho.AllRoles && len(ho.Roles) > 0, ho.AllPermissions && len(ho.Permissions) > 0); err != nil {
		return err
	}
	return validate.Each("allowedScopes.servicesScopes", a.Services, func(f string, s ServiceScope) error {
		var hs ServiceScope
		for _, x := range h.Services {
			if x.ServiceDefinitionID == s.ServiceDefinitionID {
				hs.Roles = append(hs.Roles, x.Roles...)
				hs.AllRoles = hs.AllRoles || x.AllRoles && len(x.Roles) > 0
				hs.AllPermissions = hs.AllPermissions || x.AllPermissions && len(x.Permissions) > 0
			}
		}
		if err := validate.Each(f+".roles", s.Roles, roles(hs.Roles)); err != nil {
			return err
		}
		return exclusive(f, s.AllRoles, len(s.Roles), s.AllPermissions, len(s.Permissions), hs.AllRoles, hs.AllPermissions)
	})
}

// exclusive refuses AllRoles beside Roles and AllPermissions beside Permissions, which CSP
// says must then be empty, unless the app held that combination already (heldRoles,
// heldPerms): a read-modify-write does not fail on what it did not change.
func exclusive(field string, allRoles bool, roles int, allPerms bool, perms int, heldRoles, heldPerms bool) error {
	if allRoles && roles > 0 && !heldRoles {
		return validate.Errorf(field, "allRoles is set together with %d roles; CSP wants roles empty when allRoles is set", roles)
	}
	if allPerms && perms > 0 && !heldPerms {
		return validate.Errorf(field, "allPermissions is set together with %d permissions; CSP wants permissions empty when allPermissions is set", perms)
	}
	return nil
}

// toOAS builds the request object. The three lists and each service's roles and AllRoles are
// always sent, as before CSP's extra fields were modelled, so an update means exactly the
// scopes given; the other fields are sent when set or when the read carried them.
func (a AllowedScopes) toOAS() oas.AllowedScopes {
	out := oas.AllowedScopes{GeneralScopes: patch.List(a.GeneralScopes), AdditionalProps: a.kept.props()}
	o := a.Organization
	org := oas.OrganizationScopes{
		Roles: rolesToOAS(o.Roles), Permissions: permissionsToOAS(o.Permissions),
		KeptInToken: slices.Clone(o.KeptInToken), AdditionalProps: o.kept.props(),
	}
	set(&org.AllRoles, o.AllRoles, o.kept, "allRoles")
	set(&org.AllPermissions, o.AllPermissions, o.kept, "allPermissions")
	out.OrganizationScopes.SetTo(org)
	out.ServicesScopes = make([]oas.ServiceScopes, len(a.Services))
	for i, s := range a.Services {
		item := oas.ServiceScopes{
			ServiceDefinitionId: s.ServiceDefinitionID, Roles: rolesToOAS(s.Roles),
			Permissions: permissionsToOAS(s.Permissions), KeptInToken: slices.Clone(s.KeptInToken), AdditionalProps: s.kept.props(),
		}
		item.AllRoles.SetTo(s.AllRoles)
		set(&item.AllPermissions, s.AllPermissions, s.kept, "allPermissions")
		out.ServicesScopes[i] = item
	}
	return out
}

func rolesToOAS(roles []Role) []oas.Role {
	out := make([]oas.Role, len(roles))
	for i, r := range roles {
		out[i] = oas.Role{Name: r.Name, AdditionalProps: r.kept.props()}
		set(&out[i].Resource, r.Resource, r.kept, "resource")
	}
	return out
}

func permissionsToOAS(perms []Permission) []oas.Permission {
	if perms == nil {
		return nil
	}
	out := make([]oas.Permission, len(perms))
	for i, p := range perms {
		out[i] = oas.Permission{Resources: slices.Clone(p.Resources), AdditionalProps: p.kept.props()}
		set(&out[i].PermissionId, p.PermissionID, p.kept, "permissionId")
	}
	return out
}

func fromOASScopes(s oas.ResponseAllowedScopes) AllowedScopes {
	out := AllowedScopes{GeneralScopes: s.GeneralScopes, kept: keep(s.AdditionalProps)}
	if o, ok := s.OrganizationScopes.Get(); ok {
		out.Organization = OrganizationScopes{
			AllRoles: o.AllRoles.Value, Roles: fromOASRoles(o.Roles),
			AllPermissions: o.AllPermissions.Value, Permissions: fromOASPermissions(o.Permissions),
			KeptInToken: o.KeptInToken,
			kept:        keep(o.AdditionalProps, zeroIf[bool]("allRoles", o.AllRoles), zeroIf[bool]("allPermissions", o.AllPermissions)),
		}
	}
	if s.ServicesScopes != nil {
		out.Services = make([]ServiceScope, len(s.ServicesScopes))
	}
	for i, sv := range s.ServicesScopes {
		out.Services[i] = ServiceScope{
			ServiceDefinitionID: sv.ServiceDefinitionId.Value, AllRoles: sv.AllRoles.Value, Roles: fromOASRoles(sv.Roles),
			AllPermissions: sv.AllPermissions.Value, Permissions: fromOASPermissions(sv.Permissions), KeptInToken: sv.KeptInToken,
			kept: keep(sv.AdditionalProps, zeroIf[bool]("allPermissions", sv.AllPermissions)),
		}
	}
	return out
}

func fromOASRoles(in []oas.ResponseRole) []Role {
	if in == nil {
		return nil
	}
	out := make([]Role, len(in))
	for i, r := range in {
		out[i] = Role{Name: r.Name.Value, Resource: r.Resource.Value, kept: keep(r.AdditionalProps, zeroIf[string]("resource", r.Resource))}
	}
	return out
}

func fromOASPermissions(in []oas.ResponsePermission) []Permission {
	if in == nil {
		return nil
	}
	out := make([]Permission, len(in))
	for i, p := range in {
		out[i] = Permission{PermissionID: p.PermissionId.Value, Resources: p.Resources,
			kept: keep(p.AdditionalProps, zeroIf[string]("permissionId", p.PermissionId))}
	}
	return out
}
