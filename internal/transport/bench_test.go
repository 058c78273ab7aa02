package transport

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

// cannedRT answers every request with the same small 200, without a network, so that the
// benchmarks below measure only what the transport adds.
type cannedRT struct{}

const cannedBody = `{"id":"cgr_1","scope":["a"]}`

type cannedReader struct{ strings.Reader }

func (*cannedReader) Close() error { return nil }

func (cannedRT) RoundTrip(r *http.Request) (*http.Response, error) {
	body := &cannedReader{}
	body.Reset(cannedBody)
	return &http.Response{StatusCode: 200, ContentLength: int64(len(cannedBody)), Header: http.Header{}, Body: body, Request: r}, nil
}

// newRequest is what a hand-written client would send: the same token and User-Agent headers
// that the transport sets, so that only the transport's own work differs.
func newRequest() *http.Request {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://example.com/x", nil)
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("User-Agent", "hand-written/1.0")
	return req
}

func benchDo(b *testing.B, do func(*http.Request) (*http.Response, error)) {
	b.ReportAllocs()
	req := newRequest()
	for b.Loop() {
		resp, err := do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkSuccessPath compares a request through the transport (token, User-Agent, retry
// bookkeeping, body cap) with the same request through a plain http.Client: the difference in
// allocs/op is what the retry layer adds on the success path, and must be zero.
func BenchmarkSuccessPath(b *testing.B) {
	hc := &http.Client{Transport: cannedRT{}}
	b.Run("plain", func(b *testing.B) { benchDo(b, hc.Do) })
	b.Run("transport", func(b *testing.B) {
		c := New(Config{Vendor: "bench", Tokens: auth.Static("tok"), HTTPClient: hc, Retry: grantkit.RetryPolicy{}})
		benchDo(b, c.Do)
	})
}

func TestSuccessPathAddsNoAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	hc := &http.Client{Transport: cannedRT{}}
	c := New(Config{Vendor: "bench", Tokens: auth.Static("tok"), HTTPClient: hc})
	req := newRequest()
	run := func(do func(*http.Request) (*http.Response, error)) float64 {
		return testing.AllocsPerRun(200, func() {
			resp, err := do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	plain, through := run(hc.Do), run(c.Do)
	if through > plain {
		t.Fatalf("the transport adds %.0f allocations per successful call (plain %.0f, transport %.0f)", through-plain, plain, through)
	}
}
