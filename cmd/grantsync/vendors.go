package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// vendor is everything grantsync knows about one vendor: one table entry. A new vendor is a
// new entry (and its import).
type vendor struct {
	name string
	// env are the environment variables that must all be set for a real account; optEnv
	// the optional ones. env[0] names the account (tenant, organization, environment).
	env, optEnv []string
	// oneOf, where set, are the alternative credentials: the variables of one of them must
	// all be set besides env (Okta's API token, or its service app's id and key file).
	oneOf [][]string
	// target says which account the variables name, for the plan's heading.
	target func(get func(string) string) string
	// connect builds the vendor's client (no request is sent). opts carry the credentials,
	// or with -demo the fake's address and token.
	connect func(get func(string) string, opts []option.Option) (*account, error)
	// creds are the options that pass the environment's credentials (no request is sent;
	// an error is a credential that cannot be used, such as an unreadable key file).
	creds func(get func(string) string) ([]option.Option, error)
	// noEmptyGrant: a grant without scopes does not exist at the vendor, so a grant the file
	// gives no scopes is no grant: the plan revokes the one the vendor holds, and makes none.
	// Where the grant is a property of a client (CPN's OAuth app allowed scopes, a Hydra
	// client's scope), the revoke empties the client's scopes (the client and its credentials
	// stay); at Okta it revokes the app's consent grants on the issuer.
	noEmptyGrant bool
	// noCatalog, where the file cannot define scopes at the vendor, says why (a scopes:
	// section is refused); empty where the vendor has a scope catalog.
	noCatalog string
	// subjectTypes: grants have a subject type (Auth0).
	subjectTypes bool
	// demo starts the vendor's fake and seeds what grantsync cannot create (resources,
	// applications, and the demo's first grants and scopes); see demo.go.
	demo func() demoFake
}

