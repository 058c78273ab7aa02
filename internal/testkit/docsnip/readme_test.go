package docsnip_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
)

// README's Usage section, run against the Auth0 fake: requests to example.eu.auth0.com go to
// the fake, which defines https://api.example.com/ and holds one grant on it, and the
// AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET it reads are the fake's.
func Example_readmeUsage() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	srv.AddResourceServer("https://api.example.com/", "read:users", "update:users")
	srv.AddClient("billing-service")
	seed, _ := auth0.New("example.eu.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if _, err := seed.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{
		ClientID: "billing-service", Audience: "https://api.example.com/", Scope: []string{"read:users"},
	}); err != nil {
		fmt.Println(err)
	}
	defer routeTo(srv.URL, map[string]string{"AUTH0_CLIENT_ID": auth0fake.ClientID, "AUTH0_CLIENT_SECRET": string(auth0fake.ClientSecret)})()

	err := func() error {
		ctx := context.Background()
		c, err := auth0.New("example.eu.auth0.com",
			auth0.WithClientCredentials(os.Getenv("AUTH0_CLIENT_ID"), grantkit.Secret(os.Getenv("AUTH0_CLIENT_SECRET"))),
			option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 3}))
		if err != nil {
			return err
		}

		// PATCH /api/v2/client-grants/cgr_123 with {"scope":["read:users","update:users"]}
		g, err := c.ClientGrants.Update(ctx, "cgr_123", auth0.ClientGrantUpdate{
			Scope: grantkit.Set("read:users", "update:users"),
		})
		var apiErr *grantkit.Error
		switch {
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
			fmt.Println("no grant cgr_123")
		case err != nil:
			return err
		default:
			fmt.Println(g.ID, g.Scope)
		}

		// Every grant on an API; pages are fetched as the loop needs them.
		for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: "https://api.example.com/"}) {
			if err != nil {
				return err
			}
			fmt.Println(g.ClientID, g.Scope)
		}
		return nil
	}()
	fmt.Println("error:", err)
	// Output:
	// no grant cgr_123
	// billing-service [read:users]
	// error: <nil>
}

// README's test against the fake, run.
func Example_readmeFake() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	// As at Auth0, grants need an API that defines their scopes, and a client that exists.
	srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices")
	srv.AddClient("billing-service")
	c, _ := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL),
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret))
	// Reads succeed, the next update of a grant is rate-limited: exercise your retry handling.
	srv.Fail(auth0fake.Match{Method: "PATCH", Path: "/api/v2/client-grants/*"},
		auth0fake.Fault{Status: 429, RetryAfter: "1"})
	srv.SetRateLimit(50, 10) // enforce a rate limit as Auth0 does; srv.RateLimited() counts the 429s
	_ = c
	// Output:
}

// README's scope catalog and Ory constructors: compiled only (c is nil; Ory needs a server).
func Example_readmeCompiled() {
	ctx, aud, id := context.Background(), "https://api.example.com/", "billing-service"
	_ = func() error {
		var c *auth0.Client // or *onelogin.Client, *pingone.Client: each offers ScopeCatalog
		cat := c.ScopeCatalog()
		_, err := cat.DefineScope(ctx, aud, grantkit.ScopeDefinition{Name: "read:invoices", Description: "Read invoices"})
		g, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: aud, ClientID: id}, []string{"read:invoices"})
		err = c.Grants().Delete(ctx, g.Key)
		return err
	}
	_ = func() error {
		c, err := ory.New("https://my-project.projects.oryapis.com", ory.WithAPIToken(grantkit.Secret(os.Getenv("ORY_API_KEY"))))
		// or, for a self-hosted Hydra's admin listener on a private network (it takes no credential):
		c, err = ory.New("http://hydra-admin:4445", ory.WithoutAuthentication())
		_ = c
		return err
	}
}

// routeTo sends every request of http.DefaultClient for a host that is not loopback to the
// server at base and sets the environment variables env, until the returned func is called.
func routeTo(base string, env map[string]string) (restore func()) {
	to, _ := url.Parse(base)
	prev := http.DefaultClient.Transport
	http.DefaultClient.Transport = roundTripper(func(r *http.Request) (*http.Response, error) {
		if ip := net.ParseIP(r.URL.Hostname()); ip == nil || !ip.IsLoopback() {
			r = r.Clone(r.Context())
			r.URL.Scheme, r.URL.Host, r.Host = to.Scheme, to.Host, ""
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	for k, v := range env {
		_ = os.Setenv(k, v)
	}
	return func() {
		http.DefaultClient.Transport = prev
		for k := range env {
			_ = os.Unsetenv(k)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
