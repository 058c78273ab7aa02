package okta_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/option"
)

func (o *org) last(t *testing.T) oktafake.Request {
	t.Helper()
	r := o.srv.Requests()
	require.NotEmpty(t, r)
	return r[len(r)-1]
}

// The seed operation: POST /api/v1/apps/{appId}/grants with issuer and scopeId, on the wire.
func TestGrantConsentWire(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t, option.WithUserAgent("acme/1.0"))
	app := o.srv.AddApp("billing")
	g, err := o.c.ApplicationGrants.Create(ctx, app, okta.ApplicationGrantCreate{Issuer: o.issuer, ScopeID: "read:a"})
	require.NoError(t, err)
	r := o.last(t)
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/api/v1/apps/"+app+"/grants", r.Path)
	assert.Empty(t, r.RawQuery)
	assert.JSONEq(t, `{"issuer":"`+o.issuer+`","scopeId":"read:a"}`, string(r.Body))
	assert.Equal(t, "SSWS "+oktafake.APIToken, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Contains(t, r.Header.Get("User-Agent"), "acme/1.0 grantkit/")
	assert.Equal(t, app, g.ClientID)
	assert.Equal(t, "read:a", g.ScopeID)
	assert.Equal(t, o.issuer, g.Issuer)
	assert.Equal(t, okta.GrantSourceAdmin, g.Source)
	assert.Equal(t, "ACTIVE", g.Status)
	assert.False(t, g.Created.IsZero())
}

func TestGrantLifecycle(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	app := o.srv.AddApp("billing")
	g, err := o.c.ApplicationGrants.Create(ctx, app, okta.ApplicationGrantCreate{Issuer: o.issuer, ScopeID: "read:a"})
	require.NoError(t, err)
	got, err := o.c.ApplicationGrants.Get(ctx, app, g.ID)
	require.NoError(t, err)
	assert.Equal(t, g, got)

	_, err = o.c.ApplicationGrants.Create(ctx, app, okta.ApplicationGrantCreate{Issuer: o.issuer, ScopeID: "read:a"})
	var ae *grantkit.Error
	require.ErrorAs(t, err, &ae, "one grant per app, issuer and scope")
	assert.Equal(t, 400, ae.StatusCode)
	assert.Equal(t, "E0000001", ae.Code)
	assert.Contains(t, ae.Message, "Api validation failed: scopeId (scopeId: The scope read:a has already been assigned")
	assert.NotEmpty(t, ae.RequestID, "errorId")

	var listed []string
	for ag, err := range o.c.ApplicationGrants.List(ctx, app, okta.ApplicationGrantListOptions{}) {
		require.NoError(t, err)
		listed = append(listed, ag.ID)
	}
	assert.Equal(t, []string{g.ID}, listed)

	require.NoError(t, o.c.ApplicationGrants.Delete(ctx, app, g.ID))
	_, err = o.c.ApplicationGrants.Get(ctx, app, g.ID)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 404, ae.StatusCode)
	assert.Equal(t, "E0000007", ae.Code)
	assert.Equal(t, "ApplicationGrants.Get", ae.Operation)
}

func TestScopesAndServersPageByLinkHeaders(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	o.srv.SetPageSize(3)
	for i := range 5 {
		o.srv.AddScope(o.serverID, "extra:"+strconv.Itoa(i))
	}
	var names []string
	for s, err := range o.c.AuthorizationServers.ListScopes(ctx, o.serverID, okta.ScopeListOptions{}) {
		require.NoError(t, err)
		names = append(names, s.Name)
	}
	assert.Len(t, names, 9)
	p, err := o.c.AuthorizationServers.ListScopesPage(ctx, o.serverID, okta.ScopeListOptions{PageSize: 2})
	require.NoError(t, err)
	assert.Len(t, p.Items, 2)
	require.NotEmpty(t, p.Next)
	assert.Contains(t, o.last(t).RawQuery, "limit=2")
	assert.Equal(t, -1, p.Total, "Okta's lists give no count")
	p2, err := o.c.AuthorizationServers.ListScopesPage(ctx, o.serverID, okta.ScopeListOptions{Cursor: p.Next})
	require.NoError(t, err)
	assert.Contains(t, o.last(t).RawQuery, "after=", "the link's query is followed")
	assert.NotEqual(t, p.Items[0].ID, p2.Items[0].ID)

	for range 3 {
		o.srv.AddAuthorizationServer("s", "api://s")
	}
	n := 0
	for s, err := range o.c.AuthorizationServers.List(ctx, okta.AuthorizationServerListOptions{}) {
		require.NoError(t, err)
		assert.NotEmpty(t, s.Issuer)
		n++
	}
	assert.Equal(t, 4, n)
	for range 4 {
		o.srv.AddApp("a")
	}
	n = 0
	for a, err := range o.c.Applications.List(ctx, okta.ApplicationListOptions{}) {
		require.NoError(t, err)
		assert.Equal(t, "OPENID_CONNECT", a.SignOnMode)
		assert.JSONEq(t, `"oidc_client"`, string(a.Extra["name"]), "what grantkit does not model is kept")
		n++
	}
	assert.Equal(t, 4, n)

	_, err = o.c.AuthorizationServers.ListScopesPage(ctx, o.serverID, okta.ScopeListOptions{Cursor: "https://evil.example.com/api/v1/apps?after=x"})
	require.Error(t, err, "a link to another list is not followed")
}

