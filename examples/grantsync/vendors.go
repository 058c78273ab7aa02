package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// envVars are the environment variables that connect each vendor to a real account: all of
// them, or none for the in-memory fake. PINGONE_REGION is optional and not listed.
var envVars = map[string][]string{
	"auth0":    {"AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"},
	"cpn":      {"CPN_ORG_ID", "CPN_API_TOKEN"},
	"onelogin": {"ONELOGIN_SUBDOMAIN", "ONELOGIN_CLIENT_ID", "ONELOGIN_CLIENT_SECRET"},
	"pingone":  {"PINGONE_ENVIRONMENT_ID", "PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET"},
}

// credentials reports whether vendor runs against a real account (every variable set) or
// its fake (none set). Some set and others not is an error naming the missing ones: running
// such a vendor against the fake would plan against the wrong account. No value is read
// into the message.
func credentials(vendor string, getenv func(string) string) (real bool, err error) {
	var set, missing []string
	for _, name := range envVars[vendor] {
		if getenv(name) != "" {
			set = append(set, name)
		} else {
			missing = append(missing, name)
		}
	}
	switch {
	case len(set) == 0:
		return false, nil
	case len(missing) == 0:
		return true, nil
	}
	return false, fmt.Errorf("%s: missing credentials: %s set but %s not (set all of %s for a real account, or none for the in-memory fake)",
		vendor, strings.Join(set, ", "), strings.Join(missing, ", "), strings.Join(envVars[vendor], ", "))
}

// openVendor connects one vendor: its real account when its environment variables are set,
// otherwise a fake seeded so that the built-in desired.yaml has something to do. The
// returned func stops the fake.
func openVendor(ctx context.Context, vendor string, getenv func(string) string) (*account, func(), error) {
	real, err := credentials(vendor, getenv)
	if err != nil {
		return nil, nil, err
	}
	if !real {
		return openFake(ctx, vendor)
	}
	switch vendor {
	case "auth0":
		c, err := auth0.New(getenv("AUTH0_DOMAIN"),
			auth0.WithClientCredentials(getenv("AUTH0_CLIENT_ID"), grantkit.Secret(getenv("AUTH0_CLIENT_SECRET"))), userAgent)
		if err != nil {
			return nil, nil, err
		}
		return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil, nil
	case "cpn":
		c, err := cpn.New(getenv("CPN_ORG_ID"), cpn.WithAPIToken(grantkit.Secret(getenv("CPN_API_TOKEN"))), userAgent)
		if err != nil {
			return nil, nil, err
		}
		return &account{grants: c.Grants()}, nil, nil
	case "onelogin":
		c, err := onelogin.New(getenv("ONELOGIN_SUBDOMAIN"),
			onelogin.WithClientCredentials(getenv("ONELOGIN_CLIENT_ID"), grantkit.Secret(getenv("ONELOGIN_CLIENT_SECRET"))), userAgent)
		if err != nil {
			return nil, nil, err
		}
		return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil, nil
	case "pingone":
		region := pingone.Region(getenv("PINGONE_REGION"))
		if region == "" {
			region = pingone.RegionNorthAmerica
		}
		c, err := pingone.New(getenv("PINGONE_ENVIRONMENT_ID"), pingone.WithRegion(region),
			pingone.WithClientCredentials(getenv("PINGONE_CLIENT_ID"), grantkit.Secret(getenv("PINGONE_CLIENT_SECRET"))), userAgent)
		if err != nil {
			return nil, nil, err
		}
		return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil, nil
	}
	return nil, nil, fmt.Errorf("%w: unknown vendor %q", grantkit.ErrInvalidInput, vendor)
}

var userAgent = option.WithUserAgent("grantkit-grantsync")

// The fakes are seeded so that the built-in desired.yaml plans a change of every kind: a
// scope to define and one to describe, grants to create and to change, and (with -prune)
// grants to revoke and a scope to remove. The PingOne fake's ids are random unless given, so
// its applications and resource get the fixed ids desired.yaml names; the OneLogin fake's
// first authorization server is 1001.
const (
	exampleAudience = "https://api.example.com/"
	pingoneResource = "invoices-api"
)

