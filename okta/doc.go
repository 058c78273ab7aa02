// Package okta manages the scope consent grants of an Okta org's apps and the scopes of its
// custom authorization servers, through the Okta Management API (/api/v1).
//
// At Okta a grant is an app's consent to request one scope of one issuer (an
// OAuth2ScopeConsentGrant): Okta's own scopes (okta.users.read, ...) on the org authorization
// server, whose issuer is https://{domain}, or a custom authorization server's scopes on that
// server's issuer. The vendor-neutral view (Client.Grants) groups them: a grantkit.Grant is
// every scope an app holds on one issuer, and SetScopes grants or revokes one scope at a time.
//
//	c, err := okta.New("example.okta.com", okta.WithAPIToken(grantkit.Secret(os.Getenv("OKTA_API_TOKEN"))))
//	g, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: c.Issuer(), ClientID: appID})
//	g, err = grantkit.AddScopes(ctx, c.Grants(), g.Key, "okta.users.read")
//
// Credentials: an API token (WithAPIToken, "Authorization: SSWS {token}"), or an OAuth 2.0
// service app (WithPrivateKey): the client-credentials grant at /oauth2/v1/token with a
// private_key_jwt client assertion, and DPoP when the app requires it.
//
// Scope names: a scope in a grant, or a custom authorization server's scope name, is one
// non-empty OAuth scope token (no whitespace or control character); Okta keeps a name unique
// per server and documents no length bound. Both are checked before anything is sent
// (Grants().CheckGrant, ScopeCatalog().CheckScope).
//
// Lost answers: a revoke or a scope delete whose answer was lost and that then finds nothing
// is done; a grant or scope create whose answer was lost is looked up by its natural key (app,
// issuer and scope; server and name) before it is ever sent again.
package okta
