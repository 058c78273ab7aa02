package option_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
)

// Shared options and a vendor's own options go in one list. The example runs against the
// Auth0 fake; with a real tenant, drop WithBaseURL.
func Example() {
	srv := auth0fake.NewServer()
	defer srv.Close()

	c, err := auth0.New("example.eu.auth0.com",
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
		option.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 2}),
		option.WithUserAgent("billing-sync/1.4"),
		option.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.ClientGrants.ListPage(context.Background(), auth0.ClientGrantListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Items), "grants")
	// Output: 0 grants
}

// A base URL is where the vendor's own paths are appended, so it must not hold them.
func ExampleWithBaseURL() {
	_, err := auth0.New("example.eu.auth0.com",
		auth0.WithClientCredentials("id", "secret"),
		option.WithBaseURL("https://proxy.example.com/api/v2"))
	fmt.Println(errors.Is(err, grantkit.ErrInvalidInput))
	fmt.Println(err)
	// Output:
	// true
	// auth0: invalid input: option.WithBaseURL: "https://proxy.example.com/api/v2" ends with /api/v2, which grantkit appends itself (requests would go to https://proxy.example.com/api/v2/api/v2); give the URL without it
}

// Contradictory options are refused: PingOne's region chooses hosts that a base URL replaces.
func Example_contradiction() {
	_, err := pingone.New("env-1",
		pingone.WithClientCredentials("id", "secret"),
		pingone.WithRegion(pingone.RegionEurope),
		option.WithBaseURL("https://proxy.example.com"))
	fmt.Println(err)
	// Output:
	// pingone: invalid input: pingone.WithRegion: given with option.WithBaseURL, which replaces the regional hosts; give one of them
}

// A token obtained elsewhere replaces the vendor's own credentials: it is the one credential
// option New needs, used as it is and never refreshed (WithTokenSource gives one that is), so
// the client makes no token request.
func ExampleWithToken() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	c, err := auth0.New("example.eu.auth0.com", option.WithToken(grantkit.Secret(srv.IssueToken())), option.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.ClientGrants.ListPage(context.Background(), auth0.ClientGrantListOptions{})
	fmt.Println(err, srv.TokenRequests())

	// Two credentials are a contradiction, not a choice.
	_, err = auth0.New("example.eu.auth0.com", option.WithToken("t"), auth0.WithClientCredentials("id", "secret"))
	fmt.Println(errors.Is(err, grantkit.ErrInvalidInput))
	// Output:
	// <nil> 0
	// true
}
