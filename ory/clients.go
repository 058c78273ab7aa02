package ory

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/patch"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/ory/internal/oas"
)

// OAuth2Client is an OAuth 2.0 client as Hydra stores it. The fields grantkit models are typed;
// Raw holds the whole client as Hydra returned it (lifespans, logout URIs, JWKS and any field
// a later Hydra adds), so nothing it returns is dropped.
type OAuth2Client struct {
	ID    string // client_id
	Name  string // client_name
	Owner string
	// Scope is the client's allowed scopes: what a token request of this client may ask for
	// (Hydra's space-separated scope, split into names, in Hydra's order).
	Scope                   []string
	Audience                []string
	GrantTypes              []string
	ResponseTypes           []string
	RedirectURIs            []string
	TokenEndpointAuthMethod string
	Metadata                json.RawMessage // nil when Hydra sends none or null
	CreatedAt               time.Time
	UpdatedAt               time.Time
	// Secret is the client secret, which Hydra returns only in its answer to Create (and to
	// an update that sets one); it cannot be read again.
	Secret grantkit.Secret
	Raw    json.RawMessage
}

// OAuth2ClientCreate is the body of ClientsService.Create. Zero fields are left out: without
// an ID Hydra generates a UUID, without a Secret a random secret (returned once, in
// OAuth2Client.Secret), without GrantTypes ["authorization_code"] and without
// TokenEndpointAuthMethod client_secret_basic.
type OAuth2ClientCreate struct {
	ID     string
	Name   string
	Owner  string
	Secret grantkit.Secret
	// Scope is the client's allowed scopes, each one token (no whitespace or control
	// character). Nil leaves it out, and Hydra gives the client its default scope
	// (offline_access offline openid); an empty non-nil list makes a client with no scope.
	Scope                   []string
	Audience                []string
	GrantTypes              []string
	ResponseTypes           []string
	RedirectURIs            []string
	TokenEndpointAuthMethod string
	Metadata                json.RawMessage
}

// OAuth2ClientUpdate is the body of ClientsService.Update, sent as a JSON Patch (RFC 6902) of
// one "replace" operation per field set, so that every field left as its zero value stays as
// Hydra stores it, whatever another writer does to it meanwhile. grantkit.Null is refused:
// use Patch with a "remove" operation to take a field away. An empty Scope leaves the client
// with no scope (it is sent as one space: Hydra would store its default scope for an empty
// one). Every field, as it is written:
//
//	ory.OAuth2ClientUpdate{
//		Scope:      grantkit.Set("read:invoices", "write:invoices"),
//		Audience:   grantkit.Set("https://api.example.com"),
//		GrantTypes: grantkit.Set("client_credentials"),
//		Name:       grantkit.Value("Billing sync"),
//		Owner:      grantkit.Value("team-billing"),
//		Metadata:   grantkit.Value(json.RawMessage(`{"tier":"gold"}`)),
//	}
type OAuth2ClientUpdate struct {
	Scope      grantkit.Field[[]string]
	Audience   grantkit.Field[[]string]
	GrantTypes grantkit.Field[[]string]
	Name       grantkit.Field[string]
	Owner      grantkit.Field[string]
	Metadata   grantkit.Field[json.RawMessage]
}

// PatchOperation is one operation of a JSON Patch (RFC 6902) for ClientsService.Patch: Op is
// "add", "remove", "replace", "move", "copy" or "test"; Path and From are JSON Pointers into
// the client ("/scope", "/metadata/tier"); Value is a JSON value (nil for none).
type PatchOperation struct {
	Op    string
	Path  string
	From  string
	Value json.RawMessage
}

// OAuth2ClientListOptions pages ClientsService.List and ListPage.
type OAuth2ClientListOptions struct {
	PageSize int    // Hydra documents 1 to 500 and accepts more; zero means its default (250)
	Cursor   string // a previous page's Next
	Name     string // only the clients with this client_name
	Owner    string // only the clients of this owner
}

// ClientsService manages the OAuth 2.0 clients (/admin/clients).
type ClientsService struct{ c *Client }

