package officialsdk

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/auth0/go-auth0/v2/management"
	"github.com/auth0/go-auth0/v2/management/client"
	"github.com/auth0/go-auth0/v2/management/option"

	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/internal/testkit/benchkit/bulk"
)

// BenchmarkBulkApply is bench's BenchmarkBulkApply with go-auth0 v2.2.0: the same fake (200
// requests a second, bursts of 20), grants and job, written the way go-auth0 allows: one
// listing (ClientGrants.List, pages of 100), then ClientGrants.Update for every grant whose
// scopes differ, bulk.Concurrency at a time. go-auth0 has no pacing; it retries a 429,
// waiting for X-RateLimit-Reset, 2 attempts by default and 50 with attempts=50. Updates that
// fail are counted (failed/job), not fatal: the job is measured as go-auth0 does it. One job
// takes 10 s or more: run it with -bench BulkApply -benchtime 1x.
func BenchmarkBulkApply(b *testing.B) {
	for _, attempts := range []uint{0, 50} {
		name := "client=go-auth0"
		if attempts > 0 {
			name += "/attempts=50"
		}
		b.Run(name, func(b *testing.B) {
			srv := bulk.NewFake(b, bulk.Changes)
			opts := []option.RequestOption{option.WithToken(srv.IssueToken().Reveal()), option.WithBaseURL(srv.URL + "/api/v2"),
				option.WithHTTPClient(bulk.HTTPClient(b))}
			if attempts > 0 {
				opts = append(opts, option.WithMaxAttempts(attempts))
			}
			m, err := client.New("tenant.example.com", opts...)
			if err != nil {
				b.Fatal(err)
			}
			round := 0
			var last bulk.JobResult
			for b.Loop() {
				last = goAuth0Job(b, srv, m, round)
				round++
			}
			last.Report(b)
			b.Log(last)
		})
	}
}

func goAuth0Job(b *testing.B, srv *auth0fake.Server, m *client.Management, round int) bulk.JobResult {
	b.StopTimer()
	srv.SetRateLimit(bulk.Rate, bulk.Burst)
	served := bulk.Served(srv)
	b.StartTimer()
	ctx := context.Background()
	start := time.Now()
	want := bulk.ScopesFor(round)
	type change struct{ id string }
	var todo []change
	r := bulk.JobResult{}
	page, err := m.ClientGrants.List(ctx, &management.ListClientGrantsRequestParameters{Take: management.Int(100)})
	if err == nil {
		it := page.Iterator()
		for it.Next(ctx) {
			g := it.Current()
			if g.GetAudience() == bulk.Audience && !slices.Equal(g.GetScope(), want) {
				todo = append(todo, change{g.GetID()})
			}
		}
		err = it.Err()
	}
	if err != nil {
		b.Fatalf("listing: %v", err)
	}
	var mu sync.Mutex
	next := make(chan change)
	var wg sync.WaitGroup
	for range bulk.Concurrency {
		wg.Go(func() {
			for c := range next {
				req := &management.UpdateClientGrantRequestContent{}
				req.SetScope(want)
				_, err := m.ClientGrants.Update(ctx, c.id, req)
				mu.Lock()
				if err != nil {
					if r.Failed < 3 {
						b.Logf("update %s: %v", c.id, err)
					}
					r.Failed++
				} else {
					r.Written++
				}
				mu.Unlock()
			}
		})
	}
	for _, c := range todo {
		next <- c
	}
	close(next)
	wg.Wait()
	r.Elapsed = time.Since(start)
	r.Refused, r.Requests = srv.RateLimited(), bulk.Served(srv)-served
	b.StopTimer()
	srv.SetRateLimit(0, 0)
	b.StartTimer()
	return r
}
