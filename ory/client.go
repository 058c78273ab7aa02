package ory

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory/internal/oas"
)

const (
	vendor      = "ory"
	clientsPath = "/admin/clients" // the admin API's OAuth 2.0 clients, under the base URL
)

// Client manages the OAuth 2.0 clients of one Ory Hydra admin API (a self-hosted Hydra, or an
// Ory Network project). It is safe for concurrent use.
type Client struct {
	// Clients manages the OAuth 2.0 clients and their allowed scopes.
	Clients *ClientsService

	admin string // the admin URL given to New: the Resource of every grant key
	api   *oas.Client
	sleep func(ctx context.Context, d time.Duration) error
}

// own holds the settings of this package's own options.
type own struct {
	apiToken string
	noAuth   bool
}

// WithAPIToken authenticates with an Ory Network project API key (Ory Console > Project
// settings > API keys), sent as a bearer token on every request. It is one of the credential
// options, of which New needs exactly one.
func WithAPIToken(token grantkit.Secret) option.Option {
	return construct.VendorOption(vendor, "ory.WithAPIToken", func(s *construct.Settings, o *own) error {
		s.AddCredential("ory.WithAPIToken")
		if token == "" {
			return validate.Errorf("ory.WithAPIToken", "must not be empty")
		}
		if strings.ContainsAny(token.Reveal(), "\r\n") {
			return validate.Errorf("ory.WithAPIToken", "must not contain CR or LF")
		}
		o.apiToken = token.Reveal()
		return nil
	})
}

// WithoutAuthentication sends no credential: for a self-hosted Hydra, whose admin listener
// takes none. It is one of the credential options, of which New needs exactly one; it is an
// option, not a default, so that forgetting a credential is an error rather than requests
// sent without one.
//
// The risk is the admin API's: anyone who can reach it can create clients, read them and
// change their scopes. Hydra's documentation asks for the admin port never to be exposed
// beyond a private network (or to be put behind an authenticating proxy); use this option
// only there. With it, and only with it, New accepts a plain-http admin URL on a host that is
// not loopback (an in-cluster service name), since no token crosses the network.
func WithoutAuthentication() option.Option {
	return construct.VendorOption(vendor, "ory.WithoutAuthentication", func(s *construct.Settings, o *own) error {
		s.AddCredential("ory.WithoutAuthentication")
		o.noAuth = true
		return nil
	})
}

// New returns a client for the admin API at adminURL: https://{project-slug}.projects.oryapis.com
// for an Ory Network project, or a self-hosted Hydra's admin listener (http://127.0.0.1:4445).
// The URL, without a trailing slash, is also the Resource of every grant key (see Grants).
// Exactly one credential option must be given: WithAPIToken, WithoutAuthentication,
// option.WithToken or option.WithTokenSource.
//
// The clients are at {adminURL}/admin/clients; adminURL may have a path prefix, but not one
// ending in /admin or /admin/clients, which would be doubled. With option.WithBaseURL,
// requests go to that base URL instead (a proxy, a test server) and grant keys keep adminURL.
func New(adminURL string, opts ...option.Option) (*Client, error) {
	admin, plainHTTP, err := checkAdminURL(adminURL)
	if err != nil {
		return nil, fmt.Errorf("ory: %w", err)
	}
	var o own
	b, err := construct.New(construct.Rules{
		Vendor:         vendor,
		DefaultBaseURL: func() string { return admin },
		Paths:          []string{clientsPath},
		Credentials:    []string{"ory.WithAPIToken", "ory.WithoutAuthentication"},
		Check: func(*construct.Settings) error {
			if plainHTTP && !o.noAuth {
				return validate.Errorf("adminURL", "plain http is allowed for a host that is not loopback only with ory.WithoutAuthentication (a credential must never cross a network in clear), got %q", adminURL)
			}
			return nil
		},
	}, &o, opts)
	if err != nil {
		return nil, err
	}
	if o.apiToken != "" {
		b.Tokens = auth.Static(o.apiToken)
	}
	tr := b.Transport(transport.Config{ParseError: parseError})
	api, err := oas.NewClient(b.BaseURL, construct.NoSecurity[oas.OperationName, oas.BearerAuth]{}, oas.WithClient(tr))
	if err != nil {
		return nil, fmt.Errorf("ory: %w", err)
	}
	c := &Client{admin: admin, api: api, sleep: b.Sleep}
	if c.sleep == nil {
		c.sleep = transport.Sleep
	}
	c.Clients = &ClientsService{c}
	return c, nil
}

// checkAdminURL checks adminURL as option.WithBaseURL checks a base URL, except that plain
// http on a host that is not loopback is reported (plainHTTP) rather than refused: New allows
// it with WithoutAuthentication only.
func checkAdminURL(adminURL string) (admin string, plainHTTP bool, err error) {
	checked := adminURL
	if p, perr := url.Parse(adminURL); perr == nil && p.Scheme == "http" && p.Host != "" && !validate.IsLoopback(p.Hostname()) {
		p.Scheme, plainHTTP = "https", true // the same checks otherwise
		checked = p.String()
	}
	u, err := validate.BaseURL("adminURL", checked)
	if err != nil {
		return "", false, err
	}
	for _, end := range []string{"/admin", clientsPath} {
		if strings.HasSuffix(u.Path, end) {
			return "", false, validate.Errorf("adminURL", "%q ends with %s, which grantkit appends itself; give the URL without it", adminURL, end)
		}
	}
	if plainHTTP {
		u.Scheme = "http"
	}
	return u.String(), plainHTTP, nil
}

// parseError reads Ory's OAuth 2.0 error body: {"error", "error_description", "error_hint",
// "error_debug", "status_code"}. The message is the description, with the hint when Hydra
// gives one.
func parseError(body []byte, e *grantkit.Error) {
	var b oas.ErrorOAuth2
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code = b.Error.Or("")
	e.Message = b.ErrorDescription.Or("")
	if h := b.ErrorHint.Or(""); h != "" && !strings.Contains(e.Message, h) {
		e.Message = strings.TrimSpace(e.Message + " " + h)
	}
}

// conflict is Hydra's answer to a write whose database transaction met a concurrent one
// (measured with v2.3.0 on its in-memory sqlite, for concurrent writes to different clients):
// a 400 with this error. The transaction was rolled back, nothing was written, so the write is
// sent again.
const conflict = "Unable to serialize access due to a concurrent update in another session"

// conflictResends bounds how often a write refused with conflict is sent again.
const conflictResends = 5

// resend runs send until it is not refused with conflict, at most conflictResends more times,
// waiting a little longer each time.
func resend[T any](ctx context.Context, c *Client, send func() (T, error)) (T, error) {
	for i := 0; ; i++ {
		v, err := send()
		if err == nil || i == conflictResends || !isConflict(err) {
			return v, err
		}
		wait := time.Duration(10<<i)*time.Millisecond + time.Duration(rand.Int64N(int64(10*time.Millisecond)))
		if serr := c.sleep(ctx, wait); serr != nil {
			return v, err
		}
	}
}

// isConflict reports whether err is Hydra's refusal of a concurrent write (its own function so
// that a call that succeeds does not pay for errors.As's target).
func isConflict(err error) bool {
	var apiErr *grantkit.Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest && apiErr.Code == conflict
}

// made reports whether New made c: a zero Client, or a nil one, has no API client, and a
// call through it is refused (see transport.Begin) instead of panicking.
func (c *Client) made() bool { return c != nil && c.api != nil }

// wrap names the operation in an error that did not come from a call's request.
func wrap(op string, err error) error { return transport.Wrap(vendor, op, err) }
