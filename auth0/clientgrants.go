package auth0

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/patch"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// OrganizationUsage says how organizations may be used with a grant. The constants are the
// values Auth0 documents; any other value is sent as it is and Auth0 decides (it validates
// the field itself), and a value this package does not know is kept as is when read.
type OrganizationUsage string

// The organization usages Auth0 documents.
const (
	OrganizationUsageDeny    OrganizationUsage = "deny"
	OrganizationUsageAllow   OrganizationUsage = "allow"
	OrganizationUsageRequire OrganizationUsage = "require"
)

// SubjectType is the kind of application access a grant allows. Auth0 keeps one grant per
// client, audience and subject type, so a client may hold a client-access and a user-access
// grant on the same API. The constants are the values Auth0's reference documents; Auth0 has
// added others since (such as "anonymous_user"), and any value is sent as it is for Auth0 to
// validate, and kept as is when read.
type SubjectType string

// The subject types Auth0's reference documents.
const (
	// SubjectTypeClient is client access (machine to machine). A grant without a subject
	// type is a client-access grant.
	SubjectTypeClient SubjectType = "client"
	// SubjectTypeUser is user access: tokens an application gets on behalf of a user.
	SubjectTypeUser SubjectType = "user"
)

// DefaultFor names a group of clients a grant is the default for, instead of one client.
// Auth0 documents one group; any value is sent as it is for Auth0 to validate.
type DefaultFor string

// DefaultForThirdPartyClients makes a grant the default of every third-party client; a
// client's own grant on the same audience takes precedence.
const DefaultForThirdPartyClients DefaultFor = "third_party_clients"

// ClientGrant authorizes a client (or, for a default grant, a group of clients) to call an
// API (its audience) with a set of scopes.
type ClientGrant struct {
	ID       string // the grant's id, cgr_...
	ClientID string // empty for a default grant (DefaultFor set)
	Audience string // the API's identifier
	// Scope lists the grant's scopes: a non-nil empty list when Auth0 answered "scope": [],
	// nil when it answered "scope": null or sent no scope.
	Scope                []string
	OrganizationUsage    OrganizationUsage // empty when not set
	AllowAnyOrganization bool              // the grant applies in any organization
	DefaultFor           DefaultFor        // the client group the grant is the default for, if any
	IsSystem             bool              // created by Auth0; it cannot be modified or deleted
	// SubjectType is the grant's subject type as Auth0 sent it: empty when Auth0 left it out,
	// which Auth0 documents as client access (see Access).
	SubjectType               SubjectType
	AuthorizationDetailsTypes []string // the RAR authorization_details types the client may request
	AllowAllScopes            bool     // the client may request every scope of the API
	// Extra holds the fields of Auth0's answer that this version does not model, as raw JSON
	// by name (nil when there are none), so that nothing Auth0 returns is lost.
	Extra map[string]json.RawMessage
}

// Access is the grant's kind of access: its SubjectType, or SubjectTypeClient when Auth0 sent
// none.
func (g *ClientGrant) Access() SubjectType {
	if g.SubjectType == "" {
		return SubjectTypeClient
	}
	return g.SubjectType
}

// ClientGrantCreate is the body of ClientGrantsService.Create. Audience and exactly one of
// ClientID and DefaultFor are required; zero values of the other fields are left out, so
// Auth0's defaults apply, except Scope (see there).
type ClientGrantCreate struct {
	// ClientID is the client the grant is for. Leave it empty to create a default grant.
	ClientID string
	// DefaultFor, instead of ClientID, makes the grant the default of a group of clients.
	DefaultFor DefaultFor
	Audience   string // the API's identifier
	// Scope lists the scopes, each 1 to 280 characters. It is always sent, as [] when empty,
	// because Auth0 refuses a create without it; only with AllowAllScopes and no scopes is it
	// left out, as Auth0 then requires.
	Scope                     []string
	OrganizationUsage         OrganizationUsage // deny, allow or require; empty: Auth0's default
	AllowAnyOrganization      bool              // the grant applies in any organization
	SubjectType               SubjectType       // empty: Auth0's default, client access
	AuthorizationDetailsTypes []string          // each 1 to 255 characters
	AllowAllScopes            bool              // the client may request every scope of the API
}

