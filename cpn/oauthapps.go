package cpn

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Context is the role a call is made in. Update and List accept ContextProvider and
// ContextTenant; Create also accepts ContextOperator. Empty leaves it to CPN.
type Context string

// The contexts CPN documents.
const (
	ContextProvider Context = "PROVIDER"
	ContextTenant   Context = "TENANT"
	ContextOperator Context = "OPERATOR"
)

// AllowedScopes are the scopes an OAuth app may request.
type AllowedScopes struct {
	GeneralScopes     []string       // such as "openid"
	OrganizationRoles []string       // organization role names
	Services          []ServiceScope // roles in services of the organization
}

// ServiceScope is the access an app may request in one service.
type ServiceScope struct {
	ServiceDefinitionID string
	AllRoles            bool     // every role of the service
	Roles               []string // role names, when not AllRoles
}

// OAuthApp is an OAuth app (client) of the organization.
type OAuthApp struct {
	ID                                string
	DisplayName                       string
	Description                       string
	AccessTokenTTL                    int32 // seconds
	AllowedScopes                     AllowedScopes
	GrantTypes                        []string
	OwnerOnlySecretRotation           bool
	SecretRotationExpirationInSeconds int32
	CreatedAt                         time.Time
	LastUpdatedAt                     time.Time
}

// OAuthAppCreate is the body of OAuthAppsService.Create. Zero fields are left out; without an
// ID and Secret CPN generates them.
type OAuthAppCreate struct {
	Context                           Context
	ID                                string // letters, digits, '-' and '_'
	DisplayName                       string
	Description                       string
	AccessTokenTTL                    int32
	AllowedScopes                     AllowedScopes
	OwnerOnlySecretRotation           bool
	Secret                            grantkit.Secret
	SecretRotationExpirationInSeconds int32
}

// OAuthAppCredentials are a new app's client id and secret; CPN shows the secret only once.
type OAuthAppCredentials struct {
	ClientID     string
	ClientSecret grantkit.Secret
}

// OAuthAppUpdate is the body of OAuthAppsService.Update (a PATCH): fields left as their zero
// value are not sent. CPN accepts no nulls, so grantkit.Null is refused for every field.
// AllowedScopes replaces all three kinds of scopes at once.
type OAuthAppUpdate struct {
	Context                           Context // ContextProvider or ContextTenant; empty leaves it out
	AccessTokenTTL                    grantkit.Field[int32]
	AllowedScopes                     grantkit.Field[AllowedScopes]
	Description                       grantkit.Field[string]
	DisplayName                       grantkit.Field[string]
	OwnerOnlySecretRotation           grantkit.Field[bool]
	Secret                            grantkit.Field[grantkit.Secret]
	SecretRotationExpirationInSeconds grantkit.Field[int32]
}

// OAuthAppListOptions pages OAuthAppsService.List and ListPage.
type OAuthAppListOptions struct {
	Context  Context // ContextProvider or ContextTenant; empty leaves it out
	PageSize int     // 1 to 200; zero means CPN's default
	Cursor   string  // a previous page's Next
	// Search keeps only the apps whose display name or client ID matches this text
	// (CPN's searchTerm); empty lists every app.
	Search string
}

// DeleteResult says which apps a bulk delete removed and which it did not.
type DeleteResult struct {
	Deleted []string
	Failed  []string
}

// OAuthAppsService manages the organization's OAuth apps (/cphub/api/auth/v2/orgs/{orgId}/oauth-apps).
type OAuthAppsService struct{ c *Client }

// List iterates over the organization's OAuth apps.
func (s *OAuthAppsService) List(ctx context.Context, opts OAuthAppListOptions) iter.Seq2[*OAuthApp, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[OAuthApp], error) {
		opts.Cursor = cursor
		return s.ListPage(ctx, opts)
	})
}

