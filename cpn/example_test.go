package cpn_test

import (
	"context"
	"fmt"
	"log"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/option"
)

// Change the scopes an OAuth app may request. The example runs against the in-memory fake;
// with a real organization, drop WithBaseURL and pass your organization id and API token.
func ExampleOAuthAppsService_Update() {
	srv := cpnfake.NewServer()
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), cpn.WithAPIToken(cpnfake.APIToken))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	creds, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing-sync", DisplayName: "Billing sync"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("secret:", creds.ClientSecret) // a Secret never prints

	app, err := c.OAuthApps.Update(ctx, creds.ClientID, cpn.OAuthAppUpdate{
		Context: cpn.ContextProvider,
		AllowedScopes: grantkit.Value(cpn.AllowedScopes{
			GeneralScopes: []string{"openid"},
			Organization:  cpn.OrganizationScopes{Roles: cpn.Roles("org_member")},
		}),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(app.AllowedScopes.Names())
	// Output:
	// secret: [REDACTED]
	// [openid organization-role:org_member]
}

// Create an OAuth app: CPN shows its client secret once, in the answer, as a grantkit.Secret
// that never prints. The example runs against the in-memory fake; with a real organization,
// drop WithBaseURL and pass your organization id and API token.
func ExampleOAuthAppsService_Create() {
	srv := cpnfake.NewServer()
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), cpn.WithAPIToken(cpnfake.APIToken))
	if err != nil {
		log.Fatal(err)
	}
	creds, err := c.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{
		ID:             "billing-sync",
		DisplayName:    "Billing sync",
		AccessTokenTTL: 1800,
		AllowedScopes:  cpn.AllowedScopes{GeneralScopes: []string{"openid"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %v\n", creds.ClientID, creds.ClientSecret)
	// Store the secret where your service reads it: creds.ClientSecret.Reveal() is the value.
	fmt.Println(len(creds.ClientSecret.Reveal()) > 0)
	// Output:
	// billing-sync [REDACTED]
	// true
}

// In the vendor-neutral view a CPN grant is an OAuth app, and its scopes are named so that one
// list holds general scopes, organization roles and service roles.
func ExampleClient_Grants() {
	srv := cpnfake.NewServer()
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing-sync", DisplayName: "Billing sync"}); err != nil {
		log.Fatal(err)
	}

	// The app exists and has no allowed scopes: Create gives it some (it never makes an app),
	// SetScopes changes them, Delete empties them and keeps the app and its secret.
	grants := c.Grants()
	key := grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: "billing-sync"}
	if _, err := grants.Create(ctx, key, []string{"openid"}); err != nil {
		log.Fatal(err)
	}
	g, err := grants.SetScopes(ctx, key, []string{"openid", "organization-role:org_member"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scopes)
	if err := grants.Delete(ctx, key); err != nil {
		log.Fatal(err)
	}
	app, err := c.OAuthApps.Get(ctx, "billing-sync")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(app.ID, app.AllowedScopes.Names())
	// Output:
	// [openid organization-role:org_member]
	// billing-sync []
}
