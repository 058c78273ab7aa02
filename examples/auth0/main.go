// Command auth0 updates the scopes of an Auth0 client grant.
//
// By default it starts an in-memory fake of Auth0 (package auth0fake), creates a grant there,
// updates its scopes and shows each of the PATCH states. To run it against a real tenant, set
// AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (a machine-to-machine application
// authorized for the Management API with read:client_grants and update:client_grants), and
// AUTH0_GRANT_ID, the grant whose scopes to set to the arguments:
//
//	go run ./examples/auth0                       # against the fake
//	AUTH0_DOMAIN=... AUTH0_CLIENT_ID=... AUTH0_CLIENT_SECRET=... AUTH0_GRANT_ID=cgr_... \
//	    go run ./examples/auth0 read:users update:users
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if os.Getenv("AUTH0_DOMAIN") != "" {
		err = runReal(ctx)
	} else {
		err = runFake(ctx)
	}
	if err != nil {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) {
			log.Fatalf("Auth0 said no: status %d, code %q: %v", apiErr.StatusCode, apiErr.Code, err)
		}
		log.Fatal(err)
	}
}

func runReal(ctx context.Context) error {
	id := os.Getenv("AUTH0_GRANT_ID")
	if id == "" {
		return errors.New("set AUTH0_GRANT_ID to the id of the client grant to update")
	}
	c, err := auth0.New(os.Getenv("AUTH0_DOMAIN"),
		auth0.WithClientCredentials(os.Getenv("AUTH0_CLIENT_ID"), grantkit.Secret(os.Getenv("AUTH0_CLIENT_SECRET"))),
		option.WithUserAgent("grantkit-example"))
	if err != nil {
		return err
	}
	before, err := c.ClientGrants.Get(ctx, id)
	if err != nil {
		return err
	}
	fmt.Printf("grant %s (client %s on %s) has scopes %q\n", before.ID, before.ClientID, before.Audience, before.Scope)
	after, err := c.ClientGrants.Update(ctx, id, auth0.ClientGrantUpdate{Scope: grantkit.Set(os.Args[1:]...)})
	if err != nil {
		return err
	}
	fmt.Printf("updated: scopes are now %q\n", after.Scope)
	return nil
}

func runFake(ctx context.Context) error {
	srv := auth0fake.NewServer()
	defer srv.Close()
	fmt.Printf("Running against an in-memory Auth0 at %s (set AUTH0_DOMAIN to use a real tenant).\n\n", srv.URL)
	srv.AddClient("billing-service") // the application the grant is for

	c, err := auth0.New("example.auth0.com",
		option.WithBaseURL(srv.URL),
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret))
	if err != nil {
		return err
	}

	// Auth0 grants only scopes that the API (resource server) defines: define them first.
	api, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{
		Identifier: "https://api.example.com/",
		Name:       "Invoices API",
		Scopes:     []auth0.ResourceServerScope{{Value: "read:invoices", Description: "Read invoices"}},
	})
	if err != nil {
		return err
	}
	if _, err = c.ResourceServers.CreateScope(ctx, api.Identifier, auth0.ResourceServerScope{Value: "write:invoices", Description: "Change invoices"}); err != nil {
		return err
	}
	n := 0
	for _, err := range c.ResourceServers.ListScopes(ctx, api.ID) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Printf("API       %s  %s defines %d scopes\n", api.ID, api.Identifier, n)

	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{
		ClientID: "billing-service",
		Audience: "https://api.example.com/",
		Scope:    []string{"read:invoices"},
	})
	if err != nil {
		return err
	}
	fmt.Printf("created   %s  scope=%q\n", g.ID, g.Scope)

	steps := []struct {
		what string
		upd  auth0.ClientGrantUpdate
	}{
		{"set values", auth0.ClientGrantUpdate{Scope: grantkit.Set("read:invoices", "write:invoices")}},
		{"leave scope out", auth0.ClientGrantUpdate{OrganizationUsage: grantkit.Value(auth0.OrganizationUsageAllow)}},
		{"set to []", auth0.ClientGrantUpdate{Scope: grantkit.Set[[]string]()}},
		{"set to null", auth0.ClientGrantUpdate{Scope: grantkit.Null[[]string]()}},
		{"set values", auth0.ClientGrantUpdate{Scope: grantkit.Set("read:invoices")}},
	}
	for _, s := range steps {
		g, err = c.ClientGrants.Update(ctx, g.ID, s.upd)
		if err != nil {
			return err
		}
		reqs := srv.Requests()
		fmt.Printf("%-15s PATCH body %-45s -> scope=%q organization_usage=%q\n", s.what, reqs[len(reqs)-1].Body, g.Scope, g.OrganizationUsage)
	}

	// Rate limited twice: the client waits as Auth0's Retry-After says, then succeeds.
	srv.FailNext(2, auth0fake.Fault{Status: 429, RetryAfter: "1"})
	start := time.Now()
	g, err = c.ClientGrants.Get(ctx, g.ID)
	if err != nil {
		return err
	}
	fmt.Printf("\nafter two 429s (Retry-After: 1) the read succeeded in %.1fs: scope=%q\n", time.Since(start).Seconds(), g.Scope)

	n = 0
	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: "https://api.example.com/"}) {
		if err != nil {
			return err
		}
		n++
		fmt.Printf("listed    %s  client=%s scope=%q\n", g.ID, g.ClientID, g.Scope)
	}

	if err := c.ClientGrants.Delete(ctx, g.ID); err != nil {
		return err
	}
	_, err = c.ClientGrants.Get(ctx, g.ID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) {
		fmt.Printf("deleted; a read now fails with %d %s\n", apiErr.StatusCode, apiErr.Code)
	}
	fmt.Printf("token requests made: %d\n", srv.TokenRequests())
	return nil
}
