package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/okta/internal/oas"
)

// Consent says whether a consent dialog is needed for a scope. The constants are the values
// Okta documents; any other value is sent as it is for Okta to judge, and kept when read.
type Consent string

// The consent values Okta documents.
const (
	ConsentImplicit Consent = "IMPLICIT"
	ConsentRequired Consent = "REQUIRED"
	ConsentFlexible Consent = "FLEXIBLE"
)

// MetadataPublish says whether a scope is listed in the server's metadata. The constants are
// the values Okta documents; any other value is sent as it is, and kept when read.
type MetadataPublish string

// The metadata publish values Okta documents.
const (
	MetadataPublishAllClients MetadataPublish = "ALL_CLIENTS"
	MetadataPublishNoClients  MetadataPublish = "NO_CLIENTS"
)

// Scope is a scope of a custom authorization server (Okta's OAuth2Scope).
type Scope struct {
	ID              string
	Name            string
	DisplayName     string
	Description     string
	Consent         Consent
	MetadataPublish MetadataPublish
	Default         bool
	Optional        bool
	System          bool // defined by Okta (openid, profile, ...)
	// Extra holds the fields of Okta's answer that this version does not model, as raw JSON
	// by name (nil when there are none).
	Extra map[string]json.RawMessage
}

// ScopeCreate is the body of AuthorizationServersService.CreateScope. Name is required; zero
// values of the other fields are left out, so Okta's defaults apply.
type ScopeCreate struct {
	Name            string
	DisplayName     string
	Description     string
	Consent         Consent
	MetadataPublish MetadataPublish
	Default         bool
	Optional        bool
}

// ScopeUpdate is what AuthorizationServersService.UpdateScope changes: fields left as their
// zero value keep the scope's current value; Description and DisplayName may be grantkit.Null,
// which removes them.
type ScopeUpdate struct {
	Name            grantkit.Field[string]
	DisplayName     grantkit.Field[string]
	Description     grantkit.Field[string]
	Consent         grantkit.Field[Consent]
	MetadataPublish grantkit.Field[MetadataPublish]
	Default         grantkit.Field[bool]
	Optional        grantkit.Field[bool]
}

// ScopeListOptions filters and pages AuthorizationServersService.ListScopes and
// ListScopesPage.
type ScopeListOptions struct {
	// Query keeps the scopes whose name matches it (Okta's q); empty keeps all.
	Query string
	// PageSize is the number of scopes per request, 1 to 200; zero means Okta's default.
	PageSize int
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// ListScopes iterates over the scopes of custom authorization server serverID.
func (s *AuthorizationServersService) ListScopes(ctx context.Context, serverID string, opts ScopeListOptions) iter.Seq2[*Scope, error] {
	return all(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[Scope], error) {
		o := opts
		o.Cursor = cursor
		return s.listScopesPage(ctx, "AuthorizationServers.ListScopes", serverID, o)
	})
}

// ListScopesPage returns one page of the scopes of custom authorization server serverID.
func (s *AuthorizationServersService) ListScopesPage(ctx context.Context, serverID string, opts ScopeListOptions) (grantkit.Page[Scope], error) {
	return s.listScopesPage(ctx, "AuthorizationServers.ListScopesPage", serverID, opts)
}

func (s *AuthorizationServersService) listScopesPage(ctx context.Context, op, serverID string, opts ScopeListOptions) (grantkit.Page[Scope], error) {
	return page(ctx, s.begin, op, opts.Cursor, func(ctx context.Context, ro ...oas.RequestOption) ([]Scope, []string, error) {
		if err := validate.ID("authServerId", serverID); err != nil {
			return nil, nil, err
		}
		p := oas.ListOAuth2ScopesParams{AuthServerId: serverID}
		var limit oas.OptInt32
		if err := pageSize(opts.PageSize, &limit); err != nil {
			return nil, nil, err
		}
		if n, ok := limit.Get(); ok {
			p.Limit.SetTo(int(n))
		}
		if opts.Query != "" {
			p.Q.SetTo(opts.Query)
		}
		res, err := s.c.api.ListOAuth2Scopes(ctx, p, ro...)
		if err != nil {
			return nil, nil, err
		}
		out := make([]Scope, len(res.Response))
		for i := range res.Response {
			out[i] = *fromScope(&res.Response[i])
		}
		return out, res.Link, nil
	})
}

