package pingone

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// ApplicationGrant lets an application request some scopes of one resource. Every field of
// PingOne's grant data model is here; what PingOne sends beyond it is remembered, and an update
// built with AsUpdate sends it back.
type ApplicationGrant struct {
	ID            string    // the grant's id
	EnvironmentID string    // the environment it belongs to
	ApplicationID string    // the application granted
	ResourceID    string    // the resource whose scopes it grants
	ScopeIDs      []string  // the scopes granted, by id
	CreatedAt     time.Time // zero if PingOne did not send a valid time
	UpdatedAt     time.Time // zero if PingOne did not send a valid time

	kept grantKept
}

// ApplicationGrantCreate is the body of ApplicationGrantsService.Create: the resource and the
// complete list of its scopes granted.
type ApplicationGrantCreate struct {
	ResourceID string   // the resource whose scopes are granted
	ScopeIDs   []string // every scope granted, by id
}

// ApplicationGrantUpdate is the body of ApplicationGrantsService.Update (a PUT that replaces
// the grant): the resource, which must be the grant's own, and the complete list of its scopes
// granted. To change a grant, start from its AsUpdate so that nothing else is lost.
type ApplicationGrantUpdate struct {
	ResourceID string   // the grant's own resource; PingOne refuses another
	ScopeIDs   []string // every scope granted from now on, by id

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

// AsUpdate returns the body that writes g back as it is: change ScopeIDs and pass it to
// Update. What PingOne sent that grantkit does not model goes back with it.
func (g *ApplicationGrant) AsUpdate() ApplicationGrantUpdate {
	return ApplicationGrantUpdate{ResourceID: g.ResourceID, ScopeIDs: slices.Clone(g.ScopeIDs), kept: g.kept}
}

// ApplicationGrantsService manages application resource grants
// (/environments/{environmentID}/applications/{applicationID}/grants).
type ApplicationGrantsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ApplicationGrantsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// ApplicationGrantListOptions pages ApplicationGrantsService.List and ListPage.
type ApplicationGrantListOptions struct {
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// List iterates over the grants of application appID, page after page.
func (s *ApplicationGrantsService) List(ctx context.Context, appID string, opts ApplicationGrantListOptions) iter.Seq2[*ApplicationGrant, error] {
	return pages(ctx, s.begin, "ApplicationGrants.List", opts.Cursor, s.fetch(appID))
}

// ListPage returns one page of the grants of application appID; its Total is PingOne's count.
func (s *ApplicationGrantsService) ListPage(ctx context.Context, appID string, opts ApplicationGrantListOptions) (grantkit.Page[ApplicationGrant], error) {
	return page(ctx, s.begin, "ApplicationGrants.ListPage", opts.Cursor, s.fetch(appID))
}

func (s *ApplicationGrantsService) fetch(appID string) func(ctx context.Context, opts ...oas.RequestOption) (collection[ApplicationGrant], error) {
	return func(ctx context.Context, opts ...oas.RequestOption) (collection[ApplicationGrant], error) {
		if err := validate.ID("applicationID", appID); err != nil {
			return collection[ApplicationGrant]{}, err
		}
		res, err := s.c.api.ReadAllApplicationGrants(ctx, oas.ReadAllApplicationGrantsParams{EnvironmentID: s.c.env, ApplicationID: appID}, opts...)
		if err != nil {
			return collection[ApplicationGrant]{}, err
		}
		list := res.Embedded.Value.Grants
		out := collection[ApplicationGrant]{items: make([]ApplicationGrant, len(list)), links: res.Links, count: res.Count}
		for i := range list {
			out.items[i] = *fromGrant(&list[i])
		}
		return out, nil
	}
}

// Get returns grant grantID of application appID.
func (s *ApplicationGrantsService) Get(ctx context.Context, appID, grantID string) (*ApplicationGrant, error) {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Get")
	if err != nil {
		return nil, err
	}
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
// keeps at most one grant per application and resource (see specs/README.md). A create whose
// answer is lost is never resent blindly: the application's grant on the resource is looked
// up and returned if it has the scopes asked; the create is sent again only if there is none.
func (s *ApplicationGrantsService) Create(ctx context.Context, appID string, p ApplicationGrantCreate) (*ApplicationGrant, error) {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the grant may now exist; find it with ApplicationGrants.List for the application, by its resource")
	if err := validate.ID("applicationID", appID); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*ApplicationGrant, error) {
		g, err := s.c.api.CreateApplicationGrant(ctx, req, oas.CreateApplicationGrantParams{EnvironmentID: s.c.env, ApplicationID: appID})
		if err != nil {
			return nil, call.Err(err)
		}
		return fromGrant(g), nil
	}, transport.Lookup[ApplicationGrant]{
		Unique: true, // PingOne keeps one grant per application and resource (409 on a second)
		Find: func(ctx context.Context) (*ApplicationGrant, string, error) {
			for g, err := range s.List(ctx, appID, ApplicationGrantListOptions{}) {
				if err != nil {
					return nil, "", err
				}
				if g.ResourceID != p.ResourceID {
					continue
				}
				if !sameSet(g.ScopeIDs, p.ScopeIDs) {
					return g, fmt.Sprintf("grant %s has scopes %q, asked %q", g.ID, g.ScopeIDs, p.ScopeIDs), nil
				}
				return g, "", nil
			}
			return nil, "", nil
		},
	})
}

// sameSet reports whether a and b hold the same strings, in any order and count.
func sameSet(a, b []string) bool {
	return slices.Equal(grantkit.NormalizeScopes(a), grantkit.NormalizeScopes(b))
}

// Update replaces grant grantID of application appID (PUT): its scopes, and whatever else p
// carries from the read it was built from (see ApplicationGrant.AsUpdate). p.ResourceID must be
// the grant's own resource; PingOne refuses any other.
func (s *ApplicationGrantsService) Update(ctx context.Context, appID, grantID string, p ApplicationGrantUpdate) (*ApplicationGrant, error) {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Update")
	if err != nil {
		return nil, err
	}
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

// Delete deletes grant grantID of application appID. A 404 after an attempt whose answer was
// lost (it may have landed) is success: the grant is gone as asked.
func (s *ApplicationGrantsService) Delete(ctx context.Context, appID, grantID string) error {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Delete")
	if err != nil {
		return err
	}
	if err := checkIDs(appID, grantID); err != nil {
		return call.Err(err)
	}
	return call.Deleted(s.c.api.DeleteApplicationGrant(ctx, oas.DeleteApplicationGrantParams{EnvironmentID: s.c.env, ApplicationID: appID, GrantID: grantID}))
}

func checkIDs(appID, grantID string) error {
	if err := validate.ID("applicationID", appID); err != nil {
		return err
	}
	return validate.ID("grantID", grantID)
}

func (p ApplicationGrantCreate) toOAS() (*oas.ApplicationResourceGrantRequest, error) {
	return grantRequest(p.ResourceID, p.ScopeIDs, grantKept{})
}

func (p ApplicationGrantUpdate) toOAS() (*oas.ApplicationResourceGrantRequest, error) {
	return grantRequest(p.ResourceID, p.ScopeIDs, p.kept)
}

// grantRequest is the body of a create or an update (both send the whole grant), with what a
// read carried that grantkit does not model (kept). The ids are checked as ids, like those of
// a path, because PingOne resolves them as references to its objects.
func grantRequest(resourceID string, scopeIDs []string, kept grantKept) (*oas.ApplicationResourceGrantRequest, error) {
	if err := validate.ID("resource.id", resourceID); err != nil {
		return nil, err
	}
	// The field is built only for an id that fails: Each checks every id under its list's
	// name first, and a concatenation per scope would cost an allocation each.
	if err := validate.Each("scopes", scopeIDs, func(f, id string) error {
		if validate.ID(f, id) == nil {
			return nil
		}
		return validate.ID(f+".id", id)
	}); err != nil {
		return nil, err
	}
	req := &oas.ApplicationResourceGrantRequest{
		Resource:        oas.ApplicationResourceGrantRequestResource{ID: resourceID, AdditionalProps: maps.Clone(kept.resource)},
		Scopes:          make([]oas.ApplicationResourceGrantRequestScopesItem, len(scopeIDs)),
		AdditionalProps: maps.Clone(kept.grant),
	}
	for i, id := range scopeIDs {
		req.Scopes[i] = oas.ApplicationResourceGrantRequestScopesItem{ID: id, AdditionalProps: maps.Clone(kept.scopes[id])}
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
