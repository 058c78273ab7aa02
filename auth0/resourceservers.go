package auth0

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
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

// SigningAlg is the algorithm Auth0 signs a resource server's access tokens with. Auth0 may
// add values; a value this package does not know is sent and kept as is.
type SigningAlg string

// The signing algorithms Auth0 documents. PS256 needs an add-on.
const (
	SigningAlgHS256 SigningAlg = "HS256"
	SigningAlgRS256 SigningAlg = "RS256"
	SigningAlgRS512 SigningAlg = "RS512"
	SigningAlgPS256 SigningAlg = "PS256"
)

// TokenDialect is the format of the access tokens issued for a resource server. Auth0 may add
// values; a value this package does not know is sent and kept as is.
type TokenDialect string

// The token dialects Auth0 documents. The _authz dialects add the RBAC permissions claim.
const (
	TokenDialectAccessToken         TokenDialect = "access_token"
	TokenDialectAccessTokenAuthz    TokenDialect = "access_token_authz"
	TokenDialectRFC9068Profile      TokenDialect = "rfc9068_profile"
	TokenDialectRFC9068ProfileAuthz TokenDialect = "rfc9068_profile_authz"
)

// ResourceServerScope is a permission a resource server (API) defines. Client grants may only
// carry scopes their audience defines.
type ResourceServerScope struct {
	Value       string // 1 to 280 characters, no whitespace or control character; fixed once defined
	Description string // at most 500 characters; empty when there is none
}

// TokenEncryption encrypts the access tokens issued for a resource server.
type TokenEncryption struct {
	Format        string // "compact-nested-jwe" today
	EncryptionKey TokenEncryptionKey
}

// TokenEncryptionKey is the public key tokens are encrypted with.
type TokenEncryptionKey struct {
	Name string // 1 to 128 characters; empty when not set
	Alg  string // "RSA-OAEP-256", "RSA-OAEP-384" or "RSA-OAEP-512" today
	Kid  string // 1 to 128 characters; empty when not set
	PEM  string // the PEM-encoded public key, 1 to 4096 characters
}

// ProofOfPossession configures sender-constrained access tokens for a resource server.
type ProofOfPossession struct {
	Mechanism   string // "mtls" or "dpop" today
	Required    bool
	RequiredFor string // "public_clients" or "all_clients" today; empty when not set
}

// SubjectTypeAuthorization says which flows may obtain access to a resource server. An empty
// policy is not set.
type SubjectTypeAuthorization struct {
	UserPolicy   string // "allow_all", "deny_all" or "require_client_grant" today
	ClientPolicy string // "deny_all" or "require_client_grant" today
}

// AuthorizationPolicy is the authorization policy applied to a resource server (early access
// at Auth0).
type AuthorizationPolicy struct {
	PolicyID string // 1 to 1024 characters
}

// ResourceServer is an API registered at Auth0. Its Identifier is the audience of tokens and
// client grants for it. Fields Auth0 did not return are zero.
type ResourceServer struct {
	ID                                        string                   // Auth0's id of the API
	Name                                      string                   // the API's name
	IsSystem                                  bool                     // an Auth0 API (the Management API): it cannot be deleted and its scopes cannot be changed
	Identifier                                string                   // the audience of tokens and client grants for it
	Scopes                                    []ResourceServerScope    // the scopes it defines, in Auth0's order
	SigningAlg                                SigningAlg               // the algorithm its tokens are signed with
	SigningSecret                             grantkit.Secret          // the HS256 signing secret, when Auth0 sends it
	AllowOfflineAccess                        bool                     // refresh tokens may be issued for it
	AllowOnlineAccess                         bool                     // online refresh tokens may be issued for it
	AllowOnlineAccessWithEphemeralSessions    bool                     // online access also with ephemeral sessions
	SkipConsentForVerifiableFirstPartyClients bool                     // first-party clients skip the consent prompt
	TokenLifetime                             int                      // seconds, from the token endpoint
	TokenLifetimeForWeb                       int                      // seconds, from the implicit and hybrid flows
	EnforcePolicies                           bool                     // RBAC: permissions are enforced
	TokenDialect                              TokenDialect             // the access token format
	TokenEncryption                           *TokenEncryption         // nil when not set
	ConsentPolicy                             string                   // "transactional-authorization-with-mfa" today; empty when not set
	AuthorizationDetails                      []json.RawMessage        // the RAR types it accepts, as raw JSON objects
	ProofOfPossession                         *ProofOfPossession       // nil when not set
	SubjectTypeAuthorization                  SubjectTypeAuthorization // which flows may obtain access
	AuthorizationPolicy                       *AuthorizationPolicy     // nil when not set
	ClientID                                  string                   // the client this resource server is linked to, if any
}

// Scope returns the scope named value and whether the resource server defines it.
func (rs *ResourceServer) Scope(value string) (ResourceServerScope, bool) {
	for _, s := range rs.Scopes {
		if s.Value == value {
			return s, true
		}
	}
	return ResourceServerScope{}, false
}

// ResourceServerCreate is the body of ResourceServersService.Create. Identifier is required;
// zero values of the other fields are left out, so Auth0's defaults apply (for a new API:
// RS256, 86400-second tokens).
type ResourceServerCreate struct {
	Identifier                                string // 1 to 600 characters; the audience, fixed once created
	Name                                      string // at most 200 characters, without < or >
	Scopes                                    []ResourceServerScope
	SigningAlg                                SigningAlg
	SigningSecret                             grantkit.Secret // at least 16 characters
	AllowOfflineAccess                        bool
	AllowOnlineAccess                         bool
	AllowOnlineAccessWithEphemeralSessions    bool
	SkipConsentForVerifiableFirstPartyClients bool
	TokenLifetime                             int // seconds, 1 to 2592000
	TokenDialect                              TokenDialect
	EnforcePolicies                           bool
	TokenEncryption                           *TokenEncryption
	ConsentPolicy                             string
	AuthorizationDetails                      []json.RawMessage // each a JSON value, such as {"type":"payment"}
	ProofOfPossession                         *ProofOfPossession
	SubjectTypeAuthorization                  SubjectTypeAuthorization
	AuthorizationPolicy                       *AuthorizationPolicy
}

