// Command goauth0-one makes one client-grant update with go-auth0 v2.2.0, for build time and
// binary size comparisons.
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
	m, err := client.New(os.Getenv("AUTH0_DOMAIN")+"x.example.com", option.WithToken("t"))
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &management.UpdateClientGrantRequestContent{}
	req.SetScope([]string{"read:users"})
	_, err = m.ClientGrants.Update(context.Background(), "cgr_1", req)
	fmt.Println(err)
}
