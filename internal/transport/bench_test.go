package transport

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

// cannedRT answers every request with the same small 200, without a network, so that the
// benchmarks below measure only what the transport adds. With chunked, the answer does not
// declare its length (ContentLength -1), as a chunked or compressed response does not.
type cannedRT struct {
	chunked bool
	rate    bool // the answer carries Auth0's rate-limit headers
}

const cannedBody = `{"id":"cgr_1","scope":["a"]}`

type cannedReader struct{ strings.Reader }

func (*cannedReader) Close() error { return nil }

func (rt cannedRT) RoundTrip(r *http.Request) (*http.Response, error) {
	body := &cannedReader{}
	body.Reset(cannedBody)
	n := int64(len(cannedBody))
	if rt.chunked {
		n = -1
	}
	h := http.Header{}
	if rt.rate {
		h = http.Header{"X-Ratelimit-Limit": {"50"}, "X-Ratelimit-Remaining": {"49"}, "X-Ratelimit-Reset": {"4102444800"}}
	}
	return &http.Response{StatusCode: 200, ContentLength: n, Header: h, Body: body, Request: r}, nil
}

var cannedRTs = []struct {
	name string
	rt   cannedRT
}{{"length=declared", cannedRT{}}, {"length=unknown", cannedRT{chunked: true}}}

// newRequest is what a hand-written client would send: the same token and User-Agent headers
// that the transport sets, so that only the transport's own work differs.
func newRequest() *http.Request {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://example.com/x", nil)
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("User-Agent", "hand-written/1.0")
	return req
}

// call makes one request with do and reads and closes the answer, as a decoder would.
func call(tb testing.TB, do func(*http.Request) (*http.Response, error), req *http.Request) {
	resp, err := do(req)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

// boundedDo is what a hand-written client that cannot hang does for each request: the same
// per-request deadline the transport puts on each attempt (RetryPolicy.AttemptTimeout). A
// real client would cancel only after reading the body; the canned answer needs no context,
// so cancelling on return costs the same and keeps the floor free of a body wrapper.
func boundedDo(hc *http.Client, d time.Duration) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		ctx, cancel := context.WithTimeout(req.Context(), d)
		defer cancel()
		return hc.Do(req.WithContext(ctx))
	}
}

// BenchmarkSuccessPath compares a request through the transport (token, User-Agent, retry
// bookkeeping, per-attempt deadline, body cap) with the same request through a plain
// http.Client over the same canned RoundTripper, with and without that deadline: the
// difference in allocs/op is what the retry layer adds on the success path
// (TestSuccessPathAddsNoAllocations checks it is nothing beyond the deadline itself).
func BenchmarkSuccessPath(b *testing.B) {
	for _, tc := range cannedRTs {
		b.Run(tc.name, func(b *testing.B) {
			hc := &http.Client{Transport: tc.rt}
			c := New(Config{Vendor: "bench", Tokens: auth.Static("tok"), Settings: Settings{HTTPClient: hc, Retry: grantkit.RetryPolicy{}}})
			for _, d := range []struct {
				name string
				do   func(*http.Request) (*http.Response, error)
			}{{"client=plain", hc.Do}, {"client=plain+deadline", boundedDo(hc, 30*time.Second)}, {"client=transport", c.Do}} {
				b.Run(d.name, func(b *testing.B) {
					b.ReportAllocs()
					req := newRequest()
					for b.Loop() {
						call(b, d.do, req)
					}
				})
			}
		})
	}
}

func TestSuccessPathAddsNoAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	for _, tc := range cannedRTs {
		t.Run(tc.name, func(t *testing.T) {
			hc := &http.Client{Transport: tc.rt}
			allocs := func(do func(*http.Request) (*http.Response, error), req *http.Request) float64 {
				return testing.AllocsPerRun(200, func() { call(t, do, req) })
			}
			check := func(name string, floor, through float64) {
				t.Helper()
				if through > floor {
					t.Errorf("%s: the transport adds %.0f allocations per successful call (floor %.0f, transport %.0f)", name, through-floor, floor, through)
				}
			}
			// Default policy: nothing beyond what bounding the request costs anyone.
			c := New(Config{Vendor: "bench", Tokens: auth.Static("tok"), Settings: Settings{HTTPClient: hc}})
			check("default policy", allocs(boundedDo(hc, 30*time.Second), newRequest()), allocs(c.Do, newRequest()))

			// No per-attempt limit: nothing at all over a plain client.
			unbounded := New(Config{Vendor: "bench", Tokens: auth.Static("tok"), Settings: Settings{HTTPClient: hc, Retry: grantkit.RetryPolicy{AttemptTimeout: -1}}})
			check("no attempt timeout", allocs(hc.Do, newRequest()), allocs(unbounded.Do, newRequest()))

			// A caller deadline sooner than the attempt timeout is the only limit: nothing added.
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			req := newRequest().WithContext(ctx)
			check("caller deadline", allocs(hc.Do, req), allocs(c.Do, req))

			// Adaptive pacing reading Auth0's rate-limit headers on every answer: nothing added.
			rated := &http.Client{Transport: cannedRT{chunked: tc.rt.chunked, rate: true}}
			paced := New(Config{Vendor: "bench", Tokens: auth.Static("tok"),
				Settings:    Settings{HTTPClient: rated, Retry: grantkit.RetryPolicy{AttemptTimeout: -1}},
				ResetAfter:  ResetAtUnix("X-RateLimit-Reset"),
				RateHeaders: RateHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Refills: true}})
			check("adaptive pacing", allocs(rated.Do, newRequest()), allocs(paced.Do, newRequest()))
		})
	}
}
