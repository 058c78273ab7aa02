// Command onelogin updates a scope of a OneLogin API authorization server and the scopes a
// client app may request.
//
// By default it runs against an in-memory fake of OneLogin (package oneloginfake). To run it
// against a real account, set ONELOGIN_SUBDOMAIN, ONELOGIN_CLIENT_ID, ONELOGIN_CLIENT_SECRET,
// ONELOGIN_AUTH_ID (the authorization server) and ONELOGIN_SCOPE_ID (the scope to update), and
// pass the new value and description as arguments:
//
//	go run ./examples/onelogin
//	ONELOGIN_SUBDOMAIN=acme ... go run ./examples/onelogin read:invoices "Read invoices"
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
)

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if os.Getenv("ONELOGIN_SUBDOMAIN") != "" {
		err = runReal(ctx)
	} else {
		err = runFake(ctx)
	}
	if err != nil {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) {
			log.Fatalf("OneLogin said no: status %d (%s): %v", apiErr.StatusCode, apiErr.Code, err)
		}
		log.Fatal(err)
	}
}

func runReal(ctx context.Context) error {
	authID, err1 := strconv.ParseInt(os.Getenv("ONELOGIN_AUTH_ID"), 10, 64)
	scopeID, err2 := strconv.ParseInt(os.Getenv("ONELOGIN_SCOPE_ID"), 10, 64)
	if err1 != nil || err2 != nil || len(os.Args) != 3 {
		return errors.New("set ONELOGIN_AUTH_ID and ONELOGIN_SCOPE_ID, and pass the new value and description")
	}
	c, err := onelogin.New(os.Getenv("ONELOGIN_SUBDOMAIN"),
		onelogin.WithClientCredentials(os.Getenv("ONELOGIN_CLIENT_ID"), grantkit.Secret(os.Getenv("ONELOGIN_CLIENT_SECRET"))))
	if err != nil {
		return err
	}
	s, err := c.Authorizations.UpdateScope(ctx, authID, scopeID, onelogin.ScopeUpdate{Value: os.Args[1], Description: os.Args[2]})
	if err != nil {
		return err
	}
	fmt.Printf("scope %d is now %q (%s)\n", s.ID, s.Value, s.Description)
	return nil
}

func runFake(ctx context.Context) error {
	srv := oneloginfake.NewServer()
	defer srv.Close()
	fmt.Printf("Running against an in-memory OneLogin at %s (set ONELOGIN_SUBDOMAIN to use a real account).\n\n", srv.URL)
	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")
	srv.AddApp(4242) // the app the example grants to, as made in OneLogin's admin portal

	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL),
		onelogin.WithClientCredentials(oneloginfake.ClientID, oneloginfake.ClientSecret))
	if err != nil {
		return err
	}
	read, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "invoices:read", Description: "Read invoices"})
	if err != nil {
		return err
	}
	write, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "write:invoices", Description: "Write invoices"})
	if err != nil {
		return err
	}
	fmt.Printf("created scopes %d %q and %d %q\n", read.ID, read.Value, write.ID, write.Value)

	read, err = c.Authorizations.UpdateScope(ctx, authID, read.ID, onelogin.ScopeUpdate{Value: "read:invoices", Description: "Read all invoices"})
	if err != nil {
		return err
	}
	reqs := srv.Requests()
	r := reqs[len(reqs)-1]
	fmt.Printf("updated   %s %s %s -> scope %d is now %q\n", r.Method, r.Path, r.Body, read.ID, read.Value)

	if _, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 4242, ScopeIDs: []int64{read.ID}}); err != nil {
		return err
	}
	g, err := grantkit.AddScopes(ctx, c.Grants(), grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: "4242"}, "write:invoices")
	if err != nil {
		return err
	}
	fmt.Printf("client app 4242 may now request %q\n", g.Scopes)

	_, err = c.Authorizations.UpdateScope(ctx, authID, write.ID, onelogin.ScopeUpdate{Value: "read:invoices", Description: "dup"})
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) {
		fmt.Printf("renaming a scope to an existing value fails: %d %s: %s\n", apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}
	fmt.Printf("token requests made: %d\n", srv.TokenRequests())
	return nil
}