func TestScopeLifecycle(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	sc, err := o.c.AuthorizationServers.CreateScope(ctx, o.serverID, okta.ScopeCreate{Name: "read:reports", Description: "Read", Consent: okta.ConsentRequired})
	require.NoError(t, err)
	assert.Equal(t, okta.ConsentRequired, sc.Consent)
	assert.Equal(t, okta.MetadataPublishNoClients, sc.MetadataPublish, "Okta's default")
	_, err = o.c.AuthorizationServers.CreateScope(ctx, o.serverID, okta.ScopeCreate{Name: "read:reports"})
	var ae *grantkit.Error
	require.ErrorAs(t, err, &ae, "names are unique per server")
	assert.Equal(t, "E0000001", ae.Code)

	up, err := o.c.AuthorizationServers.UpdateScope(ctx, o.serverID, sc.ID, okta.ScopeUpdate{DisplayName: grantkit.Value("Reports")})
	require.NoError(t, err)
	assert.Equal(t, "Reports", up.DisplayName)
	assert.Equal(t, "Read", up.Description, "the replace sent back what the update did not change")
	assert.Equal(t, okta.ConsentRequired, up.Consent)
	assert.Equal(t, http.MethodPut, o.last(t).Method)

	got, err := o.c.AuthorizationServers.GetScope(ctx, o.serverID, sc.ID)
	require.NoError(t, err)
	assert.Equal(t, up, got)
	require.NoError(t, o.c.AuthorizationServers.DeleteScope(ctx, o.serverID, sc.ID))
	_, err = o.c.AuthorizationServers.GetScope(ctx, o.serverID, sc.ID)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 404, ae.StatusCode)

	srv, err := o.c.AuthorizationServers.Get(ctx, o.serverID)
	require.NoError(t, err)
	assert.Equal(t, o.issuer, srv.Issuer)
	assert.Equal(t, []string{"api://default"}, srv.Audiences)
}

func TestBadInputSendsNothing(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	for name, call := range map[string]func() error{
		"empty app": func() error { _, err := o.c.ApplicationGrants.Get(ctx, "", "g"); return err },
		"../ grant": func() error { return o.c.ApplicationGrants.Delete(ctx, "a", "../g") },
		"issuer no URL": func() error {
			_, err := o.c.ApplicationGrants.Create(ctx, "a", okta.ApplicationGrantCreate{Issuer: "okta", ScopeID: "s"})
			return err
		},
		"scope with space": func() error {
			_, err := o.c.ApplicationGrants.Create(ctx, "a", okta.ApplicationGrantCreate{Issuer: o.issuer, ScopeID: "a b"})
			return err
		},
		"page size": func() error {
			_, err := o.c.Applications.ListPage(ctx, okta.ApplicationListOptions{PageSize: 201})
			return err
		},
		"empty update": func() error {
			_, err := o.c.AuthorizationServers.UpdateScope(ctx, "s", "c", okta.ScopeUpdate{})
			return err
		},
		"null name": func() error {
			_, err := o.c.AuthorizationServers.UpdateScope(ctx, "s", "c", okta.ScopeUpdate{Name: grantkit.Null[string]()})
			return err
		},
		"scope name": func() error { _, err := o.c.AuthorizationServers.CreateScope(ctx, "s", okta.ScopeCreate{}); return err },
		"grant key issuer": func() error {
			_, err := o.c.Grants().Get(ctx, grantkit.GrantKey{Resource: "x", ClientID: "a"})
			return err
		},
		"grant no scopes": func() error {
			_, err := o.c.Grants().Create(ctx, grantkit.GrantKey{Resource: o.issuer, ClientID: "a"}, nil)
			return err
		},
		"grant subject": func() error {
			_, err := o.c.Grants().Get(ctx, grantkit.GrantKey{Resource: o.issuer, ClientID: "a", SubjectType: "user"})
			return err
		},
		"catalog bad scope": func() error {
			_, err := o.c.ScopeCatalog().DefineScope(ctx, o.issuer, grantkit.ScopeDefinition{Name: "a b"})
			return err
		},
	} {
		before := len(o.srv.Requests())
		require.ErrorIs(t, call(), grantkit.ErrInvalidInput, name)
		assert.Equal(t, before, len(o.srv.Requests()), name)
	}
	require.ErrorIs(t, o.c.Grants().CheckGrant(grantkit.GrantKey{Resource: o.issuer, ClientID: "a"}, []string{"bad scope"}), grantkit.ErrInvalidInput)
	require.NoError(t, o.c.Grants().CheckGrant(grantkit.GrantKey{Resource: o.issuer, ClientID: "a"}, []string{"read:a"}))
	require.ErrorIs(t, o.c.ScopeCatalog().CheckScope("not a url", grantkit.ScopeDefinition{Name: "a"}), grantkit.ErrInvalidInput)
	require.NoError(t, o.c.ScopeCatalog().CheckScope(o.issuer, grantkit.ScopeDefinition{Name: "a"}))
}

