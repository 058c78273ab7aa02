package option_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// vendor is one vendor's New, its own credential option, and a call through a client.
type vendor struct {
	name string
	new  func(opts ...option.Option) (any, error)
	// own is the vendor's credential option accepted by its fake.
	own option.Option
	// fake returns a fresh fake of the vendor.
	fake func() http.Handler
	// client builds a client with opts and returns one call through it.
	client func(t *testing.T, opts ...option.Option) func(ctx context.Context) error
	// doubled are base URL paths ending in the vendor's own paths.
	doubled []string
	// tokenless says the vendor's own credential is sent as it is (Ory's API key): it makes
	// no token request.
	tokenless bool
}

func vendors() []vendor {
	return []vendor{
		{
			name: "auth0",
			new:  func(opts ...option.Option) (any, error) { return auth0.New("tenant.example.com", opts...) },
			own:  auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
			fake: func() http.Handler { return auth0fake.New() },
			client: func(t *testing.T, opts ...option.Option) func(context.Context) error {
				c, err := auth0.New("tenant.example.com", opts...)
				require.NoError(t, err)
				return func(ctx context.Context) error {
					_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{})
					return err
				}
			},
			doubled: []string{"/api", "/api/v2", "/api/v2/", "/proxy/api/v2", "/oauth", "/oauth/token"},
		},
		{
			name: "cpn",
			new:  func(opts ...option.Option) (any, error) { return cpn.New(cpnfake.OrgID, opts...) },
			own:  cpn.WithClientCredentials(cpnfake.ClientID, cpnfake.ClientSecret),
			fake: func() http.Handler { return cpnfake.New() },
			client: func(t *testing.T, opts ...option.Option) func(context.Context) error {
				c, err := cpn.New(cpnfake.OrgID, opts...)
				require.NoError(t, err)
				return func(ctx context.Context) error {
					_, err := c.OAuthApps.ListPage(ctx, cpn.OAuthAppListOptions{})
					return err
				}
			},
			doubled: []string{"/cphub", "/cphub/api", "/cphub/api/auth", "/cphub/api/auth/v2", "/cphub/api/auth/v1", "/cphub/api/auth/v2/authn"},
		},
		{
			name: "onelogin",
			new:  func(opts ...option.Option) (any, error) { return onelogin.New("acme", opts...) },
			own:  onelogin.WithClientCredentials(oneloginfake.ClientID, oneloginfake.ClientSecret),
			fake: func() http.Handler { return oneloginfake.New() },
			client: func(t *testing.T, opts ...option.Option) func(context.Context) error {
				c, err := onelogin.New("acme", opts...)
				require.NoError(t, err)
				return func(ctx context.Context) error {
					for _, err := range c.Authorizations.List(ctx, onelogin.AuthorizationListOptions{}) {
						return err
					}
					return nil
				}
			},
			doubled: []string{"/api", "/api/2", "/auth", "/auth/oauth2", "/auth/oauth2/v2/token"},
		},
		{
			name: "pingone",
			new:  func(opts ...option.Option) (any, error) { return pingone.New(pingonefake.EnvironmentID, opts...) },
			own:  pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret),
			fake: func() http.Handler { return pingonefake.New() },
			client: func(t *testing.T, opts ...option.Option) func(context.Context) error {
				c, err := pingone.New(pingonefake.EnvironmentID, opts...)
				require.NoError(t, err)
				return func(ctx context.Context) error {
					for _, err := range c.Resources.List(ctx, pingone.ResourceListOptions{}) {
						return err
					}
					return nil
				}
			},
			doubled: []string{"/v1", "/" + pingonefake.EnvironmentID, "/" + pingonefake.EnvironmentID + "/as"},
		},
		{
			name: "okta",
			new:  func(opts ...option.Option) (any, error) { return okta.New(oktafake.Domain, opts...) },
			own:  okta.WithPrivateKey(oktafake.ClientID, oktafake.ServiceAppKey(), "", "okta.appGrants.manage"),
			fake: func() http.Handler { return oktafake.New() },
			client: func(t *testing.T, opts ...option.Option) func(context.Context) error {
				c, err := okta.New(oktafake.Domain, opts...)
				require.NoError(t, err)
				return func(ctx context.Context) error {
					_, err := c.AuthorizationServers.ListPage(ctx, okta.AuthorizationServerListOptions{})
					return err
				}
			},
			doubled: []string{"/api", "/api/v1", "/proxy/api/v1", "/oauth2", "/oauth2/v1", "/oauth2/v1/token"},
		},
		{
			name: "ory",
			new: func(opts ...option.Option) (any, error) {
				return ory.New("https://example.projects.oryapis.com", opts...)
			},
			own:  ory.WithAPIToken(oryfake.APIKey),
			fake: func() http.Handler { return oryfake.New() },
			client: func(t *testing.T, opts ...option.Option) func(context.Context) error {
				c, err := ory.New("https://example.projects.oryapis.com", opts...)
				require.NoError(t, err)
				return func(ctx context.Context) error {
					_, err := c.Clients.ListPage(ctx, ory.OAuth2ClientListOptions{})
					return err
				}
			},
			doubled:   []string{"/admin", "/admin/clients", "/proxy/admin"},
			tokenless: true,
		},
	}
}