// ResourceServerUpdate is the body of ResourceServersService.Update (a PATCH). Fields left as
// their zero value are not sent and stay as they are at Auth0. Scopes replaces the whole list
// (use CreateScope, UpdateScope and DeleteScope to change one scope). TokenEncryption, ConsentPolicy,
// AuthorizationDetails, ProofOfPossession and AuthorizationPolicy may be sent as null with
// grantkit.Null, which removes them; the other fields may not be null.
//
//	auth0.ResourceServerUpdate{TokenLifetime: grantkit.Value(3600)}                 // "token_lifetime":3600
//	auth0.ResourceServerUpdate{Scopes: grantkit.Set[[]auth0.ResourceServerScope]()} // "scopes":[]
//	auth0.ResourceServerUpdate{ConsentPolicy: grantkit.Null[string]()}               // "consent_policy":null
//
// Every field, as it is written (the enums have a constant for each documented value; a
// value without one is written auth0.TokenDialect("new_dialect")):
//
//	auth0.ResourceServerUpdate{
//		Name:                 grantkit.Value("Invoices API"),
//		Scopes:               grantkit.Set(auth0.ResourceServerScope{Value: "read:invoices", Description: "Read invoices"}),
//		SigningAlg:           grantkit.Value(auth0.SigningAlgRS256),
//		SigningSecret:        grantkit.Value(grantkit.Secret(os.Getenv("SIGNING_SECRET"))),
//		AllowOfflineAccess:   grantkit.Value(true),
//		TokenLifetime:        grantkit.Value(86400),
//		TokenDialect:         grantkit.Value(auth0.TokenDialectRFC9068Profile),
//		TokenEncryption:      grantkit.Null[auth0.TokenEncryption](),
//		ConsentPolicy:        grantkit.Value("transactional-authorization-with-mfa"),
//		AuthorizationDetails: grantkit.Set(json.RawMessage(`{"type":"payment_initiation"}`)),
//		ProofOfPossession:    grantkit.Value(auth0.ProofOfPossession{Mechanism: "mtls", Required: true}),
//	}
type ResourceServerUpdate struct {
	Name                                      grantkit.Field[string]
	Scopes                                    grantkit.Field[[]ResourceServerScope]
	SigningAlg                                grantkit.Field[SigningAlg]
	SigningSecret                             grantkit.Field[grantkit.Secret]
	SkipConsentForVerifiableFirstPartyClients grantkit.Field[bool]
	AllowOfflineAccess                        grantkit.Field[bool]
	AllowOnlineAccess                         grantkit.Field[bool]
	AllowOnlineAccessWithEphemeralSessions    grantkit.Field[bool]
	TokenLifetime                             grantkit.Field[int] // seconds, 0 to 2592000
	// TokenLifetimeForWeb is missing from Auth0's reference, but Auth0 accepts and applies it
	// (see specs/README.md). Seconds, 0 to 2592000, at most TokenLifetime.
	TokenLifetimeForWeb      grantkit.Field[int]
	TokenDialect             grantkit.Field[TokenDialect]
	EnforcePolicies          grantkit.Field[bool]
	TokenEncryption          grantkit.Field[TokenEncryption]
	ConsentPolicy            grantkit.Field[string]
	AuthorizationDetails     grantkit.Field[[]json.RawMessage]
	ProofOfPossession        grantkit.Field[ProofOfPossession]
	SubjectTypeAuthorization grantkit.Field[SubjectTypeAuthorization]
	AuthorizationPolicy      grantkit.Field[AuthorizationPolicy]
}

// ResourceServerListOptions filters and pages ResourceServersService.List and ListPage.
type ResourceServerListOptions struct {
	// Identifiers keeps only the resource servers with these identifiers (at most 10).
	Identifiers []string
	// PageSize is the number of resource servers per request, 1 to 100; zero means 50.
	PageSize int
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// Limits Auth0 documents for resource servers.
const (
	maxIdentifier   = 600
	defaultPageSize = 50
)

// ResourceServersService manages the tenant's APIs (/api/v2/resource-servers) and the scopes
// they define.
//
// Every method that takes an id accepts the resource server's id or its identifier (the
// audience, often a URL such as "https://api.example.com/"), as Auth0 does. Give the
// identifier as it is: grantkit percent-encodes it into the path. An identifier with a "." or
// ".." part between slashes cannot be used this way (use the id instead).
type ResourceServersService struct {
	c *Client
	// catalog is a one-slot semaphore: the scope writes through one Client run one at a time, so that two of them never read the same list and lose each other's change.
	catalog chan struct{}
}

func newResourceServersService(c *Client) *ResourceServersService {
	return &ResourceServersService{c: c, catalog: make(chan struct{}, 1)}
}

// begin starts a call of operation op through s's client, as ClientGrantsService.begin does.
func (s *ResourceServersService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made() && s.catalog != nil)
}

