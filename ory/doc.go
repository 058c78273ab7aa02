// Package ory manages the OAuth 2.0 clients of an Ory Hydra admin API, and their allowed
// scopes: a self-hosted Hydra (v2) or an Ory Network project, which serves the same admin API.
//
//	c, err := ory.New("https://my-project.projects.oryapis.com", ory.WithAPIToken(secret))
//	cl, err := c.Clients.Update(ctx, "billing-sync", ory.OAuth2ClientUpdate{
//		Scope: grantkit.Set("read:invoices", "write:invoices"),
//	})
//
// New also takes the options every vendor shares, from package
// [github.com/grantkit/grantkit/option] (HTTP client, retry policy, User-Agent, logger, base
// URL, a ready-made token), in the same list as this package's own options.
//
// Credentials: an Ory Network project API key (WithAPIToken, a grantkit.Secret sent as a
// bearer token), or none for a self-hosted Hydra's admin listener (WithoutAuthentication,
// which must be asked for explicitly: whoever reaches that listener controls every client, so
// it belongs on a private network only). There is no token flow: the key is sent as it is.
//
// In the vendor-neutral view (Client.Grants) a grant is a client's allowed scopes, keyed by the
// admin URL and the client_id. Revoking one empties the client's scope and keeps the client;
// creating one gives scopes to an existing client that has none and never makes a client.
// Hydra has no scope definitions, so there is no scope catalog. Hydra's own scope strategy
// (exact or wildcard, set in its configuration) decides which requested scopes a client's
// allowed scopes cover; grantkit stores and compares names only.
//
// Package ory/oryfake provides an in-memory Hydra admin API (and its token endpoint) to test
// against; the realserver module runs the same tests against a real Hydra v2.3.0.
package ory
