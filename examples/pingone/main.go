// Command pingone updates the scopes an application is granted on a PingOne resource.
//
// By default it runs against an in-memory fake of a PingOne environment (package pingonefake).
// To run it against a real environment, set PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID and
// PINGONE_CLIENT_SECRET (a worker application), PINGONE_REGION (com, eu, ca, asia or com.au;
// default com), PINGONE_APPLICATION_ID and PINGONE_RESOURCE_ID, and pass scope names:
//
//	go run ./examples/pingone
//	PINGONE_ENVIRONMENT_ID=... go run ./examples/pingone read:invoices write:invoices
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
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if os.Getenv("PINGONE_ENVIRONMENT_ID") != "" {
		err = runReal(ctx)
	} else {
		err = runFake(ctx)
	}
	if err != nil {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) {
			log.Fatalf("PingOne said no: status %d (%s): %v", apiErr.StatusCode, apiErr.Code, err)
		}
		log.Fatal(err)
	}
}

func runReal(ctx context.Context) error {
	region := pingone.Region(os.Getenv("PINGONE_REGION"))
	if region == "" {
		region = pingone.RegionNorthAmerica
	}
	c, err := pingone.New(os.Getenv("PINGONE_ENVIRONMENT_ID"),
		pingone.WithClientCredentials(os.Getenv("PINGONE_CLIENT_ID"), grantkit.Secret(os.Getenv("PINGONE_CLIENT_SECRET"))),
		pingone.WithRegion(region))
	if err != nil {
		return err
	}
	key := grantkit.GrantKey{Resource: os.Getenv("PINGONE_RESOURCE_ID"), ClientID: os.Getenv("PINGONE_APPLICATION_ID")}
	g, err := c.Grants().SetScopes(ctx, key, os.Args[1:])
	if err != nil {
		return err
	}
	fmt.Printf("grant %s now has scopes %q\n", g.ID, g.Scopes)
	return nil
}

func runFake(ctx context.Context) error {
	srv := pingonefake.NewServer()
	defer srv.Close()
	fmt.Printf("Running against an in-memory PingOne environment at %s (set PINGONE_ENVIRONMENT_ID to use a real one).\n\n", srv.URL)
	app := srv.AddApplication("billing-service")
	res := srv.AddResource("Invoices API", "https://api.example.com")
	read, write := srv.AddScope(res, "read:invoices"), srv.AddScope(res, "write:invoices")

	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL),
		pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret))
	if err != nil {
		return err
	}
	g, err := c.ApplicationGrants.Create(ctx, app, pingone.ApplicationGrantCreate{ResourceID: res, ScopeIDs: []string{read}})
	if err != nil {
		return err
	}
	fmt.Printf("created grant %s with %d scope\n", g.ID, len(g.ScopeIDs))

	g, err = c.ApplicationGrants.Update(ctx, app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: res, ScopeIDs: []string{read, write}})
	if err != nil {
		return err
	}
	reqs := srv.Requests()
	r := reqs[len(reqs)-1]
	fmt.Printf("updated: %s %s\n         %s\n", r.Method, r.Path, r.Body)

	named, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: res, ClientID: app})
	if err != nil {
		return err
	}
	fmt.Printf("by name, the grant has %q (updated %s)\n", named.Scopes, g.UpdatedAt.Format(time.RFC3339))

	other := srv.AddResource("Other API", "https://other.example.com")
	_, err = c.ApplicationGrants.Update(ctx, app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: other, ScopeIDs: []string{srv.AddScope(other, "x")}})
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) {
		fmt.Printf("moving a grant to another resource fails: %d %s: %s\n", apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}
	fmt.Printf("token requests made: %d\n", srv.TokenRequests())
	return nil
}
