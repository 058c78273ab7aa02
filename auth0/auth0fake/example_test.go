package auth0fake_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
)

// Reads succeed while the write is rate-limited: only a PATCH of a client grant meets the 429.
func ExampleFake_Fail() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices")
	srv.AddClient("app1") // as at Auth0, a grant's client must exist
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL),
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1})) // show the 429 itself
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	g, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{
		ClientID: "app1", Audience: "https://api.example.com/", Scope: []string{"read:invoices"},
	})
	if err != nil {
		panic(err)
	}

	srv.Fail(auth0fake.Match{Method: "PATCH", Path: "/api/v2/client-grants/*"}, auth0fake.Fault{Status: 429, RetryAfter: "2"})

	got, err := c.ClientGrants.Get(ctx, g.ID)
	fmt.Println("read:", got.Scope, err)
	_, err = c.ClientGrants.Update(ctx, g.ID, auth0.ClientGrantUpdate{Scope: grantkit.Set("read:invoices", "write:invoices")})
	var e *grantkit.Error
	if errors.As(err, &e) {
		fmt.Println("write:", e.StatusCode, e.RetryAfter)
	}
	// Output:
	// read: [read:invoices] <nil>
	// write: 429 2s
}
