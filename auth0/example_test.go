package auth0_test

import (
	"context"
	"errors"
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
	// The client (application) the grant is for: Auth0 grants only to clients that exist.
	srv.AddClient("billing-service")

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
	srv.AddClient("app-a", "app-b", "app-c")
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
func ExampleResourceServersService_CreateScope() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	srv.AddClient("billing-service")
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
	_, err = c.ResourceServers.CreateScope(ctx, "https://api.example.com/",
		auth0.ResourceServerScope{Value: "write:invoices", Description: "Create and change invoices"})
	if err != nil {
		log.Fatal(err)
	}
	for s, err := range c.ResourceServers.ListScopes(ctx, api.ID) {
		if err != nil {
			log.Fatal(err)
		}
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

// Create a client with the tenant's domain and one credential option; the shared options of
// package option go in the same list. The example runs against the in-memory fake; with a real
// tenant, drop WithBaseURL and pass your credentials.
func ExampleNew() {
	srv := auth0fake.NewServer()
	defer srv.Close()

	c, err := auth0.New("example.eu.auth0.com",
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 3}),
		option.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.ClientGrants.ListPage(context.Background(), auth0.ClientGrantListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Items), "grants,", srv.TokenRequests(), "token request")

	// A mistake in the configuration is refused before anything is sent.
	_, err = auth0.New("https://example.eu.auth0.com/", auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret))
	fmt.Println(errors.Is(err, grantkit.ErrInvalidInput))
	// Output:
	// 0 grants, 1 token request
	// true
}

// In the vendor-neutral view an Auth0 grant is keyed by audience, client and subject type: the
// client-access and the user-access grant of one client on one API are two grants.
func ExampleClient_Grants() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	const aud = "https://api.example.com/"
	srv.AddResourceServer(aud, "read:invoices", "write:invoices")
	srv.AddClient("billing-app")
	c, err := auth0.New("example.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, st := range []auth0.SubjectType{auth0.SubjectTypeClient, auth0.SubjectTypeUser} {
		_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "billing-app", Audience: aud, SubjectType: st, Scope: []string{"read:invoices"}})
		if err != nil {
			log.Fatal(err)
		}
	}

	user := grantkit.GrantKey{Resource: aud, ClientID: "billing-app", SubjectType: grantkit.SubjectUser}
	g, err := grantkit.AddScopes(ctx, c.Grants(), user, "write:invoices")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Key, g.Scopes)

	machine := grantkit.GrantKey{Resource: aud, ClientID: "billing-app"} // client access
	g, err = c.Grants().Get(ctx, machine)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Key, g.Scopes)
	// Output:
	// billing-app on https://api.example.com/ (user access) [read:invoices write:invoices]
	// billing-app on https://api.example.com/ [read:invoices]
}
