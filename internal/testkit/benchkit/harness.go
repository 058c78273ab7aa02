package benchkit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

// A Call is one request made by a client under test. It returns how much of the answer it
// decoded (the grant's scopes, or 1 for an answer that is only a correct id), so that a test
// can check the answer was really decoded.
type Call func(ctx context.Context) (int, error)

// A Client is a client under test, made for a base URL and an *http.Client.
type Client struct {
	Name string
	New  func(baseURL string, hc *http.Client) (Call, error)
}

// Networks are what the whole-call benchmarks run over: the loopback server (the measurement
// the targets are about) and the same answers in memory (only the client's own work).
var Networks = []struct {
	Name   string
	Client func(tb testing.TB) (baseURL string, hc *http.Client)
}{
	{"loopback", func(tb testing.TB) (string, *http.Client) {
		srv := NewServer()
		tb.Cleanup(srv.Close)
		hc := NewHTTPClient()
		tb.Cleanup(hc.CloseIdleConnections)
		return srv.URL, hc
	}},
	{"memory", func(testing.TB) (string, *http.Client) { return "http://127.0.0.1:1", NewMemoryClient() }},
}

// Loop benchmarks c: one call first to warm up (a connection, the token, pools), then b.Loop.
func Loop(b *testing.B, c Call) { LoopContext(context.Background(), b, c) }

// LoopContext is Loop with every call made in ctx.
func LoopContext(ctx context.Context, b *testing.B, c Call) {
	if _, err := c(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// CheckSameRequests checks what a benchmark compares: one call with each client against a
// Recorder on loopback must decode want, and every client must send the same method, path,
// credential header, Content-Type and JSON body.
func CheckSameRequests(t *testing.T, want int, clients ...Client) {
	t.Helper()
	var rec Recorder
	srv := httptest.NewServer(&rec)
	defer srv.Close()
	hc := NewHTTPClient()
	defer hc.CloseIdleConnections()
	for _, c := range clients {
		call, err := c.New(srv.URL, hc)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		n, err := call(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if n != want {
			t.Errorf("%s decoded %d, want %d", c.Name, n, want)
		}
	}
	got := rec.Requests()
	if len(got) != len(clients) {
		t.Fatalf("%d requests, want %d", len(got), len(clients))
	}
	for i := range got[1:] {
		if !reflect.DeepEqual(got[0], got[i+1]) {
			t.Errorf("%s and %s send different requests:\n%+v\n%+v", clients[0].Name, clients[i+1].Name, got[0], got[i+1])
		}
	}
}