var vendors = []vendor{
	{
		name: "auth0", env: []string{"AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"}, subjectTypes: true,
		target: func(get func(string) string) string { return "tenant " + get("AUTH0_DOMAIN") },
		creds: func(get func(string) string) ([]option.Option, error) {
			return []option.Option{auth0.WithClientCredentials(get("AUTH0_CLIENT_ID"), grantkit.Secret(get("AUTH0_CLIENT_SECRET")))}, nil
		},
		connect: func(get func(string) string, opts []option.Option) (*account, error) {
			c, err := auth0.New(get("AUTH0_DOMAIN"), opts...)
			if err != nil {
				return nil, err
			}
			return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil
		},
		demo: func() demoFake {
			f := auth0fake.New()
			f.AddResourceServer(demoAPI, "read:invoices", "admin:invoices")
			f.AddClient(auth0DemoClients...)
			return demoFake{handler: f, token: f.IssueToken(), env: map[string]string{"AUTH0_DOMAIN": "demo.auth0.com"},
				grants: []GrantSpec{
					{Resource: demoAPI, Client: "billing-service", Scopes: []string{"read:invoices"}},
					{Resource: demoAPI, Client: "legacy-export", Scopes: []string{"read:invoices", "admin:invoices"}},
				}}
		},
	},
	{
		name: "cpn", env: []string{"CPN_ORG_ID", "CPN_API_TOKEN"}, noEmptyGrant: true,
		noCatalog: "CPN's scopes are defined by the platform",
		target:    func(get func(string) string) string { return "organization " + get("CPN_ORG_ID") },
		creds: func(get func(string) string) ([]option.Option, error) {
			return []option.Option{cpn.WithAPIToken(grantkit.Secret(get("CPN_API_TOKEN")))}, nil
		},
		connect: func(get func(string) string, opts []option.Option) (*account, error) {
			c, err := cpn.New(get("CPN_ORG_ID"), opts...)
			if err != nil {
				return nil, err
			}
			return &account{grants: c.Grants()}, nil
		},
		demo: func() demoFake {
			f := cpnfake.New()
			// The demo's OAuth apps are made here, without scopes; grantsync never makes one.
			setup := func(ctx context.Context, get func(string) string, opts []option.Option) error {
				c, err := cpn.New(get("CPN_ORG_ID"), opts...)
				for _, app := range []string{"billing-sync", "old-sync", "reporting-sync"} {
					if err == nil {
						_, err = c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: app, DisplayName: app})
					}
				}
				return err
			}
			return demoFake{handler: f, token: f.IssueToken(), env: map[string]string{"CPN_ORG_ID": cpnfake.OrgID}, setup: setup,
				grants: []GrantSpec{
					{Resource: cpnfake.OrgID, Client: "billing-sync", Scopes: []string{"openid", "organization-role:org_owner"}},
					{Resource: cpnfake.OrgID, Client: "old-sync", Scopes: []string{"openid"}},
				}}
		},
	},
	{
		name: "onelogin", env: []string{"ONELOGIN_SUBDOMAIN", "ONELOGIN_CLIENT_ID", "ONELOGIN_CLIENT_SECRET"},
		target: func(get func(string) string) string { return "subdomain " + get("ONELOGIN_SUBDOMAIN") },
		creds: func(get func(string) string) ([]option.Option, error) {
			return []option.Option{onelogin.WithClientCredentials(get("ONELOGIN_CLIENT_ID"), grantkit.Secret(get("ONELOGIN_CLIENT_SECRET")))}, nil
		},
		connect: func(get func(string) string, opts []option.Option) (*account, error) {
			c, err := onelogin.New(get("ONELOGIN_SUBDOMAIN"), opts...)
			if err != nil {
				return nil, err
			}
			return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil
		},
		demo: func() demoFake {
			f := oneloginfake.New()
			res := fmt.Sprint(f.AddAuthorization("Invoices API", demoAPI)) // 1001, the first
			f.AddApp(oneloginDemoApps...)
			return demoFake{handler: f, token: f.IssueToken(), env: map[string]string{"ONELOGIN_SUBDOMAIN": "demo"},
				scopes: map[string][]string{res: {"read:invoices", "write:invoices"}},
				grants: []GrantSpec{{Resource: res, Client: "4242", Scopes: []string{"read:invoices"}}}}
		},
	},
	{
		name: "pingone", env: []string{"PINGONE_ENVIRONMENT_ID", "PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET"}, optEnv: []string{"PINGONE_REGION"},
		target: func(get func(string) string) string {
			return fmt.Sprintf("environment %s in region %s", get("PINGONE_ENVIRONMENT_ID"), pingoneRegion(get))
		},
		creds: func(get func(string) string) ([]option.Option, error) {
			return []option.Option{pingone.WithRegion(pingoneRegion(get)),
				pingone.WithClientCredentials(get("PINGONE_CLIENT_ID"), grantkit.Secret(get("PINGONE_CLIENT_SECRET")))}, nil
		},
		connect: func(get func(string) string, opts []option.Option) (*account, error) {
			c, err := pingone.New(get("PINGONE_ENVIRONMENT_ID"), opts...)
			if err != nil {
				return nil, err
			}
			return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil
		},
		demo: func() demoFake {
			f := pingonefake.New()
			f.AddApplicationWithID("billing-service", "Billing service")
			f.AddApplicationWithID("reporting", "Reporting")
			res := f.AddResourceWithID("invoices-api", "Invoices API", "https://api.example.com")
			for _, s := range []string{"read:invoices", "write:invoices", "admin:invoices"} {
				f.AddScope(res, s)
			}
			return demoFake{handler: f, token: f.IssueToken(), env: map[string]string{"PINGONE_ENVIRONMENT_ID": pingonefake.EnvironmentID},
				grants: []GrantSpec{{Resource: res, Client: "billing-service", Scopes: []string{"read:invoices"}}}}
		},
	},
	{
		// Ory Hydra's admin API (self-hosted, or an Ory Network project): a grant is an OAuth
		// 2.0 client's scope; Hydra has no scope definitions.
		name: "ory", env: []string{"ORY_ADMIN_URL"}, optEnv: []string{"ORY_API_KEY"}, noEmptyGrant: true,
		noCatalog: "Hydra has no scope definitions (a client may be allowed any scope name)",
		target:    func(get func(string) string) string { return "admin API " + get("ORY_ADMIN_URL") },
		creds: func(get func(string) string) ([]option.Option, error) {
			if k := get("ORY_API_KEY"); k != "" {
				return []option.Option{ory.WithAPIToken(grantkit.Secret(k))}, nil
			}
			return []option.Option{ory.WithoutAuthentication()}, nil
		},
		connect: func(get func(string) string, opts []option.Option) (*account, error) {
			c, err := ory.New(get("ORY_ADMIN_URL"), opts...)
			if err != nil {
				return nil, err
			}
			return &account{grants: c.Grants()}, nil
		},
		demo: func() demoFake {
			f := oryfake.New()
			// The demo's OAuth 2.0 clients are made here, with no scope; grantsync never makes one.
			setup := func(ctx context.Context, get func(string) string, opts []option.Option) error {
				c, err := ory.New(get("ORY_ADMIN_URL"), opts...)
				for _, id := range oryDemoClients {
					if err == nil {
						_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: id, GrantTypes: []string{"client_credentials"}, Scope: []string{}})
					}
				}
				return err
			}
			return demoFake{handler: f, token: f.IssueToken(), env: map[string]string{"ORY_ADMIN_URL": oryDemoAdmin}, setup: setup,
				grants: []GrantSpec{
					{Resource: oryDemoAdmin, Client: "billing-worker", Scopes: []string{"invoices.read"}},
					{Resource: oryDemoAdmin, Client: "old-worker", Scopes: []string{"invoices.read", "invoices.export"}},
				}}
		},
	},
	{
		// An Okta org: a grant is every scope an app has consent for on one issuer (a custom
		// authorization server's, or the org's own, https://{domain}, with Okta's okta.*
		// scopes); an app with no scope on an issuer has no grant there.
		name: "okta", env: []string{"OKTA_DOMAIN"}, optEnv: []string{"OKTA_KEY_ID"}, noEmptyGrant: true,
		oneOf:  [][]string{{"OKTA_API_TOKEN"}, {"OKTA_CLIENT_ID", "OKTA_PRIVATE_KEY_FILE"}},
		target: func(get func(string) string) string { return "org " + get("OKTA_DOMAIN") },
		creds:  oktaCreds,
		connect: func(get func(string) string, opts []option.Option) (*account, error) {
			c, err := okta.New(get("OKTA_DOMAIN"), opts...)
			if err != nil {
				return nil, err
			}
			return &account{grants: c.Grants(), catalog: c.ScopeCatalog(), platform: c.Issuer()}, nil
		},
		demo: func() demoFake {
			f := oktafake.New()
			for _, app := range oktaDemoApps {
				f.AddAppWithID(app, app)
			}
			_, issuer := f.AddAuthorizationServerWithID(oktaDemoServer, "Invoices API", "api://invoices")
			return demoFake{handler: f, token: f.IssueToken(), env: map[string]string{"OKTA_DOMAIN": oktafake.Domain},
				scopes: map[string][]string{issuer: {"invoices.read", "invoices.export"}},
				grants: []GrantSpec{
					{Resource: issuer, Client: "0oabilling", Scopes: []string{"invoices.read"}},
					{Resource: issuer, Client: "0oalegacy", Scopes: []string{"invoices.read", "invoices.export"}},
					{Resource: oktafake.OrgIssuer, Client: "0oabilling", Scopes: []string{"okta.apps.read"}},
				}}
		},
	},
}

