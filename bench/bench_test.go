package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/pingone"
)

// raw is the floor: a hand-written client with encoding/json structs over net/http, sending
// the same request and decoding the same response as the grantkit call it is paired with.
func raw(b *testing.B, hc *http.Client, method, url string, in, out any) {
	body, err := json.Marshal(in)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bench.Token)
	req.Header.Set("User-Agent", "hand-written/1.0")
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		b.Fatal(err)
	}
}

type auth0Grant struct {
	ID                        string   `json:"id"`
	ClientID                  string   `json:"client_id"`
	Audience                  string   `json:"audience"`
	Scope                     []string `json:"scope"`
	OrganizationUsage         string   `json:"organization_usage"`
	AllowAnyOrganization      bool     `json:"allow_any_organization"`
	IsSystem                  bool     `json:"is_system"`
	SubjectType               string   `json:"subject_type"`
	AuthorizationDetailsTypes []string `json:"authorization_details_types"`
	AllowAllScopes            bool     `json:"allow_all_scopes"`
}

type idRef struct {
	ID string `json:"id"`
}

type pingoneGrant struct {
	Links       map[string]struct{ Href string } `json:"_links"`
	ID          string                           `json:"id"`
	Environment idRef                            `json:"environment"`
	Resource    idRef                            `json:"resource"`
	Application idRef                            `json:"application"`
	Scopes      []idRef                          `json:"scopes"`
	CreatedAt   string                           `json:"createdAt"`
	UpdatedAt   string                           `json:"updatedAt"`
}

type cpnApp struct {
	AccessTokenTTL int32 `json:"accessTokenTTL"`
	AllowedScopes  struct {
		GeneralScopes      []string `json:"generalScopes"`
		OrganizationScopes struct {
			Roles []struct{ Name string } `json:"roles"`
		} `json:"organizationScopes"`
		ServicesScopes []struct {
			AllRoles            bool                    `json:"allRoles"`
			Roles               []struct{ Name string } `json:"roles"`
			ServiceDefinitionID string                  `json:"serviceDefinitionId"`
		} `json:"servicesScopes"`
	} `json:"allowedScopes"`
	CreatedAt                         int64    `json:"createdAt"`
	Description                       string   `json:"description"`
	DisplayName                       string   `json:"displayName"`
	GrantTypes                        []string `json:"grantTypes"`
	ID                                string   `json:"id"`
	LastUpdatedAt                     int64    `json:"lastUpdatedAt"`
	OwnerOnlySecretRotation           bool     `json:"ownerOnlySecretRotation"`
	SecretRotationExpirationInSeconds int32    `json:"secretRotationExpirationInSeconds"`
}

func pingoneScopeRefs() []idRef {
	refs := make([]idRef, len(bench.Scopes))
	for i, s := range bench.Scopes {
		refs[i].ID = s
	}
	return refs
}