// counting is an http.RoundTripper that counts what it sends, to prove a client used it and
// that a rejected configuration sent nothing.
type counting struct {
	mu   sync.Mutex
	n    int
	uas  []string
	next http.RoundTripper
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.uas = append(c.uas, r.Header.Get("User-Agent"))
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *counting) sent() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func TestSharedAndVendorOptionsMix(t *testing.T) {
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			// The first request is the token request, the second the call: answer it with a 503
			// so that the retry policy and the logger have something to do.
			fake := v.fake()
			var served atomic.Int32
			// A tokenless vendor's first request is the call.
			first := int32(2)
			want := 3
			if v.tokenless {
				first, want = 1, 2
			}
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if served.Add(1) == first {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				fake.ServeHTTP(w, r)
			}))
			defer hs.Close()
			rt := &counting{next: http.DefaultTransport}
			var logs strings.Builder
			call := v.client(t, v.own,
				option.WithBaseURL(hs.URL),
				option.WithHTTPClient(&http.Client{Transport: rt}),
				option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}),
				option.WithUserAgent("mixer/1.0"),
				option.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			require.NoError(t, call(context.Background()))
			assert.Equal(t, want, rt.sent(), "the token request (if any) and both attempts of the call went through the given HTTP client")
			assert.Contains(t, logs.String(), "retrying request")
			assert.Contains(t, logs.String(), "status=503")
			// Every request, the token request included, carries the product token before
			// grantkit's own.
			require.Len(t, rt.uas, want)
			for _, ua := range rt.uas {
				assert.True(t, strings.HasPrefix(ua, "mixer/1.0 grantkit/"), "%q", ua)
				assert.Contains(t, ua, "("+v.name+"; ")
			}
		})
	}
}

