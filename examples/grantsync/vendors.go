package main

import (
	"context"
	"fmt"
	"os"

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

// connect returns an adapter per vendor: a real account where its environment variables are
// set, otherwise a fake seeded with a few grants. The returned func stops the fakes.
func connect(ctx context.Context) (map[string]grantkit.Grants, func(), error) {
	var closers []func()
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	vendors := map[string]grantkit.Grants{}
	for name, open := range map[string]func(context.Context) (grantkit.Grants, func(), error){
		"auth0":    openAuth0,
		"cpn":      openCPN,
		"onelogin": openOneLogin,
		"pingone":  openPingOne,
	} {
		g, closeFn, err := open(ctx)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		vendors[name] = g
		if closeFn != nil {
			closers = append(closers, closeFn)
		}
	}
	return vendors, closeAll, nil
}

func openAuth0(ctx context.Context) (grantkit.Grants, func(), error) {
	if d := os.Getenv("AUTH0_DOMAIN"); d != "" {
		c, err := auth0.New(d, auth0.WithClientCredentials(os.Getenv("AUTH0_CLIENT_ID"), os.Getenv("AUTH0_CLIENT_SECRET")))
		if err != nil {
			return nil, nil, err
		}
		return c.Grants(), nil, nil
	}
	srv := auth0fake.NewServer()
	c, err := auth0.New("example.auth0.com", auth0.WithBaseURL(srv.URL), auth0.WithToken(srv.IssueToken()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	// The API the grants are on, with the scopes desired.yaml uses: Auth0 grants no other.
	srv.AddResourceServer("https://api.example.com/", "read:invoices", "write:invoices")
	for client, scopes := range map[string][]string{
		"billing-service": {"read:invoices"},
		"reporting":       {"read:invoices"},
	} {
		if _, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: client, Audience: "https://api.example.com/", Scope: scopes}); err != nil {
			srv.Close()
			return nil, nil, err
		}
	}
	return c.Grants(), srv.Close, nil
}

func openOneLogin(ctx context.Context) (grantkit.Grants, func(), error) {
	if sub := os.Getenv("ONELOGIN_SUBDOMAIN"); sub != "" {
		c, err := onelogin.New(sub, onelogin.WithClientCredentials(os.Getenv("ONELOGIN_CLIENT_ID"), os.Getenv("ONELOGIN_CLIENT_SECRET")))
		if err != nil {
			return nil, nil, err
		}
		return c.Grants(), nil, nil
	}
	// The fake's first authorization server gets id 1001; desired.yaml refers to it.
	srv := oneloginfake.NewServer()
	authID := srv.AddAuthorization("Invoices API", "https://api.example.com/")
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
	return c.Grants(), srv.Close, nil
}

// The PingOne fake's ids are random, so desired.yaml names the fake's application and resource
// by these fixed ids, which the fake is told to use.
const (
	pingoneApp      = "billing-service"
	pingoneResource = "invoices-api"
)

func openPingOne(ctx context.Context) (grantkit.Grants, func(), error) {
	if env := os.Getenv("PINGONE_ENVIRONMENT_ID"); env != "" {
		region := pingone.Region(os.Getenv("PINGONE_REGION"))
		if region == "" {
			region = pingone.RegionNorthAmerica
		}
		c, err := pingone.New(env, pingone.WithRegion(region),
			pingone.WithClientCredentials(os.Getenv("PINGONE_CLIENT_ID"), os.Getenv("PINGONE_CLIENT_SECRET")))
		if err != nil {
			return nil, nil, err
		}
		return c.Grants(), nil, nil
	}
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
	return c.Grants(), srv.Close, nil
}

func openCPN(ctx context.Context) (grantkit.Grants, func(), error) {
	if org := os.Getenv("CPN_ORG_ID"); org != "" {
		c, err := cpn.New(org, cpn.WithAPIToken(os.Getenv("CPN_API_TOKEN")))
		if err != nil {
			return nil, nil, err
		}
		return c.Grants(), nil, nil
	}
	srv := cpnfake.NewServer()
	c, err := cpn.New(cpnfake.OrgID, cpn.WithBaseURL(srv.URL), cpn.WithToken(srv.IssueToken()))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	if _, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "billing-sync", AllowedScopes: cpn.AllowedScopes{
		GeneralScopes: []string{"openid"}, Organization: cpn.OrganizationScopes{Roles: cpn.Roles("org_owner")},
	}}); err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c.Grants(), srv.Close, nil
}
