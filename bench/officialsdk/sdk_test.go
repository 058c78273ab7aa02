package officialsdk

import (
	"context"
	"testing"

	"github.com/auth0/go-auth0/v2/management"
	"github.com/auth0/go-auth0/v2/management/client"
	"github.com/auth0/go-auth0/v2/management/option"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/bench"
)

// BenchmarkAuth0Update: the same client-grant update (20 scopes), the same loopback server and
// HTTP transport, through grantkit and through go-auth0 v2.2.0's ClientGrants.Update.
func BenchmarkAuth0Update(b *testing.B) {
	srv := bench.NewServer()
	defer srv.Close()
	hc := bench.NewHTTPClient()
	ctx := context.Background()

	b.Run("client=grantkit", func(b *testing.B) {
		c, err := auth0.New("tenant.example.com", auth0.WithBaseURL(srv.URL), auth0.WithToken(bench.Token), auth0.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set(bench.Scopes...)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("client=go-auth0", func(b *testing.B) {
		m, err := client.New("tenant.example.com", option.WithToken(bench.Token), option.WithBaseURL(srv.URL+"/api/v2"), option.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			req := &management.UpdateClientGrantRequestContent{}
			req.SetScope(bench.Scopes)
			if _, err := m.ClientGrants.Update(ctx, "cgr_1", req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