// Get returns the resource server with this id or identifier.
func (s *ResourceServersService) Get(ctx context.Context, id string) (*ResourceServer, error) {
	ctx, call, err := s.begin(ctx, "ResourceServers.Get")
	if err != nil {
		return nil, err
	}
	if err := validate.EscapedSegment("id", id, maxIdentifier); err != nil {
		return nil, call.Err(err)
	}
	rs, err := s.c.api.GetResourceServer(ctx, oas.GetResourceServerParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return rsFromOAS(rs), nil
}

// Create creates a resource server. Auth0 answers 409 if one with the same identifier exists.
// A create whose answer is lost is never resent blindly: the resource server is looked up by
// its identifier and returned if it is what p asks, the create sent again only if there is
// none (see ClientGrantsService.Create).
func (s *ResourceServersService) Create(ctx context.Context, p ResourceServerCreate) (*ResourceServer, error) {
	ctx, call, err := s.begin(ctx, "ResourceServers.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the resource server may now exist; find it with ResourceServers.Get by its Identifier")
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	return transport.Create(ctx, call, func() (*ResourceServer, error) {
		rs, err := s.c.api.CreateResourceServer(ctx, req)
		if err != nil {
			return nil, call.Err(err)
		}
		return rsFromOAS(rs), nil
	}, transport.Lookup[ResourceServer]{
		Unique: true, // Auth0 answers 409 to a second resource server with the identifier
		Find:   func(ctx context.Context) (*ResourceServer, string, error) { return s.find(ctx, p) },
	})
}

// find looks up the resource server p would create by its identifier, and says how it differs
// from p ("" when it is what p asks).
func (s *ResourceServersService) find(ctx context.Context, p ResourceServerCreate) (*ResourceServer, string, error) {
	rs, err := s.Get(ctx, p.Identifier)
	var ge *grantkit.Error
	if errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var diffs []string
	differ := func(field string, got, asked any) {
		diffs = append(diffs, fmt.Sprintf("%s %v, asked %v", field, got, asked))
	}
	if p.Name != "" && rs.Name != p.Name {
		differ("name", rs.Name, p.Name)
	}
	if !sameScopes(rs.Scopes, p.Scopes) {
		differ("scopes", rs.Scopes, p.Scopes)
	}
	if p.SigningAlg != "" && rs.SigningAlg != p.SigningAlg {
		differ("signing_alg", rs.SigningAlg, p.SigningAlg)
	}
	if p.TokenLifetime != 0 && rs.TokenLifetime != p.TokenLifetime {
		differ("token_lifetime", rs.TokenLifetime, p.TokenLifetime)
	}
	if p.TokenDialect != "" && rs.TokenDialect != p.TokenDialect {
		differ("token_dialect", rs.TokenDialect, p.TokenDialect)
	}
	if rs.AllowOfflineAccess != p.AllowOfflineAccess {
		differ("allow_offline_access", rs.AllowOfflineAccess, p.AllowOfflineAccess)
	}
	if rs.SkipConsentForVerifiableFirstPartyClients != p.SkipConsentForVerifiableFirstPartyClients {
		differ("skip_consent_for_verifiable_first_party_clients", rs.SkipConsentForVerifiableFirstPartyClients, p.SkipConsentForVerifiableFirstPartyClients)
	}
	if rs.EnforcePolicies != p.EnforcePolicies {
		differ("enforce_policies", rs.EnforcePolicies, p.EnforcePolicies)
	}
	return rs, strings.Join(diffs, "; "), nil
}

// sameScopes reports whether a and b define the same scopes (value and description), in any order.
func sameScopes(a, b []ResourceServerScope) bool {
	key := func(s ResourceServerScope) string { return s.Value + "\x00" + s.Description }
	as, bs := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		as[i] = key(a[i])
	}
	for i := range b {
		bs[i] = key(b[i])
	}
	return sameSet(as, bs)
}

// Update changes the fields of the resource server that p sets and returns it as Auth0 stored
// it. An update that sets no field is rejected without a request.
func (s *ResourceServersService) Update(ctx context.Context, id string, p ResourceServerUpdate) (*ResourceServer, error) {
	return s.update(ctx, id, p, nil)
}

// update is Update, for a read-modify-write that sends back held, the scopes the resource
// server defines already (see checkScopeList).
func (s *ResourceServersService) update(ctx context.Context, id string, p ResourceServerUpdate, held []ResourceServerScope) (*ResourceServer, error) {
	ctx, call, err := s.begin(ctx, "ResourceServers.Update")
	if err != nil {
		return nil, err
	}
	if err := validate.EscapedSegment("id", id, maxIdentifier); err != nil {
		return nil, call.Err(err)
	}
	req, err := p.toOAS(held)
	if err != nil {
		return nil, call.Err(err)
	}
	res, err := s.c.api.UpdateResourceServer(ctx, req, oas.UpdateResourceServerParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	// Auth0 answers 200; its reference says 201. Both carry the resource server.
	switch r := res.(type) {
	case *oas.UpdateResourceServerOK:
		rs := oas.ResourceServer(*r)
		return rsFromOAS(&rs), nil
	case *oas.UpdateResourceServerCreated:
		rs := oas.ResourceServer(*r)
		return rsFromOAS(&rs), nil
	default:
		return nil, call.Err(fmt.Errorf("unexpected answer %T", res))
	}
}

// Delete deletes the resource server with this id or identifier. Auth0 documents no 404 for
// this call: deleting one that does not exist succeeds.
func (s *ResourceServersService) Delete(ctx context.Context, id string) error {
	ctx, call, err := s.begin(ctx, "ResourceServers.Delete")
	if err != nil {
		return err
	}
	if err := validate.EscapedSegment("id", id, maxIdentifier); err != nil {
		return call.Err(err)
	}
	return call.Deleted(s.c.api.DeleteResourceServer(ctx, oas.DeleteResourceServerParams{ID: id}))
}

// List iterates over every resource server matching opts (the system Management API
// included), fetching pages as the loop needs them. Auth0 pages resource servers by page
// number only: one created or deleted while the loop runs can shift the pages, so that
// another is seen twice or not at all.
func (s *ResourceServersService) List(ctx context.Context, opts ResourceServerListOptions) iter.Seq2[*ResourceServer, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[ResourceServer], error) {
		opts.Cursor = cursor
		return s.listPage(ctx, "ResourceServers.List", opts)
	})
}

