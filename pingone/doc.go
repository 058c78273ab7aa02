// Package pingone manages PingOne application resource grants: which scopes of which protected
// resource (API) an application may request.
//
// A grant belongs to an application and names one resource and some of its scopes, by id.
// ResourcesService lists resources and their scopes so that names can be turned into ids; the
// vendor-neutral view (Client.Grants) does it for you.
//
//	c, err := pingone.New(envID, pingone.WithClientCredentials(id, secret), pingone.WithRegion(pingone.RegionEurope))
//	g, err := c.ApplicationGrants.Update(ctx, appID, grantID, pingone.ApplicationGrantUpdate{ResourceID: resID, ScopeIDs: ids})
//
// New also takes the options every vendor shares, from package
// [github.com/grantkit/grantkit/option] (HTTP client, retry policy, User-Agent, logger, base
// URL, a ready-made token), in the same list as this package's own options. The client secret
// is a [grantkit.Secret], which never prints.
//
// Tokens come from a worker application with the client-credentials grant at
// https://auth.pingone.{tld}/{environmentID}/as/token (client_secret_basic) and are cached until
// they expire. The region (WithRegion) selects both that host and the API host
// https://api.pingone.{tld}/v1; option.WithBaseURL replaces both, so it cannot be given with
// WithRegion.
//
// In the vendor-neutral view a grant is identified by the application and the resource: PingOne
// is taken to keep one grant per pair, and if it ever lists two the view returns an error naming
// both. Every list follows PingOne's _links.next paging (List to the end; ListPage one page at a
// time, its Total PingOne's count). UPDATE Grant replaces a grant, so build its body from a
// read (ApplicationGrant.AsUpdate) to send back what grantkit does not model.
// Its Create and Delete create and delete a grant, and c.ScopeCatalog() is the vendor-neutral scope
// catalog (grantkit.ScopeCatalog) over the resources' scopes, each resource named by its id;
// ResourcesService.ListScopes, GetScope, CreateScope, UpdateScope and DeleteScope are the calls
// underneath. A scope's name is unique within its resource and is a scope token: no whitespace
// or control character (one token of OAuth's space-separated scope list).
//
// Package pingone/pingonefake provides an in-memory PingOne environment to test against.
package pingone
