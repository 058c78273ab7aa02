package pingone

import (
	"context"
	"iter"
	"time"

	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// ApplicationGrant lets an application request some scopes of one resource.
type ApplicationGrant struct {
	ID            string
	EnvironmentID string
	ApplicationID string
	ResourceID    string
	ScopeIDs      []string
	CreatedAt     time.Time // zero if PingOne did not send a valid time
	UpdatedAt     time.Time
}

// GrantParams is the body of ApplicationGrantsService.Create and Update: the resource and the
// complete list of its scopes granted. On Update the resource must be the grant's own.
type GrantParams struct {
	ResourceID string
	ScopeIDs   []string
}

// Resource is a protected resource (an API) of the environment.
type Resource struct {
	ID          string
	Name        string
	Type        string // OPENID_CONNECT, PINGONE_API or CUSTOM today; kept as sent
	Audience    string
	Description string
}

// ResourceScope is a scope of a resource.
type ResourceScope struct {
	ID          string
	Name        string
	Description string
	ResourceID  string
}

// Application is an application of the environment, as far as grants need it.
type Application struct {
	ID       string
	Name     string
	Type     string // WORKER, WEB_APP, ...; kept as sent
	Protocol string
	Enabled  bool
}

// ApplicationGrantsService manages application resource grants
// (/environments/{environmentID}/applications/{applicationID}/grants).
type ApplicationGrantsService struct{ c *Client }

// List iterates over the grants of application appID.
func (s *ApplicationGrantsService) List(ctx context.Context, appID string) iter.Seq2[*ApplicationGrant, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]ApplicationGrant, error) {
		ctx, call := begin(ctx, "ApplicationGrants.List")
		if err := validate.ID("appID", appID); err != nil {
			return nil, call.Err(err)
		}
		res, err := s.c.api.ReadAllApplicationGrants(ctx, oas.ReadAllApplicationGrantsParams{EnvironmentID: s.c.env, ApplicationID: appID})
		if err != nil {
			return nil, call.Err(err)
		}
		if err := onePage(call, res.Links); err != nil {
			return nil, err
		}
		list := res.Embedded.Value.Grants
		out := make([]ApplicationGrant, len(list))
		for i := range list {
			out[i] = *fromGrant(&list[i])
		}
		return out, nil
	})
}

// Get returns grant grantID of application appID.
func (s *ApplicationGrantsService) Get(ctx context.Context, appID, grantID string) (*ApplicationGrant, error) {
	ctx, call := begin(ctx, "ApplicationGrants.Get")
	if err := checkIDs(appID, grantID); err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.ReadOneApplicationGrant(ctx, oas.ReadOneApplicationGrantParams{EnvironmentID: s.c.env, ApplicationID: appID, GrantID: grantID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromGrant(g), nil
}

// Create grants application appID the scopes p.ScopeIDs of resource p.ResourceID.
func (s *ApplicationGrantsService) Create(ctx context.Context, appID string, p GrantParams) (*ApplicationGrant, error) {
	ctx, call := begin(ctx, "ApplicationGrants.Create")
	call.Creates("the grant may now exist; find it with ApplicationGrants.List for the application, by its resource")
	if err := validate.ID("appID", appID); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.CreateApplicationGrant(ctx, req, oas.CreateApplicationGrantParams{EnvironmentID: s.c.env, ApplicationID: appID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromGrant(g), nil
}

// Update replaces the scopes of grant grantID of application appID (PUT). p.ResourceID must be
// the grant's own resource; PingOne refuses any other.
func (s *ApplicationGrantsService) Update(ctx context.Context, appID, grantID string, p GrantParams) (*ApplicationGrant, error) {
	ctx, call := begin(ctx, "ApplicationGrants.Update")
	if err := checkIDs(appID, grantID); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.UpdateApplicationGrant(ctx, req, oas.UpdateApplicationGrantParams{EnvironmentID: s.c.env, ApplicationID: appID, GrantID: grantID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromGrant(g), nil
}

// Delete deletes grant grantID of application appID.
func (s *ApplicationGrantsService) Delete(ctx context.Context, appID, grantID string) error {
	ctx, call := begin(ctx, "ApplicationGrants.Delete")
	if err := checkIDs(appID, grantID); err != nil {
		return call.Err(err)
	}
	return call.Err(s.c.api.DeleteApplicationGrant(ctx, oas.DeleteApplicationGrantParams{EnvironmentID: s.c.env, ApplicationID: appID, GrantID: grantID}))
}

// ResourcesService reads resources and their scopes (/environments/{environmentID}/resources).
type ResourcesService struct{ c *Client }

// List iterates over the environment's resources.
func (s *ResourcesService) List(ctx context.Context) iter.Seq2[*Resource, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]Resource, error) {
		ctx, call := begin(ctx, "Resources.List")
		res, err := s.c.api.ReadAllResources(ctx, oas.ReadAllResourcesParams{EnvironmentID: s.c.env})
		if err != nil {
			return nil, call.Err(err)
		}
		if err := onePage(call, res.Links); err != nil {
			return nil, err
		}
		list := res.Embedded.Value.Resources
		out := make([]Resource, len(list))
		for i := range list {
			out[i] = fromResource(&list[i])
		}
		return out, nil
	})
}

// Get returns resource resourceID.
func (s *ResourcesService) Get(ctx context.Context, resourceID string) (*Resource, error) {
	ctx, call := begin(ctx, "Resources.Get")
	if err := validate.ID("resourceID", resourceID); err != nil {
		return nil, call.Err(err)
	}
	r, err := s.c.api.ReadOneResource(ctx, oas.ReadOneResourceParams{EnvironmentID: s.c.env, ResourceID: resourceID})
	if err != nil {
		return nil, call.Err(err)
	}
	out := fromResource(r)
	return &out, nil
}

// ListScopes iterates over the scopes of resource resourceID.
func (s *ResourcesService) ListScopes(ctx context.Context, resourceID string) iter.Seq2[*ResourceScope, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]ResourceScope, error) {
		ctx, call := begin(ctx, "Resources.ListScopes")
		if err := validate.ID("resourceID", resourceID); err != nil {
			return nil, call.Err(err)
		}
		res, err := s.c.api.ReadAllResourceScopes(ctx, oas.ReadAllResourceScopesParams{EnvironmentID: s.c.env, ResourceID: resourceID})
		if err != nil {
			return nil, call.Err(err)
		}
		if err := onePage(call, res.Links); err != nil {
			return nil, err
		}
		list := res.Embedded.Value.Scopes
		out := make([]ResourceScope, len(list))
		for i, sc := range list {
			out[i] = ResourceScope{ID: sc.ID.Or(""), Name: sc.Name.Or(""), Description: sc.Description.Or(""), ResourceID: sc.Resource.Value.ID.Or(resourceID)}
		}
		return out, nil
	})
}