// ListPage returns one page of resource servers matching opts. Its Next is the following page
// number, empty on the last page.
func (s *ResourceServersService) ListPage(ctx context.Context, opts ResourceServerListOptions) (grantkit.Page[ResourceServer], error) {
	return s.listPage(ctx, "ResourceServers.ListPage", opts)
}

// listPage is ListPage, called as op (List or ListPage), which its errors name.
func (s *ResourceServersService) listPage(ctx context.Context, op string, opts ResourceServerListOptions) (grantkit.Page[ResourceServer], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[ResourceServer]{}, err
	}
	params, page, size, err := opts.toOAS()
	if err != nil {
		return grantkit.Page[ResourceServer]{}, call.Err(err)
	}
	res, err := s.c.api.ListResourceServers(ctx, params)
	if err != nil {
		return grantkit.Page[ResourceServer]{}, call.Err(err)
	}
	list, total := res.ResourceServerArray, -1
	// Without a total (Auth0 answered with a bare array), a full page may have a successor.
	more := len(list) == size
	if res.IsResourceServerPage() {
		rp := res.ResourceServerPage
		list = rp.ResourceServers
		if t, ok := rp.Total.Get(); ok {
			total, more = t, rp.Start.Or(page*size)+len(list) < t
		} else {
			more = len(list) == size
		}
	}
	out := grantkit.Page[ResourceServer]{Total: total}
	if more && len(list) > 0 {
		out.Next = strconv.Itoa(page + 1)
	}
	out.Items = make([]ResourceServer, len(list))
	for i := range list {
		out.Items[i] = *rsFromOAS(&list[i])
	}
	return out, nil
}

// ListScopes iterates over the scopes resource server id defines, in Auth0's order. Auth0
// returns them with the resource server, so one request serves the whole list.
func (s *ResourceServersService) ListScopes(ctx context.Context, id string) iter.Seq2[*ResourceServerScope, error] {
	return paging.Single(ctx, func(ctx context.Context) ([]ResourceServerScope, error) {
		ctx, _, err := s.begin(ctx, "ResourceServers.ListScopes")
		if err != nil {
			return nil, err
		}
		rs, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return rs.Scopes, nil
	})
}

// GetScope returns the scope named value that resource server id defines; one it does not
// define is an error wrapping grantkit.ErrScopeNotFound, and one it defines more than once an
// error wrapping grantkit.ErrDuplicateScope.
func (s *ResourceServersService) GetScope(ctx context.Context, id, value string) (*ResourceServerScope, error) {
	ctx, call, err := s.begin(ctx, "ResourceServers.GetScope")
	if err != nil {
		return nil, err
	}
	if err := checkScopeValue(value); err != nil {
		return nil, call.Err(err)
	}
	rs, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	i, err := findScope(call, rs, id, value)
	if err != nil {
		return nil, err
	}
	if i < 0 {
		return nil, call.Err(fmt.Errorf("%w: %q on %s", grantkit.ErrScopeNotFound, value, id))
	}
	sc := rs.Scopes[i]
	return &sc, nil
}

// ResourceServerScopeUpdate is the body of ResourceServersService.UpdateScope: the scope's
// new description (at most 500 characters; empty removes it). A scope's value cannot change.
type ResourceServerScopeUpdate struct {
	Description string
}

// CreateScope makes resource server id define scope and returns it as Auth0 stored it. A
// scope of that value already defined is an error wrapping grantkit.ErrScopeExists, and
// nothing is changed then. scope.Value is 1 to 280 characters without whitespace or control
// characters (one token of OAuth's space-separated scope list); its Description is at most
// 500 characters.
//
// Auth0's PATCH replaces the whole scope list, so each scope write (CreateScope, UpdateScope,
// DeleteScope) reads the list, changes the one scope and writes the list back with nothing else
// in the request: the other scopes, their order and descriptions, and every other field stay
// as they were. Scope writes through one Client are serialised. A change made elsewhere
// (another process, the dashboard) between the read and the write is lost: Auth0 offers no
// conditional update, so the last writer wins.
//
// A resource server that defines a scope's value more than once gets an error wrapping
// grantkit.ErrDuplicateScope and is left unchanged; Auth0's system API gets one wrapping
// grantkit.ErrInvalidInput, since its scopes cannot be changed.
func (s *ResourceServersService) CreateScope(ctx context.Context, id string, scope ResourceServerScope) (*ResourceServerScope, error) {
	ctx, call, err := s.begin(ctx, "ResourceServers.CreateScope")
	if err != nil {
		return nil, err
	}
	if err := checkScope(scope); err != nil {
		return nil, call.Err(err)
	}
	return s.createScope(ctx, call, id, scope)
}

// createScope is CreateScope for call, its checked scope included.
func (s *ResourceServersService) createScope(ctx context.Context, call *transport.Call, id string, scope ResourceServerScope) (*ResourceServerScope, error) {
	return s.editScopes(ctx, call, id, scope.Value, func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, error) {
		if i >= 0 {
			return nil, fmt.Errorf("%w: %q on %s", grantkit.ErrScopeExists, scope.Value, id)
		}
		return append(slices.Clip(scopes), scope), nil
	})
}

