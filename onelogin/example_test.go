package onelogin_test

import (
	"context"
	"fmt"
	"log"

	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
)

// Update a scope of an authorization server. The example runs against the in-memory fake;
// with a real account, drop WithBaseURL and pass your subdomain and API credentials.
func ExampleScopesService_Update() {
	srv := oneloginfake.NewServer()
	defer srv.Close()
	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")

	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL),
		onelogin.WithClientCredentials(oneloginfake.ClientID, oneloginfake.ClientSecret))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.Scopes.Create(ctx, authID, onelogin.ScopeParams{Value: "invoices:read", Description: "Read invoices"})
	if err != nil {
		log.Fatal(err)
	}
	s, err = c.Scopes.Update(ctx, authID, s.ID, onelogin.ScopeParams{Value: "read:invoices", Description: "Read all invoices"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Value, "-", s.Description)
	// Output: read:invoices - Read all invoices
}
