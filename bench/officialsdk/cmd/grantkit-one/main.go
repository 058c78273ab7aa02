// Command grantkit-one sets the scopes of one Auth0 client grant with grantkit: the one-call
// program whose build time and binary size BENCHMARKS.md compares with cmd/goauth0-one.
//
//	AUTH0_DOMAIN=… AUTH0_TOKEN=… AUTH0_GRANT_ID=… grantkit-one read:users update:users
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/option"
)

func main() {
	c, err := auth0.New(os.Getenv("AUTH0_DOMAIN"), option.WithToken(os.Getenv("AUTH0_TOKEN")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	g, err := c.ClientGrants.Update(context.Background(), os.Getenv("AUTH0_GRANT_ID"), auth0.ClientGrantUpdate{Scope: grantkit.Set(os.Args[1:]...)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(g.ID, g.Scope)
}