// ListPage returns one page of the organization's OAuth apps.
func (s *OAuthAppsService) ListPage(ctx context.Context, opts OAuthAppListOptions) (grantkit.Page[OAuthApp], error) {
	const op = "OAuthApps.List"
	params := oas.ListOauthAppsParams{OrgId: s.c.org}
	if err := checkContext(opts.Context, false); err != nil {
		return grantkit.Page[OAuthApp]{}, wrap(op, err)
	}
	if opts.Context != "" {
		params.Context.SetTo(oas.ListOauthAppsContext(opts.Context))
	}
	if opts.PageSize < 0 || opts.PageSize > 200 {
		return grantkit.Page[OAuthApp]{}, wrap(op, validate.Errorf("PageSize", "%d, want 1 to 200 (0 for the default)", opts.PageSize))
	}
	if opts.PageSize > 0 {
		params.PageLimit.SetTo(int32(opts.PageSize))
	}
	if opts.Search != "" {
		params.SearchTerm.SetTo(opts.Search)
	}
	start := 0
	if opts.Cursor != "" {
		n, err := strconv.Atoi(opts.Cursor)
		if err != nil || n < 0 {
			return grantkit.Page[OAuthApp]{}, wrap(op, validate.Errorf("Cursor", "%q is not a cursor from a previous page", opts.Cursor))
		}
		start = n
		params.PageStart.SetTo(int32(n))
	}
	res, err := s.c.api.ListOauthApps(ctx, params)
	if err != nil {
		return grantkit.Page[OAuthApp]{}, wrap(op, err)
	}
	page := grantkit.Page[OAuthApp]{Items: make([]OAuthApp, len(res.Results))}
	for i := range res.Results {
		page.Items[i] = *fromOAS(&res.Results[i])
	}
	if next := res.NextLink.Or(""); next != "" && len(res.Results) > 0 {
		page.Next = strconv.Itoa(start + len(res.Results))
		if u, err := url.Parse(next); err == nil {
			if v := u.Query().Get("pageStart"); v != "" {
				page.Next = v
			}
		}
	}
	return page, nil
}

// Get returns the OAuth app with id.
func (s *OAuthAppsService) Get(ctx context.Context, id string) (*OAuthApp, error) {
	const op = "OAuthApps.Get"
	if err := validate.ID("id", id); err != nil {
		return nil, wrap(op, err)
	}
	a, err := s.c.api.GetOauthApp(ctx, oas.GetOauthAppParams{OrgId: s.c.org, OauthAppId: id})
	if err != nil {
		return nil, wrap(op, err)
	}
	return fromOAS(a), nil
}

// Create creates an OAuth app and returns its credentials.
func (s *OAuthAppsService) Create(ctx context.Context, p OAuthAppCreate) (*OAuthAppCredentials, error) {
	const op = "OAuthApps.Create"
	req, params, err := p.toOAS(s.c.org)
	if err != nil {
		return nil, wrap(op, err)
	}
	res, err := s.c.api.CreateOauthApp(ctx, req, params)
	if err != nil {
		return nil, wrap(op, err)
	}
	return &OAuthAppCredentials{ClientID: res.ClientId.Or(p.ID), ClientSecret: grantkit.Secret(res.ClientSecret.Or(p.Secret.Reveal()))}, nil
}

// Update changes the fields of app id that p sets (PATCH .../oauth-apps/{oauthAppId}) and
// returns the app as stored. An update that sets no field is rejected without a request.
func (s *OAuthAppsService) Update(ctx context.Context, id string, p OAuthAppUpdate) (*OAuthApp, error) {
	const op = "OAuthApps.Update"
	if err := validate.ID("id", id); err != nil {
		return nil, wrap(op, err)
	}
	req, err := p.toOAS()
	if err != nil {
		return nil, wrap(op, err)
	}
	params := oas.UpdateOauthAppParams{OrgId: s.c.org, OauthAppId: id}
	if p.Context != "" {
		params.Context.SetTo(oas.UpdateOauthAppContext(p.Context))
	}
	a, err := s.c.api.UpdateOauthApp(ctx, req, params)
	if err != nil {
		return nil, wrap(op, err)
	}
	return fromOAS(a), nil
}

// Delete deletes up to 15 apps in one request. If CPN removes only some, the error lists the
// others and the result says which were deleted.
func (s *OAuthAppsService) Delete(ctx context.Context, ids ...string) (DeleteResult, error) {
	const op = "OAuthApps.Delete"
	if len(ids) == 0 || len(ids) > 15 {
		return DeleteResult{}, wrap(op, validate.Errorf("ids", "%d ids, want 1 to 15", len(ids)))
	}
	if err := validate.Each("ids", ids, validate.ID); err != nil {
		return DeleteResult{}, wrap(op, err)
	}
	res, err := s.c.api.DeleteOauthApps(ctx, &oas.DeleteClientsRequest{ClientIdsToDelete: ids}, oas.DeleteOauthAppsParams{OrgId: s.c.org})
	if err != nil {
		return DeleteResult{}, wrap(op, err)
	}
	r := DeleteResult{Deleted: res.Succeeded, Failed: res.Failed}
	if len(r.Failed) > 0 {
		return r, fmt.Errorf("%s: %s: %d of %d apps not deleted: %q", vendor, op, len(r.Failed), len(ids), r.Failed)
	}
	return r, nil
}

