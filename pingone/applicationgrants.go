package pingone

import (
	"context"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// ApplicationGrant lets an application request some scopes of one resource. Every field of
// PingOne's grant data model is here; what PingOne sends beyond it is remembered, and Params
// sends it back.
type ApplicationGrant struct {
	ID            string
	EnvironmentID string
	ApplicationID string
	ResourceID    string
	ScopeIDs      []string
	CreatedAt     time.Time // zero if PingOne did not send a valid time
	UpdatedAt     time.Time

	kept grantKept
}

// GrantParams is the body of ApplicationGrantsService.Create and Update: the resource and the
// complete list of its scopes granted. On Update the resource must be the grant's own. To
// change a grant, start from its Params so that nothing else is lost.
type GrantParams struct {
	ResourceID string
	ScopeIDs   []string

	kept grantKept
}

// grantKept is what a grant read from PingOne carried that grantkit does not model: unknown
// properties of the grant, of its resource reference and of each scope reference (by scope id).
// UPDATE Grant replaces the grant, so an update built from a read sends them back; read-only
// documented fields (id, application, environment, times, links) are not sent.
type grantKept struct {
	grant    map[string]jx.Raw
	resource map[string]jx.Raw
	scopes   map[string]map[string]jx.Raw
}

// Params returns the body that writes g back as it is: change ScopeIDs and pass it to Update.
// What PingOne sent that grantkit does not model goes back with it.
func (g *ApplicationGrant) Params() GrantParams {
	return GrantParams{ResourceID: g.ResourceID, ScopeIDs: slices.Clone(g.ScopeIDs), kept: g.kept}
}

// ApplicationGrantsService manages application resource grants
// (/environments/{environmentID}/applications/{applicationID}/grants).
type ApplicationGrantsService struct{ c *Client }

// List iterates over the grants of application appID, page after page.
func (s *ApplicationGrantsService) List(ctx context.Context, appID string) iter.Seq2[*ApplicationGrant, error] {
	return pages(ctx, "ApplicationGrants.List", func(ctx context.Context, opts ...oas.RequestOption) ([]ApplicationGrant, oas.OptLinksHATEOAS, error) {
		if err := validate.ID("appID", appID); err != nil {
			return nil, oas.OptLinksHATEOAS{}, err
		}
		res, err := s.c.api.ReadAllApplicationGrants(ctx, oas.ReadAllApplicationGrantsParams{EnvironmentID: s.c.env, ApplicationID: appID}, opts...)
		if err != nil {
			return nil, oas.OptLinksHATEOAS{}, err
		}
		list := res.Embedded.Value.Grants
		out := make([]ApplicationGrant, len(list))
		for i := range list {
			out[i] = *fromGrant(&list[i])
		}
		return out, res.Links, nil
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

// Create grants application appID the scopes p.ScopeIDs of resource p.ResourceID. PingOne
// keeps at most one grant per application and resource (see specs/README.md).
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

// Update replaces grant grantID of application appID (PUT): its scopes, and whatever else p
// carries from the read it was built from (see ApplicationGrant.Params). p.ResourceID must be
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
		Resource:        oas.ApplicationResourceGrantRequestResource{ID: p.ResourceID, AdditionalProps: maps.Clone(p.kept.resource)},
		Scopes:          make([]oas.ApplicationResourceGrantRequestScopesItem, len(p.ScopeIDs)),
		AdditionalProps: maps.Clone(p.kept.grant),
	}
	for i, id := range p.ScopeIDs {
		req.Scopes[i] = oas.ApplicationResourceGrantRequestScopesItem{ID: id, AdditionalProps: maps.Clone(p.kept.scopes[id])}
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
		kept:          grantKept{grant: unknown(g.AdditionalProps), resource: unknown(g.Resource.Value.AdditionalProps)},
	}
	for i, s := range g.Scopes {
		out.ScopeIDs[i] = s.ID.Or("")
		if props := unknown(s.AdditionalProps); props != nil {
			if out.kept.scopes == nil {
				out.kept.scopes = map[string]map[string]jx.Raw{}
			}
			out.kept.scopes[out.ScopeIDs[i]] = props
		}
	}
	return out
}

// unknown copies the properties a decoded object carried beyond its schema, nil when none, so
// that a grant read twice compares equal to itself and to a literal.
func unknown[M ~map[string]jx.Raw](m M) map[string]jx.Raw {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(map[string]jx.Raw(m))
}
