package bench_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/internal/testkit/benchkit/bulk"
	"github.com/grantkit/grantkit/option"
)

// bulkClients are the ways a job is paced, each a grantkit Auth0 client over hc.
var bulkClients = []struct {
	name string
	opts []option.Option
}{
	// The budget set to the vendor's rate and burst, and the vendor's headers read.
	{"grantkit-paced", []option.Option{option.WithRateLimit(bulk.Rate, bulk.Burst)}},
	// The vendor's headers only: no budget of the caller's.
	{"grantkit-adaptive", nil},
	// No pacing: a 429 is retried (waiting for the vendor's reset), nothing else.
	{"grantkit-unpaced", []option.Option{option.WithoutAdaptivePacing()}},
}

// BenchmarkBulkApply applies bulk.Changes scope changes with grantkit.ApplyScopes
// (concurrency bulk.Concurrency) to an Auth0 fake that enforces 200 requests a second
// with bursts of 20, and reports each job's time (s/job, and x-min: its ratio to the 10 s the
// writes need at that rate), the 429s it drew, the requests that failed and the API
// requests served. One job takes 10 s or more: run it with -bench BulkApply -benchtime 1x.
func BenchmarkBulkApply(b *testing.B) {
	for _, bc := range bulkClients {
		b.Run("client="+bc.name, func(b *testing.B) {
			srv := bulk.NewFake(b, bulk.Changes)
			hc := bulk.HTTPClient(b)
			opts := append([]option.Option{option.WithBaseURL(srv.URL), option.WithHTTPClient(hc),
				auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
				// Enough attempts that an unpaced job still ends with every grant written.
				option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 50})}, bc.opts...)
			c, err := auth0.New("tenant.example.com", opts...)
			if err != nil {
				b.Fatal(err)
			}
			round := 0
			var last bulk.JobResult
			for b.Loop() {
				last = applyJob(b, srv, c.Grants(), round)
				round++
			}
			last.Check(b)
			last.Report(b)
			b.Log(last)
		})
	}
}

// headerless are the fakes of BenchmarkBulkApplyHeaderless: the Auth0 fake's bucket with its
// rate-limit headers withheld, its 429 carrying Retry-After only (as PingOne answers) or
// nothing (as CPN is assumed to), with the client's own budget unset or set to twice the
// vendor's real limit.
var headerless = []struct {
	name       string
	retryAfter bool
	rate       float64
	burst      int
	opts       []option.Option
}{
	{"answer=bare/budget=none", false, bulk.Rate, bulk.Burst, nil},
	{"answer=retry-after/budget=none", true, bulk.Rate, bulk.Burst, nil},
	{"answer=bare/budget=2x", false, bulk.Rate / 2, bulk.Burst / 2, []option.Option{option.WithRateLimit(bulk.Rate, bulk.Burst)}},
	{"answer=retry-after/budget=2x", true, bulk.Rate / 2, bulk.Burst / 2, []option.Option{option.WithRateLimit(bulk.Rate, bulk.Burst)}},
}

// BenchmarkBulkApplyHeaderless applies bulk.Changes scope changes with grantkit.ApplyScopes,
// 32 at a time, to an Auth0 fake that enforces its bucket (200 requests a second with bursts
// of 20, or 100 with bursts of 10 where the client's budget is set to 200) but sends no
// rate-limit headers, with the client's default retry policy. x-min is the job's time over the
// minimum (bulk.Changes over the fake's rate) and 429-share the 429s' share of the requests
// sent. One job takes 10 s or more: run it with -bench BulkApplyHeaderless -benchtime 1x.
func BenchmarkBulkApplyHeaderless(b *testing.B) {
	for _, hc := range headerless {
		b.Run(hc.name, func(b *testing.B) {
			srv := bulk.NewFake(b, bulk.Changes)
			srv.WithholdRateLimitHeaders(hc.retryAfter)
			opts := append([]option.Option{option.WithBaseURL(srv.URL), option.WithHTTPClient(bulk.HTTPClient(b)),
				auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret)}, hc.opts...)
			c, err := auth0.New("tenant.example.com", opts...)
			if err != nil {
				b.Fatal(err)
			}
			round := 0
			var last bulk.JobResult
			for b.Loop() {
				last = runJob(b, srv, c.Grants(), round, hc.rate, hc.burst, 32)
				round++
			}
			// Failed changes are a figure here (failed/job), not a failure of the benchmark.
			last.ReportAt(b, hc.rate)
			b.Log(last)
		})
	}
}