func checkContext(c Context, create bool) error {
	if c == "" {
		return nil
	}
	if create {
		return validate.OneOf("Context", c, ContextProvider, ContextTenant, ContextOperator)
	}
	return validate.OneOf("Context", c, ContextProvider, ContextTenant)
}

func (a AllowedScopes) check() error {
	nonEmpty := func(f, s string) error { return validate.Length(f, s, 1, -1) }
	if err := validate.Each("AllowedScopes.GeneralScopes", a.GeneralScopes, nonEmpty); err != nil {
		return err
	}
	if err := validate.Each("AllowedScopes.OrganizationRoles", a.OrganizationRoles, nonEmpty); err != nil {
		return err
	}
	return validate.Each("AllowedScopes.Services", a.Services, func(f string, s ServiceScope) error {
		if err := nonEmpty(f+".ServiceDefinitionID", s.ServiceDefinitionID); err != nil {
			return err
		}
		return validate.Each(f+".Roles", s.Roles, nonEmpty)
	})
}

func (a AllowedScopes) toOAS() oas.AllowedScopes {
	roles := func(names []string) []oas.Role {
		out := make([]oas.Role, len(names))
		for i, n := range names {
			out[i].Name = n
		}
		return out
	}
	out := oas.AllowedScopes{GeneralScopes: nonNil(a.GeneralScopes)}
	out.OrganizationScopes.SetTo(oas.AllowedScopesOrganizationScopes{Roles: roles(a.OrganizationRoles)})
	out.ServicesScopes = make([]oas.AllowedScopesServicesScopesItem, len(a.Services))
	for i, s := range a.Services {
		out.ServicesScopes[i] = oas.AllowedScopesServicesScopesItem{ServiceDefinitionId: s.ServiceDefinitionID, Roles: roles(s.Roles)}
		out.ServicesScopes[i].AllRoles.SetTo(s.AllRoles)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (p OAuthAppCreate) toOAS(org string) (*oas.OrgOauthAppRequest, oas.CreateOauthAppParams, error) {
	params := oas.CreateOauthAppParams{OrgId: org}
	if err := checkContext(p.Context, true); err != nil {
		return nil, params, err
	}
	if p.Context != "" {
		params.Context.SetTo(oas.CreateOauthAppContext(p.Context))
	}
	req := &oas.OrgOauthAppRequest{}
	if p.ID != "" {
		for _, r := range p.ID {
			if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return nil, params, validate.Errorf("ID", "may hold only letters, digits, '-' and '_'")
			}
		}
		req.ID.SetTo(p.ID)
	}
	if p.Secret != "" {
		if err := CheckSecret(p.Secret); err != nil {
			return nil, params, err
		}
		req.Secret.SetTo(oas.Secret(p.Secret.Reveal()))
	}
	if p.AccessTokenTTL < 0 || p.SecretRotationExpirationInSeconds < 0 {
		return nil, params, validate.Errorf("AccessTokenTTL", "durations must not be negative")
	}
	if err := p.AllowedScopes.check(); err != nil {
		return nil, params, err
	}
	req.AllowedScopes.SetTo(p.AllowedScopes.toOAS())
	setIf(p.DisplayName != "", &req.DisplayName, p.DisplayName)
	setIf(p.Description != "", &req.Description, p.Description)
	if p.AccessTokenTTL > 0 {
		req.AccessTokenTTL.SetTo(p.AccessTokenTTL)
	}
	if p.SecretRotationExpirationInSeconds > 0 {
		req.SecretRotationExpirationInSeconds.SetTo(p.SecretRotationExpirationInSeconds)
	}
	if p.OwnerOnlySecretRotation {
		req.OwnerOnlySecretRotation.SetTo(true)
	}
	return req, params, nil
}

func setIf(ok bool, dst *oas.OptString, v string) {
	if ok {
		dst.SetTo(v)
	}
}

// value returns the value of a Field CPN accepts without null, and whether it is set.
func value[T any](name string, f grantkit.Field[T]) (T, bool, error) {
	if f.IsNull() {
		var zero T
		return zero, false, validate.Errorf(name, "CPN does not accept null; leave the field out instead")
	}
	v, ok := f.Get()
	return v, ok, nil
}

func nonNegative(name string, f grantkit.Field[int32], dst *oas.OptInt32) error {
	v, ok, err := value(name, f)
	if err != nil || !ok {
		return err
	}
	if v < 0 {
		return validate.Errorf(name, "%d, must not be negative", v)
	}
	dst.SetTo(v)
	return nil
}

func text(name string, f grantkit.Field[string], dst *oas.OptString) error {
	v, ok, err := value(name, f)
	if ok {
		dst.SetTo(v)
	}
	return err
}

func (p OAuthAppUpdate) toOAS() (*oas.CpnOrgOauthAppUpdateRequest, error) {
	if err := checkContext(p.Context, false); err != nil {
		return nil, err
	}
	if p.AccessTokenTTL.IsZero() && p.AllowedScopes.IsZero() && p.Description.IsZero() && p.DisplayName.IsZero() &&
		p.OwnerOnlySecretRotation.IsZero() && p.Secret.IsZero() && p.SecretRotationExpirationInSeconds.IsZero() {
		return nil, validate.Errorf("update", "sets no field")
	}
	req := &oas.CpnOrgOauthAppUpdateRequest{}
	if err := nonNegative("AccessTokenTTL", p.AccessTokenTTL, &req.AccessTokenTTL); err != nil {
		return nil, err
	}
	if err := nonNegative("SecretRotationExpirationInSeconds", p.SecretRotationExpirationInSeconds, &req.SecretRotationExpirationInSeconds); err != nil {
		return nil, err
	}
	if err := text("Description", p.Description, &req.Description); err != nil {
		return nil, err
	}
	if err := text("DisplayName", p.DisplayName, &req.DisplayName); err != nil {
		return nil, err
	}
	scopes, ok, err := value("AllowedScopes", p.AllowedScopes)
	if err == nil && ok {
		err = scopes.check()
		req.AllowedScopes.SetTo(scopes.toOAS())
	}
	if err != nil {
		return nil, err
	}
	owner, ok, err := value("OwnerOnlySecretRotation", p.OwnerOnlySecretRotation)
	if err != nil {
		return nil, err
	}
	if ok {
		req.OwnerOnlySecretRotation.SetTo(owner)
	}
	secret, ok, err := value("Secret", p.Secret)
	if err == nil && ok {
		err = CheckSecret(secret)
		req.Secret.SetTo(oas.Secret(secret.Reveal()))
	}
	if err != nil {
		return nil, err
	}
	return req, nil
}

func fromOAS(a *oas.CpnOrgOauthAppResponse) *OAuthApp {
	out := &OAuthApp{
		ID:                                a.ID.Or(""),
		DisplayName:                       a.DisplayName.Or(""),
		Description:                       a.Description.Or(""),
		AccessTokenTTL:                    a.AccessTokenTTL.Or(0),
		GrantTypes:                        a.GrantTypes,
		OwnerOnlySecretRotation:           a.OwnerOnlySecretRotation.Or(false),
		SecretRotationExpirationInSeconds: a.SecretRotationExpirationInSeconds.Or(0),
		CreatedAt:                         millis(a.CreatedAt.Or(0)),
		LastUpdatedAt:                     millis(a.LastUpdatedAt.Or(0)),
	}
	s := a.AllowedScopes.Value
	out.AllowedScopes.GeneralScopes = s.GeneralScopes
	for _, r := range s.OrganizationScopes.Value.Roles {
		out.AllowedScopes.OrganizationRoles = append(out.AllowedScopes.OrganizationRoles, r.Name.Or(""))
	}
	for _, sv := range s.ServicesScopes {
		ss := ServiceScope{ServiceDefinitionID: sv.ServiceDefinitionId.Or(""), AllRoles: sv.AllRoles.Or(false)}
		for _, r := range sv.Roles {
			ss.Roles = append(ss.Roles, r.Name.Or(""))
		}
		out.AllowedScopes.Services = append(out.AllowedScopes.Services, ss)
	}
	return out
}

func millis(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
