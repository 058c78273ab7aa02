package officialsdk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/auth0/go-auth0/v2/management"
	"github.com/auth0/go-auth0/v2/management/client"
	"github.com/auth0/go-auth0/v2/management/option"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/bench"
)

// update is one client-grant update with the 20 bench.Scopes; it returns the number of scopes
// of the grant it got back.
type update func(ctx context.Context) (int, error)

func newGrantkit(baseURL string, hc *http.Client) (update, error) {
	c, err := auth0.New("tenant.example.com", auth0.WithBaseURL(baseURL), auth0.WithToken(bench.Token), auth0.WithHTTPClient(hc))
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (int, error) {
		g, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set(bench.Scopes...)})
		if err != nil {
			return 0, err
		}
		return len(g.Scope), nil
	}, nil
}

// newGoAuth0 is go-auth0 v2.2.0's client.New with a token and a base URL. By default the SDK
// wraps http.DefaultClient's transport in three of its own (User-Agent, Auth0-Client,
// custom-domain header): here they wrap hc's transport instead, so that both SDKs send through
// the same *http.Transport. With bare, hc is passed with option.WithHTTPClient, which replaces
// the SDK's client and so drops its three transports: the cheapest way to run it.
func newGoAuth0(baseURL string, hc *http.Client, bare bool) (update, error) {
	opts := []option.RequestOption{option.WithToken(bench.Token), option.WithBaseURL(baseURL + "/api/v2")}
	var m *client.Management
	var err error
	if bare {
		m, err = client.New("tenant.example.com", append(opts, option.WithHTTPClient(hc))...)
	} else {
		// client.New reads http.DefaultClient.Transport once, to wrap it; nothing else in this
		// test binary uses http.DefaultClient meanwhile.
		saved := http.DefaultClient.Transport
		http.DefaultClient.Transport = hc.Transport
		m, err = client.New("tenant.example.com", opts...)
		http.DefaultClient.Transport = saved
	}
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (int, error) {
		req := &management.UpdateClientGrantRequestContent{}
		req.SetScope(bench.Scopes)
		g, err := m.ClientGrants.Update(ctx, "cgr_1", req)
		if err != nil {
			return 0, err
		}
		return len(g.GetScope()), nil
	}, nil
}

var clients = []struct {
	name string
	new  func(baseURL string, hc *http.Client) (update, error)
}{
	// go-auth0 first: `benchstat -col /client` takes the first as its baseline.
	{"go-auth0", func(u string, hc *http.Client) (update, error) { return newGoAuth0(u, hc, false) }},
	{"go-auth0-bare", func(u string, hc *http.Client) (update, error) { return newGoAuth0(u, hc, true) }},
	{"grantkit", newGrantkit},
}

// BenchmarkAuth0Update: the same client-grant update (20 scopes in, a grant with 20 scopes
// back) through grantkit and through go-auth0 v2.2.0's ClientGrants.Update, over the same
// loopback server and HTTP transport (net=loopback), or the same answers in memory
// (net=memory: only each SDK's own work). Compare with `benchstat -col /client`.
func BenchmarkAuth0Update(b *testing.B) {
	for _, net := range []string{"loopback", "memory"} {
		b.Run("net="+net, func(b *testing.B) {
			baseURL, hc := "http://127.0.0.1:1", bench.NewMemoryClient()
			if net == "loopback" {
				srv := bench.NewServer()
				defer srv.Close()
				baseURL, hc = srv.URL, bench.NewHTTPClient()
				defer hc.CloseIdleConnections()
			}
			for _, c := range clients {
				b.Run("client="+c.name, func(b *testing.B) {
					call, err := c.new(baseURL, hc)
					if err != nil {
						b.Fatal(err)
					}
					ctx := context.Background()
					if _, err := call(ctx); err != nil { // warm up: a connection, pools
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						if _, err := call(ctx); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// TestSameRequest checks what the benchmark compares: every client sends the same method,
// path, token and JSON body, and decodes the 20 scopes of the answer.
func TestSameRequest(t *testing.T) {
	var rec bench.Recorder
	srv := httptest.NewServer(&rec)
	defer srv.Close()
	hc := bench.NewHTTPClient()
	defer hc.CloseIdleConnections()
	for _, c := range clients {
		call, err := c.new(srv.URL, hc)
		if err != nil {
			t.Fatal(err)
		}
		n, err := call(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n != len(bench.Scopes) {
			t.Errorf("%s decoded %d scopes, want %d", c.name, n, len(bench.Scopes))
		}
	}
	got := rec.Requests()
	if len(got) != len(clients) {
		t.Fatalf("%d requests, want %d", len(got), len(clients))
	}
	for i := range got[1:] {
		if !reflect.DeepEqual(got[0], got[i+1]) {
			t.Errorf("%s and %s send different requests:\n%+v\n%+v", clients[0].name, clients[i+1].name, got[0], got[i+1])
		}
	}
}
