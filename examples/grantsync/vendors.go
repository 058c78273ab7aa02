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
	switch vendor {
	case "auth0":
		if real {
			c, err := auth0.New(getenv("AUTH0_DOMAIN"), auth0.WithClientCredentials(getenv("AUTH0_CLIENT_ID"), getenv("AUTH0_CLIENT_SECRET")))
			if err != nil {
				return nil, nil, err
			}
			return accountOf(c.Grants(), nil)
		}
		return openAuth0Fake(ctx)
	case "cpn":
		if real {
			c, err := cpn.New(getenv("CPN_ORG_ID"), cpn.WithAPIToken(getenv("CPN_API_TOKEN")))
			if err != nil {
				return nil, nil, err
			}
			return accountOf(c.Grants(), nil)
		}
		return openCPNFake(ctx)
	case "onelogin":
		if real {
			c, err := onelogin.New(getenv("ONELOGIN_SUBDOMAIN"), onelogin.WithClientCredentials(getenv("ONELOGIN_CLIENT_ID"), getenv("ONELOGIN_CLIENT_SECRET")))
			if err != nil {
				return nil, nil, err
			}
			return accountOf(c.Grants(), nil)
		}
		return openOneLoginFake(ctx)
	case "pingone":
		if real {
			region := pingone.Region(getenv("PINGONE_REGION"))
			if region == "" {
				region = pingone.RegionNorthAmerica
			}
			c, err := pingone.New(getenv("PINGONE_ENVIRONMENT_ID"), pingone.WithRegion(region),
				pingone.WithClientCredentials(getenv("PINGONE_CLIENT_ID"), getenv("PINGONE_CLIENT_SECRET")))
			if err != nil {
				return nil, nil, err
			}
			return accountOf(c.Grants(), nil)
		}
		return openPingOneFake(ctx)
	}
	return nil, nil, fmt.Errorf("%w: unknown vendor %q", grantkit.ErrInvalidInput, vendor)
}

// accountOf makes an account of a vendor's grants and catalog.
func accountOf(g grantkit.Grants, catalog scopeCatalog) (*account, func(), error) {
	lc, ok := g.(grantsAPI)
	if !ok {
		return nil, nil, fmt.Errorf("this version of grantkit's %s adapter cannot create or revoke grants", g.Vendor())
	}
	return &account{grants: lc, catalog: catalog}, nil, nil
}

// withClose adds a fake's Close to accountOf's result.
func withClose(closeFn func()) func(*account, func(), error) (*account, func(), error) {
	return func(a *account, _ func(), err error) (*account, func(), error) {
		if err != nil {
			closeFn()
			return nil, nil, err
		}
		return a, closeFn, nil
	}
}

// The fakes are seeded so that the built-in desired.yaml plans a change of every kind: a
// scope to define, a grant to create, grants whose scopes change, and (with -prune) a grant
// to revoke. The PingOne fake's ids are random unless given, so the application and resource
// get the fixed ids desired.yaml names; the OneLogin fake's first authorization server is 1001.
const (
	exampleAudience = "https://api.example.com/"
	pingoneApp      = "billing-service"
	pingoneResource = "invoices-api"
)

func openAuth0Fake(ctx context.Context) (*account, func(), error) {
	srv := auth0fake.NewServer()
	c, err := auth0.New("example.auth0.com", auth0.WithBaseURL(srv.URL), auth0.WithToken(srv.IssueToken()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	for client, scopes := range map[string][]string{
		"billing-service": {"read:invoices"},
		"legacy-export":   {"read:invoices"},
	} {
		if _, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: client, Audience: exampleAudience, Scope: scopes}); err != nil {
			srv.Close()
			return nil, nil, err
		}
	}
	return withClose(srv.Close)(accountOf(c.Grants(), nil))
}

func openOneLoginFake(ctx context.Context) (*account, func(), error) {
	srv := oneloginfake.NewServer()
	authID := srv.AddAuthorization("Invoices API", exampleAudience)
	c, err := onelogin.New("acme", onelogin.WithBaseURL(srv.URL), onelogin.WithToken(srv.IssueToken()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	var read int64
	for _, v := range []string{"read:invoices", "write:invoices"} {
		s, err := c.Scopes.Create(ctx, authID, onelogin.ScopeParams{Value: v, Description: v})
		if err != nil {
			srv.Close()
			return nil, nil, err
		}
		if read == 0 {
			read = s.ID
		}
	}
	if _, err := c.ClientApps.Add(ctx, authID, 4242, []int64{read}); err != nil {
		srv.Close()
		return nil, nil, err
	}
	return withClose(srv.Close)(accountOf(c.Grants(), nil))
}

func openPingOneFake(ctx context.Context) (*account, func(), error) {
	srv := pingonefake.NewServer()
	app := srv.AddApplicationWithID(pingoneApp, "billing-service")
	res := srv.AddResourceWithID(pingoneResource, "Invoices API", "https://api.example.com")
	read := srv.AddScope(res, "read:invoices")
	srv.AddScope(res, "write:invoices")
	srv.AddScope(res, "admin:invoices")
	c, err := pingone.New(pingonefake.EnvironmentID, pingone.WithBaseURL(srv.URL), pingone.WithToken(srv.IssueToken()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	if _, err := c.ApplicationGrants.Create(ctx, app, pingone.GrantParams{ResourceID: res, ScopeIDs: []string{read}}); err != nil {
		srv.Close()
		return nil, nil, err
	}
	return withClose(srv.Close)(accountOf(c.Grants(), nil))
}

func openCPNFake(ctx context.Context) (*account, func(), error) {
	srv := cpnfake.NewServer()
	c, err := cpn.New(cpnfake.OrgID, cpn.WithBaseURL(srv.URL), cpn.WithToken(srv.IssueToken()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	if _, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing-sync", AllowedScopes: cpn.AllowedScopes{
		GeneralScopes: []string{"openid"}, OrganizationRoles: []string{"org_owner"},
	}}); err != nil {
		srv.Close()
		return nil, nil, err
	}
	return withClose(srv.Close)(accountOf(c.Grants(), nil))
}
