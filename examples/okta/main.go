// Command okta sets the scopes an Okta app is granted on an issuer.
//
// By default it runs against an in-memory fake of an Okta org (package oktafake), as an OAuth
// 2.0 service app with a private key JWT. To run it against a real org, set OKTA_DOMAIN
// (example.okta.com), OKTA_APP_ID (the app whose grants change) and a credential: OKTA_API_TOKEN,
// or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE (a PEM key of a service app granted
// okta.appGrants.manage; OKTA_KEY_ID its kid), and pass scope names. OKTA_ISSUER names the
// issuer (default: the org authorization server, https://{OKTA_DOMAIN}, for okta.* scopes):
//
//	go run ./examples/okta
//	OKTA_DOMAIN=example.okta.com OKTA_API_TOKEN=... OKTA_APP_ID=0oa... go run ./examples/okta okta.users.read
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/option"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if os.Getenv("OKTA_DOMAIN") != "" {
		err = runReal(ctx)
	} else {
		err = runFake(ctx)
	}
	if err != nil {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) {
			log.Fatalf("Okta said no: status %d (%s, error id %s): %v", apiErr.StatusCode, apiErr.Code, apiErr.RequestID, err)
		}
		log.Fatal(err)
	}
}

func runReal(ctx context.Context) error {
	domain := os.Getenv("OKTA_DOMAIN")
	var cred option.Option
	if t := os.Getenv("OKTA_API_TOKEN"); t != "" {
		cred = okta.WithAPIToken(grantkit.Secret(t))
	} else {
		pemKey, err := os.ReadFile(os.Getenv("OKTA_PRIVATE_KEY_FILE"))
		if err != nil {
			return err
		}
		key, err := okta.ParsePrivateKey(grantkit.Secret(pemKey))
		if err != nil {
			return err
		}
		cred = okta.WithPrivateKey(os.Getenv("OKTA_CLIENT_ID"), key, os.Getenv("OKTA_KEY_ID"), "okta.apps.read", "okta.appGrants.manage")
	}
	c, err := okta.New(domain, cred)
	if err != nil {
		return err
	}
	issuer := os.Getenv("OKTA_ISSUER")
	if issuer == "" {
		issuer = c.Issuer()
	}
	key := grantkit.GrantKey{Resource: issuer, ClientID: os.Getenv("OKTA_APP_ID")}
	g, err := c.Grants().SetScopes(ctx, key, os.Args[1:])
	if errors.Is(err, grantkit.ErrGrantNotFound) {
		g, err = c.Grants().Create(ctx, key, os.Args[1:])
	}
	if err != nil {
		return err
	}
	fmt.Printf("app %s now holds %q on %s\n", key.ClientID, g.Scopes, issuer)
	return nil
}

func runFake(ctx context.Context) error {
	srv := oktafake.NewServer()
	defer srv.Close()
	fmt.Printf("Running against an in-memory Okta org at %s (set OKTA_DOMAIN to use a real one).\n\n", srv.URL)
	app := srv.AddApp("billing-service")
	serverID, issuer := srv.AddAuthorizationServer("Invoices", "api://invoices")
	srv.RequireDPoP() // the service app requires DPoP: the client follows Okta's answers

	c, err := okta.New(oktafake.Domain, option.WithBaseURL(srv.URL),
		okta.WithPrivateKey(oktafake.ClientID, oktafake.ServiceAppKey(), "", "okta.appGrants.manage", "okta.authorizationServers.manage"))
	if err != nil {
		return err
	}
	for _, s := range []grantkit.ScopeDefinition{{Name: "read:invoices", Description: "Read invoices"}, {Name: "write:invoices"}} {
		if _, err := c.ScopeCatalog().DefineScope(ctx, issuer, s); err != nil {
			return err
		}
	}
	fmt.Printf("authorization server %s (issuer %s) defines read:invoices and write:invoices\n", serverID, issuer)
	key := grantkit.GrantKey{Resource: issuer, ClientID: app}
	g, err := c.Grants().Create(ctx, key, []string{"read:invoices"})
	if err != nil {
		return err
	}
	fmt.Printf("granted:  %q (consent grants %s)\n", g.Scopes, g.ID)
	g, err = grantkit.AddScopes(ctx, c.Grants(), key, "write:invoices")
	if err != nil {
		return err
	}
	fmt.Printf("added:    %q\n", g.Scopes)
	g, err = c.Grants().SetScopes(ctx, key, []string{"write:invoices"})
	if err != nil {
		return err
	}
	fmt.Printf("replaced: %q\n", g.Scopes)
	if err := c.Grants().Delete(ctx, key); err != nil {
		return err
	}
	_, err = c.Grants().Get(ctx, key)
	fmt.Printf("revoked:  %v\n", errors.Is(err, grantkit.ErrGrantNotFound))
	return nil
}
