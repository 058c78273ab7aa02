// Package auth0 manages client grants, and the APIs (resource servers) whose scopes they
// grant, through the Auth0 Management API v2.
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
// Auth0 keeps one grant per client, audience and subject type: a client-access
// (machine-to-machine, SubjectTypeClient) and a user-access (SubjectTypeUser) grant of the
// same client on the same API are two grants. A default grant names a client group
// (DefaultFor) instead of a client. The vendor-neutral view (c.Grants()) identifies a grant
// by audience, client and subject type, the empty subject type meaning client access; see
// Client.Grants.
//
// The fields Auth0 documents as enums (SubjectType, OrganizationUsage, DefaultFor) are open
// string types: a value this package has no constant for (Auth0 has added subject type
// "anonymous_user") is sent as it is and Auth0 validates it, and a value Auth0 returns is
// kept. Fields of Auth0's answers this version does not model are kept in Extra, as raw JSON.
// A create always sends "scope" (an empty list when there are none), because Auth0 refuses
// one without it unless AllowAllScopes is set.
//
// Auth0 refuses a grant scope that the API does not define. c.ResourceServers manages the APIs
// and the scopes they define: its ListScopes, GetScope, CreateScope, UpdateScope and DeleteScope
// read or change one scope of an API and keep the others (Auth0's own update replaces the whole
// list):
//
//	scope, err := c.ResourceServers.CreateScope(ctx, "https://api.example.com/",
//		auth0.ResourceServerScope{Value: "write:invoices", Description: "Change invoices"})
//
// A scope's value is 1 to 280 characters without whitespace or control characters (one token
// of OAuth's space-separated scope list), conventionally written action:resource
// ("read:invoices"); its description is at most 500 characters. A grant's scope must be one
// its API defines.
//
// The vendor-neutral view grants and revokes too (Grants.Create and Delete create and delete a
// client grant), and c.ScopeCatalog() is the vendor-neutral scope catalog over the resource servers
// (grantkit.ScopeCatalog), each API named by its identifier.
//
// The client fetches Management API tokens with the client-credentials grant (audience
// https://{domain}/api/v2/), caches them until they expire, and retries rate-limited calls,
// honouring Auth0's X-RateLimit-Reset header. Errors from Auth0 are *grantkit.Error values
// carrying Auth0's errorCode and message.
//
// Package auth0fake provides an in-memory Auth0 to test against; the examples run on it.
package auth0
