//lint:file-ignore SA4006,SA4017,U1000 doc-comment snippets, copied verbatim to be compiled (TestSnippetsAreCompiled), never run: values a snippet shows but does not use are expected

package docsnip_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// The call examples of grantkit's doc comments, each compiled as the body of a function
// (TestSnippetsAreCompiled checks that each is here, verbatim). They are not run: most need a
// tenant. The runnable Examples of each package show the same calls against its fake.
//
//nolint:staticcheck // a snippet skips error checks between calls, for brevity
var docComments = []any{
	// doc.go
	func(clientID string, clientSecret grantkit.Secret) error {
		c, err := auth0.New("example.eu.auth0.com",
			auth0.WithClientCredentials(clientID, clientSecret),
			option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2}))
		_ = c
		return err
	},
	// option/option.go
	func(clientID string, clientSecret grantkit.Secret, hc *http.Client) error {
		c, err := auth0.New("example.eu.auth0.com",
			auth0.WithClientCredentials(clientID, clientSecret),
			option.WithHTTPClient(hc),
			option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2}))
		_ = c
		return err
	},
	// errors.go
	func(err error) error {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
			return nil // already gone
		}
		return err
	},
	// field.go
	func() error {
		var f grantkit.Field[[]string] // left out: the field is not sent, the stored value stays
		f = grantkit.Null[[]string]()  // sent as null
		f = grantkit.Set[[]string]()   // sent as []
		f = grantkit.Set("read:users") // sent as ["read:users"]
		_ = f
		return nil
	},
	// field.go
	func() error {
		var u struct {
			Enabled grantkit.Field[bool]
			Usage   grantkit.Field[auth0.OrganizationUsage]
			TTL     grantkit.Field[int32]
			Scopes  grantkit.Field[[]string]
			Secret  grantkit.Field[grantkit.Secret]
		}
		u.Enabled = grantkit.Value(true)
		u.Usage = grantkit.Value(auth0.OrganizationUsageAllow) // a typed constant, as every enum has
		u.Usage = grantkit.Value[auth0.OrganizationUsage]("deny")
		u.TTL = grantkit.Value[int32](1800) // an untyped number would be an int
		u.Scopes = grantkit.Set("read:users", "update:users")
		u.Scopes = grantkit.Set[[]string]() // no values: the type says which list
		u.Secret = grantkit.Value(grantkit.Secret(os.Getenv("NEW_SECRET")))
		_ = u
		return nil
	},
	// auth0/doc.go
	func(id string, secret grantkit.Secret) error {
		c, err := auth0.New("example.eu.auth0.com", auth0.WithClientCredentials(id, secret))
		_ = c
		return err
	},
	// auth0/doc.go
	func(ctx context.Context, c *auth0.Client) error {
		g, err := c.ClientGrants.Update(ctx, "cgr_123", auth0.ClientGrantUpdate{
			Scope: grantkit.Set("read:users", "update:users"),
		})
		_ = g
		return err
	},
	// auth0/doc.go
	func(ctx context.Context, c *auth0.Client) error {
		scope, err := c.ResourceServers.CreateScope(ctx, "https://api.example.com/",
			auth0.ResourceServerScope{Value: "write:invoices", Description: "Change invoices"})
		_ = scope
		return err
	},
	// auth0/clientgrants.go
	func(ctx context.Context, c *auth0.Client, aud string) error {
		for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: aud}) {
			if err != nil {
				return err
			}
			fmt.Println(g.ID, g.Scope)
		}
		return nil
	},
	// auth0/auth0fake/fake.go
	func() error {
		srv := auth0fake.NewServer()
		defer srv.Close()
		srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices")
		c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL),
			auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret))
		_ = c
		return err
	},
	// cpn/doc.go
	func(ctx context.Context, orgID, appID string, apiToken grantkit.Secret) error {
		c, err := cpn.New(orgID, cpn.WithAPIToken(apiToken))
		app, err := c.OAuthApps.Update(ctx, appID, cpn.OAuthAppUpdate{
			AllowedScopes: grantkit.Value(cpn.AllowedScopes{GeneralScopes: []string{"openid"}}),
		})
		_, _ = c, app
		return err
	},
	// onelogin/doc.go
	func(ctx context.Context, id string, secret grantkit.Secret, authID, scopeID int64) error {
		c, err := onelogin.New("acme", onelogin.WithClientCredentials(id, secret)) // acme.onelogin.com
		s, err := c.Authorizations.UpdateScope(ctx, authID, scopeID, onelogin.ScopeUpdate{Value: "read:invoices", Description: "Read invoices"})
		app, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 4242, ScopeIDs: []int64{s.ID}})
		_ = app
		return err
	},
	// pingone/doc.go
	func(ctx context.Context, envID, id, appID, grantID, resID string, secret grantkit.Secret, ids []string) error {
		c, err := pingone.New(envID, pingone.WithClientCredentials(id, secret), pingone.WithRegion(pingone.RegionEurope))
		g, err := c.ApplicationGrants.Update(ctx, appID, grantID, pingone.ApplicationGrantUpdate{ResourceID: resID, ScopeIDs: ids})
		_ = g
		return err
	},
	// pingone/pingonefake/fake.go
	func() error {
		srv := pingonefake.NewServer()
		defer srv.Close()
		c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL),
			pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret))
		_ = c
		return err
	},
	// okta/doc.go
	func(ctx context.Context, appID string) error {
		c, err := okta.New("example.okta.com", okta.WithAPIToken(grantkit.Secret(os.Getenv("OKTA_API_TOKEN"))))
		g, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: c.Issuer(), ClientID: appID})
		g, err = grantkit.AddScopes(ctx, c.Grants(), g.Key, "okta.users.read")
		_ = g
		return err
	},
	// okta/oktafake/fake.go
	func() error {
		srv := oktafake.NewServer()
		defer srv.Close()
		c, err := okta.New(oktafake.Domain, option.WithBaseURL(srv.URL), okta.WithAPIToken(oktafake.APIToken))
		_ = c
		return err
	},
	// ory/doc.go
	func(ctx context.Context, secret grantkit.Secret) error {
		c, err := ory.New("https://my-project.projects.oryapis.com", ory.WithAPIToken(secret))
		cl, err := c.Clients.Update(ctx, "billing-sync", ory.OAuth2ClientUpdate{
			Scope: grantkit.Set("read:invoices", "write:invoices"),
		})
		_ = cl
		return err
	},
}