// An input error names the field as Okta's document (or the neutral key's JSON) spells it.
func TestInputErrorsNameTheDocumentsFields(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	for field, call := range map[string]func() error{
		"appId":        func() error { _, err := o.c.ApplicationGrants.Get(ctx, "", "g"); return err },
		"grantId":      func() error { return o.c.ApplicationGrants.Delete(ctx, "a", "../g") },
		"authServerId": func() error { _, err := o.c.AuthorizationServers.Get(ctx, "a/b"); return err },
		"scopeId":      func() error { return o.c.AuthorizationServers.DeleteScope(ctx, "s", "") },
		"issuer": func() error {
			_, err := o.c.ApplicationGrants.Create(ctx, "a", okta.ApplicationGrantCreate{Issuer: "okta", ScopeID: "s"})
			return err
		},
		"page_size": func() error {
			_, err := o.c.Applications.ListPage(ctx, okta.ApplicationListOptions{PageSize: 201})
			return err
		},
		"cursor": func() error {
			_, err := o.c.Applications.ListPage(ctx, okta.ApplicationListOptions{Cursor: "https://x/api/v1/authorizationServers?after=1"})
			return err
		},
		"key.resource": func() error {
			_, err := o.c.Grants().Get(ctx, grantkit.GrantKey{Resource: "x", ClientID: "a"})
			return err
		},
		"key.client_id": func() error {
			_, err := o.c.Grants().Get(ctx, grantkit.GrantKey{Resource: o.issuer, ClientID: "a/b"})
			return err
		},
		"scopes[1]": func() error {
			_, err := o.c.Grants().SetScopes(ctx, grantkit.GrantKey{Resource: o.issuer, ClientID: "a"}, []string{"read:a", ""})
			return err
		},
	} {
		before := len(o.srv.Requests())
		err := call()
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, field)
		assert.Contains(t, err.Error(), field+": ", "%s", err)
		assert.Equal(t, before, len(o.srv.Requests()), field)
	}
}

// The API token becomes the Authorization header: a byte a header cannot carry is refused,
// and the error names the byte, never the token.
func TestAPITokenIsCheckedAsAHeader(t *testing.T) {
	for _, tok := range []string{"00secret\rtoken", "00secret\x00token", "00secret\x7ftoken"} {
		_, err := okta.New(oktafake.Domain, okta.WithAPIToken(grantkit.Secret(tok)))
		require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		assert.Contains(t, err.Error(), "okta.WithAPIToken")
		assert.NotContains(t, err.Error(), "secret")
	}
}