// GetScope returns scope scopeID of custom authorization server serverID.
func (s *AuthorizationServersService) GetScope(ctx context.Context, serverID, scopeID string) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "AuthorizationServers.GetScope")
	if err != nil {
		return nil, err
	}
	if err := checkScopeIDs(serverID, scopeID); err != nil {
		return nil, call.Err(err)
	}
	sc, err := s.c.api.GetOAuth2Scope(ctx, oas.GetOAuth2ScopeParams{AuthServerId: serverID, ScopeId: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromScope(sc), nil
}

// CreateScope defines a scope on custom authorization server serverID and returns it as Okta
// stored it. Okta refuses a name the server defines already. A create is never sent again
// blindly: when its answer is lost, the server's scopes are searched by name (Okta's q), and
// the scope is returned if it is what p asks for; otherwise the create is sent again (Okta
// refuses a duplicate name, so a late landing cannot make two).
func (s *AuthorizationServersService) CreateScope(ctx context.Context, serverID string, p ScopeCreate) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "AuthorizationServers.CreateScope")
	if err != nil {
		return nil, err
	}
	call.Creates("the scope may now exist; find it by name with AuthorizationServers.ListScopes")
	if err := validate.ID("authServerId", serverID); err != nil {
		return nil, call.Err(err)
	}
	req, err := scopeRequest(p)
	if err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*Scope, error) {
		sc, err := s.c.api.CreateOAuth2Scope(ctx, req, oas.CreateOAuth2ScopeParams{AuthServerId: serverID})
		if err != nil {
			return nil, call.Err(err)
		}
		return fromScope(sc), nil
	}, transport.Lookup[Scope]{
		// Scope names are unique per server (Okta answers a second with 400 E0000001): a lost
		// create is looked up by name, and sent again only when none is found.
		Unique: true,
		Exists: func(e *grantkit.Error) bool { return e.StatusCode == http.StatusBadRequest && e.Code == "E0000001" },
		Find: func(ctx context.Context) (*Scope, string, error) {
			for sc, err := range s.ListScopes(ctx, serverID, ScopeListOptions{Query: p.Name, PageSize: 200}) {
				if err != nil {
					return nil, "", err
				}
				if sc.Name != p.Name {
					continue
				}
				if d := scopeDiffers(sc, p); d != "" {
					return sc, fmt.Sprintf("scope %s: %s", sc.ID, d), nil
				}
				return sc, "", nil
			}
			return nil, "", nil
		},
	})
}

// scopeDiffers says how sc, found by its name after a lost create, is not what p asked for
// ("" when it is): a field p sets that sc holds otherwise.
func scopeDiffers(sc *Scope, p ScopeCreate) string {
	var d []string
	diff := func(field string, set bool, got, want any) {
		if set && got != want {
			d = append(d, fmt.Sprintf("%s %s, asked %s", field, validate.Quote(fmt.Sprint(got)), validate.Quote(fmt.Sprint(want))))
		}
	}
	diff("displayName", p.DisplayName != "", sc.DisplayName, p.DisplayName)
	diff("description", p.Description != "", sc.Description, p.Description)
	diff("consent", p.Consent != "", sc.Consent, p.Consent)
	diff("metadataPublish", p.MetadataPublish != "", sc.MetadataPublish, p.MetadataPublish)
	diff("default", p.Default, sc.Default, p.Default)
	diff("optional", p.Optional, sc.Optional, p.Optional)
	return strings.Join(d, "; ")
}

