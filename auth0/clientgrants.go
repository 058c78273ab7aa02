package auth0

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/patch"
	"github.com/grantkit/grantkit/internal/validate"
)

// OrganizationUsage says how organizations may be used with a grant. Auth0 may add values;
// a value this package does not know is kept as is.
type OrganizationUsage string

// The organization usages Auth0 documents.
const (
	OrganizationUsageDeny    OrganizationUsage = "deny"
	OrganizationUsageAllow   OrganizationUsage = "allow"
	OrganizationUsageRequire OrganizationUsage = "require"
)

// SubjectType is the kind of application access a grant allows. Auth0 may add values; a
// value this package does not know is kept as is.
type SubjectType string

// The subject types Auth0 documents.
const (
	SubjectTypeClient SubjectType = "client"
	SubjectTypeUser   SubjectType = "user"
)

// ClientGrant authorizes a client to call an API (its audience) with a set of scopes.
type ClientGrant struct {
	ID                        string
	ClientID                  string
	Audience                  string
	Scope                     []string
	OrganizationUsage         OrganizationUsage // empty when not set
	AllowAnyOrganization      bool
	DefaultFor                string // the client group the grant is the default for, if any
	IsSystem                  bool   // created by Auth0; it cannot be modified or deleted
	SubjectType               SubjectType
	AuthorizationDetailsTypes []string
	AllowAllScopes            bool
}

// ClientGrantCreate is the body of ClientGrantsService.Create. ClientID and Audience are
// required; zero values of the other fields are left out, so Auth0's defaults apply.
type ClientGrantCreate struct {
	ClientID                  string
	Audience                  string
	Scope                     []string // each 1 to 280 characters
	OrganizationUsage         OrganizationUsage
	AllowAnyOrganization      bool
	SubjectType               SubjectType
	AuthorizationDetailsTypes []string // each 1 to 255 characters
	AllowAllScopes            bool
}

// ClientGrantUpdate is the body of ClientGrantsService.Update (a PATCH). Fields left as their
// zero value are not sent and stay as they are at Auth0. Scope, OrganizationUsage,
// AllowAnyOrganization and AllowAllScopes may be sent as null with grantkit.Null;
// AuthorizationDetailsTypes may not.
//
//	auth0.ClientGrantUpdate{Scope: grantkit.Set("read:users")}    // "scope":["read:users"]
//	auth0.ClientGrantUpdate{Scope: grantkit.Set[string]()}        // "scope":[]
//	auth0.ClientGrantUpdate{Scope: grantkit.Null[[]string]()}     // "scope":null
type ClientGrantUpdate struct {
	Scope                     grantkit.Field[[]string] // each 1 to 280 characters
	OrganizationUsage         grantkit.Field[OrganizationUsage]
	AllowAnyOrganization      grantkit.Field[bool]
	AuthorizationDetailsTypes grantkit.Field[[]string] // each 1 to 255 characters
	AllowAllScopes            grantkit.Field[bool]
}