// A scope Okta reports as assigned already, granted by a concurrent writer between Create's
// read and its write, is adopted.
func TestCreateAdoptsAScopeAssignedMeanwhile(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	app := o.srv.AddApp("x")
	meanwhile := roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost {
			o.srv.Grant(app, o.issuer, "read:a") // the other writer wins the race
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c, err := okta.New(oktafake.Domain, option.WithBaseURL(o.srv.URL), okta.WithAPIToken(oktafake.APIToken),
		option.WithHTTPClient(&http.Client{Transport: meanwhile}))
	require.NoError(t, err)
	g, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: o.issuer, ClientID: app}, []string{"read:a"})
	require.NoError(t, err)
	assert.Equal(t, []string{"read:a"}, g.Scopes)
	var posts []int
	for i, r := range o.srv.Requests() {
		if r.Method == http.MethodPost {
			posts = append(posts, i)
		}
	}
	assert.Len(t, posts, 1, "the refused grant is not sent again")
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestPrivateKeyJWT(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	for _, dpop := range []bool{false, true} {
		t.Run(fmt.Sprintf("dpop=%v", dpop), func(t *testing.T) {
			if dpop {
				o.srv.RequireDPoP()
			}
			c, err := okta.New(oktafake.Domain, option.WithBaseURL(o.srv.URL),
				okta.WithPrivateKey(oktafake.ClientID, oktafake.ServiceAppKey(), "kid-1", "okta.appGrants.manage", "okta.apps.read"))
			require.NoError(t, err)
			before := o.srv.TokenRequests()
			for range 2 {
				_, err = c.AuthorizationServers.Get(ctx, o.serverID)
				require.NoError(t, err)
			}
			auth := o.last(t).Header.Get("Authorization")
			if dpop {
				assert.Regexp(t, "^DPoP ", auth)
				assert.NotEmpty(t, o.last(t).Header.Get("DPoP"))
				assert.Equal(t, []string{"invalid_dpop_proof", "use_dpop_nonce"}, o.srv.DPoPRefused(), "a plain request, then one with a proof, then one with the nonce")
				assert.Equal(t, 1, o.srv.TokenRequests()-before, "one token for both calls")
			} else {
				assert.Regexp(t, "^Bearer ", auth)
				assert.Equal(t, 1, o.srv.TokenRequests()-before)
			}
		})
	}
}