// applyJob runs one job: every seeded grant to BulkScopesFor(round), against a fake whose
// rate limit starts full.
func applyJob(b *testing.B, srv *auth0fake.Server, g grantkit.Grants, round int) bulk.JobResult {
	return runJob(b, srv, g, round, bulk.Rate, bulk.Burst, bulk.Concurrency)
}

// runJob runs one job at concurrency against a fake limited to rate with bursts of burst,
// its limit full at the start.
func runJob(b *testing.B, srv *auth0fake.Server, g grantkit.Grants, round int, rate float64, burst, concurrency int) bulk.JobResult {
	reqs := make([]grantkit.ScopeChangeRequest, bulk.Changes)
	for i := range reqs {
		reqs[i] = grantkit.ScopeChangeRequest{
			Key:     grantkit.GrantKey{Resource: bulk.Audience, ClientID: bulk.ClientID(i)},
			Replace: true, Scopes: bulk.ScopesFor(round),
		}
	}
	b.StopTimer()
	srv.SetRateLimit(rate, burst)
	served := bulk.Served(srv)
	b.StartTimer()
	start := time.Now()
	res, _ := grantkit.ApplyScopes(context.Background(), g, reqs, concurrency)
	r := bulk.JobResult{Elapsed: time.Since(start), Refused: srv.RateLimited(), Requests: bulk.Served(srv) - served}
	for _, x := range res {
		if x.Written {
			r.Written++
		}
		if x.Err != nil {
			r.Failed++
		}
	}
	b.StopTimer()
	srv.SetRateLimit(0, 0)
	b.StartTimer()
	return r
}

// BenchmarkPlan plans a change of grants through grantkit.PlanScopes against a server
// holding that many Auth0 client grants, its pages encoded in advance (bulk.PagesServer) so
// that what the heap holds is the client's: requests/op counts the API requests (pages of 100;
// no read per grant) and peak-heap-MB the peak growth of the heap during the plan, sampled
// every millisecond. With changes=10 the plan keeps ten grants, so its peak is what the listing
// itself holds, whatever the number of grants; with changes=grants it keeps every grant.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		srv := bulk.NewPagesServer(b, n)
		hc := bulk.HTTPClient(b)
		c, err := auth0.New("tenant.example.com", option.WithBaseURL(srv.URL), option.WithHTTPClient(hc), option.WithToken(benchkit.Token))
		if err != nil {
			b.Fatal(err)
		}
		for _, changes := range []int{10, n} {
			b.Run("grants="+strconv.Itoa(n)+"/changes="+strconv.Itoa(changes), func(b *testing.B) {
				reqs := make([]grantkit.ScopeChangeRequest, changes)
				for i := range reqs {
					reqs[i] = grantkit.ScopeChangeRequest{
						Key: grantkit.GrantKey{Resource: bulk.Audience, ClientID: bulk.ClientID(i * (n / changes))},
						Add: []string{"read:a"},
					}
				}
				var requests int
				var peak uint64
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					before := srv.Requests()
					h := bulk.StartHeapSampler()
					b.StartTimer()
					res, err := grantkit.PlanScopes(context.Background(), c.Grants(), reqs)
					b.StopTimer()
					peak = max(peak, h.Stop())
					requests = srv.Requests() - before
					if err != nil || len(res) != changes || res[changes-1].Change.IsEmpty() {
						b.Fatalf("plan: %v", err)
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(requests), "requests/op")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				if want := (n + 99) / 100; requests != want {
					b.Errorf("%d requests for %d grants, want %d pages", requests, n, want)
				}
			})
		}
	}
}
