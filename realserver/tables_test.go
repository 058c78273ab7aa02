package realserver_test

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
)

// target is one of the two servers every table runs against: a real Hydra behind a front, or
// oryfake. Each env gets a fresh front (or fake), so its request log and faults are its own.
type target struct {
	name string
	// server returns the admin URL the grant keys name, the base URL requests go to, the
	// server that records them and injects faults, and a client that reaches the same clients
	// past any fault (for seeding and checking).
	// open says the client sends no credential (ory.WithoutAuthentication), which oryfake
	// then takes, as Hydra's admin listener does.
	server func(t *testing.T, open bool) (admin, base string, f server, seed *ory.Client)
}

// server is oryfake or the fault-injecting front before Hydra: what the shared tables ask of a
// fake, and a token it accepts.
type server interface {
	reliabilitytest.Fake
	IssueToken() grantkit.Secret
}

var targets = []target{
	{"hydra", func(t *testing.T, _ bool) (string, string, server, *ory.Client) {
		f := front(t, hydra.admin)
		seed, err := ory.New(hydra.admin, ory.WithoutAuthentication())
		require.NoError(t, err)
		return hydra.admin, f.URL, f.srv, seed
	}},
	{"fake", func(t *testing.T, open bool) (string, string, server, *ory.Client) {
		srv := oryfake.NewServer()
		t.Cleanup(srv.Close)
		if open {
			srv.Open()
		}
		seed, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey))
		require.NoError(t, err)
		return srv.URL, srv.URL, srv, seed
	}},
}

// frontServer is a fault-injecting, recording reverse proxy in front of Hydra's admin API:
// the shared fake scaffolding (internal/testkit/fake) with the proxy as its API. It also plays
// an authenticating gateway: its token endpoint (/oauth2/token, oryfake's client credentials)
// issues bearer tokens, and a request carrying one must carry a valid one (401 otherwise);
// a request without one goes through, as Hydra's admin listener takes none. A self-hosted
// Hydra has no rate limit, so the front enforces the one a scenario sets (SetRateLimit), with
// oryfake's 429: Ory's error body and no header (ory/oryfake/ratelimit.go).
type frontServer struct {
	*httptest.Server
	srv *fake.Server
}

func front(t *testing.T, upstream string) frontServer {
	u, err := url.Parse(upstream)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(u)
	fs := fake.New(fake.Config{
		ClientID: oryfake.ClientID, ClientSecret: oryfake.ClientSecret, TokenPath: oryfake.TokenPath,
		ErrorBody: func(status int, msg string) []byte {
			b, _ := json.Marshal(map[string]any{"error": http.StatusText(status), "error_description": msg})
			return b
		},
	})
	fs.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if _, err := fs.Authorize(r.Context(), tok); err != nil {
				fs.WriteError(w, http.StatusUnauthorized, "The request could not be authorized")
				return
			}
			r.Header.Del("Authorization")
		}
		proxy.ServeHTTP(w, r)
	}))
	hs := httptest.NewServer(fs)
	t.Cleanup(hs.Close)
	return frontServer{hs, fs}
}

// grantsEnv is the grant tables' Env on a target: clients made with Clients.Create, seeded
// with scopes; NewKey's clients hold no scope.
func grantsEnv(t *testing.T, tg target) grantstest.BulkEnv {
	admin, base, srv, seed := tg.server(t, true)
	d := grantstest.NewDropper(nil)
	c, err := ory.New(admin, option.WithBaseURL(base), ory.WithoutAuthentication(), option.WithHTTPClient(d.Client()))
	require.NoError(t, err)
	ctx := context.Background()
	client := func(t *testing.T, scopes []string) grantkit.GrantKey {
		id := newID("g")
		_, err := seed.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: id, GrantTypes: []string{"client_credentials"}, Scope: append([]string{}, scopes...)})
		require.NoError(t, err)
		return grantkit.GrantKey{Resource: admin, ClientID: id}
	}
	return grantstest.BulkEnv{
		Env: grantstest.Env{
			Grants:           c.Grants(),
			Vendor:           "ory",
			Drop:             func(scope string) { d.Drop(scope) },
			Refuse:           d.Refuse,
			GrantNeedsScopes: true,
			Seed:             func(t *testing.T, scopes ...string) grantkit.GrantKey { return client(t, scopes) },
			NewKey:           func(t *testing.T) grantkit.GrantKey { return client(t, nil) },
		},
		Sent:        func() (int, int) { return grantstest.Count(srv.Requests()) },
		BeforeWrite: d.BeforeNextWrite,
		DeltaReads:  1, // the client's GET just before its PATCH
	}
}

