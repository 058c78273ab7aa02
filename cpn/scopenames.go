package cpn

import (
	"net/url"
	"slices"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/validate"
)

// The prefixes of scope names; ParseScopes documents the syntax.
const (
	generalPrefix     = "general-scope:"
	orgRolePrefix     = "organization-role:"
	serviceRolePrefix = "service-role:"
	allRoles          = "*"
)

var (
	idEscaper   = strings.NewReplacer("%", "%25", ":", "%3A")
	roleEscaper = strings.NewReplacer("%", "%25")
)

func escapeRole(r string) string {
	if r == allRoles {
		return "%2A"
	}
	return roleEscaper.Replace(r)
}

// Names returns the scopes as names (the syntax ParseScopes documents), in the order of a.
// ParseScopes is its inverse. A role that appears with several resources gives one name.
func (a AllowedScopes) Names() []string {
	out := make([]string, 0, len(a.GeneralScopes))
	for _, s := range a.GeneralScopes {
		if strings.HasPrefix(s, generalPrefix) || strings.HasPrefix(s, orgRolePrefix) || strings.HasPrefix(s, serviceRolePrefix) {
			s = generalPrefix + s
		}
		out = append(out, s)
	}
	if a.Organization.AllRoles {
		out = append(out, orgRolePrefix+allRoles)
	}
	for _, r := range a.Organization.Roles {
		out = append(out, orgRolePrefix+escapeRole(r.Name))
	}
	for _, s := range a.Services {
		prefix := serviceRolePrefix + idEscaper.Replace(s.ServiceDefinitionID) + ":"
		if s.AllRoles {
			out = append(out, prefix+allRoles)
		}
		for _, r := range s.Roles {
			out = append(out, prefix+escapeRole(r.Name))
		}
	}
	return out
}

// ParseScopes builds AllowedScopes from scope names, the names the vendor-neutral view
// (Client.Grants) and Names use: general scopes, then the organization's roles, then one
// ServiceScope per service definition id, each sorted.
//
// CPN has three kinds of scope; they are named so that one list of strings holds all of them,
// and every name reads back as exactly one scope:
//
//	openid                                      a general scope, as is
//	general-scope:<scope>                       a general scope that starts with one of these prefixes
//	organization-role:<role>                    an organization role
//	organization-role:*                         every organization role (AllRoles)
//	service-role:<serviceDefinitionId>:<role>   a role in a service
//	service-role:<serviceDefinitionId>:*        every role of a service (AllRoles)
//
// The first ':' after "service-role:" ends the service definition id, so a ':' inside the id
// is written %3A, and '%' in an id or role is written %25; a role named "*" is written %2A
// (service-role:a%3Ab:admin is the role admin of the service a:b). Names without those
// characters read as they are. No name may be empty. Role resources and permissions have no
// name: WithNames keeps them as they are.
func ParseScopes(names []string) (AllowedScopes, error) {
	var a AllowedScopes
	services := map[string]int{}
	for _, n := range grantkit.NormalizeScopes(names) {
		switch {
		case n == "":
			return AllowedScopes{}, validate.Errorf("scopes", "an empty scope name")
		case strings.HasPrefix(n, generalPrefix):
			s := strings.TrimPrefix(n, generalPrefix)
			if s == "" {
				return AllowedScopes{}, validate.Errorf("scopes", "%s names no scope", validate.Quote(n))
			}
			a.GeneralScopes = append(a.GeneralScopes, s)
		case strings.HasPrefix(n, orgRolePrefix):
			role, all, err := parseRole(n, strings.TrimPrefix(n, orgRolePrefix))
			if err != nil {
				return AllowedScopes{}, err
			}
			if all {
				a.Organization.AllRoles = true
			} else {
				a.Organization.Roles = append(a.Organization.Roles, Role{Name: role})
			}
		case strings.HasPrefix(n, serviceRolePrefix):
			rawID, rawRole, ok := strings.Cut(strings.TrimPrefix(n, serviceRolePrefix), ":")
			id, err := url.PathUnescape(rawID)
			if !ok || rawID == "" || err != nil {
				return AllowedScopes{}, validate.Errorf("scopes", "%s: want service-role:<serviceDefinitionId>:<role>, with ':' in the id written %%3A", validate.Quote(n))
			}
			role, all, err := parseRole(n, rawRole)
			if err != nil {
				return AllowedScopes{}, err
			}
			i, seen := services[id]
			if !seen {
				i = len(a.Services)
				services[id] = i
				a.Services = append(a.Services, ServiceScope{ServiceDefinitionID: id})
			}
			if all {
				a.Services[i].AllRoles = true
			} else {
				a.Services[i].Roles = append(a.Services[i].Roles, Role{Name: role})
			}
		default:
			a.GeneralScopes = append(a.GeneralScopes, n)
		}
	}
	slices.Sort(a.GeneralScopes)
	slices.SortFunc(a.Organization.Roles, byName)
	slices.SortFunc(a.Services, func(x, y ServiceScope) int { return strings.Compare(x.ServiceDefinitionID, y.ServiceDefinitionID) })
	for i := range a.Services {
		slices.SortFunc(a.Services[i].Roles, byName)
	}
	return a, nil
}

