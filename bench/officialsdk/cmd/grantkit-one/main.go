// Command grantkit-one makes one client-grant update with grantkit, for build time and binary
// size comparisons.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
)

func main() {
	c, err := auth0.New(os.Getenv("AUTH0_DOMAIN")+"x.example.com", auth0.WithToken("t"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.ClientGrants.Update(context.Background(), "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set("read:users")})
	fmt.Println(err)
}
