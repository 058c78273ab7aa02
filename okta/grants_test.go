package okta_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/option"
)

// dropper makes the org answer a grant of a dropped scope with 201 and a grant that is not in
// effect (status REVOKED) without keeping it, as an org that refuses the scope while answering
// success would (grantstest.Dropper drops array items; Okta's grant body names one scope).
type dropper struct {
	next http.RoundTripper
	mu   sync.Mutex
	drop []string
}

func (d *dropper) Drop(scope string) { d.mu.Lock(); d.drop = append(d.drop, scope); d.mu.Unlock() }

func (d *dropper) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/grants") || r.Body == nil {
		return d.next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	var g struct{ Issuer, ScopeID string }
	_ = json.Unmarshal(body, &struct {
		Issuer  *string `json:"issuer"`
		ScopeID *string `json:"scopeId"`
	}{&g.Issuer, &g.ScopeID})
	d.mu.Lock()
	dropped := slices.Contains(d.drop, g.ScopeID)
	d.mu.Unlock()
	if dropped {
		out, _ := json.Marshal(map[string]any{"id": "oagdropped", "issuer": g.Issuer, "scopeId": g.ScopeID, "status": "REVOKED"})
		return &http.Response{StatusCode: http.StatusCreated, Status: "201 Created", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(out)), Request: r}, nil
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return d.next.RoundTrip(r)
}

// org is a fake org with one custom authorization server defining grantstest.Scopes.
type org struct {
	srv      *oktafake.Server
	serverID string
	issuer   string
	c        *okta.Client
	drop     *dropper
	refuse   func(methods ...string)
	before   func(fn func())
}

func newOrg(t *testing.T, opts ...option.Option) *org {
	t.Helper()
	srv := oktafake.NewServer()
	t.Cleanup(srv.Close)
	o := &org{srv: srv}
	o.serverID, o.issuer = srv.AddAuthorizationServer("API", "api://default")
	for _, s := range grantstest.Scopes {
		srv.AddScope(o.serverID, s)
	}
	g := grantstest.NewDropper(nil)
	o.drop, o.refuse, o.before = &dropper{next: g}, g.Refuse, g.BeforeNextWrite
	c, err := okta.New(oktafake.Domain, append([]option.Option{option.WithBaseURL(srv.URL), okta.WithAPIToken(oktafake.APIToken),
		option.WithHTTPClient(&http.Client{Transport: o.drop})}, opts...)...)
	require.NoError(t, err)
	o.c = c
	return o
}

func (o *org) seed(t *testing.T, scopes ...string) grantkit.GrantKey {
	app := o.srv.AddApp("app")
	for _, s := range scopes {
		require.NotEmpty(t, o.srv.Grant(app, o.issuer, s))
	}
	return grantkit.GrantKey{Resource: o.issuer, ClientID: app}
}

func (o *org) env() grantstest.Env {
	return grantstest.Env{
		Grants: o.c.Grants(),
		Vendor: "okta",
		Drop:   o.drop.Drop,
		Refuse: o.refuse,
		Seed:   o.seed,
		NewKey: func(*testing.T) grantkit.GrantKey {
			return grantkit.GrantKey{Resource: o.issuer, ClientID: o.srv.AddApp("new")}
		},
		RefusesUndefined: true,
		Writes:           []string{http.MethodPost, http.MethodDelete},
		GrantNeedsScopes: true,
		WritesPerScope:   true,
	}
}

func TestGrants(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grantstest.Env { return newOrg(t).env() })
}

func TestBulkJobs(t *testing.T) {
	grantstest.RunBulk(t, func(t *testing.T) grantstest.BulkEnv {
		o := newOrg(t)
		return grantstest.BulkEnv{
			Env:         o.env(),
			Sent:        func() (int, int) { return grantstest.Count(o.srv.Requests()) },
			BeforeWrite: o.before,
			// A delta reads the app's grants just before its writes; so does a declared set,
			// since Okta has no write of a whole set (the README's Reliability section).
			DeltaReads: 1,
			SetReads:   1,
		}
	})
}

func TestScopeCatalog(t *testing.T) {
	grantstest.RunCatalog(t, func(t *testing.T) grantstest.CatalogEnv {
		o := newOrg(t)
		return grantstest.CatalogEnv{
			Catalog: o.c.ScopeCatalog(),
			Grants:  o.c.Grants(),
			Vendor:  "okta",
			NewResource: func(*testing.T) string {
				_, issuer := o.srv.AddAuthorizationServer("another", "api://another")
				return issuer
			},
			NewKey: func(_ *testing.T, resource string) grantkit.GrantKey {
				return grantkit.GrantKey{Resource: resource, ClientID: o.srv.AddApp("app")}
			},
		}
	})
}
