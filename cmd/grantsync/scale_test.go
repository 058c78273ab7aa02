package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// TestScale applies n grants at each vendor's fake under a rate limit, then plans them again:
// the plan reads each vendor with one listing (the library's Grants.List, plus the catalog
// of the resource the file names; memory is BenchmarkPlan's), and the
// apply, paced a little under the fake's rate limit (-rate-limit), draws no 429. n is 150 at 100
// requests/s; GRANTSYNC_SCALE=10000 GRANTSYNC_SCALE_RPS=500 runs the benchmark in BENCHMARKS.md.
func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("applies hundreds of grants")
	}
	n, rps := 150, 100.0
	if s := os.Getenv("GRANTSYNC_SCALE"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(t, err)
	}
	if s := os.Getenv("GRANTSYNC_SCALE_RPS"); s != "" {
		var err error
		rps, err = strconv.ParseFloat(s, 64)
		require.NoError(t, err)
	}
	type fakeAPI interface {
		http.Handler
		SetRateLimit(rps float64, burst int)
		RateLimited() int
		Requests() []cpnfake.Request
	}
	for _, v := range vendorNames() {
		t.Run(v, func(t *testing.T) {
			ctx := context.Background()
			fakes := map[string]fakeAPI{}
			pacing := (options{rateLimit: fmt.Sprint(rps * 0.95)}).pacing
			d, err := openDemo(ctx, "", func(name string, h http.Handler) {
				fakes[name] = h.(fakeAPI)
				addTestClients(h, n)
				if p, ok := h.(*pingonefake.Fake); ok {
					for i := range n {
						p.AddApplicationWithID(fmt.Sprintf("app%05d", i), "app")
					}
				}
			}, pacing)
			require.NoError(t, err)
			defer d.Close()
			f := fakes[v]

			var b strings.Builder
			fmt.Fprintf(&b, "%s:\n  grants:\n", v)
			for i := range n {
				switch v {
				case "auth0":
					fmt.Fprintf(&b, "    - {resource: %q, client: c%05d, scopes: [read:invoices]}\n", demoAPI, i)
				case "cpn":
					fmt.Fprintf(&b, "    - {resource: %s, client: app%05d, scopes: [openid]}\n", cpnfake.OrgID, i)
				case "onelogin":
					fmt.Fprintf(&b, "    - {resource: \"1001\", client: \"%d\", scopes: [read:invoices]}\n", 100000+i)
				case "pingone":
					fmt.Fprintf(&b, "    - {resource: invoices-api, client: app%05d, scopes: [read:invoices]}\n", i)
				case "ory":
					fmt.Fprintf(&b, "    - {resource: %q, client: worker%05d, scopes: [invoices.read]}\n", oryDemoAdmin, i)
				case "okta":
					fmt.Fprintf(&b, "    - {resource: %q, client: 0oa%05d, scopes: [invoices.read]}\n", oktaDemoIssuer, i)
				}
			}
			if v == "cpn" {
				// The apps exist (grantsync gives them scopes, it does not make them).
				c, err := cpn.New(cpnfake.OrgID, option.WithBaseURL(d.servers[1].URL), option.WithToken(f.(*cpnfake.Fake).IssueToken()))
				require.NoError(t, err)
				for i := range n {
					_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: fmt.Sprintf("app%05d", i)})
					require.NoError(t, err)
				}
			}
			if v == "ory" {
				// The clients exist, with no scope (grantsync gives them scopes, it does not make them).
				c, err := ory.New(oryDemoAdmin, option.WithBaseURL(d.servers[4].URL), ory.WithAPIToken(oryfake.APIKey))
				require.NoError(t, err)
				for i := range n {
					_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: fmt.Sprintf("worker%05d", i), GrantTypes: []string{"client_credentials"}, Scope: []string{}})
					require.NoError(t, err)
				}
			}
			file := writeFile(t, "scale.yaml", b.String())
			few := writeFile(t, "few.yaml", strings.Join(strings.SplitAfter(b.String(), "\n")[:12], ""))
			f.SetRateLimit(rps, int(rps)) // a budget per second (OneLogin counts it in windows)
			c := &cli{getenv: func(string) string { return "" }, world: d}
			run := func(args ...string) (int, time.Duration, int, string) {
				before := len(f.Requests())
				var out, errOut strings.Builder
				start := time.Now()
				code := c.run(append([]string{"-demo", "-max-changes", "0"}, args...), &out, &errOut)
				return code, time.Since(start), len(f.Requests()) - before, errOut.String()
			}
			plan := filepath.Join(t.TempDir(), "plan.json")
			code, _, _, errOut := run("-f", file, "-out", plan)
			require.Equal(t, exitOK, code, errOut)
			code, took, sent, errOut := run("-apply", plan, "-concurrency", "16")
			require.Equal(t, exitOK, code, errOut)
			assert.Zero(t, f.RateLimited(), "the apply keeps to the rate limit")
			floor := time.Duration(float64(sent) / rps * float64(time.Second))
			t.Logf("%s: apply %d grants: %v, %d requests, %.0f/s limit: floor %v, %.2fx, %d 429s", v, n, took.Round(time.Millisecond), sent, rps, floor.Round(time.Millisecond), took.Seconds()/floor.Seconds(), f.RateLimited())

			// One listing: what the library's own Grants.List sends, and the catalog.
			before := len(f.Requests())
			for _, err := range d.accounts[v].grants.List(ctx, grantkit.GrantListOptions{}) {
				require.NoError(t, err)
			}
			listing := len(f.Requests()) - before
			for _, plan := range []struct{ name, file string }{{"the whole file", file}, {"10 of the grants", few}} {
				stop := heapPeak()
				code, took, sent, errOut = run("-f", plan.file, "-detect-drift")
				grew := stop()
				require.Equal(t, exitOK, code, errOut)
				assert.LessOrEqual(t, sent, listing+3, "one listing of the grants, and the catalog of the one resource")
				t.Logf("%s: plan %s against %d grants: %v, %d requests (Grants.List alone: %d), peak heap growth %.1f MiB", v, plan.name, n, took.Round(time.Millisecond), sent, listing, float64(grew)/(1<<20))
			}
		})
	}
}

