package officialsdk

import (
	"context"
	"net/http"
	"testing"

	"github.com/auth0/go-auth0/v2/management"
	"github.com/auth0/go-auth0/v2/management/client"
	"github.com/auth0/go-auth0/v2/management/option"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	gkoption "github.com/grantkit/grantkit/option"
)

func newGrantkit(baseURL string, hc *http.Client) (benchkit.Call, error) {
	c, err := auth0.New("tenant.example.com", gkoption.WithBaseURL(baseURL), gkoption.WithToken(benchkit.Token), gkoption.WithHTTPClient(hc))
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
}

// newGoAuth0 is go-auth0 v2.2.0's client.New with a token and a base URL. By default the SDK
// wraps http.DefaultClient's transport in three of its own (User-Agent, Auth0-Client,
// custom-domain header): here they wrap hc's transport instead, so that both SDKs send through
// the same *http.Transport. With bare, hc is passed with option.WithHTTPClient, which replaces
// the SDK's client and so drops its three transports: the cheapest way to run it.
func newGoAuth0(baseURL string, hc *http.Client, bare bool) (benchkit.Call, error) {
	opts := []option.RequestOption{option.WithToken(benchkit.Token), option.WithBaseURL(baseURL + "/api/v2")}
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
		req.SetScope(benchkit.Scopes)
		g, err := m.ClientGrants.Update(ctx, "cgr_1", req)
		if err != nil {
			return 0, err
		}
		return len(g.GetScope()), nil
	}, nil
}

var clients = []benchkit.Client{
	// go-auth0 first: `benchstat -col /client` takes the first as its baseline.
	{Name: "go-auth0", New: func(u string, hc *http.Client) (benchkit.Call, error) { return newGoAuth0(u, hc, false) }},
	{Name: "go-auth0-bare", New: func(u string, hc *http.Client) (benchkit.Call, error) { return newGoAuth0(u, hc, true) }},
	{Name: "grantkit", New: newGrantkit},
}

// BenchmarkAuth0Update: the same client-grant update (20 scopes in, a grant with 20 scopes
// back) through grantkit and through go-auth0 v2.2.0's ClientGrants.Update, over the same
// loopback server and HTTP transport (net=loopback), or the same answers in memory
// (net=memory: only each SDK's own work). Compare with `benchstat -col /client`.
func BenchmarkAuth0Update(b *testing.B) {
	for _, n := range benchkit.Networks {
		b.Run("net="+n.Name, func(b *testing.B) {
			baseURL, hc := n.Client(b)
			for _, c := range clients {
				b.Run("client="+c.Name, func(b *testing.B) {
					call, err := c.New(baseURL, hc)
					if err != nil {
						b.Fatal(err)
					}
					benchkit.Loop(b, call)
				})
			}
		})
	}
}

// TestSameRequest checks what the benchmark compares: every client sends the same method,
// path, token and JSON body, and decodes the 20 scopes of the answer.
func TestSameRequest(t *testing.T) {
	benchkit.CheckSameRequests(t, len(benchkit.Scopes), clients...)
}
