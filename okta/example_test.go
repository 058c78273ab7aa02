package okta_test

import (
	"context"
	"fmt"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/option"
)

// Grant an app Okta scopes on the org authorization server, then change them: one grant or
// revoke per scope.
func ExampleClient_Grants() {
	ctx := context.Background()
	srv := oktafake.NewServer()
	defer srv.Close()
	app := srv.AddApp("reporting")

	c, err := okta.New(oktafake.Domain, option.WithBaseURL(srv.URL), okta.WithAPIToken(oktafake.APIToken))
	if err != nil {
		panic(err)
	}
	key := grantkit.GrantKey{Resource: c.Issuer(), ClientID: app}
	g, err := c.Grants().Create(ctx, key, []string{"okta.users.read", "okta.apps.read"})
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Scopes)
	g, err = c.Grants().SetScopes(ctx, key, []string{"okta.users.read", "okta.groups.read"})
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Scopes)
	// Output:
	// [okta.apps.read okta.users.read]
	// [okta.groups.read okta.users.read]
}

// Authenticate as an OAuth 2.0 service app with a private key JWT; DPoP is followed when the
// app requires it.
func ExampleWithPrivateKey() {
	srv := oktafake.NewServer()
	defer srv.Close()
	srv.RequireDPoP()
	c, err := okta.New(oktafake.Domain, option.WithBaseURL(srv.URL),
		okta.WithPrivateKey(oktafake.ClientID, oktafake.ServiceAppKey(), "", "okta.authorizationServers.read"))
	if err != nil {
		panic(err)
	}
	page, err := c.AuthorizationServers.ListPage(context.Background(), okta.AuthorizationServerListOptions{})
	fmt.Println(len(page.Items), err, srv.DPoPRefused())
	// Output: 0 <nil> [invalid_dpop_proof use_dpop_nonce]
}