// begin starts a call of operation op through s's client (see transport.Begin).
func (s *ClientsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the clients, following Hydra's Link header from page to page.
func (s *ClientsService) List(ctx context.Context, opts OAuth2ClientListOptions) iter.Seq2[*OAuth2Client, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[OAuth2Client], error) {
		opts.Cursor = cursor
		return s.listPage(ctx, "Clients.List", opts)
	})
}

// ListPage returns one page of clients; Page.Next is empty on the last one.
func (s *ClientsService) ListPage(ctx context.Context, opts OAuth2ClientListOptions) (grantkit.Page[OAuth2Client], error) {
	return s.listPage(ctx, "Clients.ListPage", opts)
}

func (s *ClientsService) listPage(ctx context.Context, op string, opts OAuth2ClientListOptions) (grantkit.Page[OAuth2Client], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[OAuth2Client]{}, err
	}
	var params oas.ListOAuth2ClientsParams
	if opts.PageSize < 0 {
		return grantkit.Page[OAuth2Client]{}, call.Err(validate.Errorf("PageSize", "%d, want 1 or more (0 for Hydra's default)", opts.PageSize))
	}
	if opts.PageSize > 0 {
		params.PageSize.SetTo(int64(opts.PageSize))
	}
	if opts.Cursor != "" {
		params.PageToken.SetTo(opts.Cursor)
	}
	if opts.Name != "" {
		params.ClientName.SetTo(opts.Name)
	}
	if opts.Owner != "" {
		params.Owner.SetTo(opts.Owner)
	}
	res, err := s.c.api.ListOAuth2Clients(ctx, params)
	if err != nil {
		return grantkit.Page[OAuth2Client]{}, call.Err(err)
	}
	page := grantkit.Page[OAuth2Client]{Items: make([]OAuth2Client, len(res.Response))}
	for i := range res.Response {
		page.Items[i] = *fromOAS(&res.Response[i])
	}
	if len(res.Response) > 0 {
		page.Next = nextToken(res.Link.Or(""))
	}
	return page, nil
}

// nextToken reads the page_token of the rel="next" link of a Link header (RFC 8288).
func nextToken(link string) string {
	for _, part := range strings.Split(link, ",") {
		target, params, ok := strings.Cut(part, ";")
		if !ok {
			continue
		}
		next := false
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == "next" {
				next = true
			}
		}
		if !next {
			continue
		}
		u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
		if err == nil {
			return u.Query().Get("page_token")
		}
	}
	return ""
}