// oktaScopes are the Okta scopes grantsync's service app asks for (WithPrivateKey): reading
// the apps, managing their grants, and the custom authorization servers' scopes.
var oktaScopes = []string{"okta.apps.read", "okta.appGrants.manage", "okta.authorizationServers.manage"}

// oktaCreds passes Okta's API token, or its service app's id and private key (read from
// OKTA_PRIVATE_KEY_FILE, with OKTA_KEY_ID as its kid when set). Both at once is refused: the
// environment would not say which one is meant.
func oktaCreds(get func(string) string) ([]option.Option, error) {
	token, id, file := get("OKTA_API_TOKEN"), get("OKTA_CLIENT_ID"), get("OKTA_PRIVATE_KEY_FILE")
	switch {
	case token != "" && (id != "" || file != ""):
		return nil, errors.New("OKTA_API_TOKEN and OKTA_CLIENT_ID with OKTA_PRIVATE_KEY_FILE are both set: set one of them")
	case token != "":
		return []option.Option{okta.WithAPIToken(grantkit.Secret(token))}, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("OKTA_PRIVATE_KEY_FILE: %w", err)
	}
	key, err := okta.ParsePrivateKey(grantkit.Secret(pem))
	if err != nil {
		return nil, fmt.Errorf("OKTA_PRIVATE_KEY_FILE %s: %w", file, err)
	}
	return []option.Option{okta.WithPrivateKey(id, key, get("OKTA_KEY_ID"), oktaScopes...)}, nil
}

