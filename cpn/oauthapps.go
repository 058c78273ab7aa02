package cpn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/patch"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// Context is the role a call is made in. CPN documents ContextProvider and ContextTenant for
// Update and List, and ContextOperator too for Create; any other value is sent as is and CPN
// decides (grantkit does not refuse a context CPN may add). Empty leaves it to CPN.
type Context string

// The contexts CPN documents.
const (
	ContextProvider Context = "PROVIDER"
	ContextTenant   Context = "TENANT"
	ContextOperator Context = "OPERATOR"
)

// OAuthApp is an OAuth app (client) of the organization.
type OAuthApp struct {
	ID                                string        // the app's client id
	DisplayName                       string        // empty when CPN sent none
	Description                       string        // empty when CPN sent none
	AccessTokenTTL                    int32         // seconds an access token issued to the app lives
	AllowedScopes                     AllowedScopes // the scopes the app may request: its grant
	GrantTypes                        []string      // the OAuth grant types the app may use, as CPN sent them
	OwnerOnlySecretRotation           bool          // only the app's owner may rotate its secret
	SecretRotationExpirationInSeconds int32         // seconds the old secret stays valid after a rotation
	CreatedAt                         time.Time     // zero when CPN sent none
	LastUpdatedAt                     time.Time     // zero when CPN sent none
}

// OAuthAppCreate is the body of OAuthAppsService.Create. Zero fields are left out; without an
// ID and Secret CPN generates them.
type OAuthAppCreate struct {
	Context                           Context         // ContextProvider or ContextTenant; empty leaves it out
	ID                                string          // the client id: letters, digits, '-' and '_'; empty lets CPN choose
	DisplayName                       string          // shown in CPN's console
	Description                       string          // shown in CPN's console
	AccessTokenTTL                    int32           // seconds an access token lives
	AllowedScopes                     AllowedScopes   // the scopes the app may request (always sent)
	OwnerOnlySecretRotation           bool            // only the app's owner may rotate its secret
	Secret                            grantkit.Secret // must pass CheckSecret; empty lets CPN generate one
	SecretRotationExpirationInSeconds int32           // seconds the old secret stays valid after a rotation
}

// OAuthAppCredentials are a new app's client id and secret; CPN shows the secret only once.
type OAuthAppCredentials struct {
	ClientID     string          // the app's id
	ClientSecret grantkit.Secret // the secret, which no later read returns
}

// OAuthAppUpdate is the body of OAuthAppsService.Update (a PATCH): fields left as their zero
// value are not sent. CPN accepts no nulls, so grantkit.Null is refused for every field.
// AllowedScopes replaces all three kinds of scopes at once. Every field, as it is written
// (the two durations are int32 seconds, so an untyped number needs the type):
//
//	cpn.OAuthAppUpdate{
//		Context:                           cpn.ContextProvider,
//		AccessTokenTTL:                    grantkit.Value[int32](1800),
//		AllowedScopes:                     grantkit.Value(cpn.AllowedScopes{GeneralScopes: []string{"openid"}}),
//		Description:                       grantkit.Value("Syncs invoices to billing"),
//		DisplayName:                       grantkit.Value("Billing sync"),
//		OwnerOnlySecretRotation:           grantkit.Value(true),
//		Secret:                            grantkit.Value(grantkit.Secret(os.Getenv("NEW_SECRET"))),
//		SecretRotationExpirationInSeconds: grantkit.Value[int32](3600),
//	}
type OAuthAppUpdate struct {
	Context                           Context                         // ContextProvider or ContextTenant; empty leaves it out
	AccessTokenTTL                    grantkit.Field[int32]           // seconds
	AllowedScopes                     grantkit.Field[AllowedScopes]   // replaces every kind of scope at once
	Description                       grantkit.Field[string]          // shown in CPN's console
	DisplayName                       grantkit.Field[string]          // shown in CPN's console
	OwnerOnlySecretRotation           grantkit.Field[bool]            // only the app's owner may rotate its secret
	Secret                            grantkit.Field[grantkit.Secret] // must pass CheckSecret
	SecretRotationExpirationInSeconds grantkit.Field[int32]           // seconds the old secret stays valid after a rotation
}

// OAuthAppListOptions pages OAuthAppsService.List and ListPage.
type OAuthAppListOptions struct {
	Context  Context // ContextProvider or ContextTenant; empty leaves it out
	PageSize int     // 1 to 200; zero means CPN's default
	Cursor   string  // a previous page's Next
	// Search keeps only the apps whose display name or client ID matches this text
	// (CPN's searchTerm); empty lists every app.
	Search string
}