// ClientGrantUpdate is the body of ClientGrantsService.Update (a PATCH). Fields left as their
// zero value are not sent and stay as they are at Auth0. Scope, OrganizationUsage,
// AllowAnyOrganization and AllowAllScopes may be sent as null with grantkit.Null;
// AuthorizationDetailsTypes may not.
//
//	auth0.ClientGrantUpdate{Scope: grantkit.Set("read:users")} // "scope":["read:users"]
//	auth0.ClientGrantUpdate{Scope: grantkit.Set[[]string]()}   // "scope":[]
//	auth0.ClientGrantUpdate{Scope: grantkit.Null[[]string]()}  // "scope":null
//
// Every field, as it is written:
//
//	auth0.ClientGrantUpdate{
//		Scope:                     grantkit.Set("read:users", "update:users"),
//		OrganizationUsage:         grantkit.Value(auth0.OrganizationUsageAllow),
//		AllowAnyOrganization:      grantkit.Value(true),
//		AuthorizationDetailsTypes: grantkit.Set("payment_initiation"),
//		AllowAllScopes:            grantkit.Null[bool](),
//	}
type ClientGrantUpdate struct {
	Scope                     grantkit.Field[[]string]          // each 1 to 280 characters
	OrganizationUsage         grantkit.Field[OrganizationUsage] // deny, allow or require
	AllowAnyOrganization      grantkit.Field[bool]              // the grant applies in any organization
	AuthorizationDetailsTypes grantkit.Field[[]string]          // each 1 to 255 characters
	AllowAllScopes            grantkit.Field[bool]              // the client may request every scope of the API
}

// ClientGrantListOptions filters and pages ClientGrantsService.List and ListPage.
// Zero fields do not filter.
type ClientGrantListOptions struct {
	Audience string // only the grants for this API
	ClientID string // only the grants of this client
	// DefaultFor keeps only the default grants of a client group; it cannot be combined with
	// ClientID (Auth0 documents them as mutually exclusive).
	DefaultFor  DefaultFor
	SubjectType SubjectType // only the grants of this subject type
	// AllowAnyOrganization keeps only grants that allow any organization. Auth0's filter
	// accepts only true, so false does not filter (there is no filter for the opposite).
	AllowAnyOrganization bool
	// PageSize is the number of grants per request, 1 to 100; zero means Auth0's default (50).
	PageSize int
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
	// IncludeTotals asks for Auth0's offset paging (page, per_page, include_totals) instead
	// of checkpoints, whose answers carry the number of grants in all: the page's Total.
	IncludeTotals bool
}

// Organization is an organization associated with a client grant.
type Organization struct {
	ID          string
	Name        string
	DisplayName string
	Branding    *OrganizationBranding // nil when Auth0 sent none
	// Metadata holds the organization's metadata, string values by key. A key Auth0 sent
	// with null (it stores none; null clears a key in a write) maps to "".
	Metadata   map[string]string
	TokenQuota *TokenQuota // nil when Auth0 sent none (an early-access feature)
	// ThirdPartyClientAccess says whether third-party clients may be used with the
	// organization: "allow" or "block" today; other values are kept as they are.
	ThirdPartyClientAccess string
	IsAppEntitlementActive bool
	// Extra holds the fields of Auth0's answer that this version does not model, as raw JSON
	// by name (nil when there are none).
	Extra map[string]json.RawMessage
}

// OrganizationBranding is how an organization's login pages look.
type OrganizationBranding struct {
	LogoURL string
	Colors  *BrandingColors // nil when Auth0 sent none
}

