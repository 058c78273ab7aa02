package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/pingone"
)

// updateCase is one vendor's seed update, made two ways against the same base URL and
// *http.Client: through grantkit, and by hand (the floor).
type updateCase struct {
	vendor   string
	want     int // what a call decodes (0: the 20 benchkit.Scopes)
	grantkit func(baseURL string, hc *http.Client) (benchkit.Call, error)
	raw      func(baseURL string, hc *http.Client) benchkit.Call
}

// updateCases: one per vendor. To add a vendor, see the package doc in bench.go.
var updateCases = []updateCase{
	{
		vendor: "auth0",
		grantkit: func(baseURL string, hc *http.Client) (benchkit.Call, error) {
			c, err := auth0.New("tenant.example.com", option.WithBaseURL(baseURL), option.WithToken(benchkit.Token), option.WithHTTPClient(hc))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (int, error) {
				g, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set(benchkit.Scopes...)})
				if err != nil {
					return 0, err
				}
				return len(g.Scope), nil
			}, nil
		},
		raw: func(baseURL string, hc *http.Client) benchkit.Call {
			return func(ctx context.Context) (int, error) {
				var out benchkit.StdAuth0Grant
				err := do(ctx, hc, http.MethodPatch, baseURL+"/api/v2/client-grants/cgr_1", bearer, benchkit.StdAuth0GrantUpdate{Scope: benchkit.Scopes}, &out)
				return len(out.Scope), err
			}
		},
	},
	{
		vendor: "pingone",
		grantkit: func(baseURL string, hc *http.Client) (benchkit.Call, error) {
			c, err := pingone.New("e", option.WithBaseURL(baseURL), option.WithToken(benchkit.Token), option.WithHTTPClient(hc))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (int, error) {
				g, err := c.ApplicationGrants.Update(ctx, "a", "g", pingone.ApplicationGrantUpdate{ResourceID: "r", ScopeIDs: benchkit.Scopes})
				if err != nil {
					return 0, err
				}
				return len(g.ScopeIDs), nil
			}, nil
		},
		raw: func(baseURL string, hc *http.Client) benchkit.Call {
			in := benchkit.StdPingOneGrantUpdate{Resource: benchkit.StdIDRef{ID: "r"}, Scopes: make([]benchkit.StdIDRef, len(benchkit.Scopes))}
			for i, s := range benchkit.Scopes {
				in.Scopes[i].ID = s
			}
			return func(ctx context.Context) (int, error) {
				var out benchkit.StdPingOneGrant
				err := do(ctx, hc, http.MethodPut, baseURL+"/v1/environments/e/applications/a/grants/g", bearer, in, &out)
				return len(out.Scopes), err
			}
		},
	},
	{
		vendor: "cpn",
		grantkit: func(baseURL string, hc *http.Client) (benchkit.Call, error) {
			c, err := cpn.New("org", option.WithBaseURL(baseURL), option.WithToken(benchkit.Token), option.WithHTTPClient(hc))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (int, error) {
				a, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{AllowedScopes: grantkit.Value(cpn.AllowedScopes{GeneralScopes: benchkit.Scopes})})
				if err != nil {
					return 0, err
				}
				return len(a.AllowedScopes.GeneralScopes), nil
			}, nil
		},
		raw: func(baseURL string, hc *http.Client) benchkit.Call {
			in := benchkit.StdCPNAppUpdate{}
			in.AllowedScopes.GeneralScopes = benchkit.Scopes
			in.AllowedScopes.OrganizationScopes.Roles = []benchkit.StdCPNRole{}
			in.AllowedScopes.ServicesScopes = []benchkit.StdCPNServiceScopes{}
			return func(ctx context.Context) (int, error) {
				var out benchkit.StdCPNApp
				err := do(ctx, hc, http.MethodPatch, baseURL+"/cphub/api/auth/v2/orgs/org/oauth-apps/app", cspAuthToken, in, &out)
				return len(out.AllowedScopes.GeneralScopes), err
			}
		},
	},
	{
		vendor: "onelogin",
		want:   1,
		grantkit: func(baseURL string, hc *http.Client) (benchkit.Call, error) {
			c, err := onelogin.New("acme", option.WithBaseURL(baseURL), option.WithToken(benchkit.Token), option.WithHTTPClient(hc))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (int, error) {
				sc, err := c.Authorizations.UpdateScope(ctx, 1001, 323005, onelogin.ScopeUpdate{Value: "custom:scope", Description: "A custom scope"})
				if err != nil {
					return 0, err
				}
				return oneIf(sc.ID == 323005), nil
			}, nil
		},
		raw: func(baseURL string, hc *http.Client) benchkit.Call {
			in := benchkit.StdOneLoginScopeUpdate{Value: "custom:scope", Description: "A custom scope"}
			return func(ctx context.Context) (int, error) {
				var out benchkit.StdOneLoginScopeID
				err := do(ctx, hc, http.MethodPut, baseURL+"/api/2/api_authorizations/1001/scopes/323005", bearer, in, &out)
				return oneIf(out.ID == 323005), err
			}
		},
	},
	{
		vendor: "okta",
		want:   1,
		grantkit: func(baseURL string, hc *http.Client) (benchkit.Call, error) {
			c, err := okta.New("example.okta.com", option.WithBaseURL(baseURL), option.WithToken(benchkit.Token), option.WithHTTPClient(hc))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (int, error) {
				g, err := c.ApplicationGrants.Create(ctx, "0oa1", okta.ApplicationGrantCreate{Issuer: "https://example.okta.com", ScopeID: "okta.users.read"})
				if err != nil {
					return 0, err
				}
				return oneIf(g.ScopeID == "okta.users.read"), nil
			}, nil
		},
		raw: func(baseURL string, hc *http.Client) benchkit.Call {
			in := benchkit.StdOktaGrantCreate{Issuer: "https://example.okta.com", ScopeID: "okta.users.read"}
			return func(ctx context.Context) (int, error) {
				var out benchkit.StdOktaGrant
				err := do(ctx, hc, http.MethodPost, baseURL+"/api/v1/apps/0oa1/grants", bearer, in, &out)
				return oneIf(out.ScopeID == "okta.users.read"), err
			}
		},
	},
	{
		vendor: "ory",
		grantkit: func(baseURL string, hc *http.Client) (benchkit.Call, error) {
			c, err := ory.New("https://hydra.example.com", option.WithBaseURL(baseURL), option.WithToken(benchkit.Token), option.WithHTTPClient(hc))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (int, error) {
				a, err := c.Clients.Update(ctx, "app", ory.OAuth2ClientUpdate{Scope: grantkit.Set(benchkit.Scopes...)})
				if err != nil {
					return 0, err
				}
				return len(a.Scope), nil
			}, nil
		},
		raw: func(baseURL string, hc *http.Client) benchkit.Call {
			in := []benchkit.StdJSONPatch{{Op: "replace", Path: "/scope", Value: strings.Join(benchkit.Scopes, " ")}}
			return func(ctx context.Context) (int, error) {
				var out benchkit.StdOryClient
				err := do(ctx, hc, http.MethodPatch, baseURL+"/admin/clients/app", bearer, in, &out)
				return len(strings.Fields(out.Scope)), err
			}
		},
	},
}