// BenchmarkUpdate measures each vendor's seed update (20 scopes) through grantkit and through
// the hand-written floor, against the same loopback server with the same payloads.
func BenchmarkUpdate(b *testing.B) {
	srv := bench.NewServer()
	defer srv.Close()
	hc := bench.NewHTTPClient()
	ctx := context.Background()
	noRetry := grantkit.RetryPolicy{}

	b.Run("vendor=auth0/client=grantkit", func(b *testing.B) {
		c, err := auth0.New("tenant.example.com", auth0.WithBaseURL(srv.URL), auth0.WithToken(bench.Token), auth0.WithHTTPClient(hc), auth0.WithRetryPolicy(noRetry))
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set(bench.Scopes...)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vendor=auth0/client=raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out auth0Grant
			raw(b, hc, http.MethodPatch, srv.URL+"/api/v2/client-grants/cgr_1", struct {
				Scope []string `json:"scope"`
			}{bench.Scopes}, &out)
		}
	})

	b.Run("vendor=pingone/client=grantkit", func(b *testing.B) {
		c, err := pingone.New("e", pingone.WithBaseURL(srv.URL), pingone.WithToken(bench.Token), pingone.WithHTTPClient(hc), pingone.WithRetryPolicy(noRetry))
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.ApplicationGrants.Update(ctx, "a", "g", pingone.GrantParams{ResourceID: "r", ScopeIDs: bench.Scopes}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vendor=pingone/client=raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out pingoneGrant
			raw(b, hc, http.MethodPut, srv.URL+"/v1/environments/e/applications/a/grants/g", struct {
				Resource idRef   `json:"resource"`
				Scopes   []idRef `json:"scopes"`
			}{idRef{"r"}, pingoneScopeRefs()}, &out)
		}
	})

	b.Run("vendor=cpn/client=grantkit", func(b *testing.B) {
		c, err := cpn.New("org", cpn.WithBaseURL(srv.URL), cpn.WithToken(bench.Token), cpn.WithHTTPClient(hc), cpn.WithRetryPolicy(noRetry))
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{AllowedScopes: grantkit.Value(cpn.AllowedScopes{GeneralScopes: bench.Scopes})}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vendor=cpn/client=raw", func(b *testing.B) {
		b.ReportAllocs()
		type scopes struct {
			GeneralScopes      []string `json:"generalScopes"`
			OrganizationScopes struct {
				Roles []struct{} `json:"roles"`
			} `json:"organizationScopes"`
			ServicesScopes []struct{} `json:"servicesScopes"`
		}
		for b.Loop() {
			var out cpnApp
			in := struct {
				AllowedScopes scopes `json:"allowedScopes"`
			}{scopes{GeneralScopes: bench.Scopes, ServicesScopes: []struct{}{}}}
			in.AllowedScopes.OrganizationScopes.Roles = []struct{}{}
			raw(b, hc, http.MethodPatch, srv.URL+"/cphub/api/auth/v2/orgs/org/oauth-apps/app", in, &out)
		}
	})

	b.Run("vendor=onelogin/client=grantkit", func(b *testing.B) {
		c, err := onelogin.New("acme", onelogin.WithBaseURL(srv.URL), onelogin.WithToken(bench.Token), onelogin.WithHTTPClient(hc), onelogin.WithRetryPolicy(noRetry))
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Scopes.Update(ctx, 1, 323005, onelogin.ScopeParams{Value: "custom:scope", Description: "A custom scope"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vendor=onelogin/client=raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				ID int64 `json:"id"`
			}
			raw(b, hc, http.MethodPut, srv.URL+"/api/2/api_authorizations/1/scopes/323005", struct {
				Value       string `json:"value"`
				Description string `json:"description"`
			}{"custom:scope", "A custom scope"}, &out)
		}
	})
}

// BenchmarkConcurrentGet runs 64 callers (SetParallelism on GOMAXPROCS) doing Get through one
// Auth0 client with client credentials, reporting throughput; TestConcurrentCallersShareOneToken
// proves they share one token fetch.
func BenchmarkConcurrentGet(b *testing.B) {
	srv, tokens := countingServer()
	defer srv.Close()
	c, err := auth0.New("tenant.example.com", auth0.WithBaseURL(srv.URL), auth0.WithClientCredentials("id", "secret"), auth0.WithHTTPClient(bench.NewHTTPClient()))
	require.NoError(b, err)
	b.ReportAllocs()
	b.SetParallelism(max(1, 64/runtimeProcs()))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.ClientGrants.Get(context.Background(), "cgr_1"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(tokens.Load()), "token-fetches")
}

func TestConcurrentCallersShareOneToken(t *testing.T) {
	srv, tokens := countingServer()
	defer srv.Close()
	c, err := auth0.New("tenant.example.com", auth0.WithBaseURL(srv.URL), auth0.WithClientCredentials("id", "secret"), auth0.WithHTTPClient(bench.NewHTTPClient()))
	require.NoError(t, err)
	start := make(chan struct{})
	errs := make(chan error, 64)
	for range 64 {
		go func() {
			<-start
			for range 10 {
				if _, err := c.ClientGrants.Get(context.Background(), "cgr_1"); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	close(start)
	for range 64 {
		assert.NoError(t, <-errs)
	}
	assert.EqualValues(t, 1, tokens.Load(), "64 concurrent callers, 640 calls, one token fetch")
}

// countingServer is bench.NewServer with a count of token requests.
func countingServer() (*httptestServer, *atomic.Int64) {
	var n atomic.Int64
	inner := bench.NewServer()
	h := inner.Config.Handler
	inner.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	})
	return inner, &n
}
