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