// Get returns the client with id. Hydra never returns a client's secret here.
func (s *ClientsService) Get(ctx context.Context, id string) (*OAuth2Client, error) {
	ctx, call, err := s.begin(ctx, "Clients.Get")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	a, err := s.c.api.GetOAuth2Client(ctx, oas.GetOAuth2ClientParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(a), nil
}

// Create creates a client and returns it with its secret (OAuth2Client.Secret), which Hydra
// shows only in this answer. A create whose answer is lost is never resent blindly. With an
// ID, the client is looked up by it: found as asked with the Secret p set, it is returned;
// found absent, the create is sent again (Hydra refuses a second client with one ID: 409).
// Otherwise (no ID, for which Hydra would make a second client; a client found that differs;
// a secret Hydra generated, shown only in the lost answer) the error says the client may
// exist, how to find it (Clients.Get with the ID you set, Clients.List by Name or Owner) and,
// when p sets no Secret, that the generated secret cannot be recovered and must be set again
// (Clients.Patch). A write Hydra refused for a concurrent transaction (400, nothing stored) is
// sent again.
func (s *ClientsService) Create(ctx context.Context, p OAuth2ClientCreate) (*OAuth2Client, error) {
	ctx, call, err := s.begin(ctx, "Clients.Create")
	if err != nil {
		return nil, err
	}
	find := "the client may now exist; find it with Clients.Get (the ID you set) or Clients.List (Name, Owner)"
	if p.Secret == "" {
		find += ". Its secret, which Hydra generated and showed only in this answer, was lost and cannot be recovered: " +
			"set a new one with Clients.Patch (replace /client_secret)"
	}
	call.Creates(find)
	req, err := p.toOAS()
	if err != nil {
		return nil, call.Err(err)
	}
	// A create is never resent blindly (transport.Create): when its answer is lost, a client
	// with the ID asked for is looked up first; Hydra refuses a second client with one ID (409).
	lk := transport.Lookup[OAuth2Client]{}
	if p.ID != "" {
		lk.Unique = true
		lk.Find = func(ctx context.Context) (*OAuth2Client, string, error) { return s.find(ctx, p) }
	}
	return transport.Create(ctx, call, func() (*OAuth2Client, error) {
		a, err := resend(ctx, s.c, func() (*oas.OAuth2Client, error) { return s.c.api.CreateOAuth2Client(ctx, req) })
		if err != nil {
			return nil, call.Err(err)
		}
		return fromOAS(a), nil
	}, lk)
}

// find looks up the client p would create by its ID. Found as asked, it is returned only
// when p set the secret: a secret Hydra generated was shown only in the lost answer and cannot
// be recovered, so the client is then reported as made but unusable until a new secret is set.
func (s *ClientsService) find(ctx context.Context, p OAuth2ClientCreate) (*OAuth2Client, string, error) {
	a, err := s.Get(ctx, p.ID)
	var ge *grantkit.Error
	if errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var diffs []string
	if p.Name != "" && a.Name != p.Name {
		diffs = append(diffs, "client_name "+validate.Quote(a.Name)+", asked "+validate.Quote(p.Name))
	}
	if p.Owner != "" && a.Owner != p.Owner {
		diffs = append(diffs, "owner "+validate.Quote(a.Owner)+", asked "+validate.Quote(p.Owner))
	}
	if p.Scope != nil && !slices.Equal(grantkit.NormalizeScopes(a.Scope), grantkit.NormalizeScopes(p.Scope)) {
		diffs = append(diffs, "scope "+strings.Join(a.Scope, " ")+", asked "+strings.Join(p.Scope, " "))
	}
	if len(diffs) == 0 && p.Secret == "" {
		diffs = append(diffs, "client "+validate.Quote(p.ID)+" exists, but the secret Hydra generated for it was shown only in the lost answer and cannot be recovered")
	}
	a.Secret = p.Secret
	return a, strings.Join(diffs, "; "), nil
}

// Update changes the fields p sets (PATCH /admin/clients/{id}, a JSON Patch of "replace"
// operations) and returns the client as stored. An update that sets no field is refused
// without a request.
func (s *ClientsService) Update(ctx context.Context, id string, p OAuth2ClientUpdate) (*OAuth2Client, error) {
	ctx, call, err := s.begin(ctx, "Clients.Update")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	ops, err := p.operations()
	if err != nil {
		return nil, call.Err(err)
	}
	return s.patch(ctx, call, id, ops)
}

// Patch applies a JSON Patch (RFC 6902) to client id and returns it as stored. A "test"
// operation makes the whole patch fail, nothing changed, unless the client holds that value.
// Hydra v2.3.0 answers a failed test (and any operation it cannot apply) with 500
// {"error":"error","error_description":"The error is unrecognizable"}, which the client
// retries as a server fault before reporting it: give such a patch a RetryPolicy of one
// attempt (option.WithRetryPolicy) if the retries are unwanted.
func (s *ClientsService) Patch(ctx context.Context, id string, ops []PatchOperation) (*OAuth2Client, error) {
	ctx, call, err := s.begin(ctx, "Clients.Patch")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	if len(ops) == 0 {
		return nil, call.Err(validate.Errorf("ops", "no operation"))
	}
	doc := make(oas.JsonPatchDocument, len(ops))
	for i, o := range ops {
		if err := o.check(i); err != nil {
			return nil, call.Err(err)
		}
		doc[i] = oas.JsonPatch{Op: o.Op, Path: o.Path, Value: jx.Raw(o.Value)}
		if o.From != "" {
			doc[i].From.SetTo(o.From)
		}
	}
	return s.patch(ctx, call, id, doc)
}

func (s *ClientsService) patch(ctx context.Context, call *transport.Call, id string, doc oas.JsonPatchDocument) (*OAuth2Client, error) {
	a, err := resend(ctx, s.c, func() (*oas.OAuth2Client, error) {
		return s.c.api.PatchOAuth2Client(ctx, doc, oas.PatchOAuth2ClientParams{ID: id})
	})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(a), nil
}

// Delete deletes client id, its credentials with it. Hydra answers 404 for a client that does
// not exist, which is an error, unless an earlier attempt of this call may have deleted it.
func (s *ClientsService) Delete(ctx context.Context, id string) error {
	ctx, call, err := s.begin(ctx, "Clients.Delete")
	if err != nil {
		return err
	}
	if err := validate.ID("id", id); err != nil {
		return call.Err(err)
	}
	_, err = resend(ctx, s.c, func() (struct{}, error) {
		return struct{}{}, s.c.api.DeleteOAuth2Client(ctx, oas.DeleteOAuth2ClientParams{ID: id})
	})
	// A 404 after an earlier attempt that may have deleted the client is success.
	return call.Deleted(err)
}

var patchOps = []string{"add", "remove", "replace", "move", "copy", "test"}

func (o PatchOperation) check(i int) error {
	field := func(name string) string { return "ops[" + itoa(i) + "]." + name }
	if err := validate.OneOf(field("op"), o.Op, patchOps...); err != nil {
		return err
	}
	if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
		return validate.Errorf(field("path"), "%q is not a JSON Pointer (it starts with /)", o.Path)
	}
	needsValue := o.Op == "add" || o.Op == "replace" || o.Op == "test"
	if needsValue && len(o.Value) == 0 {
		return validate.Errorf(field("value"), "%s needs a value", o.Op)
	}
	if len(o.Value) > 0 && !json.Valid(o.Value) {
		return validate.Errorf(field("value"), "is not JSON")
	}
	if (o.Op == "move" || o.Op == "copy") && !strings.HasPrefix(o.From, "/") {
		return validate.Errorf(field("from"), "%s needs a JSON Pointer to copy or move from", o.Op)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// CheckScopes checks scope names as every write of a client's scope does: each is one token
// of Hydra's space-separated scope (not empty, no whitespace or control character), since
// "read write" would be stored as two scopes. Hydra defines no other rule for a client's
// scope names; an error wraps grantkit.ErrInvalidInput and names the scope (scope[i]).
func CheckScopes(scopes []string) error {
	return validate.Each("scope", scopes, checkScope)
}

func checkScope(field, s string) error {
	if s == "" {
		return validate.Errorf(field, "is empty")
	}
	return validate.ScopeToken(field, s)
}

// checkSecret refuses a client secret Hydra would refuse: under 6 characters (Hydra v2.3.0
// answers 400 invalid_client_metadata). Empty means none given.
func checkSecret(field string, s grantkit.Secret) error {
	if s != "" && len([]rune(s.Reveal())) < 6 {
		return validate.Errorf(field, "is %d characters; Hydra wants at least 6", len([]rune(s.Reveal())))
	}
	return nil
}

// noScope is how a client with no scope is written: Hydra stores its default scope for an
// empty one (offline_access offline openid), but keeps a single space, which names none.
const noScope = " "

// scopeString is Hydra's scope for scopes; none is noScope.
func scopeString(scopes []string) string {
	if len(scopes) == 0 {
		return noScope
	}
	return strings.Join(scopes, " ")
}

func replace(path string, v any) (oas.JsonPatch, error) {
	b, err := json.Marshal(v)
	return oas.JsonPatch{Op: "replace", Path: path, Value: jx.Raw(b)}, err
}

func (p OAuth2ClientUpdate) operations() (oas.JsonPatchDocument, error) {
	var doc oas.JsonPatchDocument
	add := func(path string, v any) error {
		op, err := replace(path, v)
		doc = append(doc, op)
		return err
	}
	var buf [12]error // every field's two checks, without growing a slice
	errs := buf[:0]
	if v, ok, err := patch.Get("Scope", p.Scope); err != nil || ok {
		if err == nil {
			err = CheckScopes(v)
		}
		errs = append(errs, err, add("/scope", scopeString(v)))
	}
	lists := []struct {
		name, path string
		f          grantkit.Field[[]string]
	}{{"Audience", "/audience", p.Audience}, {"GrantTypes", "/grant_types", p.GrantTypes}}
	for _, l := range lists {
		if v, ok, err := patch.Get(l.name, l.f); err != nil || ok {
			if v == nil {
				v = []string{}
			}
			errs = append(errs, err, add(l.path, v))
		}
	}
	for _, f := range []struct {
		name, path string
		f          grantkit.Field[string]
	}{{"Name", "/client_name", p.Name}, {"Owner", "/owner", p.Owner}} {
		if v, ok, err := patch.Get(f.name, f.f); err != nil || ok {
			errs = append(errs, err, add(f.path, v))
		}
	}
	if v, ok, err := patch.Get("Metadata", p.Metadata); err != nil || ok {
		if err == nil && !json.Valid(v) {
			err = validate.Errorf("metadata", "is not JSON")
		}
		if err == nil {
			doc = append(doc, oas.JsonPatch{Op: "replace", Path: "/metadata", Value: jx.Raw(v)})
		}
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(doc) == 0 {
		return nil, validate.Errorf("update", "sets no field")
	}
	return doc, nil
}

func (p OAuth2ClientCreate) toOAS() (*oas.OAuth2ClientRequest, error) {
	if err := CheckScopes(p.Scope); err != nil {
		return nil, err
	}
	if err := checkSecret("client_secret", p.Secret); err != nil {
		return nil, err
	}
	if len(p.Metadata) > 0 && !json.Valid(p.Metadata) {
		return nil, validate.Errorf("metadata", "is not JSON")
	}
	req := &oas.OAuth2ClientRequest{
		Audience:      p.Audience,
		GrantTypes:    p.GrantTypes,
		ResponseTypes: p.ResponseTypes,
		RedirectUris:  p.RedirectURIs,
		Metadata:      jx.Raw(p.Metadata),
	}
	set := func(dst *oas.OptString, v string) {
		if v != "" {
			dst.SetTo(v)
		}
	}
	set(&req.ClientID, p.ID)
	set(&req.ClientName, p.Name)
	set(&req.Owner, p.Owner)
	set(&req.ClientSecret, p.Secret.Reveal())
	set(&req.TokenEndpointAuthMethod, p.TokenEndpointAuthMethod)
	if p.Scope != nil { // nil leaves it to Hydra: its default scope
		req.Scope.SetTo(scopeString(p.Scope))
	}
	return req, nil
}

func fromOAS(a *oas.OAuth2Client) *OAuth2Client {
	c := &OAuth2Client{
		ID:                      a.ClientID.Or(""),
		Name:                    a.ClientName.Or(""),
		Owner:                   a.Owner.Or(""),
		Scope:                   strings.Fields(a.Scope.Or("")),
		Audience:                a.Audience.Or(nil),
		GrantTypes:              a.GrantTypes.Or(nil),
		ResponseTypes:           a.ResponseTypes.Or(nil),
		RedirectURIs:            a.RedirectUris.Or(nil),
		TokenEndpointAuthMethod: a.TokenEndpointAuthMethod.Or(""),
		CreatedAt:               a.CreatedAt.Or(time.Time{}),
		UpdatedAt:               a.UpdatedAt.Or(time.Time{}),
		Secret:                  grantkit.Secret(a.ClientSecret.Or("")),
	}
	if m := a.Metadata; len(m) > 0 && string(m) != "null" {
		c.Metadata = json.RawMessage(m)
	}
	// The secrets stay out of Raw: the client secret is a grantkit.Secret, which never
	// prints, and Hydra's answer to a create also holds the client's registration access
	// token (a credential for its dynamic registration endpoint), which grantkit drops.
	shown := *a
	shown.ClientSecret = oas.OptNilString{}
	shown.RegistrationAccessToken = oas.OptNilString{}
	// A pooled encoder and one copy of its bytes: the same JSON as shown.MarshalJSON, without
	// growing a fresh buffer from nothing for every answer.
	e := jx.GetEncoder()
	shown.Encode(e)
	c.Raw = slices.Clone(e.Bytes())
	jx.PutEncoder(e)
	return c
}
