package cpn

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/option"
)

const (
	vendor      = "cpn"
	defaultHost = "https://console.navigator.vmware.com"
	// The API and the two token exchanges, under the base URL.
	apiPath               = "/cphub/api/auth/v2"
	apiTokenPath          = "/cphub/api/auth/v1/authn/accesstoken"
	clientCredentialsPath = "/cphub/api/auth/v2/authn/authorize"
)

// Client manages the OAuth apps of one CPN organization. It is safe for concurrent use.
type Client struct {
	// OAuthApps manages the organization's OAuth apps.
	OAuthApps *OAuthAppsService

	org string
	api *oas.Client
}

// own holds the settings of this package's own options.
type own struct {
	construct.ClientCredentials
	apiToken grantkit.Secret
}

// WithAPIToken authenticates with a CPN API token (generated in My Account > API Tokens),
// exchanged for access tokens at /cphub/api/auth/v1/authn/accesstoken. It is one of the
// credential options, of which New needs exactly one.
func WithAPIToken(apiToken grantkit.Secret) option.Option {
	return construct.VendorOption(vendor, "cpn.WithAPIToken", func(s *construct.Settings, o *own) error {
		s.AddCredential("cpn.WithAPIToken")
		if apiToken == "" {
			return validate.Errorf("cpn.WithAPIToken", "must not be empty")
		}
		o.apiToken = apiToken
		return nil
	})
}

// WithClientCredentials authenticates as an OAuth app of the organization, with its client id
// and secret, at /cphub/api/auth/v2/authn/authorize. It is one of the credential options, of
// which New needs exactly one.
func WithClientCredentials(clientID string, clientSecret grantkit.Secret) option.Option {
	return construct.WithClientCredentials[own](vendor, clientID, clientSecret)
}

// New returns a client for organization orgID. Exactly one credential option must be given:
// WithAPIToken, WithClientCredentials, option.WithToken or option.WithTokenSource.
//
// With option.WithBaseURL, every path (the API under /cphub/api/auth/v2, the token exchanges
// under /cphub/api/auth/v1 and v2) is appended to it instead of
// https://console.navigator.vmware.com; the base URL may have a path prefix, but not one
// ending in /cphub or any longer leading part of those paths, which would be doubled.
func New(orgID string, opts ...option.Option) (*Client, error) {
	if err := validate.ID("orgId", orgID); err != nil {
		return nil, fmt.Errorf("cpn: %w", err)
	}
	var o own
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return defaultHost },
		Paths:          []string{apiPath, apiTokenPath, clientCredentialsPath},
		Credentials:    []string{"cpn.WithAPIToken", "cpn.WithClientCredentials"},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	ex := exchange{hc: b.TokenHTTPClient()}
	switch {
	case b.Tokens != nil:
	case o.apiToken != "":
		body, _ := json.Marshal(map[string]string{"refreshToken": o.apiToken.Reveal()})
		ex.url, ex.body, ex.contentType = b.BaseURL+apiTokenPath, body, "application/json"
		b.Tokens = auth.New(ex.fetch, true)
	default:
		ex.url = b.BaseURL + clientCredentialsPath + "?orgId=" + url.QueryEscape(orgID)
		ex.body, ex.contentType = []byte("grant_type=client_credentials"), "application/x-www-form-urlencoded"
		ex.basic = "Basic " + base64.StdEncoding.EncodeToString([]byte(o.ClientID+":"+o.ClientSecret.Reveal()))
		b.Tokens = auth.New(ex.fetch, true)
	}
	b.Tokens = b.Tokens.Raw()
	tr := b.Transport(transport.Config{
		AuthHeader: "csp-auth-token",
		ParseError: parseError,
	})
	api, err := oas.NewClient(b.BaseURL+apiPath, construct.NoSecurity[oas.OperationName, oas.CspAuthToken]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("cpn: %w", err)
	}
	c := &Client{org: orgID, api: api}
	c.OAuthApps = &OAuthAppsService{c}
	return c, nil
}

// exchange is one of CPN's token requests. Neither answers in OAuth's format (they send
// {"accessToken": ...} and no lifetime), so the lifetime is read from the token itself.
type exchange struct {
	hc               *http.Client
	url, contentType string
	body             []byte
	basic            string // Authorization for the client-credentials flow
}

// errNoAccessToken reports a 2xx token answer without a usable token.
var errNoAccessToken = errors.New("the token response holds no accessToken")

// maxTokenBody caps a token response; real ones are a few kilobytes.
const maxTokenBody = 256 << 10

// tokenLifetime is assumed when a token carries no readable expiry; CPN's last 30 minutes.
const tokenLifetime = 25 * time.Minute

func (e exchange) fetch(ctx context.Context) (*oauth2.Token, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(e.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", e.contentType)
	req.Header.Set("Accept", "application/json")
	if e.basic != "" {
		req.Header.Set("Authorization", e.basic)
	}
	hc := e.hc
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// The same refusal type the OAuth library gives the other vendors' token requests:
		// the transport decides on retrying it and builds each caller's error from it,
		// reading CSP's error body with parseError.
		return nil, &oauth2.RetrieveError{Response: resp, Body: body}
	}
	var t struct {
		AccessToken string `json:"accessToken"`
	}
	if err := json.Unmarshal(body, &t); err != nil || t.AccessToken == "" {
		return nil, errNoAccessToken
	}
	return &oauth2.Token{AccessToken: t.AccessToken, Expiry: expiry(t.AccessToken)}, nil
}

// expiry reads the exp claim of a JWT access token without verifying it (CPN verifies it; we
// only need to know when to fetch the next one). An unreadable token is given tokenLifetime.
func expiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) == 3 {
		if payload, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
			var claims struct {
				Exp int64 `json:"exp"`
			}
			if json.Unmarshal(payload, &claims) == nil && claims.Exp > 0 {
				return time.Unix(claims.Exp, 0)
			}
		}
	}
	return time.Now().Add(tokenLifetime)
}

// parseError reads VMware's error body {statusCode, message, errorCode, cspErrorCode,
// moduleCode, requestId}.
func parseError(body []byte, e *grantkit.Error) {
	var b oas.CspErrorResponse
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code = b.ErrorCode.Or(b.CspErrorCode.Or(""))
	e.Message = b.Message.Or("")
	if e.RequestID == "" {
		e.RequestID = b.RequestId.Or("")
	}
}

// made reports whether New made c: a zero Client, or a nil one, has no API client, and a
// call through it is refused (see transport.Begin) instead of panicking.
func (c *Client) made() bool { return c != nil && c.api != nil }

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
