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