func TestBaseURLPathPrefixIsKept(t *testing.T) {
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			prefix := "/gateway/" + v.name
			fake := http.StripPrefix(prefix, v.fake())
			var mu sync.Mutex
			var paths []string
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				paths = append(paths, r.URL.Path)
				mu.Unlock()
				fake.ServeHTTP(w, r)
			}))
			defer hs.Close()
			call := v.client(t, v.own, option.WithBaseURL(hs.URL+prefix+"/"))
			require.NoError(t, call(context.Background()))
			mu.Lock()
			defer mu.Unlock()
			want := 2
			if v.tokenless {
				want = 1
			}
			require.GreaterOrEqual(t, len(paths), want, "a token request (if any) and a call")
			for _, p := range paths {
				assert.True(t, strings.HasPrefix(p, prefix+"/"), p)
			}
		})
	}
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	other := func(v string) option.Option {
		if v == "pingone" {
			return auth0.WithClientCredentials("id", "secret")
		}
		return pingone.WithRegion(pingone.RegionEurope)
	}
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			cases := map[string]struct {
				opts []option.Option
				msg  string
			}{
				"nil HTTP client":           {[]option.Option{option.WithHTTPClient(nil)}, "option.WithHTTPClient: nil"},
				"nil logger":                {[]option.Option{option.WithLogger(nil)}, "option.WithLogger: nil"},
				"nil option":                {[]option.Option{nil}, "opts: option 2 is nil"},
				"negative attempts":         {[]option.Option{option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: -1})}, "option.WithRetryPolicy: negative"},
				"negative base delay":       {[]option.Option{option.WithRetryPolicy(grantkit.RetryPolicy{BaseDelay: -time.Second})}, "negative"},
				"negative max delay":        {[]option.Option{option.WithRetryPolicy(grantkit.RetryPolicy{MaxDelay: -1})}, "negative"},
				"negative max retry after":  {[]option.Option{option.WithRetryPolicy(grantkit.RetryPolicy{MaxRetryAfter: -1})}, "negative"},
				"CR LF in User-Agent":       {[]option.Option{option.WithUserAgent("svc/1\r\nX-Evil: 1")}, "option.WithUserAgent"},
				"LF in User-Agent":          {[]option.Option{option.WithUserAgent("svc/1\n")}, "not allowed in a header value"},
				"NUL in User-Agent":         {[]option.Option{option.WithUserAgent("svc\x00")}, "not allowed in a header value"},
				"DEL in User-Agent":         {[]option.Option{option.WithUserAgent("svc\x7f")}, "not allowed in a header value"},
				"empty User-Agent":          {[]option.Option{option.WithUserAgent("")}, "option.WithUserAgent: must not be empty"},
				"base URL with query":       {[]option.Option{option.WithBaseURL("https://proxy.example.com?tenant=a")}, "query"},
				"base URL with fragment":    {[]option.Option{option.WithBaseURL("https://proxy.example.com/#x")}, "fragment"},
				"plain http base URL":       {[]option.Option{option.WithBaseURL("http://proxy.example.com")}, "loopback"},
				"relative base URL":         {[]option.Option{option.WithBaseURL("/x")}, "absolute"},
				"two base URLs":             {[]option.Option{option.WithBaseURL("https://a.example.com"), option.WithBaseURL("https://b.example.com")}, "option.WithBaseURL: given twice with different values"},
				"two retry policies":        {[]option.Option{option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 5})}, "option.WithRetryPolicy: given twice"},
				"two HTTP clients":          {[]option.Option{option.WithHTTPClient(&http.Client{}), option.WithHTTPClient(&http.Client{})}, "option.WithHTTPClient: given twice"},
				"two User-Agents":           {[]option.Option{option.WithUserAgent("a/1"), option.WithUserAgent("b/1")}, "option.WithUserAgent: given twice"},
				"two loggers":               {[]option.Option{option.WithLogger(slog.Default()), option.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, "option.WithLogger: given twice"},
				"another vendor's option":   {[]option.Option{other(v.name)}, "it cannot configure a " + v.name + " client"},
				"nil token source as extra": {[]option.Option{option.WithTokenSource(nil)}, "option.WithTokenSource: nil"},
			}
			for name, tc := range cases {
				t.Run(name, func(t *testing.T) {
					rt := &counting{next: http.DefaultTransport}
					opts := append([]option.Option{v.own}, tc.opts...)
					if name != "nil HTTP client" && name != "two HTTP clients" {
						opts = append(opts, option.WithHTTPClient(&http.Client{Transport: rt}))
					}
					c, err := v.new(opts...)
					require.ErrorIs(t, err, grantkit.ErrInvalidInput)
					assert.Contains(t, err.Error(), tc.msg)
					assert.True(t, strings.HasPrefix(err.Error(), v.name+": "), err.Error())
					assert.Nil(t, c)
					assert.Zero(t, rt.sent())
				})
			}
			for _, p := range v.doubled {
				_, err := v.new(v.own, option.WithBaseURL("https://proxy.example.com"+p))
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, p)
				assert.Contains(t, err.Error(), "which grantkit appends itself", p)
			}
		})
	}
}

func TestCredentialCount(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"})
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			_, err := v.new()
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), "give exactly one of")
			assert.Contains(t, err.Error(), "(got none)")

			_, err = v.new(v.own, option.WithToken("t"))
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), "option.WithToken)")

			_, err = v.new(option.WithToken("a"), option.WithToken("b"))
			assert.ErrorIs(t, err, grantkit.ErrInvalidInput, "two tokens are two credentials")

			_, err = v.new(option.WithToken(""))
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), "option.WithToken: must not be empty")

			for _, opt := range []option.Option{v.own, option.WithToken("t"), option.WithTokenSource(ts)} {
				_, err = v.new(opt)
				assert.NoError(t, err)
			}
		})
	}
}

