package pingone_test

import (
	"context"
	"fmt"
	"log"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// Replace the scopes an application is granted on a resource. The example runs against the
// in-memory fake; with a real environment, drop WithBaseURL and pass your environment id, a
// worker application's credentials and your region.
func ExampleApplicationGrantsService_Update() {
	srv := pingonefake.NewServer()
	defer srv.Close()
	app := srv.AddApplication("billing")
	res := srv.AddResource("Invoices API", "https://api.example.com")
	read, write := srv.AddScope(res, "read:invoices"), srv.AddScope(res, "write:invoices")

	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL),
		pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	g, err := c.ApplicationGrants.Create(ctx, app, pingone.ApplicationGrantCreate{ResourceID: res, ScopeIDs: []string{read}})
	if err != nil {
		log.Fatal(err)
	}
	g, err = c.ApplicationGrants.Update(ctx, app, g.ID, pingone.ApplicationGrantUpdate{ResourceID: res, ScopeIDs: []string{read, write}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(g.ScopeIDs), "scopes granted")

	// The same by name, through the vendor-neutral view.
	n, err := grantkit.RemoveScopes(ctx, c.Grants(), grantkit.GrantKey{Resource: res, ClientID: app}, "write:invoices")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.Scopes)
	// Output:
	// 2 scopes granted
	// [read:invoices]
}

// List a resource's scopes, to turn the names an application should be granted into the ids
// a grant holds (the vendor-neutral view does this for you). The example runs against the
// in-memory fake; with a real environment, drop WithBaseURL and pass your environment id, a
// worker application's credentials and pingone.WithRegion.
func ExampleResourcesService_ListScopes() {
	srv := pingonefake.NewServer()
	defer srv.Close()
	res := srv.AddResource("Invoices API", "https://api.example.com")
	srv.AddScope(res, "read:invoices")
	srv.AddScope(res, "write:invoices")

	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL),
		pingone.WithClientCredentials(pingonefake.ClientID, pingonefake.ClientSecret))
	if err != nil {
		log.Fatal(err)
	}
	ids := map[string]string{}
	for s, err := range c.Resources.ListScopes(context.Background(), res) {
		if err != nil {
			log.Fatal(err)
		}
		ids[s.Name] = s.ID
	}
	fmt.Println(len(ids), "scopes;", ids["read:invoices"] != "")
	// Output: 2 scopes; true
}

// In the vendor-neutral view a PingOne grant is an application's grant on a resource, and
// scopes are named: SetScopes creates nothing, it replaces the scopes of the grant the key
// identifies.
func ExampleClient_Grants() {
	srv := pingonefake.NewServer()
	defer srv.Close()
	app := srv.AddApplication("billing")
	res := srv.AddResource("Invoices API", "https://api.example.com")
	read := srv.AddScope(res, "read:invoices")
	srv.AddScope(res, "write:invoices")
	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ApplicationGrants.Create(ctx, app, pingone.ApplicationGrantCreate{ResourceID: res, ScopeIDs: []string{read}}); err != nil {
		log.Fatal(err)
	}

	key := grantkit.GrantKey{Resource: res, ClientID: app}
	g, err := c.Grants().SetScopes(ctx, key, []string{"write:invoices"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scopes)
	// Output: [write:invoices]
}