func byName(x, y Role) int { return strings.Compare(x.Name, y.Name) }

// parseRole reads the role part of name: "*" for all roles, otherwise an escaped role name.
func parseRole(name, raw string) (role string, all bool, err error) {
	if raw == allRoles {
		return "", true, nil
	}
	role, err = url.PathUnescape(raw)
	if err != nil || role == "" {
		return "", false, validate.Errorf("scopes", "%s names no role (a '%%' in a role is written %%25)", validate.Quote(name))
	}
	return role, false, nil
}

// WithNames returns a copy of a whose scopes are exactly names (as Names writes them), with
// everything the names do not describe kept as it is: role resources, permissions,
// KeptInToken, and what CPN sent that grantkit does not model. Kept entries stay in their
// order; new ones are added after them. A service entry whose last role the names remove is
// dropped unless it still carries something else. The vendor-neutral SetScopes writes this.
func (a AllowedScopes) WithNames(names []string) (AllowedScopes, error) {
	want, err := ParseScopes(names)
	if err != nil {
		return AllowedScopes{}, err
	}
	out := a
	out.GeneralScopes = keepStrings(a.GeneralScopes, want.GeneralScopes)
	out.Organization = a.Organization
	out.Organization.AllRoles = want.Organization.AllRoles
	out.Organization.Roles = keepRoles(a.Organization.Roles, roleNames(want.Organization.Roles))

	wanted := map[string]ServiceScope{}
	for _, s := range want.Services {
		wanted[s.ServiceDefinitionID] = s
	}
	// The roles a service already has, over every entry of it (CSP may list a service twice).
	has := map[string][]string{}
	for _, s := range a.Services {
		has[s.ServiceDefinitionID] = append(has[s.ServiceDefinitionID], roleNames(s.Roles)...)
	}
	out.Services = nil
	first := map[string]bool{}
	for _, s := range a.Services {
		id := s.ServiceDefinitionID
		w := wanted[id] // zero when the names drop the service
		ns := s
		ns.Roles = filterRoles(s.Roles, roleNames(w.Roles))
		ns.AllRoles = w.AllRoles
		if !first[id] {
			first[id] = true
			for _, r := range w.Roles {
				if !slices.Contains(has[id], r.Name) {
					ns.Roles = append(ns.Roles, r)
				}
			}
		} else {
			ns.AllRoles = w.AllRoles && s.AllRoles
		}
		emptied := (len(s.Roles) > 0 || s.AllRoles) && len(ns.Roles) == 0 && !ns.AllRoles
		if emptied && !ns.AllPermissions && len(ns.Permissions) == 0 && len(ns.KeptInToken) == 0 && ns.kept.empty() {
			continue
		}
		out.Services = append(out.Services, ns)
	}
	for _, w := range want.Services {
		if !first[w.ServiceDefinitionID] {
			out.Services = append(out.Services, w)
		}
	}
	return out, nil
}

// keepRoles keeps the roles of cur whose names are wanted, in order and with their resources,
// and adds a Role for each wanted name cur lacks.
func keepRoles(cur []Role, names []string) []Role {
	out := filterRoles(cur, names)
	have := roleNames(cur)
	for _, n := range names {
		if !slices.Contains(have, n) {
			out = append(out, Role{Name: n})
		}
	}
	return out
}

func filterRoles(cur []Role, names []string) []Role {
	if cur == nil {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(cur), func(r Role) bool { return !slices.Contains(names, r.Name) })
}

// keepStrings keeps the items of cur that are wanted, in order, and adds the wanted ones cur
// lacks.
func keepStrings(cur, want []string) []string {
	var out []string
	if cur != nil {
		out = slices.DeleteFunc(slices.Clone(cur), func(c string) bool { return !slices.Contains(want, c) })
	}
	for _, w := range want {
		if !slices.Contains(cur, w) {
			out = append(out, w)
		}
	}
	return out
}