// OAuthAppsService manages the organization's OAuth apps (/cphub/api/auth/v2/orgs/{orgId}/oauth-apps).
type OAuthAppsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *OAuthAppsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the organization's OAuth apps.
func (s *OAuthAppsService) List(ctx context.Context, opts OAuthAppListOptions) iter.Seq2[*OAuthApp, error] {
	return paging.All(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[OAuthApp], error) {
		opts.Cursor = cursor
		return s.listPage(ctx, "OAuthApps.List", opts)
	})
}

// ListPage returns one page of the organization's OAuth apps.
func (s *OAuthAppsService) ListPage(ctx context.Context, opts OAuthAppListOptions) (grantkit.Page[OAuthApp], error) {
	return s.listPage(ctx, "OAuthApps.ListPage", opts)
}

// listPage is ListPage, called as op (List or ListPage), which its errors name.
func (s *OAuthAppsService) listPage(ctx context.Context, op string, opts OAuthAppListOptions) (grantkit.Page[OAuthApp], error) {
	ctx, call, err := s.begin(ctx, op)
	if err != nil {
		return grantkit.Page[OAuthApp]{}, err
	}
	params := oas.ListOauthAppsParams{OrgId: s.c.org}
	if opts.Context != "" {
		params.Context.SetTo(string(opts.Context))
	}
	if opts.PageSize < 0 || opts.PageSize > 200 {
		return grantkit.Page[OAuthApp]{}, call.Err(validate.Errorf("page_size", "%d, want 1 to 200 (0 for the default)", opts.PageSize))
	}
	if opts.PageSize > 0 {
		params.PageLimit.SetTo(int32(opts.PageSize))
	}
	if opts.Search != "" {
		params.SearchTerm.SetTo(opts.Search)
	}
	start := 0
	if opts.Cursor != "" {
		n, err := strconv.Atoi(opts.Cursor)
		if err != nil || n < 0 {
			return grantkit.Page[OAuthApp]{}, call.Err(validate.Errorf("cursor", "%s is not a cursor from a previous page", validate.Quote(opts.Cursor)))
		}
		start = n
		params.PageStart.SetTo(int32(n))
	}
	res, err := s.c.api.ListOauthApps(ctx, params)
	if err != nil {
		return grantkit.Page[OAuthApp]{}, call.Err(err)
	}
	page := grantkit.Page[OAuthApp]{Items: make([]OAuthApp, len(res.Results)), Total: -1}
	for i := range res.Results {
		page.Items[i] = *fromOAS(&res.Results[i])
	}
	if next := res.NextLink.Or(""); next != "" && len(res.Results) > 0 {
		page.Next = strconv.Itoa(start + len(res.Results))
		if u, err := url.Parse(next); err == nil {
			if v := u.Query().Get("pageStart"); v != "" {
				page.Next = v
			}
		}
	}
	return page, nil
}

// Get returns the OAuth app with id.
func (s *OAuthAppsService) Get(ctx context.Context, id string) (*OAuthApp, error) {
	ctx, call, err := s.begin(ctx, "OAuthApps.Get")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, call.Err(err)
	}
	a, err := s.c.api.GetOauthApp(ctx, oas.GetOauthAppParams{OrgId: s.c.org, OauthAppId: id})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(a), nil
}

// Create creates an OAuth app and returns its credentials.
//
// A create whose answer is lost (no answer after it was sent, a 5xx, a timeout, an answer cut
// off) is never resent blindly. With p.ID set, the app is looked up by it: absent, the create
// is sent again (CPN refuses a second app with the id); found as asked with p.Secret set, its
// credentials are returned. An app whose secret CPN generated cannot be recovered: that
// secret was only in the lost answer. The error then says the app exists and that a new
// secret must be set with OAuthApps.Update (Secret). Without p.ID there is nothing to look it
// up by, and the error says the app may exist and how to find it.
func (s *OAuthAppsService) Create(ctx context.Context, p OAuthAppCreate) (*OAuthAppCredentials, error) {
	ctx, call, err := s.begin(ctx, "OAuthApps.Create")
	if err != nil {
		return nil, err
	}
	call.Creates("the app may now exist; find it with OAuthApps.Get (the ID you set) or OAuthApps.List (Search by its display name). " +
		"Its client secret, shown only in this answer, was lost and cannot be recovered: set a new one with OAuthApps.Update (Secret)")
	req, params, err := p.toOAS(s.c.org)
	if err != nil {
		return nil, call.Err(err)
	}
	lk := transport.Lookup[OAuthAppCredentials]{}
	if p.ID != "" {
		lk.Unique = true // CPN refuses a second app with the id (409)
		lk.Find = func(ctx context.Context) (*OAuthAppCredentials, string, error) { return s.find(ctx, p) }
	}
	return transport.Create(ctx, call, func() (*OAuthAppCredentials, error) {
		res, err := s.c.api.CreateOauthApp(ctx, req, params)
		if err != nil {
			return nil, call.Err(err)
		}
		return &OAuthAppCredentials{ClientID: res.ClientId.Or(p.ID), ClientSecret: grantkit.Secret(res.ClientSecret.Or(p.Secret.Reveal()))}, nil
	}, lk)
}