func oneIf(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// The credential header of each vendor's floor: a bearer token, or CPN's csp-auth-token.
var (
	bearer       = [2]string{"Authorization", "Bearer " + benchkit.Token}
	cspAuthToken = [2]string{"Csp-Auth-Token", benchkit.Token}
)

// do is the floor: what a hand-written client does for one call, with encoding/json and
// net/http and nothing else (no retry, no token cache, no validation).
func do(ctx context.Context, hc *http.Client, method, url string, token [2]string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(token[0], token[1])
	req.Header.Set("User-Agent", "hand-written/1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// BenchmarkUpdate measures each vendor's seed update (20 scopes in, a grant with 20 scopes
// back) through grantkit and through the hand-written floor, with the same server, transport
// and payloads. Compare with `benchstat -col /client`.
func BenchmarkUpdate(b *testing.B) {
	for _, tc := range updateCases {
		for _, n := range benchkit.Networks {
			b.Run("vendor="+tc.vendor+"/net="+n.Name, func(b *testing.B) {
				baseURL, hc := n.Client(b)
				gk, err := tc.grantkit(baseURL, hc)
				if err != nil {
					b.Fatal(err)
				}
				// The floor first: `benchstat -col /client` takes the first as its baseline.
				b.Run("client=raw", func(b *testing.B) { benchkit.Loop(b, tc.raw(baseURL, hc)) })
				b.Run("client=grantkit", func(b *testing.B) { benchkit.Loop(b, gk) })
			})
		}
	}
}

// BenchmarkUpdateWithDeadline is BenchmarkUpdate with a caller's context that ends in 10 s,
// for both clients: sooner than the 30 s attempt timeout, so grantkit bounds each attempt by
// the caller's deadline alone and makes no context of its own. The difference from
// BenchmarkUpdate's grantkit rows is what the per-attempt deadline costs (BENCHMARKS.md).
func BenchmarkUpdateWithDeadline(b *testing.B) {
	for _, tc := range updateCases {
		for _, n := range benchkit.Networks {
			b.Run("vendor="+tc.vendor+"/net="+n.Name, func(b *testing.B) {
				baseURL, hc := n.Client(b)
				gk, err := tc.grantkit(baseURL, hc)
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				b.Run("client=raw", func(b *testing.B) { benchkit.LoopContext(ctx, b, tc.raw(baseURL, hc)) })
				b.Run("client=grantkit", func(b *testing.B) { benchkit.LoopContext(ctx, b, gk) })
			})
		}
	}
}

// TestUpdateCasesSendTheSameRequest checks what the benchmark compares: for each vendor,
// grantkit and the floor send the same method, path, token and JSON body, and both decode
// the whole answer.
func TestUpdateCasesSendTheSameRequest(t *testing.T) {
	for _, tc := range updateCases {
		t.Run(tc.vendor, func(t *testing.T) {
			want := tc.want
			if want == 0 {
				want = len(benchkit.Scopes)
			}
			raw := func(baseURL string, hc *http.Client) (benchkit.Call, error) { return tc.raw(baseURL, hc), nil }
			benchkit.CheckSameRequests(t, want, benchkit.Client{Name: "grantkit", New: tc.grantkit}, benchkit.Client{Name: "floor", New: raw})
		})
	}
}

// concurrentCallers is the number of goroutines sharing one client in the concurrency
// benchmark and test.
const concurrentCallers = 64

// BenchmarkConcurrentGet runs 64 goroutines doing Get through one Auth0 client that
// authenticates with client credentials (the floor: the same 64 goroutines with the
// hand-written client). It reports throughput (calls/s) and, for grantkit, the token requests
// the server has seen since the client was made (token-fetches: every run of the benchmark
// shares the client, so this counts them all).
func BenchmarkConcurrentGet(b *testing.B) {
	srv, n := countingServer(b, nil)
	hc := benchkit.NewHTTPClient()
	defer hc.CloseIdleConnections()
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), auth0.WithClientCredentials("id", "secret"), option.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("client=raw", func(b *testing.B) {
		benchConcurrent(b, func(ctx context.Context) error {
			var out benchkit.StdAuth0Grant
			return do(ctx, hc, http.MethodGet, srv.URL+"/api/v2/client-grants/cgr_1", bearer, nil, &out)
		})
	})
	b.Run("client=grantkit", func(b *testing.B) {
		benchConcurrent(b, func(ctx context.Context) error {
			_, err := c.ClientGrants.Get(ctx, "cgr_1")
			return err
		})
		b.ReportMetric(float64(n.token.Load()), "token-fetches")
	})
}

// benchConcurrent makes b.N calls from concurrentCallers goroutines and reports calls/s.
func benchConcurrent(b *testing.B, get func(context.Context) error) {
	ctx := context.Background()
	b.ReportAllocs()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for range concurrentCallers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if err := get(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

// TestConcurrentCallersShareOneTokenFetch: 64 goroutines make their first calls through one new
// client at the same time, and the token endpoint answers only once all 64 are running, so
// that they all need the token while its one fetch is in flight. Exactly one token request may
// reach the server, and every API request must carry the token it issued.
func TestConcurrentCallersShareOneTokenFetch(t *testing.T) {
	allStarted := make(chan struct{})
	srv, n := countingServer(t, allStarted)
	hc := benchkit.NewHTTPClient()
	defer hc.CloseIdleConnections()
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), auth0.WithClientCredentials("id", "secret"), option.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	const callsEach = 5
	var started atomic.Int64
	errs := make(chan error, concurrentCallers)
	for range concurrentCallers {
		go func() {
			if started.Add(1) == concurrentCallers {
				close(allStarted)
			}
			for range callsEach {
				g, err := c.ClientGrants.Get(context.Background(), "cgr_1")
				if err == nil && len(g.Scope) != len(benchkit.Scopes) {
					err = fmt.Errorf("decoded %d scopes, want %d", len(g.Scope), len(benchkit.Scopes))
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range concurrentCallers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := n.token.Load(); got != 1 {
		t.Errorf("%d concurrent callers made %d token requests, want exactly 1", concurrentCallers, got)
	}
	if got, want := n.api.Load(), int64(concurrentCallers*callsEach); got != want {
		t.Errorf("%d API requests, want %d", got, want)
	}
	if got := n.badAuth.Load(); got != 0 {
		t.Errorf("%d API requests without the issued token", got)
	}
}

// counts are the requests a countingServer saw.
type counts struct {
	token   atomic.Int64 // token requests
	api     atomic.Int64 // every other request
	badAuth atomic.Int64 // API requests without "Authorization: Bearer " + benchkit.Token
}

// countingServer is benchkit.Handler on loopback, counting requests. With a non-nil gate, a token
// request is answered only after gate closes (or 10 s pass), and 50 ms later still, so that
// callers started just before it closed are waiting for the token too.
func countingServer(t testing.TB, gate <-chan struct{}) (*httptest.Server, *counts) {
	var n counts
	h := benchkit.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == benchkit.TokenPath {
			n.token.Add(1)
			if gate != nil {
				select {
				case <-gate:
				case <-time.After(10 * time.Second):
				}
				time.Sleep(50 * time.Millisecond)
			}
		} else {
			n.api.Add(1)
			if r.Header.Get("Authorization") != "Bearer "+benchkit.Token {
				n.badAuth.Add(1)
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}
