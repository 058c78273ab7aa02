package onelogin_test

import (
	"context"
	"fmt"
	"log"
	"strconv"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
)

// Update a scope of an authorization server. The example runs against the in-memory fake;
// with a real account, drop WithBaseURL and pass your subdomain and API credentials.
func ExampleAuthorizationsService_UpdateScope() {
	srv := oneloginfake.NewServer()
	defer srv.Close()
	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")

	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL),
		onelogin.WithClientCredentials(oneloginfake.ClientID, oneloginfake.ClientSecret))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "invoices:read", Description: "Read invoices"})
	if err != nil {
		log.Fatal(err)
	}
	s, err = c.Authorizations.UpdateScope(ctx, authID, s.ID, onelogin.ScopeUpdate{Value: "read:invoices", Description: "Read all invoices"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Value, "-", s.Description)
	// Output: read:invoices - Read all invoices
}

// Allow a client app to request some of an authorization server's scopes, by scope id. The
// example runs against the in-memory fake; with a real account, drop WithBaseURL and pass your
// subdomain and API credentials.
func ExampleClientAppsService_Create() {
	srv := oneloginfake.NewServer()
	defer srv.Close()
	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")
	srv.AddApp(5501) // the app, made in OneLogin's admin portal
	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	read, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read:invoices", Description: "Read invoices"})
	if err != nil {
		log.Fatal(err)
	}
	const appID = 5501 // an OpenID Connect app of the account
	app, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: appID, ScopeIDs: []int64{read.ID}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(app.AppID, len(app.ScopeIDs), "scope")
	// Output: 5501 1 scope
}

// In the vendor-neutral view a OneLogin grant is a client app on an authorization server, both
// named by their decimal ids, and scopes are named by value: the view resolves them to ids.
func ExampleClient_Grants() {
	srv := oneloginfake.NewServer()
	defer srv.Close()
	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")
	srv.AddApp(5501) // the app, made in OneLogin's admin portal
	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, v := range []string{"read:invoices", "write:invoices"} {
		if _, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: v, Description: v}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 5501, ScopeIDs: nil}); err != nil {
		log.Fatal(err)
	}

	key := grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: "5501"}
	g, err := grantkit.AddScopes(ctx, c.Grants(), key, "read:invoices", "write:invoices")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scopes)
	// Output: [read:invoices write:invoices]
}
