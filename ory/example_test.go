package ory_test

import (
	"context"
	"fmt"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
)

// A client's allowed scopes through the vendor-neutral view: granted, changed and revoked,
// the client staying in place.
func ExampleClient_Grants() {
	ctx := context.Background()
	srv := oryfake.NewServer()
	defer srv.Close()
	c, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey))
	if err != nil {
		panic(err)
	}
	if _, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "billing-sync", Scope: []string{}}); err != nil {
		panic(err)
	}
	key := grantkit.GrantKey{Resource: srv.URL, ClientID: "billing-sync"}
	g, err := c.Grants().Create(ctx, key, []string{"read:invoices"})
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Scopes)
	g, _ = grantkit.AddScopes(ctx, c.Grants(), key, "write:invoices")
	fmt.Println(g.Scopes)
	_ = c.Grants().Delete(ctx, key)
	cl, _ := c.Clients.Get(ctx, "billing-sync")
	fmt.Println(cl.ID, cl.Scope)
	// Output:
	// [read:invoices]
	// [read:invoices write:invoices]
	// billing-sync []
}

// Update sends a JSON Patch of the fields it sets, so another writer's fields survive.
func ExampleClientsService_Update() {
	ctx := context.Background()
	srv := oryfake.NewServer()
	defer srv.Close()
	c, _ := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey))
	_, _ = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "svc", Name: "Service"})
	cl, err := c.Clients.Update(ctx, "svc", ory.OAuth2ClientUpdate{Scope: grantkit.Set("read:a", "write:a")})
	if err != nil {
		panic(err)
	}
	fmt.Println(cl.Name, cl.Scope)
	fmt.Println(string(srv.Requests()[1].Body))
	// Output:
	// Service [read:a write:a]
	// [{"op":"replace","path":"/scope","value":"read:a write:a"}]
}
