package pingone

import (
	"context"
	"iter"
	"time"

	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// Resource is a protected resource (an API) of the environment.
type Resource struct {
	ID                         string
	Name                       string
	Type                       string // OPENID_CONNECT, PINGONE_API or CUSTOM today; kept as sent
	Audience                   string
	Description                string
	AccessTokenValiditySeconds int       // 0 when PingOne did not say
	CreatedAt                  time.Time // zero if PingOne did not send a valid time
	UpdatedAt                  time.Time
}

// ResourceScope is a scope of a resource.
type ResourceScope struct {
	ID          string
	Name        string
	Description string
	ResourceID  string
	CreatedAt   time.Time // zero if PingOne did not send a valid time
	UpdatedAt   time.Time
}

// ResourcesService reads resources and their scopes (/environments/{environmentID}/resources).
type ResourcesService struct{ c *Client }

// List iterates over the environment's resources, page after page.
func (s *ResourcesService) List(ctx context.Context) iter.Seq2[*Resource, error] {
	return pages(ctx, "Resources.List", func(ctx context.Context, opts ...oas.RequestOption) ([]Resource, oas.OptLinksHATEOAS, error) {
		res, err := s.c.api.ReadAllResources(ctx, oas.ReadAllResourcesParams{EnvironmentID: s.c.env}, opts...)
		if err != nil {
			return nil, oas.OptLinksHATEOAS{}, err
		}
		list := res.Embedded.Value.Resources
		out := make([]Resource, len(list))
		for i := range list {
			out[i] = fromResource(&list[i])
		}
		return out, res.Links, nil
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

// ListScopes iterates over the scopes of resource resourceID, page after page.
func (s *ResourcesService) ListScopes(ctx context.Context, resourceID string) iter.Seq2[*ResourceScope, error] {
	return pages(ctx, "Resources.ListScopes", func(ctx context.Context, opts ...oas.RequestOption) ([]ResourceScope, oas.OptLinksHATEOAS, error) {
		if err := validate.ID("resourceID", resourceID); err != nil {
			return nil, oas.OptLinksHATEOAS{}, err
		}
		res, err := s.c.api.ReadAllResourceScopes(ctx, oas.ReadAllResourceScopesParams{EnvironmentID: s.c.env, ResourceID: resourceID}, opts...)
		if err != nil {
			return nil, oas.OptLinksHATEOAS{}, err
		}
		list := res.Embedded.Value.Scopes
		out := make([]ResourceScope, len(list))
		for i, sc := range list {
			out[i] = ResourceScope{ID: sc.ID.Or(""), Name: sc.Name.Or(""), Description: sc.Description.Or(""), ResourceID: sc.Resource.Value.ID.Or(resourceID),
				CreatedAt: parseTime(sc.CreatedAt.Or("")), UpdatedAt: parseTime(sc.UpdatedAt.Or(""))}
		}
		return out, res.Links, nil
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