// heapPeak samples the live heap until stop is called and returns how far it grew.
func heapPeak() func() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		if peak.Load() < base {
			return 0
		}
		return peak.Load() - base
	}
}

// generated is a vendor whose listing yields n grants made on the fly (nothing stored), so
// that what a plan keeps is grantsync's alone.
type generated struct{ n int }

func (generated) Vendor() string { return "auth0" }

func (generated) CheckGrant(grantkit.GrantKey, []string) error { return nil }

func (g generated) List(context.Context, grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	return func(yield func(*grantkit.Grant, error) bool) {
		for i := range g.n {
			gr := &grantkit.Grant{Vendor: "auth0", ID: fmt.Sprintf("cgr_%08d", i),
				Key: grantkit.GrantKey{Resource: demoAPI, ClientID: fmt.Sprintf("c%07d", i)}, Scopes: []string{"read:invoices"}}
			if !yield(gr, nil) {
				return
			}
		}
	}
}

func (generated) Get(context.Context, grantkit.GrantKey) (*grantkit.Grant, error) {
	return nil, grantkit.ErrGrantNotFound
}

func (generated) SetScopes(context.Context, grantkit.GrantKey, []string) (*grantkit.Grant, error) {
	return nil, errors.New("read only")
}

func (generated) Create(context.Context, grantkit.GrantKey, []string) (*grantkit.Grant, error) {
	return nil, errors.New("read only")
}
func (generated) Delete(context.Context, grantkit.GrantKey) error { return errors.New("read only") }

// BenchmarkPlan measures grantsync's own part of a plan (one listing, the plan): time,
// allocations, and the heap it keeps, for a vendor holding `vendor` grants and a file naming
// `file` of them (with a change for each). The heap kept follows the file, not the vendor.
func BenchmarkPlan(b *testing.B) {
	for _, size := range []struct{ vendor, file int }{{10_000, 10_000}, {10_000, 10}, {100_000, 10}} {
		b.Run(fmt.Sprintf("vendor=%d/file=%d", size.vendor, size.file), func(b *testing.B) {
			vs := &VendorState{}
			for i := range size.file {
				vs.Grants = append(vs.Grants, GrantSpec{Resource: demoAPI, Client: fmt.Sprintf("c%07d", i*(size.vendor/size.file)), Scopes: []string{"write:invoices"}})
			}
			acct := &account{vendor: vendorNamed("auth0"), grants: generated{size.vendor}}
			var kept uint64
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				cur, err := read(context.Background(), acct, vs)
				require.NoError(b, err)
				changes, _, err := planVendor("f.yaml", acct.vendor, vs, cur, false)
				require.NoError(b, err)
				require.Len(b, changes, size.file)
				runtime.GC()
				runtime.ReadMemStats(&after)
				kept = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(changes)
			}
			b.ReportMetric(float64(kept)/(1<<20), "MiB-kept")
		})
	}
}