// BrandingColors are the colours of an organization's login pages, as HEX strings.
type BrandingColors struct {
	Primary        string
	PageBackground string
}

// TokenQuota limits the tokens issued for an organization.
type TokenQuota struct {
	ClientCredentials *TokenQuotaLimits // nil when Auth0 sent none
}

// TokenQuotaLimits is a token quota: the counts allowed and whether going past them fails
// the token request (Enforce) or is only logged.
type TokenQuotaLimits struct {
	Enforce bool
	PerDay  int // zero when not set
	PerHour int // zero when not set
}

// OrganizationListOptions pages ClientGrantsService.ListOrganizations.
type OrganizationListOptions struct {
	PageSize int    // 1 to 100; zero means Auth0's default (50)
	Cursor   string // a previous page's Next
	// IncludeTotals asks for offset paging whose answers carry the number of organizations
	// in all: the page's Total.
	IncludeTotals bool
}

// ClientGrantsService manages client grants (/api/v2/client-grants).
type ClientGrantsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ClientGrantsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// Get returns the grant with id.
func (s *ClientGrantsService) Get(ctx context.Context, id string) (*ClientGrant, error) {
	ctx, call, err := s.begin(ctx, "ClientGrants.Get")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.GetClientGrant(ctx, oas.GetClientGrantParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(g), nil
}

// Create creates a grant for p.ClientID (or the default grant of p.DefaultFor) on
// p.Audience. Auth0 answers 409 if that client (or group) already has a grant of the same
// subject type for that audience.
//
// A create is never resent blindly. When an attempt's answer is lost (no answer after it was
// sent, a 5xx, a timeout, an answer cut off), the grant is looked up by client (or group),
// audience and subject type: found as asked, it is returned; absent, the create is sent again
// (Auth0's 409 keeps a late landing from making a second grant, and is then answered by looking
// up again); otherwise the error says the grant may exist and how to find it.
func (s *ClientGrantsService) Create(ctx context.Context, p ClientGrantCreate) (*ClientGrant, error) {
	ctx, call, err := s.begin(ctx, "ClientGrants.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the grant may now exist; find it with ClientGrants.List filtered by its ClientID (or DefaultFor), Audience and SubjectType")
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*ClientGrant, error) {
		g, err := s.c.api.CreateClientGrant(ctx, req)
		if err != nil {
			return nil, call.Err(err)
		}
		return fromOAS(g), nil
	}, transport.Lookup[ClientGrant]{
		Unique: true, // Auth0 answers 409 to a second grant of the client, audience and subject type
		Find:   func(ctx context.Context) (*ClientGrant, string, error) { return s.find(ctx, p) },
	})
}

// find looks up the grant p would create, by its natural key (client or default group,
// audience and subject type), and says how it differs from p ("" when it is what p asks).
func (s *ClientGrantsService) find(ctx context.Context, p ClientGrantCreate) (*ClientGrant, string, error) {
	want := p.SubjectType
	if want == "" {
		want = SubjectTypeClient
	}
	var found *ClientGrant
	for g, err := range s.List(ctx, ClientGrantListOptions{ClientID: p.ClientID, DefaultFor: p.DefaultFor, Audience: p.Audience, PageSize: 100}) {
		if err != nil {
			return nil, "", err
		}
		if g.ClientID == p.ClientID && g.DefaultFor == p.DefaultFor && g.Audience == p.Audience && g.Access() == want {
			found = g
			break
		}
	}
	if found == nil {
		return nil, "", nil
	}
	var diffs []string
	if !sameSet(found.Scope, p.Scope) {
		diffs = append(diffs, fmt.Sprintf("grant %s has scope %q, asked %q", found.ID, found.Scope, p.Scope))
	}
	if p.OrganizationUsage != "" && found.OrganizationUsage != p.OrganizationUsage {
		diffs = append(diffs, fmt.Sprintf("organization_usage %q, asked %q", found.OrganizationUsage, p.OrganizationUsage))
	}
	if found.AllowAnyOrganization != p.AllowAnyOrganization {
		diffs = append(diffs, fmt.Sprintf("allow_any_organization %t, asked %t", found.AllowAnyOrganization, p.AllowAnyOrganization))
	}
	if found.AllowAllScopes != p.AllowAllScopes {
		diffs = append(diffs, fmt.Sprintf("allow_all_scopes %t, asked %t", found.AllowAllScopes, p.AllowAllScopes))
	}
	if len(p.AuthorizationDetailsTypes) > 0 && !sameSet(found.AuthorizationDetailsTypes, p.AuthorizationDetailsTypes) {
		diffs = append(diffs, fmt.Sprintf("authorization_details_types %q, asked %q", found.AuthorizationDetailsTypes, p.AuthorizationDetailsTypes))
	}
	return found, strings.Join(diffs, "; "), nil
}

