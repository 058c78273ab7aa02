// Package cpn manages the OAuth apps of a VMware Cloud Partner Navigator organization: their
// settings, secrets and allowed scopes (general scopes, organization roles and service roles).
//
// A client works on one organization, since CPN's API tokens are scoped to one:
//
//	c, err := cpn.New(orgID, cpn.WithAPIToken(apiToken))
//	app, err := c.OAuthApps.Update(ctx, appID, cpn.OAuthAppUpdate{
//		AllowedScopes: grantkit.Value(cpn.AllowedScopes{GeneralScopes: []string{"openid"}}),
//	})
//
// New also takes the options every vendor shares, from package
// [github.com/grantkit/grantkit/option] (HTTP client, retry policy, User-Agent, logger, base
// URL, a ready-made token), in the same list as this package's own options.
//
// Authentication is CPN's own: an API token exchanged at
// /cphub/api/auth/v1/authn/accesstoken (WithAPIToken), or an OAuth app's client credentials at
// /cphub/api/auth/v2/authn/authorize (WithClientCredentials). The access token is sent in the
// csp-auth-token header, cached until shortly before it expires, and refreshed once on a 401.
//
// Secrets are of type grantkit.Secret, which never prints: not in errors, logs, %v, %+v or %#v.
//
// In the vendor-neutral view (Client.Grants) a grant is one OAuth app's allowed scopes,
// identified by the organization and the app's client id; an app whose allowed scopes are
// empty holds no grant. Its scopes are named with the syntax ParseScopes documents ("openid",
// "organization-role:<role>", "service-role:<serviceDefinitionId>:<role>",
// "general-scope:<scope>", with %3A, %25 and %2A escapes).
// allowedScopes follows VMware CSP's model, and whatever CPN returns in it (role resources,
// permissions, properties grantkit does not know) is sent back unchanged by the neutral writes
// and by an update built from a read. A Context value CPN does not document is sent as is:
// CPN, not grantkit, decides whether it is valid.
//
// The vendor-neutral verbs never create or delete an app, nor touch its secret: creating a
// grant (Grants.Create) sets the allowed scopes of an existing app that has none (a missing
// app is a grantkit.ErrGrantNotFound error naming it; an app with allowed scopes is
// grantkit.ErrGrantExists), and revoking one (Grants.Delete) empties the app's allowed scopes
// and keeps the app. Create and delete apps with OAuthApps.Create, which returns the secret
// CPN generates, and OAuthApps.Delete.
//
// CPN's scopes are defined by the platform, not by its users: general scopes such as "openid",
// the organization's roles and the roles of its services. There is nothing to define, so the
// cpn client has no scope catalog (no ScopeCatalog method, unlike auth0, onelogin and
// pingone); a scope is valid when CPN knows it.
//
// Package cpn/cpnfake provides an in-memory CPN organization to test against.
package cpn