func pingoneRegion(get func(string) string) pingone.Region {
	if r := get("PINGONE_REGION"); r != "" {
		return pingone.Region(r)
	}
	return pingone.RegionNorthAmerica
}

const demoAPI = "https://api.example.com/"

// The demo accounts' clients, which grantsync grants to and never makes (pingone's are
// added in its entry, CPN's OAuth apps by its setup).
var (
	auth0DemoClients = []string{"billing-service", "legacy-export", "reporting"}
	oneloginDemoApps = []int64{4242, 4343}
	oryDemoClients   = []string{"billing-worker", "old-worker", "reporting-worker"}
	oktaDemoApps     = []string{"0oabilling", "0oalegacy", "0oareporting"}
)

// The demo org's custom authorization server: its id, and its issuer (the Resource of its
// grants and scopes).
const (
	oktaDemoServer = "ausinvoices"
	oktaDemoIssuer = oktafake.OrgIssuer + "/oauth2/" + oktaDemoServer
)

// oryDemoAdmin is the demo's Hydra admin URL, the Resource of its grants.
const oryDemoAdmin = "https://ory.example"

// demoFake is one vendor's fake as -demo runs it.
type demoFake struct {
	handler http.Handler
	token   grantkit.Secret
	env     map[string]string   // what names the account (the fake's tenant, organization, ...)
	scopes  map[string][]string // scopes to define through the catalog at first start
	grants  []GrantSpec         // grants to create at first start
	// setup, when set, makes what the vendor-neutral API cannot (CPN's OAuth apps).
	setup func(ctx context.Context, get func(string) string, opts []option.Option) error
}

func vendorNamed(name string) *vendor {
	for i := range vendors {
		if vendors[i].name == name {
			return &vendors[i]
		}
	}
	return nil
}

func vendorNames() []string {
	out := make([]string, len(vendors))
	for i, v := range vendors {
		out[i] = v.name
	}
	return out
}

// account is one connected vendor: its grants and, where the vendor's scopes are
// user-defined, its scope catalog.
type account struct {
	vendor  *vendor
	target  string
	grants  grantkit.Grants
	catalog grantkit.ScopeCatalog // nil where the platform defines the scopes (CPN)
	// platform, where set, is a resource outside the catalog whose scopes are the vendor's
	// own (Okta's org authorization server, https://{domain}, with its okta.* scopes): the
	// file may grant them, and cannot define them.
	platform string
}

// missingCredentials names the variables vendor needs that are not set; nil when all are.
func missingCredentials(v *vendor, get func(string) string) error {
	unset := func(names []string) (out []string) {
		for _, name := range names {
			if get(name) == "" {
				out = append(out, name)
			}
		}
		return out
	}
	missing := unset(v.env)
	need := strings.Join(v.env, ", ")
	if len(v.oneOf) > 0 {
		var alts, lacking []string
		complete := false
		for _, alt := range v.oneOf {
			alts = append(alts, strings.Join(alt, " with "))
			m := unset(alt)
			complete = complete || len(m) == 0
			lacking = append(lacking, strings.Join(m, " with "))
		}
		need += " and either " + strings.Join(alts, " or ")
		if !complete {
			missing = append(missing, strings.Join(lacking, " or "))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s: no credentials: set %s (missing %s), or run with -demo to try grantsync against in-memory fakes",
		v.name, need, strings.Join(missing, ", "))
}

// checkGrant checks one grant of the file offline, with the adapter's own CheckGrant (the
// checks its writes make; no request).
func (a *account) checkGrant(key grantkit.GrantKey, scopes []string) error {
	return a.grants.CheckGrant(key, scopes)
}

// checkScope checks one scope definition of the file offline, with the catalog's CheckScope.
func (a *account) checkScope(resource string, s grantkit.ScopeDefinition) error {
	return a.catalog.CheckScope(resource, s)
}

var userAgent = option.WithUserAgent("grantkit-grantsync")
