// Package bulk holds what the bulk-job benchmarks share (BenchmarkBulkApply and BenchmarkPlan
// in bench/bulk_test.go, BenchmarkBulkApply in bench/officialsdk): the Auth0 fake they run
// against, seeded and rate-limited, the pre-encoded pages server, the job figures and the heap
// sampler. It is a package of its own because it imports the auth0 packages, which import
// package benchkit in their own benchmarks.
package bulk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/option"
)

// The bulk benchmarks run against an Auth0 fake enforcing Auth0's kind of rate limit.
const (
	// Rate and Burst are the fake's limit: a bucket of 20 refilling at 200 per second.
	Rate  = 200
	Burst = 20
	// Changes is how many grants a job changes, each with one write: at Rate the
	// writes alone need at least Changes/Rate = 10 seconds.
	Changes = 2000
	// Concurrency is how many writes a job keeps under way.
	Concurrency = 16
	// Audience is the API every seeded grant is on.
	Audience = "https://bulk.example.com/"
)

// Scopes are the scopes the bulk API defines: a job sets each grant to one of two sets in
// turn, so that every request of every job is a change.
var Scopes = []string{"read:a", "write:a", "read:b", "write:b"}

// ScopesFor is the set the job numbered round gives every grant.
func ScopesFor(round int) []string {
	if round%2 == 0 {
		return []string{"read:a", "write:a"}
	}
	return []string{"read:b", "write:b"}
}

// ClientID is the client id of seeded grant i.
func ClientID(i int) string { return "bulk-client-" + strconv.Itoa(i) }

// NewFake starts an Auth0 fake holding n client grants on Audience, clients
// ClientID(0..n-1), each with scopes "read:x". It has no rate limit yet: set it with
// SetRateLimit once seeded.
func NewFake(tb testing.TB, n int) *auth0fake.Server {
	tb.Helper()
	srv := auth0fake.NewServer()
	tb.Cleanup(srv.Close)
	srv.AddResourceServer(Audience, append([]string{"read:x"}, Scopes...)...)
	for i := range n {
		srv.AddClient(ClientID(i))
	}
	c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), option.WithToken(srv.IssueToken()))
	if err != nil {
		tb.Fatal(err)
	}
	next := make(chan int)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range next {
				_, err := c.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{
					ClientID: ClientID(i), Audience: Audience, Scope: []string{"read:x"}})
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		tb.Fatal(err)
	default:
	}
	return srv
}

// JobResult is what one bulk job did, as the benchmarks report it.
type JobResult struct {
	Elapsed  time.Duration
	Written  int // grants written
	Failed   int // requests that failed
	Refused  int // 429s the fake answered during the job
	Requests int // API requests the fake served (429s excluded)
}

// Report adds r's figures to b's output: seconds per job, its ratio to the limit's minimum
// (Changes/Rate), 429s, failed requests and API requests.
func (r JobResult) Report(b *testing.B) { r.ReportAt(b, Rate) }

// ReportAt is Report for a fake limited to rate requests a second: x-min is the job's time
// over Changes/rate, and 429-share the 429s' share of every API request sent (served and
// refused).
func (r JobResult) ReportAt(b *testing.B, rate float64) {
	b.ReportMetric(r.Elapsed.Seconds(), "s/job")
	b.ReportMetric(r.Elapsed.Seconds()/(float64(Changes)/rate), "x-min")
	b.ReportMetric(float64(r.Refused), "429s/job")
	b.ReportMetric(float64(r.Failed), "failed/job")
	b.ReportMetric(float64(r.Requests), "requests/job")
	b.ReportMetric(float64(r.Refused)/float64(max(r.Refused+r.Requests, 1)), "429-share")
}

// Served counts the API requests srv has served.
func Served(srv *auth0fake.Server) int { return len(srv.Requests()) }

// HeapSampler records the peak of the heap's object bytes while it runs, by reading
// runtime/metrics every millisecond (no stop-the-world).
type HeapSampler struct {
	base uint64
	peak uint64
	stop chan struct{}
	done chan struct{}
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func heapNow() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// StartHeapSampler collects garbage, takes the heap's size as the baseline and starts
// sampling.
func StartHeapSampler() *HeapSampler {
	runtime.GC()
	h := &HeapSampler{base: heapNow(), stop: make(chan struct{}), done: make(chan struct{})}
	h.peak = h.base
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.peak = max(h.peak, heapNow())
			}
		}
	}()
	return h
}

// Stop ends sampling and returns the peak above the baseline, in bytes.
func (h *HeapSampler) Stop() uint64 {
	close(h.stop)
	<-h.done
	h.peak = max(h.peak, heapNow())
	return h.peak - h.base
}

// HTTPClient is the keep-alive client every bulk job sends through, with room for
// Concurrency connections to the one host.
func HTTPClient(tb testing.TB) *http.Client {
	t := benchkit.NewTransport()
	t.MaxIdleConnsPerHost = 64
	tb.Cleanup(t.CloseIdleConnections)
	return &http.Client{Transport: t}
}

// Check fails b when a job did not change every grant.
func (r JobResult) Check(b *testing.B) {
	if r.Written != Changes {
		b.Errorf("%d of %d grants written, %d requests failed", r.Written, Changes, r.Failed)
	}
}

func (r JobResult) String() string {
	return fmt.Sprintf("%v, %d written, %d failed, %d 429s, %d requests", r.Elapsed.Round(time.Millisecond), r.Written, r.Failed, r.Refused, r.Requests)
}

// PagesServer serves n Auth0 client grants (ids "cgr_000000"…, clients ClientID(i), on
// Audience, scope "read:x") as Auth0's checkpoint pages of 100, each encoded once in
// advance, and answers nothing else. It is the server of BenchmarkPlan: it allocates next to
// nothing per request, so the heap measured during a plan is the client's.
type PagesServer struct {
	*httptest.Server
	pages    map[string][]byte // by checkpoint ("" for the first page)
	requests atomic.Int64
}

// NewPagesServer starts a PagesServer for n grants.
func NewPagesServer(tb testing.TB, n int) *PagesServer {
	tb.Helper()
	s := &PagesServer{pages: map[string][]byte{}}
	id := func(i int) string { return fmt.Sprintf("cgr_%06d", i) }
	for start := 0; start < n; start += 100 {
		var page struct {
			ClientGrants []benchkit.StdAuth0Grant `json:"client_grants"`
			Next         string                   `json:"next,omitempty"`
		}
		for i := start; i < min(start+100, n); i++ {
			page.ClientGrants = append(page.ClientGrants, benchkit.StdAuth0Grant{
				ID: id(i), ClientID: ClientID(i), Audience: Audience, Scope: []string{"read:x"}, SubjectType: "client"})
		}
		if start+100 < n {
			page.Next = id(start + 100)
		}
		b, err := json.Marshal(page)
		if err != nil {
			tb.Fatal(err)
		}
		from := ""
		if start > 0 {
			from = id(start)
		}
		s.pages[from] = b
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		page, ok := s.pages[r.URL.Query().Get("from")]
		if r.URL.Path != "/api/v2/client-grants" || r.URL.Query().Get("take") != "100" || !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	tb.Cleanup(s.Close)
	return s
}

// Requests returns how many requests s has received.
func (s *PagesServer) Requests() int { return int(s.requests.Load()) }