// find looks up the app p would create by its ID. Found as asked, its credentials are
// returned only when p set the secret: a secret CPN generated was shown only in the lost
// answer and cannot be recovered, so the app is then reported as made but unusable until a
// new secret is set.
func (s *OAuthAppsService) find(ctx context.Context, p OAuthAppCreate) (*OAuthAppCredentials, string, error) {
	a, err := s.Get(ctx, p.ID)
	var ge *grantkit.Error
	if errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var diffs []string
	if p.DisplayName != "" && a.DisplayName != p.DisplayName {
		diffs = append(diffs, fmt.Sprintf("display name %q, asked %q", a.DisplayName, p.DisplayName))
	}
	if p.Description != "" && a.Description != p.Description {
		diffs = append(diffs, fmt.Sprintf("description %q, asked %q", a.Description, p.Description))
	}
	if p.AccessTokenTTL != 0 && a.AccessTokenTTL != p.AccessTokenTTL {
		diffs = append(diffs, fmt.Sprintf("access token TTL %d, asked %d", a.AccessTokenTTL, p.AccessTokenTTL))
	}
	if len(diffs) == 0 && p.Secret == "" {
		diffs = append(diffs, "app "+p.ID+" exists, but the client secret CPN generated for it was shown only in the lost answer and cannot be recovered")
	}
	creds := &OAuthAppCredentials{ClientID: p.ID, ClientSecret: p.Secret}
	return creds, strings.Join(diffs, "; "), nil
}

// Update changes the fields of app id that p sets (PATCH .../oauth-apps/{oauthAppId}) and
// returns the app as stored. An update that sets no field is rejected without a request.
func (s *OAuthAppsService) Update(ctx context.Context, id string, p OAuthAppUpdate) (*OAuthApp, error) {
	return s.update(ctx, id, p, nil)
}

// update is Update, for a read-modify-write of the app's scopes: held is its AllowedScopes as
// read, which goes back without the checks of what an update adds (see AllowedScopes.check).
func (s *OAuthAppsService) update(ctx context.Context, id string, p OAuthAppUpdate, held *AllowedScopes) (*OAuthApp, error) {
	ctx, call, err := s.begin(ctx, "OAuthApps.Update")
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
	params := oas.UpdateOauthAppParams{OrgId: s.c.org, OauthAppId: id}
	if p.Context != "" {
		params.Context.SetTo(string(p.Context))
	}
	a, err := s.c.api.UpdateOauthApp(ctx, req, params)
	if err != nil {
		return nil, call.Err(err)
	}
	return fromOAS(a), nil
}

// Delete deletes the app with this client id, its credentials included. CPN deletes apps
// through a bulk endpoint that reports each id as deleted or failed; an id it does not delete
// (one it does not know, for one) is an error naming it. After an attempt whose answer was lost
// (it may have landed), an app CPN reports as not deleted is looked up (OAuthApps.Get): one that
// no longer exists was deleted as asked.
func (s *OAuthAppsService) Delete(ctx context.Context, id string) error {
	ctx, call, err := s.begin(ctx, "OAuthApps.Delete")
	if err != nil {
		return err
	}
	if err := validate.ID("id", id); err != nil {
		return call.Err(err)
	}
	res, err := s.c.api.DeleteOauthApps(ctx, &oas.DeleteClientsRequest{ClientIdsToDelete: []string{id}}, oas.DeleteOauthAppsParams{OrgId: s.c.org})
	if err != nil {
		return call.Err(err)
	}
	if len(res.Failed) > 0 && call.MayHaveLanded() {
		// An earlier attempt whose answer was lost may have deleted it.
		gone, err := s.gone(ctx, id)
		if err != nil || gone {
			return err
		}
	}
	if len(res.Failed) > 0 {
		return call.Failed(fmt.Sprintf("CPN did not delete app %q", id))
	}
	return nil
}

