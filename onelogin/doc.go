// Package onelogin manages OneLogin API authorization servers, their scopes, and the client
// apps allowed to request those scopes, through the OneLogin API v2.
//
// A OneLogin "grant" is a client app on an API authorization server: the app (an OpenID
// Connect app) may request a set of the server's scopes. Scopes are named by value
// ("read:invoices") but assigned by id; the vendor-neutral view (Client.Grants) resolves names.
//
//	c, err := onelogin.New("acme", onelogin.WithClientCredentials(id, secret)) // acme.onelogin.com
//	s, err := c.Authorizations.UpdateScope(ctx, authID, scopeID, onelogin.ScopeUpdate{Value: "read:invoices", Description: "Read invoices"})
//	app, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: 4242, ScopeIDs: []int64{s.ID}})
//
// c.Authorizations reads the authorization servers and manages the scopes each defines
// (ListScopes, GetScope, CreateScope, UpdateScope, DeleteScope); c.ClientApps manages the apps
// on a server (List, ListPage, Get, Create, Update, Delete). Ids are int64, as OneLogin's
// documents type them. A scope's value is unique within its server, at least one character,
// and a scope token (no whitespace or control character: tokens carry scopes as a
// space-separated list); its description is required (at least one character).
//
// New also takes the options every vendor shares, from package
// [github.com/grantkit/grantkit/option] (HTTP client, retry policy, User-Agent, logger, base
// URL, a ready-made token), in the same list as this package's own options. The client secret
// is a [grantkit.Secret], which never prints.
//
// Tokens come from https://{subdomain}.onelogin.com/auth/oauth2/v2/token with the
// client-credentials grant and are cached until they expire (10 hours). Rate-limited calls are
// retried, honouring OneLogin's X-RateLimit-Reset header (seconds until the limit resets).
//
// In the vendor-neutral view a grant is identified by the authorization server id and the app
// id (OneLogin keeps one entry per app on a server). A scope id the app holds that the server
// no longer lists is named by its decimal id and kept by the neutral writes. Lists follow
// OneLogin's After-Cursor paging should OneLogin page them (a ListPage's Total is -1: OneLogin
// never says how many there are). Its Create adds an app to a server
// and Delete removes it; c.ScopeCatalog() is the vendor-neutral scope catalog
// (grantkit.ScopeCatalog) over the servers' scopes, each server named by its id in decimal.
//
// Package onelogin/oneloginfake provides an in-memory OneLogin to test against.
package onelogin
