package pingone

import (
	"context"
	"iter"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// Resource is a protected resource (an API) of the environment.
type Resource struct {
	ID                         string    // the resource's id; a grant key's Resource
	Name                       string    // the resource's name
	Type                       string    // OPENID_CONNECT, PINGONE_API or CUSTOM today; kept as sent
	Audience                   string    // the aud claim of tokens for the resource
	Description                string    // empty when PingOne sent none
	AccessTokenValiditySeconds int       // 0 when PingOne did not say
	CreatedAt                  time.Time // zero if PingOne did not send a valid time
	UpdatedAt                  time.Time // zero if PingOne did not send a valid time
}

// ResourceScope is a scope of a resource.
type ResourceScope struct {
	ID          string    // the scope's id, which grants hold
	Name        string    // the scope as tokens carry it, unique within the resource
	Description string    // empty when PingOne sent none
	ResourceID  string    // the resource that defines it
	CreatedAt   time.Time // zero if PingOne did not send a valid time
	UpdatedAt   time.Time // zero if PingOne did not send a valid time
}

// ResourcesService reads resources (/environments/{environmentID}/resources) and manages the
// scopes each defines (ListScopes, GetScope, CreateScope, UpdateScope, DeleteScope).
type ResourcesService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ResourcesService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// ResourceListOptions pages ResourcesService.List and ListPage.
type ResourceListOptions struct {
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// List iterates over the environment's resources, page after page.
func (s *ResourcesService) List(ctx context.Context, opts ResourceListOptions) iter.Seq2[*Resource, error] {
	return pages(ctx, s.begin, "Resources.List", opts.Cursor, s.fetch)
}

// ListPage returns one page of the environment's resources; its Total is PingOne's count.
func (s *ResourcesService) ListPage(ctx context.Context, opts ResourceListOptions) (grantkit.Page[Resource], error) {
	return page(ctx, s.begin, "Resources.ListPage", opts.Cursor, s.fetch)
}

func (s *ResourcesService) fetch(ctx context.Context, opts ...oas.RequestOption) (collection[Resource], error) {
	res, err := s.c.api.ReadAllResources(ctx, oas.ReadAllResourcesParams{EnvironmentID: s.c.env}, opts...)
	if err != nil {
		return collection[Resource]{}, err
	}
	list := res.Embedded.Value.Resources
	out := collection[Resource]{items: make([]Resource, len(list)), links: res.Links, count: res.Count}
	for i := range list {
		out.items[i] = fromResource(&list[i])
	}
	return out, nil
}

// Get returns resource resourceID.
func (s *ResourcesService) Get(ctx context.Context, resourceID string) (*Resource, error) {
	ctx, call, err := s.begin(ctx, "Resources.Get")
	if err != nil {
		return nil, err
	}
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

// ListScopes iterates over the scopes of resource resourceID, page after page.
func (s *ResourcesService) ListScopes(ctx context.Context, resourceID string) iter.Seq2[*ResourceScope, error] {
	return pages(ctx, s.begin, "Resources.ListScopes", "", func(ctx context.Context, opts ...oas.RequestOption) (collection[ResourceScope], error) {
		if err := validate.ID("resourceID", resourceID); err != nil {
			return collection[ResourceScope]{}, err
		}
		res, err := s.c.api.ReadAllResourceScopes(ctx, oas.ReadAllResourceScopesParams{EnvironmentID: s.c.env, ResourceID: resourceID}, opts...)
		if err != nil {
			return collection[ResourceScope]{}, err
		}
		list := res.Embedded.Value.Scopes
		out := collection[ResourceScope]{items: make([]ResourceScope, len(list)), links: res.Links, count: res.Count}
		for i, sc := range list {
			out.items[i] = ResourceScope{ID: sc.ID.Or(""), Name: sc.Name.Or(""), Description: sc.Description.Or(""), ResourceID: sc.Resource.Value.ID.Or(resourceID),
				CreatedAt: parseTime(sc.CreatedAt.Or("")), UpdatedAt: parseTime(sc.UpdatedAt.Or(""))}
		}
		return out, nil
	})
}

func fromResource(r *oas.Resource) Resource {
	return Resource{ID: r.ID.Or(""), Name: r.Name.Or(""), Type: r.Type.Or(""), Audience: r.Audience.Or(""), Description: r.Description.Or(""),
		AccessTokenValiditySeconds: r.AccessTokenValiditySeconds.Or(0), CreatedAt: parseTime(r.CreatedAt.Or("")), UpdatedAt: parseTime(r.UpdatedAt.Or(""))}
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