// sameSet reports whether a and b hold the same strings, in any order and count.
func sameSet(a, b []string) bool {
	return slices.Equal(grantkit.NormalizeScopes(a), grantkit.NormalizeScopes(b))
}

// Update changes the fields of grant id that p sets, and returns the grant as Auth0 stored it.
// Auth0 leaves every field the PATCH does not carry as it was. An update that sets no field
// is rejected without a request.
func (s *ClientGrantsService) Update(ctx context.Context, id string, p ClientGrantUpdate) (*ClientGrant, error) {
	return s.update(ctx, id, p, nil)
}

// update is Update, for a read-modify-write that sends back the scopes held, which the grant
// holds already (see checkScopes).
func (s *ClientGrantsService) update(ctx context.Context, id string, p ClientGrantUpdate, held []string) (*ClientGrant, error) {
	ctx, call, err := s.begin(ctx, "ClientGrants.Update")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS(held)
	if err != nil {
		return nil, call.Err(err)
	}
	g, err := s.c.api.UpdateClientGrant(ctx, req, oas.UpdateClientGrantParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(g), nil
}

// Delete deletes grant id. Auth0 answers 204 also when there is no such grant.
func (s *ClientGrantsService) Delete(ctx context.Context, id string) error {
	ctx, call, err := s.begin(ctx, "ClientGrants.Delete")
	if err != nil {
		return err
	}
	if err := validate.ID("id", id); err != nil {
		return call.Err(err)
	}
	return call.Deleted(s.c.api.DeleteClientGrant(ctx, oas.DeleteClientGrantParams{ID: id}))
}

// List iterates over every grant matching opts, fetching pages as the loop needs them:
//
//	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: aud}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(g.ID, g.Scope)
//	}
func (s *ClientGrantsService) List(ctx context.Context, opts ClientGrantListOptions) iter.Seq2[*ClientGrant, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[ClientGrant], error) {
		opts.Cursor = cursor
		return s.listPage(ctx, "ClientGrants.List", opts)
	})
}

// ListPage returns one page of grants matching opts, using Auth0's checkpoint paging, or its
// offset paging with totals when opts.IncludeTotals is set.
func (s *ClientGrantsService) ListPage(ctx context.Context, opts ClientGrantListOptions) (grantkit.Page[ClientGrant], error) {
	return s.listPage(ctx, "ClientGrants.ListPage", opts)
}

// listPage is ListPage, called as op (List or ListPage), which its errors name.
func (s *ClientGrantsService) listPage(ctx context.Context, op string, opts ClientGrantListOptions) (grantkit.Page[ClientGrant], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[ClientGrant]{}, err
	}
	params, index, err := opts.toOAS()
	if err != nil {
		return grantkit.Page[ClientGrant]{}, call.Err(err)
	}
	res, err := s.c.api.ListClientGrants(ctx, params)
	if err != nil {
		return grantkit.Page[ClientGrant]{}, call.Err(err)
	}
	page := grantkit.Page[ClientGrant]{Total: -1}
	list, start := res.ClientGrantArray, oas.OptInt{}
	if res.IsClientGrantPage() {
		p := res.ClientGrantPage
		list, page.Next, start = p.ClientGrants, p.Next.Or(""), p.Start
		page.Total = p.Total.Or(-1)
	}
	page.Items = make([]ClientGrant, len(list))
	for i := range list {
		page.Items[i] = *fromOAS(&list[i])
	}
	if opts.IncludeTotals {
		page.Next = offsetNext(index, start, page.Total, len(list))
	}
	return page, nil
}