// UpdateScope changes the description of the scope named value that resource server id
// defines and returns the scope as Auth0 stored it; a description that is already the one asked
// for is not written again. A scope it does not define is an error wrapping
// grantkit.ErrScopeNotFound. The read-modify-write, its serialisation and its race are those of
// CreateScope.
func (s *ResourceServersService) UpdateScope(ctx context.Context, id, value string, p ResourceServerScopeUpdate) (*ResourceServerScope, error) {
	ctx, call, err := s.begin(ctx, "ResourceServers.UpdateScope")
	if err != nil {
		return nil, err
	}
	if err := checkScopeValue(value); err != nil {
		return nil, call.Err(err)
	}
	if err := checkScope(ResourceServerScope{Value: value, Description: p.Description}); err != nil {
		return nil, call.Err(err)
	}
	return s.updateScope(ctx, call, id, value, p)
}

// updateScope is UpdateScope for call, its checked input included.
func (s *ResourceServersService) updateScope(ctx context.Context, call *transport.Call, id, value string, p ResourceServerScopeUpdate) (*ResourceServerScope, error) {
	return s.editScopes(ctx, call, id, value, func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, error) {
		if i < 0 {
			return nil, fmt.Errorf("%w: %q on %s", grantkit.ErrScopeNotFound, value, id)
		}
		if scopes[i].Description == p.Description {
			return nil, nil
		}
		out := slices.Clone(scopes)
		out[i].Description = p.Description
		return out, nil
	})
}

// DeleteScope makes resource server id stop defining the scope named value. A scope it does
// not define is an error wrapping grantkit.ErrScopeNotFound, and nothing is written. The
// read-modify-write, its serialisation and its race are those of CreateScope. Client grants
// that carry the scope keep it; Auth0 then refuses to update their scopes until it is gone.
// Any stored value can be deleted, one CreateScope would refuse included.
func (s *ResourceServersService) DeleteScope(ctx context.Context, id, value string) error {
	ctx, call, err := s.begin(ctx, "ResourceServers.DeleteScope")
	if err != nil {
		return err
	}
	if err := checkScopeValue(value); err != nil {
		return call.Err(err)
	}
	return s.deleteScope(ctx, call, id, value)
}

// deleteScope is DeleteScope for call, its checked input included.
func (s *ResourceServersService) deleteScope(ctx context.Context, call *transport.Call, id, value string) error {
	_, err := s.editScopes(ctx, call, id, value, func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, error) {
		if i < 0 {
			return nil, fmt.Errorf("%w: %q on %s", grantkit.ErrScopeNotFound, value, id)
		}
		return slices.Delete(slices.Clone(scopes), i, i+1), nil
	})
	return err
}

// findScope returns the index of the scope named value in rs, or -1 when rs does not define
// it; a value defined more than once is an error.
func findScope(call *transport.Call, rs *ResourceServer, id, value string) (int, error) {
	i, n := -1, 0
	for j, sc := range rs.Scopes {
		if sc.Value == value {
			i, n = j, n+1
		}
	}
	if n > 1 {
		return -1, call.Err(fmt.Errorf("%w: %q is defined %d times on %s", grantkit.ErrDuplicateScope, value, n, id))
	}
	return i, nil
}

// editScopes reads resource server id, finds the scope named value (i is -1 when absent) and
// writes back the list edit returns, unless edit returns nil and no error (nothing to change).
// It returns the scope named value as Auth0 stored it (after a deletion, nil). call is the
// scope write it serves: the read and the write below are named after it.
func (s *ResourceServersService) editScopes(ctx context.Context, call *transport.Call, id, value string,
	edit func(scopes []ResourceServerScope, i int) ([]ResourceServerScope, error)) (*ResourceServerScope, error) {
	if err := validate.EscapedSegment("id", id, maxIdentifier); err != nil {
		return nil, call.Err(err)
	}
	select {
	case s.catalog <- struct{}{}:
		defer func() { <-s.catalog }()
	case <-ctx.Done():
		return nil, call.Err(ctx.Err())
	}
	rs, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	i, err := findScope(call, rs, id, value)
	if err != nil {
		return nil, err
	}
	scopes, err := edit(rs.Scopes, i)
	if err != nil {
		return nil, call.Err(err)
	}
	if scopes == nil {
		if i < 0 {
			return nil, nil
		}
		sc := rs.Scopes[i]
		return &sc, nil
	}
	if rs.IsSystem {
		return nil, call.Err(validate.Errorf("id", "%s is Auth0's system API %q; its scopes cannot be changed", id, rs.Name))
	}
	// Write to the id Auth0 returned rather than what the caller gave, so the write reaches the
	// resource server that was read.
	target := rs.ID
	if target == "" {
		target = id
	}
	if rs, err = s.update(ctx, target, ResourceServerUpdate{Scopes: grantkit.Set(scopes...)}, rs.Scopes); err != nil {
		return nil, err
	}
	wanted := slices.ContainsFunc(scopes, func(sc ResourceServerScope) bool { return sc.Value == value })
	sc, stored := rs.Scope(value)
	switch {
	case wanted && !stored:
		return nil, call.Err(fmt.Errorf("%w: Auth0 answered with success, but %s does not list %q", grantkit.ErrNotApplied, id, value))
	case !wanted && stored:
		return nil, call.Err(fmt.Errorf("%w: Auth0 answered with success, but %s still lists %q", grantkit.ErrNotApplied, id, value))
	case !wanted:
		return nil, nil
	}
	return &sc, nil
}