func TestRepeatingAnOptionWithTheSameValueIsHarmless(t *testing.T) {
	hc := &http.Client{}
	p := grantkit.RetryPolicy{MaxAttempts: 2}
	_, err := auth0.New("t.example.com", auth0.WithClientCredentials("id", "secret"),
		option.WithHTTPClient(hc), option.WithHTTPClient(hc),
		option.WithRetryPolicy(p), option.WithRetryPolicy(p),
		option.WithUserAgent("a/1"), option.WithUserAgent("a/1"),
		option.WithBaseURL("https://proxy.example.com"), option.WithBaseURL("https://proxy.example.com/"),
		option.WithLogger(slog.Default()), option.WithLogger(slog.Default()),
		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2}))
	assert.NoError(t, err)
}

func TestEveryMistakeIsReportedAtOnce(t *testing.T) {
	_, err := auth0.New("t.example.com", option.WithLogger(nil), option.WithUserAgent("a\nb"),
		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: -1}))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	for _, want := range []string{"option.WithLogger", "option.WithUserAgent", "option.WithRetryPolicy", "give exactly one of"} {
		assert.Contains(t, err.Error(), want)
	}
	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	assert.Len(t, joined.Unwrap(), 4)
}

func TestPingOneRegionRules(t *testing.T) {
	cc := pingone.WithClientCredentials("id", "secret")
	_, err := pingone.New("env1", cc, pingone.WithRegion(pingone.RegionEurope), option.WithBaseURL("https://proxy.example.com"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "pingone.WithRegion: given with option.WithBaseURL")

	_, err = pingone.New("env1", cc, pingone.WithRegion(pingone.RegionEurope), pingone.WithRegion(pingone.RegionCanada))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "pingone.WithRegion: given twice with different values")

	_, err = pingone.New("env1", cc, pingone.WithRegion(pingone.RegionEurope), pingone.WithRegion(pingone.RegionEurope))
	assert.NoError(t, err)

	_, err = pingone.New("env1", cc, pingone.WithTokenAuthMethod(pingone.ClientSecretPost), pingone.WithTokenAuthMethod(pingone.ClientSecretBasic))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "pingone.WithTokenAuthMethod: given twice")

	_, err = pingone.New("env1", option.WithToken("t"), pingone.WithTokenAuthMethod(pingone.ClientSecretPost))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "without pingone.WithClientCredentials")
}

func TestCPNCredentialsAreExclusive(t *testing.T) {
	_, err := cpn.New(cpnfake.OrgID, cpn.WithAPIToken("a"), cpn.WithClientCredentials("b", "c"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "(got cpn.WithAPIToken, cpn.WithClientCredentials)")
}

func TestHeaderValuesWithCRLFAreRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		opt  option.Option
		name string
	}{
		"token CRLF":        {option.WithToken("tok\r\nX-Injected: 1"), "option.WithToken"},
		"token LF":          {option.WithToken("tok\nx"), "option.WithToken"},
		"token NUL":         {option.WithToken("tok\x00"), "option.WithToken"},
		"token DEL":         {option.WithToken("tok\x7f"), "option.WithToken"},
		"user agent CR":     {option.WithUserAgent("app/1\rX: y"), "option.WithUserAgent"},
		"user agent TAB ok": {option.WithUserAgent("app/1\tx"), ""},
	} {
		t.Run(name, func(t *testing.T) {
			opts := []option.Option{tc.opt}
			if tc.name != "option.WithToken" {
				opts = append(opts, option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})))
			}
			_, err := auth0.New("tenant.example.com", opts...)
			if tc.name == "" {
				require.NoError(t, err, "a tab is a valid header byte")
				return
			}
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.name)
			assert.Contains(t, err.Error(), "header value")
			assert.NotContains(t, err.Error(), "\r")
			assert.NotContains(t, err.Error(), "\n")
			assert.NotContains(t, err.Error(), "tok", "the error shows the token")
		})
	}
}