// ListOrganizations iterates over the organizations associated with grant id.
func (s *ClientGrantsService) ListOrganizations(ctx context.Context, id string, opts OrganizationListOptions) iter.Seq2[*Organization, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[Organization], error) {
		opts.Cursor = cursor
		return s.listOrganizationsPage(ctx, "ClientGrants.ListOrganizations", id, opts)
	})
}

// ListOrganizationsPage returns one page of the organizations associated with grant id.
func (s *ClientGrantsService) ListOrganizationsPage(ctx context.Context, id string, opts OrganizationListOptions) (grantkit.Page[Organization], error) {
	return s.listOrganizationsPage(ctx, "ClientGrants.ListOrganizationsPage", id, opts)
}

// listOrganizationsPage is ListOrganizationsPage, called as op, which its errors name.
func (s *ClientGrantsService) listOrganizationsPage(ctx context.Context, op, id string, opts OrganizationListOptions) (grantkit.Page[Organization], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[Organization]{}, err
	}
	if err := validate.ID("id", id); err != nil {
		return grantkit.Page[Organization]{}, call.Err(err)
	}
	params := oas.ListClientGrantOrganizationsParams{ID: id}
	index, err := pageParams(opts.PageSize, opts.Cursor, opts.IncludeTotals, pageQuery{
		take: &params.Take, from: &params.From, perPage: &params.PerPage, page: &params.Page, totals: &params.IncludeTotals,
	})
	if err != nil {
		return grantkit.Page[Organization]{}, call.Err(err)
	}
	res, err := s.c.api.ListClientGrantOrganizations(ctx, params)
	if err != nil {
		return grantkit.Page[Organization]{}, call.Err(err)
	}
	page := grantkit.Page[Organization]{Total: -1}
	list, start := res.OrganizationArray, oas.OptInt{}
	if res.IsOrganizationPage() {
		p := res.OrganizationPage
		list, page.Next, start = p.Organizations, p.Next.Or(""), p.Start
		page.Total = p.Total.Or(-1)
	}
	page.Items = make([]Organization, len(list))
	for i := range list {
		page.Items[i] = fromOASOrganization(&list[i])
	}
	if opts.IncludeTotals {
		page.Next = offsetNext(index, start, page.Total, len(list))
	}
	return page, nil
}

// pageQuery points at the paging parameters of one list call.
type pageQuery struct {
	take, perPage, page *oas.OptInt
	from                *oas.OptString
	totals              *oas.OptBool
}

// pageParams sets Auth0's paging parameters. Checkpoint paging: a first page is requested
// with from omitted but take set, which is what makes Auth0 answer with a "next" checkpoint.
// Offset paging (withTotals): the cursor is the page index grantkit handed out as Next, and
// include_totals makes Auth0 answer with start, limit and total. It returns the page index.
func pageParams(size int, cursor string, withTotals bool, q pageQuery) (int, error) {
	if size < 0 || size > 100 {
		return 0, validate.Errorf("page_size", "%d, want 1 to 100 (0 for the default)", size)
	}
	if size == 0 {
		size = 50
	}
	if !withTotals {
		q.take.SetTo(size)
		if cursor != "" {
			q.from.SetTo(cursor)
		}
		return 0, nil
	}
	index := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return 0, validate.Errorf("cursor", "%s is not a Next of a list with IncludeTotals", validate.Quote(cursor))
		}
		index = n
	}
	q.perPage.SetTo(size)
	q.page.SetTo(index)
	q.totals.SetTo(true)
	return index, nil
}

