package auth0_test

import (
	"context"
	"iter"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/option"
)

func TestReliability(t *testing.T) {
	reliabilitytest.Run(t, func(t *testing.T, o reliabilitytest.Options) reliabilitytest.Env {
		srv := auth0fake.NewServer()
		t.Cleanup(srv.Close)
		srv.AddResourceServer("https://api.example.com/", "a")
		srv.AddClient("app", "listed")
		// The grant the scenarios read and update, created with a token of the fake's own.
		seed, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
		require.NoError(t, err)
		g, err := seed.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{ClientID: "app", Audience: "https://api.example.com/", Scope: []string{"a"}})
		require.NoError(t, err)

		secret := grantkit.Secret(auth0fake.ClientSecret)
		if o.WrongSecret != "" {
			secret = grantkit.Secret(o.WrongSecret)
		}
		c, err := auth0.New("tenant.example.com", o.With(option.WithBaseURL(srv.URL), auth0.WithClientCredentials(auth0fake.ClientID, secret))...)
		require.NoError(t, err)
		n := 0
		return reliabilitytest.Env{
			Read: func(ctx context.Context) error { _, err := c.ClientGrants.Get(ctx, g.ID); return err },
			Update: func(ctx context.Context) (func() bool, error) {
				n++
				want := "scope:" + strconv.Itoa(n)
				srv.AddResourceServer("https://api.example.com/", want) // Auth0 grants only scopes the API defines
				_, err := c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set(want)})
				return func() bool {
					got, err := seed.ClientGrants.Get(context.Background(), g.ID)
					return err == nil && len(got.Scope) == 1 && got.Scope[0] == want
				}, err
			},
			Create: func(ctx context.Context) error {
				n++
				srv.AddClient("app" + strconv.Itoa(n))
				_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app" + strconv.Itoa(n), Audience: "https://api.example.com/"})
				return err
			},
			GrantsCreate: func(ctx context.Context) error {
				n++
				srv.AddClient("app" + strconv.Itoa(n))
				_, err := c.Grants().Create(ctx, grantkit.GrantKey{ClientID: "app" + strconv.Itoa(n), Resource: "https://api.example.com/"}, []string{"a"})
				return err
			},
			Created: func() int {
				count := 0
				for g, err := range seed.ClientGrants.List(context.Background(), auth0.ClientGrantListOptions{}) {
					require.NoError(t, err)
					if g.ClientID == "app"+strconv.Itoa(n) {
						count++
					}
				}
				return count
			},
			Delete: func() func(ctx context.Context) error {
				n++
				srv.AddClient("gone" + strconv.Itoa(n))
				d, err := seed.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{ClientID: "gone" + strconv.Itoa(n), Audience: "https://api.example.com/", Scope: []string{"a"}})
				require.NoError(t, err)
				return func(ctx context.Context) error {
					return c.ClientGrants.Delete(ctx, d.ID)
				}
			},
			LostCreate:      []string{"the grant may now exist", "ClientGrants.List"},
			Catalog:         c.ScopeCatalog(),
			CatalogResource: "https://api.example.com/",
			Fake:            srv,
			ResetFault: func(d time.Duration) fake.Fault {
				return fake.Fault{Status: 429, Header: map[string][]string{
					"X-Ratelimit-Reset": {strconv.FormatInt(time.Now().Add(d).Unix(), 10)},
				}}
			},
			BadInputs: map[string]func(ctx context.Context) error{
				"empty id":       func(ctx context.Context) error { _, err := c.ClientGrants.Get(ctx, ""); return err },
				"../ id":         func(ctx context.Context) error { _, err := c.ClientGrants.Get(ctx, "../x"); return err },
				"/ id":           func(ctx context.Context) error { return c.ClientGrants.Delete(ctx, "a/b") },
				"%2F id":         func(ctx context.Context) error { _, err := c.ClientGrants.Get(ctx, "a%2Fb"); return err },
				"empty scope":    func(ctx context.Context) error { return update(ctx, c, g.ID, grantkit.Set("")) },
				"281-char scope": func(ctx context.Context) error { return update(ctx, c, g.ID, grantkit.Set(strings.Repeat("x", 281))) },
				// Enum values are Auth0's to validate (they pass through); what the
				// document forbids is checked here.
				"client and default group": func(ctx context.Context) error {
					_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "a", DefaultFor: auth0.DefaultForThirdPartyClients, Audience: "b"})
					return err
				},
				"page size 0..100": func(ctx context.Context) error {
					_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{PageSize: 500})
					return err
				},
			},
			New: func(opts ...option.Option) error {
				_, err := auth0.New("tenant.example.com", append([]option.Option{option.WithBaseURL(srv.URL)}, opts...)...)
				return err
			},
			List: func(ctx context.Context) iter.Seq2[string, error] {
				_, err := seed.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{ClientID: "listed", Audience: "https://api.example.com/"})
				require.NoError(t, err)
				return reliabilitytest.IDs(c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{PageSize: 1}), func(g *auth0.ClientGrant) string { return g.ID })
			},
			Token:   srv.IssueToken,
			Client:  c,
			Secrets: []string{auth0fake.ClientSecret},
		}
	})
}

func update(ctx context.Context, c *auth0.Client, id string, scope grantkit.Field[[]string]) error {
	_, err := c.ClientGrants.Update(ctx, id, auth0.ClientGrantUpdate{Scope: scope})
	return err
}