func TestGrants(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			grantstest.Run(t, func(t *testing.T) grantstest.Env { return grantsEnv(t, tg).Env })
		})
	}
}

func TestBulk(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			grantstest.RunBulk(t, func(t *testing.T) grantstest.BulkEnv { return grantsEnv(t, tg) })
		})
	}
}

type tokenSource func() (*oauth2.Token, error)

func (f tokenSource) Token() (*oauth2.Token, error) { return f() }

func TestReliability(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			reliabilitytest.Run(t, func(t *testing.T, o reliabilitytest.Options) reliabilitytest.Env {
				return reliabilityEnv(t, tg, o)
			})
		})
	}
}

// reliabilityEnv: the client's bearer tokens come from the target's /oauth2/token (oryfake's,
// or the front's before Hydra, whose admin listener takes no credential), through
// option.WithTokenSource.
func reliabilityEnv(t *testing.T, tg target, o reliabilitytest.Options) reliabilitytest.Env {
	ctx := context.Background()
	admin, base, srv, seed := tg.server(t, false)
	app := newID("app")
	_, err := seed.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: app, Scope: []string{"read:a"}})
	require.NoError(t, err)
	secret := oryfake.ClientSecret
	if o.WrongSecret != "" {
		secret = o.WrongSecret
	}
	cc := clientcredentials.Config{ClientID: oryfake.ClientID, ClientSecret: secret, TokenURL: base + oryfake.TokenPath, AuthStyle: oauth2.AuthStyleInHeader}
	// Not cc.TokenSource, which keeps its token: grantkit's cache decides when to fetch.
	fetch := tokenSource(func() (*oauth2.Token, error) { return cc.Token(ctx) })
	c, err := ory.New(admin, o.With(option.WithBaseURL(base), option.WithTokenSource(fetch))...)
	require.NoError(t, err)
	var created string // the ID of the latest Create
	return reliabilitytest.Env{
		Read: func(ctx context.Context) error { _, err := c.Clients.Get(ctx, app); return err },
		Update: func(ctx context.Context) (func() bool, error) {
			want := newID("name")
			_, err := c.Clients.Update(ctx, app, ory.OAuth2ClientUpdate{Name: grantkit.Value(want)})
			return func() bool {
				a, err := seed.Clients.Get(context.Background(), app)
				return err == nil && a.Name == want
			}, err
		},
		Create: func(ctx context.Context) error {
			created = newID("new")
			_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: created})
			return err
		},
		Created: func() int {
			if _, err := seed.Clients.Get(context.Background(), created); err != nil {
				return 0
			}
			return 1
		},
		Delete: func() func(ctx context.Context) error {
			id := newID("gone")
			_, err := seed.Clients.Create(context.Background(), ory.OAuth2ClientCreate{ID: id})
			require.NoError(t, err)
			return func(ctx context.Context) error { return c.Clients.Delete(ctx, id) }
		},
		LostSecret: true,
		LostCreate: []string{"the client may now exist", "Clients.Get", "Clients.List", "secret", "was lost", "Clients.Patch", "cannot be recovered"},
		Fake:       srv,
		New: func(opts ...option.Option) error {
			_, err := ory.New(admin, append([]option.Option{option.WithBaseURL(base)}, opts...)...)
			return err
		},
		// The clients of an owner of their own: the Hydra is shared by every test of the run.
		List: func(ctx context.Context) iter.Seq2[string, error] {
			owner := newID("owner")
			for range 3 {
				_, err := seed.Clients.Create(context.Background(), ory.OAuth2ClientCreate{ID: newID("listed"), Owner: owner})
				require.NoError(t, err)
			}
			return reliabilitytest.IDs(c.Clients.List(ctx, ory.OAuth2ClientListOptions{PageSize: 1, Owner: owner}), func(a *ory.OAuth2Client) string { return a.ID })
		},
		Token: srv.IssueToken,
		BadInputs: map[string]func(ctx context.Context) error{
			"empty id": func(ctx context.Context) error { _, err := c.Clients.Get(ctx, ""); return err },
			"../ id":   func(ctx context.Context) error { _, err := c.Clients.Get(ctx, "../"+app); return err },
			"scope with a space": func(ctx context.Context) error {
				_, err := c.Clients.Update(ctx, app, ory.OAuth2ClientUpdate{Scope: grantkit.Set("read write")})
				return err
			},
			"short secret": func(ctx context.Context) error {
				_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{Secret: "abc"})
				return err
			},
			"empty update": func(ctx context.Context) error {
				_, err := c.Clients.Update(ctx, app, ory.OAuth2ClientUpdate{})
				return err
			},
		},
		Client:  c,
		Secrets: []string{oryfake.ClientSecret},
	}
}