func (o ResourceServerListOptions) toOAS() (p oas.ListResourceServersParams, page, size int, err error) {
	// Query parameters: the generated client validates request bodies only, so the spec's
	// bounds on identifiers (at most 10, none empty) are checked here.
	if len(o.Identifiers) > 10 {
		return p, 0, 0, validate.Errorf("identifiers", "%d given, at most 10", len(o.Identifiers))
	}
	if err := validate.Each("identifiers", o.Identifiers, func(f, s string) error { return validate.Length(f, s, 1, -1) }); err != nil {
		return p, 0, 0, err
	}
	size = o.PageSize
	if size < 0 || size > 100 {
		return p, 0, 0, validate.Errorf("page_size", "%d, want 1 to 100 (0 for the default)", size)
	}
	if size == 0 {
		size = defaultPageSize
	}
	if o.Cursor != "" {
		page, err = strconv.Atoi(o.Cursor)
		if err != nil || page < 0 {
			return p, 0, 0, validate.Errorf("cursor", "%s is not a page number from a previous page's Next", validate.Quote(o.Cursor))
		}
	}
	p.Identifiers = o.Identifiers
	p.Page.SetTo(page)
	p.PerPage.SetTo(size)
	// include_totals makes Auth0 say how many there are, so the last page is known without
	// asking for an empty one.
	p.IncludeTotals.SetTo(true)
	return p, page, size, nil
}

// checkScope checks a scope a write defines against the spec's rules (its lengths) and checks
// that its value is a scope token, before the read that precedes its write, which would
// otherwise be sent before the write's validation refuses it.
func checkScope(sc ResourceServerScope) error {
	if err := transport.Check("", &scopesToOAS([]ResourceServerScope{sc})[0]); err != nil {
		return err
	}
	return validate.ScopeToken("value", sc.Value)
}

// checkScopeValue checks the value that names a scope to read, change or delete against the
// spec's rules for a scope's value (its length); any value Auth0 stores passes.
func checkScopeValue(value string) error {
	return transport.Check("", &oas.ResourceServerScopeInput{Value: value})
}

// checkScopeList checks that the values of the scopes a write defines are scope tokens
// (validate.ScopeToken), unless they are in held, the scopes the resource server defines
// already: a read-modify-write sends those back as Auth0 stored them, which a schema cannot
// tell apart. Lengths and every other rule a schema can say are the spec's.
func checkScopeList(field string, scopes, held []ResourceServerScope) error {
	return validate.Each(field, scopes, func(f string, sc ResourceServerScope) error {
		if slices.ContainsFunc(held, func(h ResourceServerScope) bool { return h.Value == sc.Value }) {
			return nil
		}
		return validate.ScopeToken(f+".value", sc.Value)
	})
}

// checkDetails checks that each authorization detail is JSON: the spec types them as free-form
// objects sent raw, so the generated validator cannot look inside, and a broken one would break
// the whole body.
func checkDetails(field string, details []json.RawMessage) error {
	for i, d := range details {
		if !json.Valid(d) {
			return validate.Errorf(fmt.Sprintf("%s[%d]", field, i), "not a JSON value")
		}
	}
	return nil
}

func scopesToOAS(scopes []ResourceServerScope) []oas.ResourceServerScopeInput {
	out := make([]oas.ResourceServerScopeInput, len(scopes))
	for i, sc := range scopes {
		out[i].Value = sc.Value
		if sc.Description != "" {
			out[i].Description.SetTo(sc.Description)
		}
	}
	return out
}

func (e TokenEncryption) toOAS() oas.TokenEncryptionInput {
	var out oas.TokenEncryptionInput
	k := e.EncryptionKey
	out.Format = e.Format
	out.EncryptionKey = oas.TokenEncryptionKeyInput{Alg: k.Alg, Pem: k.PEM}
	if k.Name != "" {
		out.EncryptionKey.Name.SetTo(k.Name)
	}
	if k.Kid != "" {
		out.EncryptionKey.Kid.SetTo(k.Kid)
	}
	return out
}

func (p ProofOfPossession) toOAS() oas.ProofOfPossessionInput {
	out := oas.ProofOfPossessionInput{Mechanism: p.Mechanism, Required: p.Required}
	if p.RequiredFor != "" {
		out.RequiredFor.SetTo(p.RequiredFor)
	}
	return out
}

func (a AuthorizationPolicy) toOAS() oas.AuthorizationPolicyInput {
	return oas.AuthorizationPolicyInput{PolicyID: a.PolicyID}
}

func (a SubjectTypeAuthorization) toOAS() oas.SubjectTypeAuthorizationInput {
	var out oas.SubjectTypeAuthorizationInput
	if a.UserPolicy != "" {
		out.User.SetTo(oas.SubjectTypePolicyInput{Policy: oas.NewOptString(a.UserPolicy)})
	}
	if a.ClientPolicy != "" {
		out.Client.SetTo(oas.SubjectTypePolicyInput{Policy: oas.NewOptString(a.ClientPolicy)})
	}
	return out
}

func detailsToOAS(details []json.RawMessage) []jx.Raw {
	out := make([]jx.Raw, len(details))
	for i, d := range details {
		out[i] = jx.Raw(slices.Clone(d))
	}
	return out
}

