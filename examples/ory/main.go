// Command ory gives an OAuth 2.0 client of an Ory Hydra admin API exactly the scopes named on
// the command line, through the vendor-neutral view, and shows what Hydra stored.
//
// By default it runs against an in-memory Hydra admin API (package oryfake). To run it against
// a real one, set ORY_ADMIN_URL (an Ory Network project, https://{slug}.projects.oryapis.com,
// with ORY_API_KEY; or a self-hosted Hydra's admin listener, with no key) and ORY_CLIENT_ID:
//
//	go run ./examples/ory
//	ORY_ADMIN_URL=https://my-project.projects.oryapis.com ORY_API_KEY=... ORY_CLIENT_ID=... go run ./examples/ory read:invoices
//	ORY_ADMIN_URL=http://127.0.0.1:4445 ORY_CLIENT_ID=... go run ./examples/ory read:invoices
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if os.Getenv("ORY_ADMIN_URL") != "" {
		err = runReal(ctx)
	} else {
		err = runFake(ctx)
	}
	if err != nil {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) {
			log.Fatalf("Ory said no: status %d (%s): %v", apiErr.StatusCode, apiErr.Code, err)
		}
		log.Fatal(err)
	}
}

func runReal(ctx context.Context) error {
	admin := os.Getenv("ORY_ADMIN_URL")
	cred := ory.WithoutAuthentication() // a self-hosted admin listener on a private network
	if key := os.Getenv("ORY_API_KEY"); key != "" {
		cred = ory.WithAPIToken(grantkit.Secret(key))
	}
	c, err := ory.New(admin, cred)
	if err != nil {
		return err
	}
	key := grantkit.GrantKey{Resource: admin, ClientID: os.Getenv("ORY_CLIENT_ID")}
	g, err := c.Grants().SetScopes(ctx, key, os.Args[1:])
	if err != nil {
		return err
	}
	fmt.Printf("client %s may now ask for %q\n", g.Key.ClientID, g.Scopes)
	return nil
}

func runFake(ctx context.Context) error {
	srv := oryfake.NewServer()
	defer srv.Close()
	fmt.Printf("Running against an in-memory Hydra admin API at %s (set ORY_ADMIN_URL to use a real one).\n\n", srv.URL)
	c, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 3}))
	if err != nil {
		return err
	}
	// Clients are made with Clients.Create, which returns the secret (once); the grant verbs
	// never make or delete one.
	cl, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{
		ID: "billing-sync", Name: "Billing sync", GrantTypes: []string{"client_credentials"}, Scope: []string{},
	})
	if err != nil {
		return err
	}
	fmt.Printf("created client %s, secret %v (a grantkit.Secret never prints), scope %q\n", cl.ID, cl.Secret, cl.Scope)

	g := c.Grants()
	key := grantkit.GrantKey{Resource: srv.URL, ClientID: cl.ID}
	gr, err := g.Create(ctx, key, []string{"read:invoices"})
	if err != nil {
		return err
	}
	fmt.Printf("granted %q\n", gr.Scopes)
	if gr, err = grantkit.AddScopes(ctx, g, key, "write:invoices"); err != nil {
		return err
	}
	fmt.Printf("added write:invoices: %q\n", gr.Scopes)
	if err := g.Delete(ctx, key); err != nil {
		return err
	}
	cl, err = c.Clients.Get(ctx, cl.ID)
	if err != nil {
		return err
	}
	fmt.Printf("revoked: client %s is still there, with scope %q\n", cl.ID, cl.Scope)
	return nil
}