// ApplicationsService reads the environment's applications.
type ApplicationsService struct{ c *Client }

// List iterates over the environment's applications.
func (s *ApplicationsService) List(ctx context.Context) iter.Seq2[*Application, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]Application, error) {
		ctx, call := begin(ctx, "Applications.List")
		res, err := s.c.api.ReadAllApplications(ctx, oas.ReadAllApplicationsParams{EnvironmentID: s.c.env})
		if err != nil {
			return nil, call.Err(err)
		}
		if err := onePage(call, res.Links); err != nil {
			return nil, err
		}
		list := res.Embedded.Value.Applications
		out := make([]Application, len(list))
		for i, a := range list {
			out[i] = Application{ID: a.ID.Or(""), Name: a.Name.Or(""), Type: a.Type.Or(""), Protocol: a.Protocol.Or(""), Enabled: a.Enabled.Or(false)}
		}
		return out, nil
	})
}

// onePage fails a list answer that PingOne split into pages. These collections come whole
// today; if that changes, failing loudly is better than silently returning part of the list.
func onePage(call *transport.Call, links oas.OptLinksHATEOAS) error {
	if _, ok := links.Value["next"]; ok {
		return call.Failed("PingOne returned a next page, which this version of grantkit does not follow")
	}
	return nil
}

func checkIDs(appID, grantID string) error {
	if err := validate.ID("appID", appID); err != nil {
		return err
	}
	return validate.ID("grantID", grantID)
}

func (p GrantParams) toOAS() (*oas.ApplicationResourceGrantRequest, error) {
	if err := validate.ID("ResourceID", p.ResourceID); err != nil {
		return nil, err
	}
	if err := validate.Each("ScopeIDs", p.ScopeIDs, validate.ID); err != nil {
		return nil, err
	}
	req := &oas.ApplicationResourceGrantRequest{
		Resource: oas.ApplicationResourceGrantRequestResource{ID: p.ResourceID},
		Scopes:   make([]oas.ApplicationResourceGrantRequestScopesItem, len(p.ScopeIDs)),
	}
	for i, id := range p.ScopeIDs {
		req.Scopes[i].ID = id
	}
	return req, nil
}

func fromGrant(g *oas.ApplicationResourceGrant) *ApplicationGrant {
	out := &ApplicationGrant{
		ID:            g.ID.Or(""),
		EnvironmentID: g.Environment.Value.ID.Or(""),
		ApplicationID: g.Application.Value.ID.Or(""),
		ResourceID:    g.Resource.Value.ID.Or(""),
		ScopeIDs:      make([]string, len(g.Scopes)),
		CreatedAt:     parseTime(g.CreatedAt.Or("")),
		UpdatedAt:     parseTime(g.UpdatedAt.Or("")),
	}
	for i, s := range g.Scopes {
		out.ScopeIDs[i] = s.ID.Or("")
	}
	return out
}

func fromResource(r *oas.Resource) Resource {
	return Resource{ID: r.ID.Or(""), Name: r.Name.Or(""), Type: r.Type.Or(""), Audience: r.Audience.Or(""), Description: r.Description.Or("")}
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
