// Package cpnfake is an in-memory, stateful fake of one VMware Cloud Partner Navigator
// organization's OAuth apps, with CPN's two token exchanges, for tests and examples that must
// run without an account.
//
// It serves the same OpenAPI description the cpn client is generated from (so the secret
// pattern and every other constraint are enforced) and answers with VMware's error body. It
// accepts APIToken at /cphub/api/auth/v1/authn/accesstoken and ClientID/ClientSecret at
// /cphub/api/auth/v2/authn/authorize, for organization OrgID.
// Fail makes chosen requests fail (a Match picks them by method, path pattern and order; a Fault
// says how), and Requests returns what the fake received.
//
//	srv := cpnfake.NewServer()
//	defer srv.Close()
//	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), cpn.WithAPIToken(cpnfake.APIToken))
package cpnfake

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grantkit/grantkit/cpn/cpnfake/internal/oas"
	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// The shared part of the fake (the types Fault, Match, Request and Answer, the methods Fail,
// FailNext, Requests, IssueToken…, Server and api) is written from internal/testkit/fake into fake_gen.go.
//go:generate go run github.com/grantkit/grantkit/internal/testkit/fake/fakegen

// The organization the fake serves and the credentials its token endpoints accept.
const (
	OrgID        = "6c4c5ef3-8b1d-4a4e-9b8e-c0ffee000001"
	APIToken     = "grantkit-fake-cpn-api-token"
	ClientID     = "grantkit-fake-cpn-client"
	ClientSecret = "Fake-Secret-1!"
)

// Fake is an in-memory CPN organization. It is an http.Handler; it is safe for concurrent use.
type Fake struct {
	srv *fake.Server

	mu      sync.Mutex
	apps    map[string]*oas.CpnOrgOauthAppResponse
	secrets map[string]string
}

const (
	apiTokenPath = "/cphub/api/auth/v1/authn/accesstoken"
	clientPath   = "/cphub/api/auth/v2/authn/authorize"
)

// New returns an organization with no OAuth apps.
func New() *Fake {
	f := &Fake{apps: map[string]*oas.CpnOrgOauthAppResponse{}, secrets: map[string]string{}}
	f.srv = fake.New(fake.Config{
		TokenPath:          apiTokenPath,
		MoreTokenPaths:     []string{clientPath},
		TokenTTL:           30 * time.Minute,
		ErrorBody:          func(status int, msg string) []byte { return errorBody(status, msg) },
		RateLimit:          rateLimit,
		VerifyTokenRequest: verifyToken,
		TokenBody: func(tok string, _ time.Duration) any {
			return map[string]string{"accessToken": tok, "idToken": "", "refreshToken": ""}
		},
	})
	f.srv.SetAPI(f.api(handler{f}, "/cphub/api/auth/v2", "Invalid request: "))
	return f
}

func verifyToken(r *http.Request) (int, string, string) {
	switch r.URL.Path {
	case apiTokenPath:
		var body struct {
			RefreshToken string `json:"refreshToken"`
		}
		if json.NewDecoder(r.Body).Decode(&body) != nil || body.RefreshToken != APIToken {
			return http.StatusBadRequest, "invalid_grant", "invalid_grant: Invalid refresh token"
		}
	default:
		id, secret, ok := r.BasicAuth()
		if !ok || id != ClientID || secret != ClientSecret {
			return http.StatusUnauthorized, "invalid_client", "invalid_client: Bad client credentials"
		}
		if r.URL.Query().Get("orgId") != OrgID {
			return http.StatusForbidden, "access_denied", "the client does not belong to this organization"
		}
	}
	return 0, "", ""
}

// ServeHTTP serves both token endpoints and the API under /cphub/api/auth/v2.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.srv.ServeHTTP(w, r) }

// SecretOf returns the current secret of app id, as a test that rotated it may check.
func (f *Fake) SecretOf(id string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.secrets[id]
	return s, ok
}

type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorBody(status int, msg string) []byte {
	b, _ := json.Marshal(map[string]any{
		"statusCode": status, "message": msg, "errorCode": strconv.Itoa(status) + ".1", "moduleCode": 540, "requestId": requestID(),
	})
	return b
}

func requestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

type handler struct{ f *Fake }

func (h handler) HandleCspAuthToken(ctx context.Context, _ oas.OperationName, t oas.CspAuthToken) (context.Context, error) {
	return h.f.srv.Authorize(ctx, t.APIKey)
}

func (h handler) NewError(_ context.Context, err error) *oas.ErrorStatusCodeWithHeaders {
	var ae *apiError
	if !errors.As(err, &ae) {
		status := fake.StatusOf(err)
		ae = &apiError{status: status, msg: err.Error()}
		if status == http.StatusUnauthorized {
			ae.msg = "The user is not authorized to use the API"
		}
	}
	var b oas.CspErrorResponse
	_ = b.UnmarshalJSON(errorBody(ae.status, ae.msg))
	return &oas.ErrorStatusCodeWithHeaders{StatusCode: ae.status, Response: b}
}

func org(id string) error {
	if id != OrgID {
		return &apiError{status: http.StatusForbidden, msg: "User does not have permission for this operation"}
	}
	return nil
}

// context400 checks the context query parameter against the values CPN documents for the
// operation: the client sends any value (CPN may add some), and CPN is the one to refuse.
func context400(c interface{ Get() (string, bool) }, allowed ...string) error {
	if v, ok := c.Get(); ok && !slices.Contains(allowed, v) {
		return &apiError{status: http.StatusBadRequest, msg: "Invalid context " + v}
	}
	return nil
}

func notFound(id string) error {
	return &apiError{status: http.StatusNotFound, msg: "OAuth app " + id + " not found"}
}

func clone(a *oas.CpnOrgOauthAppResponse) oas.CpnOrgOauthAppResponse {
	c := *a
	c.GrantTypes = slices.Clone(a.GrantTypes)
	return c
}