func (p ResourceServerCreate) toOAS() (*oas.CreateResourceServerRequest, error) {
	req := &oas.CreateResourceServerRequest{Identifier: p.Identifier}
	if p.Name != "" {
		req.Name.SetTo(p.Name)
	}
	if p.Scopes != nil {
		if err := checkScopeList("scopes", p.Scopes, nil); err != nil {
			return nil, err
		}
		req.Scopes = scopesToOAS(p.Scopes)
	}
	if p.SigningAlg != "" {
		req.SigningAlg.SetTo(string(p.SigningAlg))
	}
	if p.SigningSecret != "" {
		req.SigningSecret.SetTo(p.SigningSecret.Reveal())
	}
	if p.TokenLifetime != 0 {
		req.TokenLifetime.SetTo(p.TokenLifetime)
	}
	if p.TokenDialect != "" {
		req.TokenDialect.SetTo(string(p.TokenDialect))
	}
	for _, b := range []struct {
		set bool
		dst *oas.OptBool
	}{
		{p.AllowOfflineAccess, &req.AllowOfflineAccess},
		{p.AllowOnlineAccess, &req.AllowOnlineAccess},
		{p.AllowOnlineAccessWithEphemeralSessions, &req.AllowOnlineAccessWithEphemeralSessions},
		{p.SkipConsentForVerifiableFirstPartyClients, &req.SkipConsentForVerifiableFirstPartyClients},
		{p.EnforcePolicies, &req.EnforcePolicies},
	} {
		if b.set {
			b.dst.SetTo(true)
		}
	}
	if p.TokenEncryption != nil {
		req.TokenEncryption.SetTo(p.TokenEncryption.toOAS())
	}
	if p.ConsentPolicy != "" {
		req.ConsentPolicy.SetTo(p.ConsentPolicy)
	}
	if p.AuthorizationDetails != nil {
		if err := checkDetails("authorization_details", p.AuthorizationDetails); err != nil {
			return nil, err
		}
		req.AuthorizationDetails.SetTo(detailsToOAS(p.AuthorizationDetails))
	}
	if p.ProofOfPossession != nil {
		req.ProofOfPossession.SetTo(p.ProofOfPossession.toOAS())
	}
	if p.SubjectTypeAuthorization != (SubjectTypeAuthorization{}) {
		req.SubjectTypeAuthorization.SetTo(p.SubjectTypeAuthorization.toOAS())
	}
	if p.AuthorizationPolicy != nil {
		req.AuthorizationPolicy.SetTo(p.AuthorizationPolicy.toOAS())
	}
	return req, nil
}

// toOAS builds the PATCH body; held are the scopes the resource server defines already (see
// checkScopeList), nil when the caller's update is all its own.
func (p ResourceServerUpdate) toOAS(held []ResourceServerScope) (*oas.UpdateResourceServerRequest, error) {
	// Every field: whether it is left out, and whether Auth0 accepts it as null.
	fields := []struct {
		name          string
		omitted, null bool
		nullable      bool
	}{
		{"name", p.Name.IsZero(), p.Name.IsNull(), false},
		{"scopes", p.Scopes.IsZero(), p.Scopes.IsNull(), false},
		{"signing_alg", p.SigningAlg.IsZero(), p.SigningAlg.IsNull(), false},
		{"signing_secret", p.SigningSecret.IsZero(), p.SigningSecret.IsNull(), false},
		{"skip_consent_for_verifiable_first_party_clients", p.SkipConsentForVerifiableFirstPartyClients.IsZero(), p.SkipConsentForVerifiableFirstPartyClients.IsNull(), false},
		{"allow_offline_access", p.AllowOfflineAccess.IsZero(), p.AllowOfflineAccess.IsNull(), false},
		{"allow_online_access", p.AllowOnlineAccess.IsZero(), p.AllowOnlineAccess.IsNull(), false},
		{"allow_online_access_with_ephemeral_sessions", p.AllowOnlineAccessWithEphemeralSessions.IsZero(), p.AllowOnlineAccessWithEphemeralSessions.IsNull(), false},
		{"token_lifetime", p.TokenLifetime.IsZero(), p.TokenLifetime.IsNull(), false},
		{"token_lifetime_for_web", p.TokenLifetimeForWeb.IsZero(), p.TokenLifetimeForWeb.IsNull(), false},
		{"token_dialect", p.TokenDialect.IsZero(), p.TokenDialect.IsNull(), false},
		{"enforce_policies", p.EnforcePolicies.IsZero(), p.EnforcePolicies.IsNull(), false},
		{"token_encryption", p.TokenEncryption.IsZero(), p.TokenEncryption.IsNull(), true},
		{"consent_policy", p.ConsentPolicy.IsZero(), p.ConsentPolicy.IsNull(), true},
		{"authorization_details", p.AuthorizationDetails.IsZero(), p.AuthorizationDetails.IsNull(), true},
		{"proof_of_possession", p.ProofOfPossession.IsZero(), p.ProofOfPossession.IsNull(), true},
		{"subject_type_authorization", p.SubjectTypeAuthorization.IsZero(), p.SubjectTypeAuthorization.IsNull(), false},
		{"authorization_policy", p.AuthorizationPolicy.IsZero(), p.AuthorizationPolicy.IsNull(), true},
	}
	sets := false
	for _, f := range fields {
		if f.null && !f.nullable {
			return nil, validate.Errorf(f.name, "cannot be null")
		}
		sets = sets || !f.omitted
	}
	if !sets {
		return nil, validate.Errorf("update", "sets no field")
	}
	req := &oas.UpdateResourceServerRequest{}
	if v, ok := p.Name.Get(); ok {
		req.Name.SetTo(v)
	}
	if v, ok := p.Scopes.Get(); ok {
		if err := checkScopeList("scopes", v, held); err != nil {
			return nil, err
		}
		req.Scopes = scopesToOAS(v) // never nil, so an empty list is sent as []
	}
	if v, ok := p.SigningAlg.Get(); ok {
		req.SigningAlg.SetTo(string(v))
	}
	if v, ok := p.SigningSecret.Get(); ok {
		req.SigningSecret.SetTo(v.Reveal())
	}
	for _, b := range []struct {
		f   grantkit.Field[bool]
		dst *oas.OptBool
	}{
		{p.SkipConsentForVerifiableFirstPartyClients, &req.SkipConsentForVerifiableFirstPartyClients},
		{p.AllowOfflineAccess, &req.AllowOfflineAccess},
		{p.AllowOnlineAccess, &req.AllowOnlineAccess},
		{p.AllowOnlineAccessWithEphemeralSessions, &req.AllowOnlineAccessWithEphemeralSessions},
		{p.EnforcePolicies, &req.EnforcePolicies},
	} {
		if v, ok := b.f.Get(); ok {
			b.dst.SetTo(v)
		}
	}
	if v, ok := p.TokenLifetime.Get(); ok {
		req.TokenLifetime.SetTo(v)
	}
	if v, ok := p.TokenLifetimeForWeb.Get(); ok {
		req.TokenLifetimeForWeb.SetTo(v)
	}
	if v, ok := p.TokenDialect.Get(); ok {
		req.TokenDialect.SetTo(string(v))
	}
	if v, ok := p.SubjectTypeAuthorization.Get(); ok {
		req.SubjectTypeAuthorization.SetTo(v.toOAS())
	}
	patch.Apply(patch.Map(p.TokenEncryption, TokenEncryption.toOAS), &req.TokenEncryption)
	patch.Apply(p.ConsentPolicy, &req.ConsentPolicy)
	if v, ok := p.AuthorizationDetails.Get(); ok {
		if err := checkDetails("authorization_details", v); err != nil {
			return nil, err
		}
		req.AuthorizationDetails.SetTo(detailsToOAS(v))
	} else if p.AuthorizationDetails.IsNull() {
		req.AuthorizationDetails.SetToNull()
	}
	patch.Apply(patch.Map(p.ProofOfPossession, ProofOfPossession.toOAS), &req.ProofOfPossession)
	patch.Apply(patch.Map(p.AuthorizationPolicy, AuthorizationPolicy.toOAS), &req.AuthorizationPolicy)
	return req, nil
}