// offsetNext is the cursor after page index of an offset-paged list: the next index while
// Auth0's start and total say items remain, empty on the last page (or when Auth0 sent no
// total to tell).
func offsetNext(index int, start oas.OptInt, total, n int) string {
	if total < 0 || n == 0 || start.Or(0)+n >= total {
		return ""
	}
	return strconv.Itoa(index + 1)
}

func (o ClientGrantListOptions) toOAS() (oas.ListClientGrantsParams, int, error) {
	var p oas.ListClientGrantsParams
	index, err := pageParams(o.PageSize, o.Cursor, o.IncludeTotals, pageQuery{
		take: &p.Take, from: &p.From, perPage: &p.PerPage, page: &p.Page, totals: &p.IncludeTotals,
	})
	if err != nil {
		return p, 0, err
	}
	if o.ClientID != "" && o.DefaultFor != "" {
		return p, 0, validate.Errorf("default_for", "cannot be combined with client_id")
	}
	if o.Audience != "" {
		p.Audience.SetTo(o.Audience)
	}
	if o.ClientID != "" {
		p.ClientID.SetTo(o.ClientID)
	}
	if o.DefaultFor != "" {
		p.DefaultFor.SetTo(oas.DefaultFor(o.DefaultFor))
	}
	if o.SubjectType != "" {
		p.SubjectType.SetTo(oas.SubjectType(o.SubjectType))
	}
	if o.AllowAnyOrganization {
		p.AllowAnyOrganization.SetTo(oas.ListClientGrantsAllowAnyOrganizationTrue)
	}
	return p, index, nil
}

// checkScopes checks that the scopes of a write are scope tokens (no whitespace or control
// character; see validate.ScopeToken). Their lengths are the spec's (specs/auth0.yaml, checked
// by the generated client); the token rule stays here because a read-modify-write must send
// back the scopes in held, which the grant already holds, as Auth0 stored them: it never fails
// on what it did not change, and a schema cannot tell those scopes from the caller's.
func checkScopes(field string, scopes, held []string) error {
	return validate.Each(field, scopes, func(f, s string) error {
		if slices.Contains(held, s) {
			return nil
		}
		return validate.ScopeToken(f, s)
	})
}

