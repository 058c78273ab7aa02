package grantkit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/option"
)

// A field of a partial update has four states; each is a different request.
func ExampleField() {
	type update struct {
		Scope grantkit.Field[[]string] `json:"scope,omitzero"`
	}
	for _, u := range []update{
		{},                                  // left out: the stored scopes stay
		{Scope: grantkit.Null[[]string]()},  // null
		{Scope: grantkit.Set[[]string]()},   // an empty list
		{Scope: grantkit.Set("read:users")}, // values
	} {
		b, err := json.Marshal(u)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-26s %s\n", u.Scope, b)
	}
	// Output:
	// <omitted>                  {}
	// null                       {"scope":null}
	// []                         {"scope":[]}
	// [read:users]               {"scope":["read:users"]}
}

// Value builds every field but a list. Go infers the field's type from the argument, so an
// enum takes its typed constant and a number that is not an int names its type; the request
// the CPN fake received shows what was sent.
func ExampleValue() {
	srv := cpnfake.NewServer()
	defer srv.Close()
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	app, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing-sync", DisplayName: "Billing sync"})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.OAuthApps.Update(ctx, app.ClientID, cpn.OAuthAppUpdate{
		Context:                 cpn.ContextProvider,
		AccessTokenTTL:          grantkit.Value[int32](1800), // a Field[int32]: 1800 alone is an int
		OwnerOnlySecretRotation: grantkit.Value(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	fmt.Println(last.Method, string(last.Body))

	// An Auth0 enum: the constant has the field's type.
	u := auth0.ClientGrantUpdate{OrganizationUsage: grantkit.Value(auth0.OrganizationUsageAllow)}
	fmt.Println(u.OrganizationUsage)
	// Output:
	// PATCH {"accessTokenTTL":1800,"ownerOnlySecretRotation":true}
	// allow
}

// Set builds a list field. Its values are inferred; with none, the field's type says which list.
func ExampleSet() {
	scopes := []string{"read:users", "update:users"}
	f := grantkit.Set(scopes...) // a copy: changing scopes later does not change f
	scopes[0] = "delete:users"
	fmt.Println(f)

	var u auth0.ResourceServerUpdate
	u.Scopes = grantkit.Set[[]auth0.ResourceServerScope]() // remove every scope
	fmt.Println(u.Scopes)
	// Output:
	// [read:users update:users]
	// []
}

// Null sends an explicit null, which clears a field the vendor lets be cleared. Its type
// argument is the field's type.
func ExampleNull() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	c, err := auth0.New("example.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	api, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{
		Identifier: "https://api.example.com/", Name: "Invoices API",
		ConsentPolicy: "transactional-authorization-with-mfa",
	})
	if err != nil {
		log.Fatal(err)
	}
	api, err = c.ResourceServers.Update(ctx, api.ID, auth0.ResourceServerUpdate{ConsentPolicy: grantkit.Null[string]()})
	if err != nil {
		log.Fatal(err)
	}
	reqs := srv.Requests()
	fmt.Println(string(reqs[len(reqs)-1].Body))
	fmt.Printf("%q\n", api.ConsentPolicy)
	// Output:
	// {"consent_policy":null}
	// ""
}

// newAuth0 starts an Auth0 fake with an API defining three scopes and a client-access grant
// of billing-service on it, holding read:invoices.
func newAuth0() (*auth0fake.Server, *auth0.Client) {
	srv := auth0fake.NewServer()
	srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices", "delete:invoices")
	srv.AddClient("billing-service", "reporting")
	c, err := auth0.New("example.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{
		ClientID: "billing-service", Audience: "https://api.example.com/", Scope: []string{"read:invoices"},
	})
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

// AddScopes reads the grant a key identifies just before writing, adds the scopes and writes
// the result with the vendor's own update, only when something changes, so scopes someone else
// gave the grant are kept. The same code works with every vendor's Grants.
func ExampleAddScopes() {
	srv, c := newAuth0()
	defer srv.Close()
	ctx := context.Background()
	key := grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "billing-service"}

	g, err := grantkit.AddScopes(ctx, c.Grants(), key, "write:invoices")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scopes)

	g, err = grantkit.RemoveScopes(ctx, c.Grants(), key, "read:invoices")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scopes)
	// Output:
	// [read:invoices write:invoices]
	// [write:invoices]
}

// The vendor-neutral view: list every grant, get one by its key, set its scopes.
func ExampleGrants() {
	srv, c := newAuth0()
	defer srv.Close()
	ctx := context.Background()
	grants := c.Grants() // a grantkit.Grants, the same at every vendor

	for g, err := range grants.List(ctx, grantkit.GrantListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.Vendor, g.Key, g.Scopes)
	}

	key := grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "billing-service"}
	g, err := grants.SetScopes(ctx, key, []string{"write:invoices", "read:invoices"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Scopes)

	_, err = grants.Get(ctx, grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "reporting"})
	fmt.Println(errors.Is(err, grantkit.ErrGrantNotFound))
	// Output:
	// auth0 billing-service on https://api.example.com/ [read:invoices]
	// [read:invoices write:invoices]
	// true
}

// List can be asked for one client's or one resource's grants (the vendor's own filter where
// it has one), and CheckGrant refuses, without sending anything, what a write would refuse.
func ExampleGrants_checkGrant() {
	srv, c := newAuth0()
	defer srv.Close()
	ctx := context.Background()
	grants := c.Grants()

	for g, err := range grants.List(ctx, grantkit.GrantListOptions{ClientID: "billing-service"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.Key, g.Scopes)
	}

	key := grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "billing-service"}
	fmt.Println(grants.CheckGrant(key, []string{"read:invoices"}))
	err := grants.CheckGrant(key, []string{"read:invoices", "write invoices"})
	fmt.Println(errors.Is(err, grantkit.ErrInvalidInput), strings.Contains(err.Error(), "scopes[1]"))
	// Output:
	// billing-service on https://api.example.com/ [read:invoices]
	// <nil>
	// true true
}

// Diff is pure: it plans a change without calling anyone.
func ExampleDiff() {
	current := []string{"read:invoices", "delete:invoices"}
	desired := []string{"read:invoices", "write:invoices", "read:invoices"}
	fmt.Println(grantkit.Diff(current, desired))
	fmt.Println(grantkit.Diff(desired, desired).IsEmpty())
	// Output:
	// add ["write:invoices"], remove ["delete:invoices"]
	// true
}

// CheckStored is how a write notices that the vendor stored other scopes than asked.
func ExampleCheckStored() {
	key := grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "billing-service"}
	stored := &grantkit.Grant{Key: key, Scopes: []string{"read:invoices"}}
	err := grantkit.CheckStored(key, []string{"read:invoices", "write:invoices"}, stored)
	fmt.Println(errors.Is(err, grantkit.ErrNotApplied))
	// Output: true
}

// A call the vendor refused is a *grantkit.Error: errors.As finds it, with the status.
func ExampleError() {
	srv, c := newAuth0()
	defer srv.Close()
	_, err := c.ClientGrants.Get(context.Background(), "cgr_missing")
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		fmt.Println(apiErr.Vendor, apiErr.StatusCode)
	}
	// Output: auth0 404
}
