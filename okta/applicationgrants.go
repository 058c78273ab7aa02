package okta

import (
	"context"
	"encoding/json"
	"iter"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/okta/internal/oas"
)

// GrantSource says who consented to a grant. The constants are the values Okta documents;
// another value is kept as Okta sent it.
type GrantSource string

// The grant sources Okta documents.
const (
	GrantSourceAdmin   GrantSource = "ADMIN"
	GrantSourceEndUser GrantSource = "END_USER"
)

// ApplicationGrant is an app's consent to request one scope of one issuer (Okta's
// OAuth2ScopeConsentGrant). Okta keeps at most one per app, issuer and scope; a grant is never
// changed, only given and revoked.
type ApplicationGrant struct {
	ID       string
	ClientID string // the app's client id (its id)
	Issuer   string // the authorization server whose scope is granted
	ScopeID  string // the scope's name (okta.users.read, or a custom server's scope)
	Source   GrantSource
	Status   string // ACTIVE or REVOKED: kept as Okta sent it
	UserID   string // the user who consented, when Source is END_USER
	// CreatedBy is who made the grant: Okta's actor id and type ("User", ...).
	CreatedByID, CreatedByType string
	Created, LastUpdated       time.Time // zero if Okta sent no valid time
	// Extra holds the fields of Okta's answer that this version does not model, as raw JSON
	// by name (nil when there are none): _links and _embedded among them.
	Extra map[string]json.RawMessage
}

// ApplicationGrantCreate is the body of ApplicationGrantsService.Create: the issuer and the
// scope the app is granted.
type ApplicationGrantCreate struct {
	Issuer  string
	ScopeID string
}

// ApplicationGrantListOptions continues ApplicationGrantsService.List and ListPage. Okta's
// document gives this list no page size; a Link rel="next", if Okta sends one, is followed.
type ApplicationGrantListOptions struct {
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// ApplicationGrantsService manages the scope consent grants of the org's apps
// (/apps/{appId}/grants).
type ApplicationGrantsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ApplicationGrantsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the grants of app appID, page after page.
func (s *ApplicationGrantsService) List(ctx context.Context, appID string, opts ApplicationGrantListOptions) iter.Seq2[*ApplicationGrant, error] {
	return all(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[ApplicationGrant], error) {
		return s.listPage(ctx, "ApplicationGrants.List", appID, ApplicationGrantListOptions{Cursor: cursor})
	})
}

// ListPage returns one page of the grants of app appID; its Next continues in opts.Cursor.
func (s *ApplicationGrantsService) ListPage(ctx context.Context, appID string, opts ApplicationGrantListOptions) (grantkit.Page[ApplicationGrant], error) {
	return s.listPage(ctx, "ApplicationGrants.ListPage", appID, opts)
}

func (s *ApplicationGrantsService) listPage(ctx context.Context, op, appID string, opts ApplicationGrantListOptions) (grantkit.Page[ApplicationGrant], error) {
	return page(ctx, s.begin, op, opts.Cursor, func(ctx context.Context, ro ...oas.RequestOption) ([]ApplicationGrant, []string, error) {
		if err := validate.ID("appId", appID); err != nil {
			return nil, nil, err
		}
		res, err := s.c.api.ListScopeConsentGrants(ctx, oas.ListScopeConsentGrantsParams{AppId: appID}, ro...)
		if err != nil {
			return nil, nil, err
		}
		out := make([]ApplicationGrant, len(res.Response))
		for i := range res.Response {
			out[i] = *fromGrant(&res.Response[i])
		}
		return out, res.Link, nil
	})
}

