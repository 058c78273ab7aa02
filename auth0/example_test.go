package auth0_test

import (
	"context"
	"fmt"
	"log"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
)

// Update a client grant's scopes. The example runs against the in-memory fake; with a real
// tenant, drop WithBaseURL and pass your tenant's domain and credentials.
func ExampleClientGrantsService_Update() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	// The API the grant is on, with the scopes it defines: Auth0 grants no other.
	srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices")

	c, err := auth0.New("example.auth0.com",
		option.WithBaseURL(srv.URL),
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{
		ClientID: "billing-service", Audience: "https://api.example.com/", Scope: []string{"read:invoices"},
	})
	if err != nil {
		log.Fatal(err)
	}

	g, err = c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{
		Scope: grantkit.Set("read:invoices", "write:invoices"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scope)
	// Output: [read:invoices write:invoices]
}

// Iterate over every grant of an API; pages are fetched as the loop needs them.
func ExampleClientGrantsService_List() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	srv.AddResourceServer("https://api.example.com/")
	c, _ := auth0.New("example.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	ctx := context.Background()
	for _, id := range []string{"app-a", "app-b", "app-c"} {
		_, _ = c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: id, Audience: "https://api.example.com/"})
	}

	n := 0
	for g, err := range c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{Audience: "https://api.example.com/", PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		_ = g.ClientID
		n++
	}
	fmt.Println(n, "grants")
	// Output: 3 grants
}

// Define the scopes of an API (a resource server) before granting them: Auth0 refuses a grant
// scope that its API does not define. DefineScope and RemoveScope change one scope and keep
// the others, although Auth0's update replaces the whole list.
func ExampleResourceServersService_DefineScope() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	c, err := auth0.New("example.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	api, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{
		Identifier: "https://api.example.com/",
		Name:       "Invoices API",
		Scopes:     []auth0.ResourceServerScope{{Value: "read:invoices", Description: "Read invoices"}},
	})
	if err != nil {
		log.Fatal(err)
	}

	// The identifier (audience) works wherever an id does.
	api, err = c.ResourceServers.DefineScope(ctx, "https://api.example.com/",
		auth0.ResourceServerScope{Value: "write:invoices", Description: "Create and change invoices"})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range api.Scopes {
		fmt.Printf("%s: %s\n", s.Value, s.Description)
	}

	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{
		ClientID: "billing-service", Audience: api.Identifier, Scope: []string{"read:invoices", "write:invoices"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scope)

	_, err = c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set("delete:invoices")})
	fmt.Println(err)
	// Output:
	// read:invoices: Read invoices
	// write:invoices: Create and change invoices
	// [read:invoices write:invoices]
	// auth0: ClientGrants.Update: 400 Bad Request (invalid_body): Payload validation error: scope must be a subset of resource server scopes
}
