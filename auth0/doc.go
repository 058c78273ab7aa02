// Package auth0 manages client grants through the Auth0 Management API v2.
//
// A client grant authorizes one application (client) to call one API (audience) with a set
// of scopes. Create a client with the tenant's domain and credentials of a machine-to-machine
// application authorized for the Management API:
//
//	c, err := auth0.New("example.eu.auth0.com", auth0.WithClientCredentials(id, secret))
//
// New also takes the options every vendor shares, from package
// [github.com/grantkit/grantkit/option] (HTTP client, retry policy, User-Agent, logger, base
// URL, a ready-made token), in the same list as this package's own options. The client secret
// is a [grantkit.Secret], which never prints.
//
// then use c.ClientGrants to list, get, create, update and delete grants:
//
//	g, err := c.ClientGrants.Update(ctx, "cgr_123", auth0.ClientGrantUpdate{
//		Scope: grantkit.Set("read:users", "update:users"),
//	})
//
// The client fetches Management API tokens with the client-credentials grant (audience
// https://{domain}/api/v2/), caches them until they expire, and retries rate-limited calls,
// honouring Auth0's X-RateLimit-Reset header. Errors from Auth0 are *grantkit.Error values
// carrying Auth0's errorCode and message.
//
// Package auth0fake provides an in-memory Auth0 to test against; the examples run on it.
package auth0