// ClientGrantListOptions filters and pages ClientGrantsService.List and ListPage.
// Zero fields do not filter.
type ClientGrantListOptions struct {
	Audience             string
	ClientID             string
	SubjectType          SubjectType
	AllowAnyOrganization *bool
	// PageSize is the number of grants per request, 1 to 100; zero means Auth0's default (50).
	PageSize int
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// Organization is an organization associated with a client grant.
type Organization struct {
	ID          string
	Name        string
	DisplayName string
}

// OrganizationListOptions pages ClientGrantsService.ListOrganizations.
type OrganizationListOptions struct {
	PageSize int    // 1 to 100; zero means Auth0's default (50)
	Cursor   string // a previous page's Next
}

// ClientGrantsService manages client grants (/api/v2/client-grants).
type ClientGrantsService struct{ c *Client }

// Get returns the grant with id.
func (s *ClientGrantsService) Get(ctx context.Context, id string) (*ClientGrant, error) {
	ctx, call := begin(ctx, "ClientGrants.Get")
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.GetClientGrant(ctx, oas.GetClientGrantParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(g), nil
}

// Create creates a grant for p.ClientID on p.Audience. Auth0 answers 409 if the client
// already has a grant for that audience.
func (s *ClientGrantsService) Create(ctx context.Context, p ClientGrantCreate) (*ClientGrant, error) {
	ctx, call := begin(ctx, "ClientGrants.Create")
	call.Creates("the grant may now exist; find it with ClientGrants.List filtered by its ClientID, Audience and SubjectType")
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.CreateClientGrant(ctx, req)
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(g), nil
}

// Update changes the fields of grant id that p sets, and returns the grant as Auth0 stored it.
// An update that sets no field is rejected without a request.
func (s *ClientGrantsService) Update(ctx context.Context, id string, p ClientGrantUpdate) (*ClientGrant, error) {
	ctx, call := begin(ctx, "ClientGrants.Update")
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.UpdateClientGrant(ctx, req, oas.UpdateClientGrantParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(g), nil
}

// Delete deletes grant id.
func (s *ClientGrantsService) Delete(ctx context.Context, id string) error {
	ctx, call := begin(ctx, "ClientGrants.Delete")
	if err := validate.ID("id", id); err != nil {
		return call.Err(err)
	}
	return call.Err(s.c.api.DeleteClientGrant(ctx, oas.DeleteClientGrantParams{ID: id}))
}

// List iterates over every grant matching opts, fetching pages as the loop needs them:
//
//	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: aud}) {
//		if err != nil { return err }
//		fmt.Println(g.ID, g.Scope)
//	}
func (s *ClientGrantsService) List(ctx context.Context, opts ClientGrantListOptions) iter.Seq2[*ClientGrant, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[ClientGrant], error) {
		opts.Cursor = cursor
		return s.ListPage(ctx, opts)
	})
}

// ListPage returns one page of grants matching opts, using Auth0's checkpoint paging.
func (s *ClientGrantsService) ListPage(ctx context.Context, opts ClientGrantListOptions) (grantkit.Page[ClientGrant], error) {
	ctx, call := begin(ctx, "ClientGrants.List")
	params, err := opts.toOAS()
	if err != nil {
		return grantkit.Page[ClientGrant]{}, call.Err(err)
	}
	res, err := s.c.api.ListClientGrants(ctx, params)
	if err != nil {
		return grantkit.Page[ClientGrant]{}, call.Err(err)
	}
	var page grantkit.Page[ClientGrant]
	list := res.ClientGrantArray
	if res.IsClientGrantPage() {
		list, page.Next = res.ClientGrantPage.ClientGrants, res.ClientGrantPage.Next.Or("")
	}
	page.Items = make([]ClientGrant, len(list))
	for i := range list {
		page.Items[i] = *fromOAS(&list[i])
	}
	return page, nil
}

// ListOrganizations iterates over the organizations associated with grant id.
func (s *ClientGrantsService) ListOrganizations(ctx context.Context, id string, opts OrganizationListOptions) iter.Seq2[*Organization, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[Organization], error) {
		opts.Cursor = cursor
		return s.ListOrganizationsPage(ctx, id, opts)
	})
}

// ListOrganizationsPage returns one page of the organizations associated with grant id.
func (s *ClientGrantsService) ListOrganizationsPage(ctx context.Context, id string, opts OrganizationListOptions) (grantkit.Page[Organization], error) {
	ctx, call := begin(ctx, "ClientGrants.ListOrganizations")
	if err := validate.ID("id", id); err != nil {
		return grantkit.Page[Organization]{}, call.Err(err)
	}
	params := oas.ListClientGrantOrganizationsParams{ID: id}
	if err := pageParams(opts.PageSize, opts.Cursor, &params.Take, &params.From); err != nil {
		return grantkit.Page[Organization]{}, call.Err(err)
	}
	res, err := s.c.api.ListClientGrantOrganizations(ctx, params)
	if err != nil {
		return grantkit.Page[Organization]{}, call.Err(err)
	}
	var page grantkit.Page[Organization]
	list := res.OrganizationArray
	if res.IsOrganizationPage() {
		list, page.Next = res.OrganizationPage.Organizations, res.OrganizationPage.Next.Or("")
	}
	page.Items = make([]Organization, len(list))
	for i, o := range list {
		page.Items[i] = Organization{ID: o.ID.Or(""), Name: o.Name.Or(""), DisplayName: o.DisplayName.Or("")}
	}
	return page, nil
}

// pageParams sets Auth0's checkpoint paging parameters. A first page is requested with
// from="" omitted but take set, which is what makes Auth0 answer with a "next" checkpoint.
func pageParams(size int, cursor string, take *oas.OptInt, from *oas.OptString) error {
	if size < 0 || size > 100 {
		return validate.Errorf("PageSize", "%d, want 1 to 100 (0 for the default)", size)
	}
	if size == 0 {
		size = 50
	}
	take.SetTo(size)
	if cursor != "" {
		from.SetTo(cursor)
	}
	return nil
}

func (o ClientGrantListOptions) toOAS() (oas.ListClientGrantsParams, error) {
	var p oas.ListClientGrantsParams
	if err := pageParams(o.PageSize, o.Cursor, &p.Take, &p.From); err != nil {
		return p, err
	}
	if o.Audience != "" {
		p.Audience.SetTo(o.Audience)
	}
	if o.ClientID != "" {
		p.ClientID.SetTo(o.ClientID)
	}
	if o.SubjectType != "" {
		if err := validate.OneOf("SubjectType", o.SubjectType, SubjectTypeClient, SubjectTypeUser); err != nil {
			return p, err
		}
		p.SubjectType.SetTo(oas.SubjectType(o.SubjectType))
	}
	if o.AllowAnyOrganization != nil {
		p.AllowAnyOrganization.SetTo(*o.AllowAnyOrganization)
	}
	return p, nil
}

