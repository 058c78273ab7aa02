package grantstest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// BulkEnv is what the bulk scenarios need beyond Env: how many API requests the vendor's fake
// has received so far, reads (GET) and writes (anything else), token requests excluded.
type BulkEnv struct {
	Env
	Sent func() (reads, writes int)
	// BeforeWrite runs fn once, just before the vendor's client sends its next write: give it
	// a Dropper's BeforeNextWrite.
	BeforeWrite func(fn func())
	// DeltaReads is how many read requests a delta change costs (the fresh read just before
	// its write), as the README's Reliability section states it for the vendor.
	DeltaReads int
	// SetReads is how many read requests a declared set costs (0 where one write replaces the
	// whole set; Okta grants and revokes one scope at a time, so it reads the grant just before
	// writing a declared set too).
	SetReads int
}

// RunBulk runs the bulk-job scenarios (grantkit.PlanScopes, grantkit.ApplyScopes) on the
// vendor's adapter; newEnv must return a BulkEnv over a fresh fake each time.
func RunBulk(t *testing.T, newEnv func(t *testing.T) BulkEnv) {
	ctx := context.Background()
	scenarios := []struct {
		name string
		run  func(t *testing.T, e BulkEnv)
	}{
		{"the adapter writes from its own reads (internal/grantwrite.Adapter)", func(t *testing.T, e BulkEnv) {
			_, ok := e.Grants.(grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions])
			assert.True(t, ok)
		}},
		{"every error of one ApplyScopes names ApplyScopes", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 2)
			res, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: keys[0], Add: []string{"undefined:scope"}},
				{Key: keys[1], Replace: true, Scopes: []string{"undefined:other"}},
			}, 1)
			if err == nil {
				t.Skip("the vendor accepts any scope name (CPN's are the platform's)")
			}
			for _, r := range res {
				require.Error(t, r.Err, "%s", r.Request.Key)
				var ge *grantkit.Error
				if errors.As(r.Err, &ge) {
					assert.Equal(t, "ApplyScopes", ge.Operation)
				}
				assert.Contains(t, r.Err.Error(), e.Vendor+": ApplyScopes: ")
				assert.NotContains(t, r.Err.Error(), "Grants.")
			}
		}},
		{"a plan reads once and writes nothing", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 5)
			reads0, writes0 := e.Sent()
			for _, err := range e.Grants.List(ctx, grantkit.GrantListOptions{}) {
				require.NoError(t, err)
			}
			reads1, _ := e.Sent()
			listing := reads1 - reads0

			res, err := grantkit.PlanScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: keys[0], Replace: true, Scopes: []string{"admin"}},
				{Key: keys[1], Add: []string{"write:a"}},
				{Key: keys[2], Remove: []string{"read:a"}},
				{Key: keys[3], Add: []string{"read:a"}},
			})
			require.NoError(t, err)
			reads2, writes2 := e.Sent()
			assert.Equal(t, listing, reads2-reads1, "one listing, as List reads")
			assert.Equal(t, writes0, writes2, "nothing written")
			require.Len(t, res, 4)
			assert.Equal(t, grantkit.ScopeChange{Add: []string{"admin"}, Remove: []string{"read:a"}}, res[0].Change)
			assert.Equal(t, grantkit.ScopeChange{Add: []string{"write:a"}}, res[1].Change)
			assert.Equal(t, grantkit.ScopeChange{Remove: []string{"read:a"}}, res[2].Change)
			assert.True(t, res[3].Change.IsEmpty(), "the grant has it already")
			for i, r := range res {
				assert.Equal(t, keys[i], r.Current.Key)
				assert.False(t, r.Written)
			}
		}},
		{"apply writes each change once and reads only deltas again", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 7)
			reads0, writes0 := e.Sent()
			_, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: keys[5], Add: []string{"admin"}},
				{Key: keys[6], Replace: true, Scopes: []string{"admin"}},
			}, 1)
			require.NoError(t, err)
			reads1, writes1 := e.Sent()
			first := 2
			if e.WritesPerScope {
				first = 3 // grant admin to both, revoke read:a of keys[6]
			}
			require.Equal(t, first, writes1-writes0)

			reqs := []grantkit.ScopeChangeRequest{
				{Key: keys[0], Replace: true, Scopes: []string{"read:b", "admin"}},
				{Key: keys[1], Add: []string{"write:a", "read:b"}},
				{Key: keys[2], Remove: []string{"read:a"}},
				{Key: keys[3], Replace: true},
				{Key: keys[4], Add: []string{"read:a"}}, // has it: not written
			}
			res, err := grantkit.ApplyScopes(ctx, e.Grants, reqs, 3)
			require.NoError(t, err)
			reads2, writes2 := e.Sent()
			changes := 4
			if e.WritesPerScope {
				changes = 0
				for _, r := range res {
					changes += len(r.Change.Add) + len(r.Change.Remove)
				}
			}
			assert.Equal(t, changes, writes2-writes1, "one write per change")
			// The first job is one delta and one declared set; this one has two deltas that
			// need writing (keys[1], keys[2]), each read again just before its write, and two
			// declared sets, written from the listing (after SetReads reads each).
			assert.Equal(t, (reads1-reads0)+e.DeltaReads+e.SetReads, reads2-reads1, "one listing, and a fresh read per delta written")
			want := [][]string{{"admin", "read:b"}, {"read:a", "read:b", "write:a"}, {}, {}, {"read:a"}}
			for i, r := range res {
				require.NoError(t, r.Err, i)
				assert.Equal(t, i < 4, r.Written, i)
				if r.Written {
					require.NotNil(t, r.Stored, i)
					assert.Equal(t, want[i], r.Stored.Scopes, i)
				}
				g, err := e.Grants.Get(ctx, keys[i])
				if len(want[i]) == 0 && e.GrantNeedsScopes {
					require.ErrorIs(t, err, grantkit.ErrGrantNotFound, "no scopes is no grant")
					continue
				}
				require.NoError(t, err)
				assert.Equal(t, want[i], g.Scopes, i)
			}
		}},
		{"requests fail one by one", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 2)
			missing := keys[0]
			if e.Missing != nil {
				missing = e.Missing(missing)
			} else {
				missing.ClientID += "-missing"
			}
			res, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: missing, Add: []string{"admin"}},
				{Key: keys[0], Replace: true, Scopes: []string{"admin"}, Add: []string{"read:b"}},
				{Key: keys[1], Add: []string{"admin"}},
				{Key: grantkit.GrantKey{}, Add: []string{"admin"}},
			}, 2)
			require.Error(t, err)
			assert.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			assert.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.ErrorIs(t, res[0].Err, grantkit.ErrGrantNotFound)
			assert.ErrorIs(t, res[1].Err, grantkit.ErrInvalidInput)
			require.NoError(t, res[2].Err)
			assert.True(t, res[2].Written)
			assert.ErrorIs(t, res[3].Err, grantkit.ErrInvalidInput)
			g, err := e.Grants.Get(ctx, keys[0])
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes, "the invalid request wrote nothing")
		}},
		{"two requests for one grant are refused", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 1)
			_, writes := e.Sent()
			res, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: keys[0], Add: []string{"admin"}},
				{Key: keys[0], Remove: []string{"read:a"}},
			}, 2)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.ErrorIs(t, res[0].Err, grantkit.ErrInvalidInput)
			assert.ErrorIs(t, res[1].Err, grantkit.ErrInvalidInput)
			_, after := e.Sent()
			assert.Equal(t, writes, after, "nothing written")
		}},
		{"a write stored otherwise is ErrNotApplied", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 1)
			e.Drop("write:a")
			res, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{{Key: keys[0], Add: []string{"write:a", "admin"}}}, 1)
			require.ErrorIs(t, err, grantkit.ErrNotApplied)
			assert.True(t, res[0].Written, "the vendor answered success")
			assert.ErrorContains(t, res[0].Err, `missing ["write:a"]`)
			assert.True(t, strings.HasPrefix(res[0].Err.Error(), e.Vendor+": ApplyScopes: "), "named by the job: %v", res[0].Err)
			res, err = grantkit.PlanScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{{Key: grantkit.GrantKey{}, Add: []string{"admin"}}})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.True(t, strings.HasPrefix(res[0].Err.Error(), e.Vendor+": PlanScopes: "), "named by the job: %v", res[0].Err)
		}},
		{"a delta keeps what a second writer did between plan and write", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 2)
			// The second writer acts after the plan's listing, when the job sends its first
			// write (keys[0]'s), before keys[1]'s change is written.
			e.BeforeWrite(func() {
				_, err := e.Grants.SetScopes(ctx, keys[1], []string{"read:a", "admin"})
				assert.NoError(t, err, "the second writer")
			})
			res, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: keys[0], Replace: true, Scopes: []string{"read:a", "read:b"}},
				{Key: keys[1], Add: []string{"write:a"}},
			}, 1)
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:a", "write:a"}, res[1].Stored.Scopes, "the second writer's scope survives")
			assert.Equal(t, []string{"admin", "read:a"}, res[1].Current.Scopes, "Current is the fresh read")
			g, err := e.Grants.Get(ctx, keys[1])
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:a", "write:a"}, g.Scopes)
		}},
		{"a declared exact set is written from the plan", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 2)
			e.BeforeWrite(func() {
				_, err := e.Grants.SetScopes(ctx, keys[1], []string{"read:a", "admin"})
				assert.NoError(t, err, "the second writer")
			})
			res, err := grantkit.ApplyScopes(ctx, e.Grants, []grantkit.ScopeChangeRequest{
				{Key: keys[0], Add: []string{"read:b"}},
				{Key: keys[1], Replace: true, Scopes: []string{"read:a", "write:a"}},
			}, 1)
			require.NoError(t, err)
			g, err := e.Grants.Get(ctx, keys[1])
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes, "exactly the declared set")
			assert.Equal(t, []string{"read:a", "write:a"}, res[1].Stored.Scopes)
		}},
		{"what a delta costs", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 5)
			reads0, writes0 := e.Sent()
			for _, err := range e.Grants.List(ctx, grantkit.GrantListOptions{}) {
				require.NoError(t, err)
			}
			reads1, _ := e.Sent()
			listing := reads1 - reads0
			var reqs []grantkit.ScopeChangeRequest
			for _, k := range keys[:4] {
				reqs = append(reqs, grantkit.ScopeChangeRequest{Key: k, Add: []string{"admin"}})
			}
			_, err := grantkit.ApplyScopes(ctx, e.Grants, reqs, 2)
			require.NoError(t, err)
			reads2, writes2 := e.Sent()
			perDelta := float64(reads2-reads1-listing) / 4
			t.Logf("%s: a listing of %d grants sends %d reads; ApplyScopes of 4 deltas: %d reads (%.2f per delta beyond the listing), %d writes",
				e.Vendor, len(keys), listing, reads2-reads1, perDelta, writes2-writes0)
			assert.Equal(t, 4, writes2-writes0, "one write per change")
			assert.InDelta(t, float64(e.DeltaReads), perDelta, 0.01, "reads per delta, as documented")

			reads3, _ := e.Sent()
			_, err = grantkit.AddScopes(ctx, e.Grants, keys[4], "write:a")
			require.NoError(t, err)
			reads4, writes4 := e.Sent()
			t.Logf("%s: AddScopes: %d reads, %d writes", e.Vendor, reads4-reads3, writes4-writes2)
			assert.Equal(t, 1, writes4-writes2)
			assert.Equal(t, e.DeltaReads, reads4-reads3, "AddScopes resolves the key once: the read a delta costs")
		}},
		{"invalid input is refused before anything is sent", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 1)
			reads0, writes0 := e.Sent()
			var reqs []grantkit.ScopeChangeRequest
			for _, bad := range badScopes(e.MaxScopeLen) {
				reqs = append(reqs, grantkit.ScopeChangeRequest{Key: keys[0], Add: []string{bad}})
			}
			for _, job := range []func() ([]grantkit.ScopeChangeResult, error){
				func() ([]grantkit.ScopeChangeResult, error) { return grantkit.PlanScopes(ctx, e.Grants, reqs) },
				func() ([]grantkit.ScopeChangeResult, error) { return grantkit.ApplyScopes(ctx, e.Grants, reqs, 2) },
			} {
				res, err := job()
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				for i, r := range res {
					assert.ErrorIs(t, r.Err, grantkit.ErrInvalidInput, i)
					assert.True(t, r.Change.IsEmpty(), "no change is reported for an invalid request")
				}
			}
			for _, bad := range badScopes(e.MaxScopeLen) {
				_, err := grantkit.AddScopes(ctx, e.Grants, keys[0], bad)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				_, err = e.Grants.SetScopes(ctx, keys[0], []string{bad})
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				_, err = e.Grants.Create(ctx, keys[0], []string{bad})
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			}
			reads1, writes1 := e.Sent()
			assert.Equal(t, reads0, reads1, "no read was sent")
			assert.Equal(t, writes0, writes1, "nothing was written")
		}},
		{"a cancelled job writes nothing", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 1)
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			_, writes0 := e.Sent()
			res, err := grantkit.ApplyScopes(cctx, e.Grants, []grantkit.ScopeChangeRequest{{Key: keys[0], Add: []string{"admin"}}}, 1)
			require.ErrorIs(t, err, context.Canceled)
			assert.Nil(t, res, "the listing failed: no plan")
			_, writes1 := e.Sent()
			assert.Equal(t, writes0, writes1)
		}},
		{"concurrency below one is invalid", func(t *testing.T, e BulkEnv) {
			_, err := grantkit.ApplyScopes(ctx, e.Grants, nil, 0)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.False(t, errors.Is(err, grantkit.ErrGrantNotFound))
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, newEnv(t)) })
	}
}

// seedMany seeds n grants, each with read:a only.
func seedMany(t *testing.T, e BulkEnv, n int) []grantkit.GrantKey {
	keys := make([]grantkit.GrantKey, n)
	for i := range keys {
		keys[i] = e.Seed(t, "read:a")
	}
	return keys
}

// Count sorts the requests a fake received into reads (GET) and writes, for BulkEnv.Sent.
func Count(reqs []fake.Request) (reads, writes int) {
	for _, r := range reqs {
		if r.Method == http.MethodGet {
			reads++
		} else {
			writes++
		}
	}
	return reads, writes
}
