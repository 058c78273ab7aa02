// Command goauth0-one sets the scopes of one Auth0 client grant with go-auth0 v2.2.0: the
// one-call program whose build time and binary size BENCHMARKS.md compares with
// cmd/grantkit-one.
//
//	AUTH0_DOMAIN=… AUTH0_TOKEN=… AUTH0_GRANT_ID=… goauth0-one read:users update:users
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/auth0/go-auth0/v2/management"
	"github.com/auth0/go-auth0/v2/management/client"
	"github.com/auth0/go-auth0/v2/management/option"
)

func main() {
	m, err := client.New(os.Getenv("AUTH0_DOMAIN"), option.WithToken(os.Getenv("AUTH0_TOKEN")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req := &management.UpdateClientGrantRequestContent{}
	req.SetScope(os.Args[1:])
	g, err := m.ClientGrants.Update(context.Background(), os.Getenv("AUTH0_GRANT_ID"), req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(g.GetID(), g.GetScope())
}