func rsFromOAS(r *oas.ResourceServer) *ResourceServer {
	rs := &ResourceServer{
		ID:                                     r.ID.Or(""),
		Name:                                   r.Name.Or(""),
		IsSystem:                               r.IsSystem.Or(false),
		Identifier:                             r.Identifier.Or(""),
		SigningAlg:                             SigningAlg(r.SigningAlg.Or("")),
		SigningSecret:                          grantkit.Secret(r.SigningSecret.Or("")),
		AllowOfflineAccess:                     r.AllowOfflineAccess.Or(false),
		AllowOnlineAccess:                      r.AllowOnlineAccess.Or(false),
		AllowOnlineAccessWithEphemeralSessions: r.AllowOnlineAccessWithEphemeralSessions.Or(false),
		SkipConsentForVerifiableFirstPartyClients: r.SkipConsentForVerifiableFirstPartyClients.Or(false),
		TokenLifetime:       r.TokenLifetime.Or(0),
		TokenLifetimeForWeb: r.TokenLifetimeForWeb.Or(0),
		EnforcePolicies:     r.EnforcePolicies.Or(false),
		TokenDialect:        TokenDialect(r.TokenDialect.Or("")),
		ConsentPolicy:       r.ConsentPolicy.Or(""),
		ClientID:            r.ClientID.Or(""),
	}
	if r.Scopes != nil {
		rs.Scopes = make([]ResourceServerScope, len(r.Scopes))
		for i, sc := range r.Scopes {
			rs.Scopes[i] = ResourceServerScope{Value: sc.Value.Or(""), Description: sc.Description.Or("")}
		}
	}
	if e, ok := r.TokenEncryption.Get(); ok {
		k := e.EncryptionKey.Or(oas.TokenEncryptionEncryptionKey{})
		rs.TokenEncryption = &TokenEncryption{
			Format: e.Format.Or(""),
			EncryptionKey: TokenEncryptionKey{
				Name: k.Name.Or(""), Alg: k.Alg.Or(""), Kid: k.Kid.Or(""), PEM: k.Pem.Or(""),
			},
		}
	}
	if d, ok := r.AuthorizationDetails.Get(); ok {
		rs.AuthorizationDetails = make([]json.RawMessage, len(d))
		for i, raw := range d {
			rs.AuthorizationDetails[i] = json.RawMessage(slices.Clone(raw))
		}
	}
	if p, ok := r.ProofOfPossession.Get(); ok {
		rs.ProofOfPossession = &ProofOfPossession{
			Mechanism: p.Mechanism.Or(""), Required: p.Required.Or(false), RequiredFor: p.RequiredFor.Or(""),
		}
	}
	if a, ok := r.SubjectTypeAuthorization.Get(); ok {
		if u, ok := a.User.Get(); ok {
			rs.SubjectTypeAuthorization.UserPolicy = u.Policy.Or("")
		}
		if c, ok := a.Client.Get(); ok {
			rs.SubjectTypeAuthorization.ClientPolicy = c.Policy.Or("")
		}
	}
	if a, ok := r.AuthorizationPolicy.Get(); ok {
		rs.AuthorizationPolicy = &AuthorizationPolicy{PolicyID: a.PolicyID.Or("")}
	}
	return rs
}