// Get returns grant grantID of app appID.
func (s *ApplicationGrantsService) Get(ctx context.Context, appID, grantID string) (*ApplicationGrant, error) {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Get")
	if err != nil {
		return nil, err
	}
	if err := checkIDs(appID, grantID); err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.GetScopeConsentGrant(ctx, oas.GetScopeConsentGrantParams{AppId: appID, GrantId: grantID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromGrant(g), nil
}

// Create grants app appID consent to request scope p.ScopeID of issuer p.Issuer (Grant
// consent to scope). Okta refuses a scope the app holds already on that issuer (see
// specs/README.md); Grants().Create adopts such a scope instead. A create is never sent again
// blindly: when its answer is lost, the app's grants are read, and the grant of that issuer and
// scope is returned if there is one; otherwise the create is sent again (Okta refuses a
// duplicate, so a late landing cannot make two).
func (s *ApplicationGrantsService) Create(ctx context.Context, appID string, p ApplicationGrantCreate) (*ApplicationGrant, error) {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the grant may now exist; find it with ApplicationGrants.List for the app, by issuer and scope")
	if err := validate.ID("appId", appID); err != nil {
		return nil, call.Err(err)
	}
	if err := checkGrant(p.Issuer, p.ScopeID); err != nil {
		return nil, call.Err(err)
	}
	req := &oas.OAuth2ScopeConsentGrantRequest{Issuer: p.Issuer, ScopeId: p.ScopeID}
	return transport.Create(ctx, call, func() (*ApplicationGrant, error) {
		g, err := s.c.api.GrantConsentToScope(ctx, req, oas.GrantConsentToScopeParams{AppId: appID})
		if err != nil {
			return nil, call.Err(err)
		}
		return fromGrant(g), nil
	}, transport.Lookup[ApplicationGrant]{
		// Okta keeps one grant per app, issuer and scope, and refuses a second with 400
		// E0000001 "already assigned" (specs/README.md): a lost create is looked up by those
		// three, and sent again only when none is found.
		Unique: true,
		Exists: func(e *grantkit.Error) bool { return assigned(e) },
		Find: func(ctx context.Context) (*ApplicationGrant, string, error) {
			for g, err := range s.List(ctx, appID, ApplicationGrantListOptions{}) {
				if err != nil {
					return nil, "", err
				}
				if g.Issuer == p.Issuer && g.ScopeID == p.ScopeID && inEffect(g) {
					return g, "", nil
				}
			}
			return nil, "", nil
		},
	})
}

// Delete revokes grant grantID of app appID (Revoke an app grant).
func (s *ApplicationGrantsService) Delete(ctx context.Context, appID, grantID string) error {
	ctx, call, err := s.begin(ctx, "ApplicationGrants.Delete")
	if err != nil {
		return err
	}
	if err := checkIDs(appID, grantID); err != nil {
		return call.Err(err)
	}
	// A revoke whose answer was lost and that then finds no grant (404) is done (Call.Deleted).
	return call.Deleted(s.c.api.RevokeScopeConsentGrant(ctx, oas.RevokeScopeConsentGrantParams{AppId: appID, GrantId: grantID}))
}

func checkIDs(appID, grantID string) error {
	if err := validate.ID("appId", appID); err != nil {
		return err
	}
	return validate.ID("grantId", grantID)
}

// checkGrant checks a grant's issuer (an absolute https URL, or http to a loopback host) and
// scope (an OAuth scope token), as the body names them.
func checkGrant(issuer, scope string) error {
	if err := checkIssuer("issuer", issuer); err != nil {
		return err
	}
	return validate.ScopeToken("scopeId", scope)
}

func checkIssuer(field, issuer string) error {
	if issuer == "" {
		return validate.Errorf(field, "must not be empty")
	}
	if _, err := validate.BaseURL(field, issuer); err != nil {
		return err
	}
	return nil
}

func fromGrant(g *oas.OAuth2ScopeConsentGrant) *ApplicationGrant {
	out := &ApplicationGrant{
		ID: g.ID.Or(""), ClientID: g.ClientId.Or(""), Issuer: g.Issuer.Or(""), ScopeID: g.ScopeId.Or(""),
		Source: GrantSource(g.Source.Or("")), Status: string(g.Status.Or("")), UserID: g.UserId.Or(""),
		CreatedByID: g.CreatedBy.Value.ID.Or(""), CreatedByType: g.CreatedBy.Value.Type.Or(""),
		Created: parseTime(string(g.Created.Or(""))), LastUpdated: parseTime(string(g.LastUpdated.Or(""))),
		Extra: extra(g.AdditionalProps),
	}
	for name, raw := range map[string]func() ([]byte, bool){
		"_links":    func() ([]byte, bool) { return marshalOpt(g.Links.Set, g.Links.Value.MarshalJSON) },
		"_embedded": func() ([]byte, bool) { return marshalOpt(g.Embedded.Set, g.Embedded.Value.MarshalJSON) },
	} {
		if b, ok := raw(); ok {
			if out.Extra == nil {
				out.Extra = map[string]json.RawMessage{}
			}
			out.Extra[name] = b
		}
	}
	return out
}

func marshalOpt(set bool, m func() ([]byte, error)) ([]byte, bool) {
	if !set {
		return nil, false
	}
	b, err := m()
	return b, err == nil
}