// gone reports whether app id no longer exists.
func (s *OAuthAppsService) gone(ctx context.Context, id string) (bool, error) {
	_, err := s.Get(ctx, id)
	var ge *grantkit.Error
	if errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound {
		return true, nil
	}
	return false, err
}

func (p OAuthAppCreate) toOAS(org string) (*oas.OrgOauthAppRequest, oas.CreateOauthAppParams, error) {
	params := oas.CreateOauthAppParams{OrgId: org}
	if p.Context != "" {
		params.Context.SetTo(string(p.Context))
	}
	req := &oas.OrgOauthAppRequest{}
	if p.ID != "" {
		req.ID.SetTo(p.ID)
	}
	if p.Secret != "" {
		if err := CheckSecret(p.Secret); err != nil {
			return nil, params, err
		}
		req.Secret.SetTo(oas.Secret(p.Secret.Reveal()))
	}
	if err := p.AllowedScopes.check(nil); err != nil {
		return nil, params, err
	}
	req.AllowedScopes.SetTo(p.AllowedScopes.toOAS())
	setIf(p.DisplayName != "", &req.DisplayName, p.DisplayName)
	setIf(p.Description != "", &req.Description, p.Description)
	if p.AccessTokenTTL != 0 {
		req.AccessTokenTTL.SetTo(p.AccessTokenTTL)
	}
	if p.SecretRotationExpirationInSeconds != 0 {
		req.SecretRotationExpirationInSeconds.SetTo(p.SecretRotationExpirationInSeconds)
	}
	if p.OwnerOnlySecretRotation {
		req.OwnerOnlySecretRotation.SetTo(true)
	}
	return req, params, nil
}

func setIf(ok bool, dst *oas.OptString, v string) {
	if ok {
		dst.SetTo(v)
	}
}

// toOAS builds the PATCH body; held is the app's AllowedScopes as read for a read-modify-write
// (see AllowedScopes.check), nil when the caller's update is all its own.
func (p OAuthAppUpdate) toOAS(held *AllowedScopes) (*oas.CpnOrgOauthAppUpdateRequest, error) {
	if p.AccessTokenTTL.IsZero() && p.AllowedScopes.IsZero() && p.Description.IsZero() && p.DisplayName.IsZero() &&
		p.OwnerOnlySecretRotation.IsZero() && p.Secret.IsZero() && p.SecretRotationExpirationInSeconds.IsZero() {
		return nil, validate.Errorf("update", "sets no field")
	}
	// No field of CPN's PATCH body is nullable: patch refuses a null rather than drop it.
	req := &oas.CpnOrgOauthAppUpdateRequest{}
	if err := errors.Join(
		patch.NotNull("accessTokenTTL", p.AccessTokenTTL, &req.AccessTokenTTL),
		patch.NotNull("secretRotationExpirationInSeconds", p.SecretRotationExpirationInSeconds, &req.SecretRotationExpirationInSeconds),
		patch.NotNull("description", p.Description, &req.Description),
		patch.NotNull("displayName", p.DisplayName, &req.DisplayName),
		patch.NotNull("ownerOnlySecretRotation", p.OwnerOnlySecretRotation, &req.OwnerOnlySecretRotation),
	); err != nil {
		return nil, err
	}
	scopes, ok, err := patch.Get("allowedScopes", p.AllowedScopes)
	if err == nil && ok {
		err = scopes.check(held)
		req.AllowedScopes.SetTo(scopes.toOAS())
	}
	if err != nil {
		return nil, err
	}
	secret, ok, err := patch.Get("secret", p.Secret)
	if err == nil && ok {
		err = CheckSecret(secret)
		req.Secret.SetTo(oas.Secret(secret.Reveal()))
	}
	if err != nil {
		return nil, err
	}
	return req, nil
}

func fromOAS(a *oas.CpnOrgOauthAppResponse) *OAuthApp {
	return &OAuthApp{
		ID:                                a.ID.Or(""),
		DisplayName:                       a.DisplayName.Or(""),
		Description:                       a.Description.Or(""),
		AccessTokenTTL:                    a.AccessTokenTTL.Or(0),
		AllowedScopes:                     fromOASScopes(a.AllowedScopes.Value),
		GrantTypes:                        a.GrantTypes,
		OwnerOnlySecretRotation:           a.OwnerOnlySecretRotation.Or(false),
		SecretRotationExpirationInSeconds: a.SecretRotationExpirationInSeconds.Or(0),
		CreatedAt:                         millis(a.CreatedAt.Or(0)),
		LastUpdatedAt:                     millis(a.LastUpdatedAt.Or(0)),
	}
}

func millis(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
