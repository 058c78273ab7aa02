package cpn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Scope names in the vendor-neutral view. CPN has three kinds of scope; they are named so
// that one list of strings holds all of them:
//
//	openid                               a general scope, as is
//	organization-role:<role>             an organization role
//	service-role:<serviceDefinitionId>:<role>  a role in a service
//	service-role:<serviceDefinitionId>:*       every role of a service
const (
	orgRolePrefix     = "organization-role:"
	serviceRolePrefix = "service-role:"
)

// Grants returns the vendor-neutral view of the organization (see grantkit.Grants): a grant is
// an OAuth app. Key.Resource is the organization id and Key.ClientID the app's id; Scopes name
// its allowed scopes as described above. An app has one set of allowed scopes, so the
// organization and the app id identify a grant; a key with a SubjectType is invalid input.
//
// Because the app is the grant, Create creates the OAuth app (with key.ClientID as its id and
// the scopes as its allowed scopes, its secret not kept) and Delete deletes the app, its
// credentials with it. CPN's scopes are defined by the platform (roles of the organization and
// of its services), so there is no scope catalog for CPN.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

func (g grants) List(ctx context.Context) iter.Seq2[*grantkit.Grant, error] {
	return paging.Map(g.c.OAuthApps.List(ctx, OAuthAppListOptions{}), g.toGrant)
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	if err := g.check(key); err != nil {
		return nil, err
	}
	a, err := g.c.OAuthApps.Get(ctx, key.ClientID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s: Grants.Get: %w: %s: %w", vendor, grantkit.ErrGrantNotFound, key, err)
	}
	if err != nil {
		return nil, err
	}
	return g.toGrant(a), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	if err := g.check(key); err != nil {
		return nil, err
	}
	allowed, err := ParseScopes(scopes)
	if err != nil {
		return nil, wrap("Grants.SetScopes", err)
	}
	if _, err := g.Get(ctx, key); err != nil {
		return nil, err
	}
	a, err := g.c.OAuthApps.Update(ctx, key.ClientID, OAuthAppUpdate{AllowedScopes: grantkit.Value(allowed)})
	if err != nil {
		return nil, err
	}
	stored := g.toGrant(a)
	if err := grantkit.CheckStored(key, scopes, stored); err != nil {
		return nil, fmt.Errorf("%s: Grants.SetScopes: %w", vendor, err)
	}
	return stored, nil
}

// Create creates the OAuth app key.ClientID in the organization with scopes as its allowed
// scopes: at CPN the app is the grant, so granting an app that does not exist yet means
// creating it. CPN generates the app's secret and shows it only in its answer to the create;
// the vendor-neutral view has no place for it and does not keep it, so give the app a secret
// with OAuthApps.Update (Secret) before it is used, or create it with OAuthApps.Create to
// receive one. An app that already exists, whatever its scopes, wraps grantkit.ErrGrantExists.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	const op = "Grants.Create"
	if err := g.check(key); err != nil {
		return nil, err
	}
	allowed, err := ParseScopes(scopes)
	if err != nil {
		return nil, wrap(op, err)
	}
	switch _, err := g.Get(ctx, key); {
	case err == nil:
		return nil, neutral.Exists(vendor, op, key, key.ClientID)
	case !errors.Is(err, grantkit.ErrGrantNotFound):
		return nil, err
	}
	_, err = g.c.OAuthApps.Create(ctx, OAuthAppCreate{ID: key.ClientID, AllowedScopes: allowed})
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict {
		// Created by someone else between the lookup and the create.
		return nil, fmt.Errorf("%s: %s: %w: %s: %w", vendor, op, grantkit.ErrGrantExists, key, err)
	}
	if err != nil {
		return nil, err
	}
	// CPN answers a create with the credentials only: read the app back to see its scopes.
	stored, err := g.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: the app was created, but reading it back failed: %w", vendor, op, err)
	}
	if err := grantkit.CheckStored(key, scopes, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return stored, nil
}

// Delete deletes the OAuth app key.ClientID, which revokes all of its access: its allowed
// scopes are the grant, and an app without any still holds credentials, so removing its scopes
// would leave it in place. A missing app wraps grantkit.ErrGrantNotFound.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	if _, err := g.Get(ctx, key); err != nil {
		return err
	}
	_, err := g.c.OAuthApps.Delete(ctx, key.ClientID)
	return err
}

func (g grants) check(key grantkit.GrantKey) error {
	if err := neutral.NoSubject(vendor, "Grants", key); err != nil {
		return err
	}
	if err := validate.ID("key.ClientID", key.ClientID); err != nil {
		return wrap("Grants", err)
	}
	if key.Resource != g.c.org {
		return wrap("Grants", validate.Errorf("key.Resource", "%q is not this client's organization %q", key.Resource, g.c.org))
	}
	return nil
}

func (g grants) toGrant(a *OAuthApp) *grantkit.Grant {
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     a.ID,
		Key:    grantkit.GrantKey{Resource: g.c.org, ClientID: a.ID},
		Scopes: grantkit.NormalizeScopes(a.AllowedScopes.Names()),
	}
}

// Names returns the scopes as names: general scopes as they are, organization roles as
// "organization-role:<role>", service roles as "service-role:<serviceDefinitionId>:<role>"
// ("...:*" for all roles of a service). ParseScopes is its inverse.
func (a AllowedScopes) Names() []string {
	out := append([]string{}, a.GeneralScopes...)
	for _, r := range a.OrganizationRoles {
		out = append(out, orgRolePrefix+r)
	}
	for _, s := range a.Services {
		if s.AllRoles {
			out = append(out, serviceRolePrefix+s.ServiceDefinitionID+":*")
		}
		for _, r := range s.Roles {
			out = append(out, serviceRolePrefix+s.ServiceDefinitionID+":"+r)
		}
	}
	return out
}

// ParseScopes builds AllowedScopes from names as Names writes them.
func ParseScopes(names []string) (AllowedScopes, error) {
	var a AllowedScopes
	services := map[string]int{}
	for _, n := range grantkit.NormalizeScopes(names) {
		switch {
		case strings.HasPrefix(n, orgRolePrefix):
			role := strings.TrimPrefix(n, orgRolePrefix)
			if role == "" {
				return a, validate.Errorf("scopes", "%q names no role", n)
			}
			a.OrganizationRoles = append(a.OrganizationRoles, role)
		case strings.HasPrefix(n, serviceRolePrefix):
			id, role, ok := strings.Cut(strings.TrimPrefix(n, serviceRolePrefix), ":")
			if !ok || id == "" || role == "" {
				return a, validate.Errorf("scopes", "%q: want service-role:<serviceDefinitionId>:<role>", n)
			}
			i, seen := services[id]
			if !seen {
				i = len(a.Services)
				services[id] = i
				a.Services = append(a.Services, ServiceScope{ServiceDefinitionID: id})
			}
			if role == "*" {
				a.Services[i].AllRoles = true
			} else {
				a.Services[i].Roles = append(a.Services[i].Roles, role)
			}
		case n == "":
			return a, validate.Errorf("scopes", "an empty scope name")
		default:
			a.GeneralScopes = append(a.GeneralScopes, n)
		}
	}
	return a, nil
}
