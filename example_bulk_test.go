package grantkit_test

import (
	"context"
	"fmt"
	"log"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
)

// ApplyScopes plans every change from one listing of the tenant's grants and writes each grant
// that needs it once, four at a time here, within the client's pacing. The example runs
// against the Auth0 fake.
func ExampleApplyScopes() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	const api = "https://invoices.example.com/"
	srv.AddResourceServer(api, "read:invoices", "write:invoices")
	srv.AddClient("billing", "reports", "payroll")
	c, err := auth0.New("example.eu.auth0.com",
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
		option.WithRateLimit(10, 10), // a little under the tenant's limit
		option.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, client := range []string{"billing", "reports"} {
		if _, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: client, Audience: api, Scope: []string{"read:invoices"}}); err != nil {
			log.Fatal(err)
		}
	}

	results, err := grantkit.ApplyScopes(ctx, c.Grants(), []grantkit.ScopeChangeRequest{
		{Key: grantkit.GrantKey{Resource: api, ClientID: "billing"}, Add: []string{"write:invoices"}},
		{Key: grantkit.GrantKey{Resource: api, ClientID: "reports"}, Add: []string{"read:invoices"}},
		{Key: grantkit.GrantKey{Resource: api, ClientID: "payroll"}, Add: []string{"read:invoices"}},
	}, 4)
	for _, r := range results {
		fmt.Printf("%s: %v, written %v, error %v\n", r.Request.Key.ClientID, r.Change, r.Written, r.Err)
	}
	fmt.Println(err != nil)
	// Output:
	// billing: add ["write:invoices"], written true, error <nil>
	// reports: no change, written false, error <nil>
	// payroll: no change, written false, error auth0: ApplyScopes: grant not found: payroll on https://invoices.example.com/
	// true
}