func (p ClientGrantCreate) toOAS() (*oas.CreateClientGrantRequest, error) {
	switch {
	case p.ClientID != "" && p.DefaultFor != "":
		return nil, validate.Errorf("default_for", "cannot be combined with client_id")
	case p.ClientID == "" && p.DefaultFor == "":
		return nil, validate.Errorf("client_id", "required unless default_for is set")
	}
	if err := checkScopes("scope", p.Scope, nil); err != nil {
		return nil, err
	}
	req := &oas.CreateClientGrantRequest{
		Audience:                  p.Audience,
		Scope:                     p.Scope,
		AuthorizationDetailsTypes: p.AuthorizationDetailsTypes,
	}
	// Auth0 refuses a create without scope unless allow_all_scopes is set, and refuses scopes
	// beside allow_all_scopes: a non-nil empty list is what makes the encoder send [].
	req.Scope = patch.List(p.Scope)
	if len(p.Scope) == 0 && p.AllowAllScopes {
		req.Scope = nil
	}
	if p.ClientID != "" {
		req.ClientID.SetTo(p.ClientID)
	}
	if p.DefaultFor != "" {
		req.DefaultFor.SetTo(oas.DefaultFor(p.DefaultFor))
	}
	if p.OrganizationUsage != "" {
		req.OrganizationUsage.SetTo(oas.OrganizationUsage(p.OrganizationUsage))
	}
	if p.SubjectType != "" {
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

// toOAS builds the PATCH body; held are the scopes the grant holds (see checkScopes), nil
// when the caller's update is all its own.
func (p ClientGrantUpdate) toOAS(held []string) (*oas.UpdateClientGrantRequest, error) {
	if p.Scope.IsZero() && p.OrganizationUsage.IsZero() && p.AllowAnyOrganization.IsZero() &&
		p.AuthorizationDetailsTypes.IsZero() && p.AllowAllScopes.IsZero() {
		return nil, validate.Errorf("update", "sets no field")
	}
	if v, ok := p.Scope.Get(); ok {
		if err := checkScopes("scope", v, held); err != nil {
			return nil, err
		}
	}
	// authorization_details_types is a plain array in the spec (Auth0 refuses null there), so
	// the generated type has no null to send: refused here, like every field that may not be null.
	types, ok, err := patch.Get("authorization_details_types", p.AuthorizationDetailsTypes)
	if err != nil {
		return nil, err
	}
	req := &oas.UpdateClientGrantRequest{}
	if ok {
		req.AuthorizationDetailsTypes = patch.List(types)
	}
	patch.Apply(patch.ListField(p.Scope), &req.Scope)
	patch.Apply(patch.Map(p.OrganizationUsage, func(u OrganizationUsage) string { return string(u) }), &req.OrganizationUsage)
	patch.Apply(p.AllowAnyOrganization, &req.AllowAnyOrganization)
	patch.Apply(p.AllowAllScopes, &req.AllowAllScopes)
	return req, nil
}

func fromOAS(g *oas.ClientGrant) *ClientGrant {
	return &ClientGrant{
		ID:                        g.ID.Or(""),
		ClientID:                  g.ClientID.Or(""),
		Audience:                  g.Audience.Or(""),
		Scope:                     g.Scope.Value,
		OrganizationUsage:         OrganizationUsage(g.OrganizationUsage.Or("")),
		AllowAnyOrganization:      g.AllowAnyOrganization.Or(false),
		DefaultFor:                DefaultFor(g.DefaultFor.Or("")),
		IsSystem:                  g.IsSystem.Or(false),
		SubjectType:               SubjectType(g.SubjectType.Or("")),
		AuthorizationDetailsTypes: g.AuthorizationDetailsTypes,
		AllowAllScopes:            g.AllowAllScopes.Or(false),
		Extra:                     extra(g.AdditionalProps),
	}
}

func fromOASOrganization(o *oas.Organization) Organization {
	org := Organization{
		ID:                     o.ID.Or(""),
		Name:                   o.Name.Or(""),
		DisplayName:            o.DisplayName.Or(""),
		ThirdPartyClientAccess: o.ThirdPartyClientAccess.Or(""),
		IsAppEntitlementActive: o.IsAppEntitlementActive.Or(false),
		Extra:                  extra(o.AdditionalProps),
	}
	if b, ok := o.Branding.Get(); ok {
		org.Branding = &OrganizationBranding{LogoURL: b.LogoURL.Or("")}
		if c, ok := b.Colors.Get(); ok {
			org.Branding.Colors = &BrandingColors{Primary: c.Primary.Or(""), PageBackground: c.PageBackground.Or("")}
		}
	}
	if m, ok := o.Metadata.Get(); ok {
		org.Metadata = make(map[string]string, len(m))
		for k, v := range m {
			org.Metadata[k] = v.Or("")
		}
	}
	if q, ok := o.TokenQuota.Get(); ok {
		org.TokenQuota = &TokenQuota{}
		if cc, ok := q.ClientCredentials.Get(); ok {
			org.TokenQuota.ClientCredentials = &TokenQuotaLimits{Enforce: cc.Enforce.Or(false), PerDay: cc.PerDay.Or(0), PerHour: cc.PerHour.Or(0)}
		}
	}
	return org
}

// extra copies the fields the generated decoder kept aside (those the spec does not name).
// The copy keeps a caller's ClientGrant independent of the decoder's buffers.
func extra(m map[string]jx.Raw) map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = json.RawMessage(slices.Clone(v))
	}
	return out
}
