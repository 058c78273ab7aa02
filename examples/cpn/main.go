// Command cpn updates the allowed scopes and secret of a VMware Cloud Partner Navigator OAuth
// app.
//
// By default it runs against an in-memory fake of a CPN organization (package cpnfake). To run
// it against a real organization, set CPN_ORG_ID, CPN_API_TOKEN and CPN_OAUTH_APP_ID, and pass
// general scopes as arguments:
//
//	go run ./examples/cpn
//	CPN_ORG_ID=... CPN_API_TOKEN=... CPN_OAUTH_APP_ID=... go run ./examples/cpn openid
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/option"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if os.Getenv("CPN_ORG_ID") != "" {
		err = runReal(ctx)
	} else {
		err = runFake(ctx)
	}
	if err != nil {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) {
			log.Fatalf("CPN said no: status %d (%s): %v", apiErr.StatusCode, apiErr.Code, err)
		}
		log.Fatal(err)
	}
}

func runReal(ctx context.Context) error {
	c, err := cpn.New(os.Getenv("CPN_ORG_ID"), cpn.WithAPIToken(grantkit.Secret(os.Getenv("CPN_API_TOKEN"))))
	if err != nil {
		return err
	}
	app, err := c.OAuthApps.Update(ctx, os.Getenv("CPN_OAUTH_APP_ID"), cpn.OAuthAppUpdate{
		AllowedScopes: grantkit.Value(cpn.AllowedScopes{GeneralScopes: os.Args[1:]}),
	})
	if err != nil {
		return err
	}
	fmt.Printf("app %s now allows %q\n", app.ID, app.AllowedScopes.Names())
	return nil
}

func runFake(ctx context.Context) error {
	srv := cpnfake.NewServer()
	defer srv.Close()
	fmt.Printf("Running against an in-memory CPN organization at %s (set CPN_ORG_ID to use a real one).\n\n", srv.URL)
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), cpn.WithAPIToken(cpnfake.APIToken))
	if err != nil {
		return err
	}
	creds, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing-sync", DisplayName: "Billing sync"})
	if err != nil {
		return err
	}
	fmt.Printf("created app %s, secret %v (a grantkit.Secret never prints)\n", creds.ClientID, creds.ClientSecret)

	app, err := c.OAuthApps.Update(ctx, creds.ClientID, cpn.OAuthAppUpdate{
		Context:        cpn.ContextProvider,
		AccessTokenTTL: grantkit.Value[int32](900),
		AllowedScopes: grantkit.Value(cpn.AllowedScopes{
			GeneralScopes: []string{"openid"},
			Organization:  cpn.OrganizationScopes{Roles: cpn.Roles("org_member")},
			Services:      []cpn.ServiceScope{{ServiceDefinitionID: "billing-service", Roles: cpn.Roles("viewer")}},
		}),
		Secret: grantkit.Value(grantkit.Secret("Rotated-Secret-42!")),
	})
	if err != nil {
		return err
	}
	reqs := srv.Requests()
	r := reqs[len(reqs)-1]
	fmt.Printf("updated: %s %s?%s\n", r.Method, r.Path, r.RawQuery)
	fmt.Printf("app %s now allows %q, tokens live %ds\n", app.ID, app.AllowedScopes.Names(), app.AccessTokenTTL)

	_, err = c.OAuthApps.Update(ctx, creds.ClientID, cpn.OAuthAppUpdate{Secret: grantkit.Value(grantkit.Secret("password"))})
	fmt.Printf("a weak secret is refused before sending: %v\n", err)
	fmt.Printf("token requests made: %d\n", srv.TokenRequests())
	return nil
}