func checkScopes(field string, scopes []string) error {
	return validate.Each(field, scopes, func(f, s string) error { return validate.Length(f, s, 1, 280) })
}

func checkDetailsTypes(field string, types []string) error {
	return validate.Each(field, types, func(f, s string) error { return validate.Length(f, s, 1, 255) })
}

func checkUsage(field string, u OrganizationUsage) error {
	return validate.OneOf(field, u, OrganizationUsageDeny, OrganizationUsageAllow, OrganizationUsageRequire)
}

func (p ClientGrantCreate) toOAS() (*oas.CreateClientGrantRequest, error) {
	if err := validate.Length("ClientID", p.ClientID, 1, -1); err != nil {
		return nil, err
	}
	if err := validate.Length("Audience", p.Audience, 1, -1); err != nil {
		return nil, err
	}
	if err := checkScopes("Scope", p.Scope); err != nil {
		return nil, err
	}
	if err := checkDetailsTypes("AuthorizationDetailsTypes", p.AuthorizationDetailsTypes); err != nil {
		return nil, err
	}
	req := &oas.CreateClientGrantRequest{
		ClientID:                  p.ClientID,
		Audience:                  p.Audience,
		Scope:                     p.Scope,
		AuthorizationDetailsTypes: p.AuthorizationDetailsTypes,
	}
	if p.OrganizationUsage != "" {
		if err := checkUsage("OrganizationUsage", p.OrganizationUsage); err != nil {
			return nil, err
		}
		req.OrganizationUsage.SetTo(oas.OrganizationUsage(p.OrganizationUsage))
	}
	if p.SubjectType != "" {
		if err := validate.OneOf("SubjectType", p.SubjectType, SubjectTypeClient, SubjectTypeUser); err != nil {
			return nil, err
		}
		req.SubjectType.SetTo(oas.SubjectType(p.SubjectType))
	}
	if p.AllowAnyOrganization {
		req.AllowAnyOrganization.SetTo(true)
	}
	if p.AllowAllScopes {
		req.AllowAllScopes.SetTo(true)
	}
	return req, nil
}

func (p ClientGrantUpdate) toOAS() (*oas.UpdateClientGrantRequest, error) {
	if p.Scope.IsZero() && p.OrganizationUsage.IsZero() && p.AllowAnyOrganization.IsZero() &&
		p.AuthorizationDetailsTypes.IsZero() && p.AllowAllScopes.IsZero() {
		return nil, validate.Errorf("update", "sets no field")
	}
	if v, ok := p.Scope.Get(); ok {
		if err := checkScopes("Scope", v); err != nil {
			return nil, err
		}
		if v == nil {
			p.Scope = grantkit.Set[string]() // a nil list set explicitly means []
		}
	}
	if v, ok := p.OrganizationUsage.Get(); ok {
		if err := checkUsage("OrganizationUsage", v); err != nil {
			return nil, err
		}
	}
	if p.AuthorizationDetailsTypes.IsNull() {
		return nil, validate.Errorf("AuthorizationDetailsTypes", "cannot be null; use grantkit.Set[string]() for an empty list")
	}
	req := &oas.UpdateClientGrantRequest{}
	if v, ok := p.AuthorizationDetailsTypes.Get(); ok {
		if err := checkDetailsTypes("AuthorizationDetailsTypes", v); err != nil {
			return nil, err
		}
		req.AuthorizationDetailsTypes = v
		if v == nil {
			req.AuthorizationDetailsTypes = []string{}
		}
	}
	patch.Apply(p.Scope, &req.Scope)
	patch.Apply(patch.Map(p.OrganizationUsage, func(u OrganizationUsage) oas.UpdateClientGrantRequestOrganizationUsage {
		return oas.UpdateClientGrantRequestOrganizationUsage(u)
	}), &req.OrganizationUsage)
	patch.Apply(p.AllowAnyOrganization, &req.AllowAnyOrganization)
	patch.Apply(p.AllowAllScopes, &req.AllowAllScopes)
	return req, nil
}

func fromOAS(g *oas.ClientGrant) *ClientGrant {
	return &ClientGrant{
		ID:                        g.ID.Or(""),
		ClientID:                  g.ClientID.Or(""),
		Audience:                  g.Audience.Or(""),
		Scope:                     g.Scope,
		OrganizationUsage:         OrganizationUsage(g.OrganizationUsage.Or("")),
		AllowAnyOrganization:      g.AllowAnyOrganization.Or(false),
		DefaultFor:                g.DefaultFor.Or(""),
		IsSystem:                  g.IsSystem.Or(false),
		SubjectType:               SubjectType(g.SubjectType.Or("")),
		AuthorizationDetailsTypes: g.AuthorizationDetailsTypes,
		AllowAllScopes:            g.AllowAllScopes.Or(false),
	}
}