// UpdateScope changes the fields of scope scopeID that p sets and returns the scope as stored.
// Okta's Replace a custom token scope (a PUT) replaces the whole scope, so the scope is read
// first and every field p does not change is sent back as read. An update that sets no field
// is refused without a request.
func (s *AuthorizationServersService) UpdateScope(ctx context.Context, serverID, scopeID string, p ScopeUpdate) (*Scope, error) {
	const op = "AuthorizationServers.UpdateScope"
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	if err := checkScopeIDs(serverID, scopeID); err != nil {
		return nil, call.Err(err)
	}
	if p == (ScopeUpdate{}) {
		return nil, call.Err(validate.Errorf("update", "sets no field"))
	}
	for name, null := range map[string]bool{"name": p.Name.IsNull(), "consent": p.Consent.IsNull(), "metadataPublish": p.MetadataPublish.IsNull(), "default": p.Default.IsNull(), "optional": p.Optional.IsNull()} {
		if null {
			return nil, call.Err(validate.Errorf(name, "cannot be removed; give a value"))
		}
	}
	if n, ok := p.Name.Get(); ok {
		if err := validate.ScopeToken("name", n); err != nil {
			return nil, call.Err(err)
		}
	}
	cur, err := s.c.api.GetOAuth2Scope(ctx, oas.GetOAuth2ScopeParams{AuthServerId: serverID, ScopeId: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	req := &oas.OAuth2ScopeRequest{
		Name: cur.Name.Or(""), DisplayName: cur.DisplayName, Description: cur.Description,
		Consent: cur.Consent, MetadataPublish: cur.MetadataPublish, Default: cur.Default, Optional: cur.Optional,
	}
	if v, ok := p.Name.Get(); ok {
		req.Name = v
	}
	field(&req.DisplayName, p.DisplayName, func(v string) string { return v })
	field(&req.Description, p.Description, func(v string) string { return v })
	if v, ok := p.Consent.Get(); ok {
		req.Consent.SetTo(oas.OAuth2ScopeConsentType(v))
	}
	if v, ok := p.MetadataPublish.Get(); ok {
		req.MetadataPublish.SetTo(oas.OAuth2ScopeMetadataPublish(v))
	}
	if v, ok := p.Default.Get(); ok {
		req.Default.SetTo(v)
	}
	if v, ok := p.Optional.Get(); ok {
		req.Optional.SetTo(v)
	}
	sc, err := s.c.api.ReplaceOAuth2Scope(ctx, req, oas.ReplaceOAuth2ScopeParams{AuthServerId: serverID, ScopeId: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromScope(sc), nil
}

// ReplaceScope replaces scope scopeID of custom authorization server serverID with exactly p
// (Okta's Replace a custom token scope, one PUT): a field p leaves zero is sent as absent, and
// Okta applies its default. To change some fields and keep the rest, use UpdateScope.
func (s *AuthorizationServersService) ReplaceScope(ctx context.Context, serverID, scopeID string, p ScopeCreate) (*Scope, error) {
	ctx, call, err := s.begin(ctx, "AuthorizationServers.ReplaceScope")
	if err != nil {
		return nil, err
	}
	if err := checkScopeIDs(serverID, scopeID); err != nil {
		return nil, call.Err(err)
	}
	req, err := scopeRequest(p)
	if err != nil {
		return nil, call.Err(err)
	}
	sc, err := s.c.api.ReplaceOAuth2Scope(ctx, req, oas.ReplaceOAuth2ScopeParams{AuthServerId: serverID, ScopeId: scopeID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromScope(sc), nil
}

// DeleteScope deletes scope scopeID of custom authorization server serverID.
func (s *AuthorizationServersService) DeleteScope(ctx context.Context, serverID, scopeID string) error {
	ctx, call, err := s.begin(ctx, "AuthorizationServers.DeleteScope")
	if err != nil {
		return err
	}
	if err := checkScopeIDs(serverID, scopeID); err != nil {
		return call.Err(err)
	}
	// A delete whose answer was lost and that then finds no scope (404) is done (Call.Deleted).
	return call.Deleted(s.c.api.DeleteOAuth2Scope(ctx, oas.DeleteOAuth2ScopeParams{AuthServerId: serverID, ScopeId: scopeID}))
}

// scopeRequest is the body of a create or replace: zero fields are left out.
func scopeRequest(p ScopeCreate) (*oas.OAuth2ScopeRequest, error) {
	if p.Name == "" {
		return nil, validate.Errorf("name", "must not be empty")
	}
	if err := validate.ScopeToken("name", p.Name); err != nil {
		return nil, err
	}
	req := &oas.OAuth2ScopeRequest{Name: p.Name}
	setString(&req.DisplayName, p.DisplayName)
	setString(&req.Description, p.Description)
	if p.Consent != "" {
		req.Consent.SetTo(oas.OAuth2ScopeConsentType(p.Consent))
	}
	if p.MetadataPublish != "" {
		req.MetadataPublish.SetTo(oas.OAuth2ScopeMetadataPublish(p.MetadataPublish))
	}
	if p.Default {
		req.Default.SetTo(true)
	}
	if p.Optional {
		req.Optional.SetTo(true)
	}
	return req, nil
}

func checkScopeIDs(serverID, scopeID string) error {
	if err := validate.ID("authServerId", serverID); err != nil {
		return err
	}
	return validate.ID("scopeId", scopeID)
}

func setString(o *oas.OptString, v string) {
	if v != "" {
		o.SetTo(v)
	}
}

// field writes a set or null grantkit.Field over o (null: left out, which a replace removes).
func field[T any](o *oas.OptString, f grantkit.Field[T], conv func(T) string) {
	if f.IsNull() {
		*o = oas.OptString{}
		return
	}
	if v, ok := f.Get(); ok {
		o.SetTo(conv(v))
	}
}

func fromScope(s *oas.OAuth2Scope) *Scope {
	out := &Scope{
		ID: s.ID.Or(""), Name: s.Name.Or(""), DisplayName: s.DisplayName.Or(""), Description: s.Description.Or(""),
		Consent: Consent(s.Consent.Or("")), MetadataPublish: MetadataPublish(s.MetadataPublish.Or("")),
		Default: s.Default.Or(false), Optional: s.Optional.Or(false), System: s.System.Or(false),
		Extra: extra(s.AdditionalProps),
	}
	if b, ok := marshalOpt(s.Links.Set, s.Links.Value.MarshalJSON); ok {
		if out.Extra == nil {
			out.Extra = map[string]json.RawMessage{}
		}
		out.Extra["_links"] = b
	}
	return out
}