func (h handler) ListOauthApps(_ context.Context, p oas.ListOauthAppsParams) (*oas.OauthAppPage, error) {
	if err := org(p.OrgId); err != nil {
		return nil, err
	}
	if err := context400(p.Context, "PROVIDER", "TENANT"); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	ids := make([]string, 0, len(h.f.apps))
	term := strings.ToLower(p.SearchTerm.Or(""))
	for id, app := range h.f.apps {
		// CSP's searchTerm matches the display name or the client ID.
		if term == "" || strings.Contains(strings.ToLower(id), term) || strings.Contains(strings.ToLower(app.DisplayName.Or("")), term) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	start, limit := int(p.PageStart.Or(0)), int(p.PageLimit.Or(20))
	start = min(start, len(ids))
	end := min(start+limit, len(ids))
	link := func(from int) string {
		l := fmt.Sprintf("/cphub/api/auth/v2/orgs/%s/oauth-apps?pageStart=%d&pageLimit=%d", p.OrgId, from, limit)
		if term, ok := p.SearchTerm.Get(); ok {
			l += "&searchTerm=" + url.QueryEscape(term)
		}
		return l
	}
	page := &oas.OauthAppPage{Results: []oas.CpnOrgOauthAppResponse{}}
	for _, id := range ids[start:end] {
		page.Results = append(page.Results, clone(h.f.apps[id]))
	}
	if end < len(ids) {
		page.NextLink.SetTo(link(end))
	}
	if start > 0 {
		page.PrevLink.SetTo(link(max(0, start-limit)))
	}
	return page, nil
}

// generatedSecret meets CPN's secret rules.
func generatedSecret() string { return "Gk-" + requestID() + "!A9" }

// responseScopes stores allowedScopes as sent, every property included (CSP's full model and
// anything else), the way CPN answers it back.
func responseScopes(s oas.AllowedScopes) oas.ResponseAllowedScopes {
	var out oas.ResponseAllowedScopes
	b, err := s.MarshalJSON()
	if err == nil {
		err = out.UnmarshalJSON(b)
	}
	if err != nil {
		panic(err) // both schemas describe the same object; the response one is more lenient
	}
	return out
}

func (h handler) CreateOauthApp(_ context.Context, req *oas.OrgOauthAppRequest, p oas.CreateOauthAppParams) (*oas.OauthAppCreated, error) {
	if err := org(p.OrgId); err != nil {
		return nil, err
	}
	if err := context400(p.Context, "OPERATOR", "PROVIDER", "TENANT"); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	id := req.ID.Or("")
	if id == "" {
		id = "app-" + requestID()
	}
	if _, ok := h.f.apps[id]; ok {
		return nil, &apiError{status: http.StatusConflict, msg: "An OAuth app with id " + id + " already exists"}
	}
	secret := string(req.Secret.Or(oas.Secret(generatedSecret())))
	now := time.Now().UnixMilli()
	a := &oas.CpnOrgOauthAppResponse{GrantTypes: []string{"client_credentials"}}
	a.ID.SetTo(id)
	a.DisplayName.SetTo(req.DisplayName.Or(id))
	a.Description.SetTo(req.Description.Or(""))
	a.AccessTokenTTL.SetTo(req.AccessTokenTTL.Or(1800))
	a.AllowedScopes.SetTo(responseScopes(req.AllowedScopes.Or(oas.AllowedScopes{})))
	a.OwnerOnlySecretRotation.SetTo(req.OwnerOnlySecretRotation.Or(false))
	a.SecretRotationExpirationInSeconds.SetTo(req.SecretRotationExpirationInSeconds.Or(0))
	a.CreatedAt.SetTo(now)
	a.LastUpdatedAt.SetTo(now)
	h.f.apps[id] = a
	h.f.secrets[id] = secret
	out := &oas.OauthAppCreated{}
	out.ClientId.SetTo(id)
	out.ClientSecret.SetTo(secret)
	return out, nil
}

func (h handler) GetOauthApp(_ context.Context, p oas.GetOauthAppParams) (*oas.CpnOrgOauthAppResponse, error) {
	if err := org(p.OrgId); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	a, ok := h.f.apps[p.OauthAppId]
	if !ok {
		return nil, notFound(p.OauthAppId)
	}
	c := clone(a)
	return &c, nil
}

// UpdateOauthApp applies a PATCH: every field present replaces the stored one.
func (h handler) UpdateOauthApp(_ context.Context, req *oas.CpnOrgOauthAppUpdateRequest, p oas.UpdateOauthAppParams) (*oas.CpnOrgOauthAppResponse, error) {
	if err := org(p.OrgId); err != nil {
		return nil, err
	}
	if err := context400(p.Context, "PROVIDER", "TENANT"); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	a, ok := h.f.apps[p.OauthAppId]
	if !ok {
		return nil, notFound(p.OauthAppId)
	}
	if v, ok := req.AccessTokenTTL.Get(); ok {
		a.AccessTokenTTL.SetTo(v)
	}
	if v, ok := req.AllowedScopes.Get(); ok {
		a.AllowedScopes.SetTo(responseScopes(v))
	}
	if v, ok := req.Description.Get(); ok {
		a.Description.SetTo(v)
	}
	if v, ok := req.DisplayName.Get(); ok {
		a.DisplayName.SetTo(v)
	}
	if v, ok := req.OwnerOnlySecretRotation.Get(); ok {
		a.OwnerOnlySecretRotation.SetTo(v)
	}
	if v, ok := req.SecretRotationExpirationInSeconds.Get(); ok {
		a.SecretRotationExpirationInSeconds.SetTo(v)
	}
	if v, ok := req.Secret.Get(); ok {
		h.f.secrets[p.OauthAppId] = string(v)
	}
	a.LastUpdatedAt.SetTo(time.Now().UnixMilli())
	c := clone(a)
	return &c, nil
}

func (h handler) DeleteOauthApps(_ context.Context, req *oas.DeleteClientsRequest, p oas.DeleteOauthAppsParams) (*oas.PartialSuccess, error) {
	if err := org(p.OrgId); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	res := &oas.PartialSuccess{Succeeded: []string{}, Failed: []string{}}
	for _, id := range req.ClientIdsToDelete {
		if _, ok := h.f.apps[id]; !ok {
			res.Failed = append(res.Failed, id)
			continue
		}
		delete(h.f.apps, id)
		delete(h.f.secrets, id)
		res.Succeeded = append(res.Succeeded, id)
	}
	return res, nil
}