// openFake starts vendor's fake, seeds it and returns an account on it with the func that
// stops it.
func openFake(ctx context.Context, vendor string) (*account, func(), error) {
	var (
		acct    *account
		closeFn func()
		err     error
	)
	switch vendor {
	case "auth0":
		srv := auth0fake.NewServer()
		closeFn = srv.Close
		acct, err = seedAuth0(ctx, srv)
	case "cpn":
		srv := cpnfake.NewServer()
		closeFn = srv.Close
		acct, err = seedCPN(ctx, srv)
	case "onelogin":
		srv := oneloginfake.NewServer()
		closeFn = srv.Close
		acct, err = seedOneLogin(ctx, srv)
	case "pingone":
		srv := pingonefake.NewServer()
		closeFn = srv.Close
		acct, err = seedPingOne(ctx, srv)
	default:
		return nil, nil, fmt.Errorf("%w: unknown vendor %q", grantkit.ErrInvalidInput, vendor)
	}
	if err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("seeding the fake: %w", err)
	}
	return acct, closeFn, nil
}

func seedAuth0(ctx context.Context, srv *auth0fake.Server) (*account, error) {
	c, err := auth0.New("example.auth0.com", option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		return nil, err
	}
	// The API defines read:invoices (without a description) and admin:invoices; desired.yaml
	// describes the first, adds write:invoices and leaves admin:invoices out.
	srv.AddResourceServer(exampleAudience, "read:invoices", "admin:invoices")
	// The tenant's applications, which desired.yaml grants to.
	srv.AddClient("billing-service", "legacy-export", "reporting")
	g := c.Grants()
	for client, scopes := range map[string][]string{
		"billing-service": {"read:invoices"},
		"legacy-export":   {"read:invoices", "admin:invoices"},
	} {
		if _, err := g.Create(ctx, grantkit.GrantKey{Resource: exampleAudience, ClientID: client}, scopes); err != nil {
			return nil, err
		}
	}
	return &account{grants: g, catalog: c.ScopeCatalog()}, nil
}

func seedOneLogin(ctx context.Context, srv *oneloginfake.Server) (*account, error) {
	authID := srv.AddAuthorization("Invoices API", exampleAudience)
	srv.AddApp(4242, 4343) // the account's apps, which desired.yaml and the tests grant to
	c, err := onelogin.New("acme", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		return nil, err
	}
	res := fmt.Sprint(authID)
	cat := c.ScopeCatalog()
	for _, s := range []string{"read:invoices", "write:invoices"} {
		if _, err := cat.DefineScope(ctx, res, grantkit.ScopeDefinition{Name: s, Description: s}); err != nil {
			return nil, err
		}
	}
	if _, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: res, ClientID: "4242"}, []string{"read:invoices"}); err != nil {
		return nil, err
	}
	return &account{grants: c.Grants(), catalog: cat}, nil
}

func seedPingOne(ctx context.Context, srv *pingonefake.Server) (*account, error) {
	srv.AddApplicationWithID("billing-service", "Billing service")
	srv.AddApplicationWithID("reporting", "Reporting")
	res := srv.AddResourceWithID(pingoneResource, "Invoices API", "https://api.example.com")
	for _, s := range []string{"read:invoices", "write:invoices", "admin:invoices"} {
		srv.AddScope(res, s)
	}
	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		return nil, err
	}
	if _, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: res, ClientID: "billing-service"}, []string{"read:invoices"}); err != nil {
		return nil, err
	}
	return &account{grants: c.Grants(), catalog: c.ScopeCatalog()}, nil
}

func seedCPN(ctx context.Context, srv *cpnfake.Server) (*account, error) {
	c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	if err != nil {
		return nil, err
	}
	// At CPN a grant is an OAuth app's allowed scopes, and the vendor-neutral view never
	// creates an app: the apps are made here, with their scopes (reporting-sync with none, so
	// that the desired state can grant it some).
	for app, scopes := range map[string][]string{
		"billing-sync":   {"openid", "organization-role:org_owner"},
		"old-sync":       {"openid"},
		"reporting-sync": nil,
	} {
		allowed, err := cpn.ParseScopes(scopes)
		if err != nil {
			return nil, err
		}
		if _, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: app, AllowedScopes: allowed}); err != nil {
			return nil, err
		}
	}
	return &account{grants: c.Grants()}, nil
}