func TestPrivateKeyOptions(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	for name, opt := range map[string]option.Option{
		"no scopes":     okta.WithPrivateKey("0oa1", ec, ""),
		"small RSA key": okta.WithPrivateKey("0oa1", small, "", "okta.apps.read"),
		"nil key":       okta.WithPrivateKey("0oa1", nil, "", "okta.apps.read"),
		"empty client":  okta.WithPrivateKey("", ec, "", "okta.apps.read"),
		"bad scope":     okta.WithPrivateKey("0oa1", ec, "", "okta apps"),
		"empty token":   okta.WithAPIToken(""),
	} {
		_, err := okta.New("example.okta.com", opt)
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, name)
	}
	_, err = okta.New("example.okta.com", okta.WithPrivateKey("0oa1", ec, "", "okta.apps.read"))
	require.NoError(t, err, "an ECDSA key signs ES256")
	_, err = okta.New("example.okta.com", okta.WithAPIToken("t"), okta.WithPrivateKey("0oa1", ec, "", "okta.apps.read"))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput, "two credentials")

	der, err := x509.MarshalPKCS8PrivateKey(oktafake.ServiceAppKey())
	require.NoError(t, err)
	k, err := okta.ParsePrivateKey(grantkit.Secret(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	require.NoError(t, err)
	assert.True(t, oktafake.ServiceAppKey().Equal(k))
	_, err = okta.ParsePrivateKey("not pem")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
}

func TestReliability(t *testing.T) {
	reliabilitytest.Run(t, func(t *testing.T, opts reliabilitytest.Options) reliabilitytest.Env {
		ctx := context.Background()
		o := newOrg(t)
		sc, err := o.c.AuthorizationServers.CreateScope(ctx, o.serverID, okta.ScopeCreate{Name: "read:reports"})
		require.NoError(t, err)
		key := oktafake.ServiceAppKey()
		if opts.WrongSecret != "" {
			key, err = rsa.GenerateKey(rand.Reader, 2048)
			require.NoError(t, err)
		}
		c, err := okta.New(oktafake.Domain, opts.With(option.WithBaseURL(o.srv.URL), okta.WithPrivateKey(oktafake.ClientID, key, "", "okta.appGrants.manage"))...)
		require.NoError(t, err)
		for i := range 3 {
			o.srv.AddScope(o.serverID, "page:"+strconv.Itoa(i))
		}
		flip, latest := false, ""
		return reliabilitytest.Env{
			Read: func(ctx context.Context) error {
				_, err := c.AuthorizationServers.GetScope(ctx, o.serverID, sc.ID)
				return err
			},
			Update: func(ctx context.Context) (func() bool, error) {
				flip = !flip
				want := "first"
				if flip {
					want = "second"
				}
				_, err := c.AuthorizationServers.ReplaceScope(ctx, o.serverID, sc.ID, okta.ScopeCreate{Name: "read:reports", Description: want})
				return func() bool {
					got, err := o.c.AuthorizationServers.GetScope(context.Background(), o.serverID, sc.ID)
					return err == nil && got.Description == want
				}, err
			},
			Create: func(ctx context.Context) error {
				latest = o.srv.AddApp("x")
				_, err := c.ApplicationGrants.Create(ctx, latest, okta.ApplicationGrantCreate{Issuer: o.issuer, ScopeID: "read:a"})
				return err
			},
			GrantsCreate: func(ctx context.Context) error {
				latest = o.srv.AddApp("y")
				_, err := c.Grants().Create(ctx, grantkit.GrantKey{Resource: o.issuer, ClientID: latest}, []string{"read:a"})
				return err
			},
			// The natural key of a grant: app, issuer and scope.
			Created: func() int {
				n := 0
				for g, err := range o.c.ApplicationGrants.List(context.Background(), latest, okta.ApplicationGrantListOptions{}) {
					require.NoError(t, err)
					if g.Issuer == o.issuer && g.ScopeID == "read:a" {
						n++
					}
				}
				return n
			},
			Catalog:         c.ScopeCatalog(),
			CatalogResource: o.issuer,
			Delete: func() func(ctx context.Context) error {
				app := o.srv.AddApp("gone")
				id := o.srv.Grant(app, o.issuer, "read:a")
				return func(ctx context.Context) error { return c.ApplicationGrants.Delete(ctx, app, id) }
			},
			LostCreate: []string{"the grant may now exist", "ApplicationGrants.List"},
			Fake:       o.srv,
			ResetFault: func(d time.Duration) oktafake.Fault {
				return oktafake.Fault{Status: 429, Header: http.Header{
					"X-Rate-Limit-Limit": {"100"}, "X-Rate-Limit-Remaining": {"0"},
					"X-Rate-Limit-Reset": {strconv.FormatInt(time.Now().Add(d).Unix(), 10)},
				}}
			},
			BadInputs: map[string]func(ctx context.Context) error{
				"empty app id":  func(ctx context.Context) error { _, err := c.ApplicationGrants.Get(ctx, "", "g"); return err },
				"/ in grant id": func(ctx context.Context) error { return c.ApplicationGrants.Delete(ctx, "a", "a/b") },
				"bad issuer": func(ctx context.Context) error {
					_, err := c.ApplicationGrants.Create(ctx, "a", okta.ApplicationGrantCreate{Issuer: "http://example.com", ScopeID: "s"})
					return err
				},
			},
			New: func(opts ...option.Option) error {
				_, err := okta.New(oktafake.Domain, append([]option.Option{option.WithBaseURL(o.srv.URL)}, opts...)...)
				return err
			},
			List: func(ctx context.Context) iter.Seq2[string, error] {
				return reliabilitytest.IDs(c.AuthorizationServers.ListScopes(ctx, o.serverID, okta.ScopeListOptions{PageSize: 1}),
					func(s *okta.Scope) string { return s.ID })
			},
			Token:   o.srv.IssueToken,
			Client:  c,
			Secrets: []string{oktafake.APIToken, key.D.String()},
		}
	})
}

// An input quoted in an error is a bounded prefix (validate.Quote).
func TestCatalogQuotesABoundedResource(t *testing.T) {
	o := newOrg(t)
	long := "https://example.com/" + strings.Repeat("a", 300)
	_, err := o.c.ScopeCatalog().ListScopes(context.Background(), long)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "… (320 characters)")
	assert.NotContains(t, err.Error(), long)
}

// A scope create whose answer was lost finds, by name, a scope that is not what it asked for:
// an error saying so, not that scope returned as if it were the one made.
func TestLostScopeCreateFindingAnotherScopeSaysSo(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	o.srv.AddScope(o.serverID, "read:reports") // another writer's, without a description
	o.srv.FailNext(1, oktafake.Fault{Status: http.StatusServiceUnavailable})
	_, err := o.c.AuthorizationServers.CreateScope(ctx, o.serverID, okta.ScopeCreate{Name: "read:reports", Description: "Read reports"})
	var ae *grantkit.Error
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Message, "may have taken effect")
	assert.Contains(t, ae.Message, `description "", asked "Read reports"`)
	assert.Contains(t, ae.Message, "AuthorizationServers.ListScopes")
}
