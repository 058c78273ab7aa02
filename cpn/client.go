package cpn

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/core"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

const (
	vendor      = "cpn"
	defaultHost = "https://console.navigator.vmware.com"
)

// Client manages the OAuth apps of one CPN organization. It is safe for concurrent use.
type Client struct {
	// OAuthApps manages the organization's OAuth apps.
	OAuthApps *OAuthAppsService

	org string
	api *oas.Client
}

// An Option configures a Client.
type Option func(*options)

type options struct {
	core.Settings
	apiToken               string
	clientID, clientSecret string
	credentials            int
}

// WithAPIToken authenticates with a CPN API token (generated in My Account > API Tokens),
// exchanged for access tokens at /cphub/api/auth/v1/authn/accesstoken.
func WithAPIToken(apiToken string) Option {
	return func(o *options) {
		if apiToken == "" {
			o.Fail(validate.Errorf("API token", "must not be empty"))
		}
		o.apiToken = apiToken
		o.credentials++
	}
}

// WithClientCredentials authenticates as an OAuth app of the organization, with its client id
// and secret, at /cphub/api/auth/v2/authn/authorize.
func WithClientCredentials(clientID string, clientSecret Secret) Option {
	return func(o *options) {
		if clientID == "" || clientSecret == "" {
			o.Fail(validate.Errorf("client credentials", "client id and secret must not be empty"))
		}
		o.clientID, o.clientSecret = clientID, clientSecret.Reveal()
		o.credentials++
	}
}

// WithToken authenticates with an access token obtained elsewhere, used as is.
func WithToken(token string) Option {
	return func(o *options) {
		if token == "" {
			o.Fail(validate.Errorf("token", "must not be empty"))
		}
		o.Token = token
	}
}

// WithTokenSource authenticates with tokens from ts, asked again when CPN rejects one.
func WithTokenSource(ts oauth2.TokenSource) Option { return func(o *options) { o.TokenSource = ts } }

// WithHTTPClient sends every request, token requests included, through hc.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.HTTPClient = hc } }

// WithRetryPolicy replaces the default retry policy (see grantkit.RetryPolicy).
func WithRetryPolicy(p grantkit.RetryPolicy) Option { return func(o *options) { o.Retry = p } }

// WithUserAgent puts a product token before grantkit's own in the User-Agent header.
func WithUserAgent(ua string) Option { return func(o *options) { o.UserAgent = ua } }

// WithLogger logs each retry to logger at Info level (never headers, bodies or tokens).
func WithLogger(logger *slog.Logger) Option { return func(o *options) { o.Logger = logger } }

// WithBaseURL sends every request to baseURL instead of https://console.navigator.vmware.com,
// token requests included. Use it for a proxy or a fake (see package cpnfake). Plain http is
// accepted only for loopback hosts.
func WithBaseURL(baseURL string) Option { return func(o *options) { o.BaseURL = baseURL } }

// New returns a client for organization orgID. Exactly one of WithAPIToken,
// WithClientCredentials, WithToken and WithTokenSource must be given.
func New(orgID string, opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if err := validate.ID("orgID", orgID); err != nil {
		return nil, fmt.Errorf("cpn: %w", err)
	}
	if err := o.Err(); err != nil {
		return nil, fmt.Errorf("cpn: %w", err)
	}
	base, err := o.ResolveBaseURL(defaultHost)
	if err != nil {
		return nil, fmt.Errorf("cpn: %w", err)
	}
	tokens, n := o.StaticTokens()
	n += o.credentials
	if n != 1 {
		return nil, fmt.Errorf("cpn: %w", validate.Errorf("credentials", "give exactly one of WithAPIToken, WithClientCredentials, WithToken, WithTokenSource (got %d)", n))
	}
	ex := exchange{hc: o.HTTPClient}
	switch {
	case o.apiToken != "":
		body, _ := json.Marshal(map[string]string{"refreshToken": o.apiToken})
		ex.url, ex.body, ex.contentType = base+"/cphub/api/auth/v1/authn/accesstoken", body, "application/json"
		tokens = auth.New(ex.fetch, true)
	case o.clientID != "":
		ex.url = base + "/cphub/api/auth/v2/authn/authorize?orgId=" + url.QueryEscape(orgID)
		ex.body, ex.contentType = []byte("grant_type=client_credentials"), "application/x-www-form-urlencoded"
		ex.basic = "Basic " + base64.StdEncoding.EncodeToString([]byte(o.clientID+":"+o.clientSecret))
		tokens = auth.New(ex.fetch, true)
	}
	tr := o.Transport(transport.Config{
		Vendor:     vendor,
		Tokens:     tokens.Raw(),
		AuthHeader: "csp-auth-token",
		ParseError: parseError,
	})
	api, err := oas.NewClient(base+"/cphub/api/auth/v2", noSecurity{}, oas.WithClient(tr))
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
	defer resp.Body.Close()
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

// noSecurity satisfies the generated client's security hook; the transport sets the
// csp-auth-token header itself because a 401 refresh must replace it between attempts.
type noSecurity struct{}

func (noSecurity) CspAuthToken(context.Context, oas.OperationName) (oas.CspAuthToken, error) {
	return oas.CspAuthToken{}, nil
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

// begin starts a call of operation op: pass the returned context to the generated client and
// every error of the method to the Call's Err, which builds the error the caller receives.
func begin(ctx context.Context, op string) (context.Context, *transport.Call) {
	return transport.Begin(ctx, vendor, op)
}

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
