package grantstest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// BulkEnv is what the bulk scenarios need beyond Env: how many API requests the vendor's fake
// has received so far, reads (GET) and writes (anything else), token requests excluded.
type BulkEnv struct {
	Env
	Sent func() (reads, writes int)
}

// RunBulk runs the bulk-job scenarios (grantkit.PlanScopes, grantkit.ApplyScopes) on the
// vendor's adapter; newEnv must return a BulkEnv over a fresh fake each time.
func RunBulk(t *testing.T, newEnv func(t *testing.T) BulkEnv) {
	ctx := context.Background()
	scenarios := []struct {
		name string
		run  func(t *testing.T, e BulkEnv)
	}{
		{"the adapter is a BulkGrants", func(t *testing.T, e BulkEnv) {
			_, ok := e.Grants.(grantkit.BulkGrants)
			assert.True(t, ok)
		}},
		{"a plan reads once and writes nothing", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 5)
			reads0, writes0 := e.Sent()
			for _, err := range e.Grants.List(ctx) {
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
		{"apply writes each change once and reads no grant again", func(t *testing.T, e BulkEnv) {
			keys := seedMany(t, e, 6)
			one := func(k grantkit.GrantKey) []grantkit.ScopeChangeRequest {
				return []grantkit.ScopeChangeRequest{{Key: k, Add: []string{"admin"}}}
			}
			reads0, writes0 := e.Sent()
			_, err := grantkit.ApplyScopes(ctx, e.Grants, one(keys[5]), 1)
			require.NoError(t, err)
			reads1, writes1 := e.Sent()
			require.Equal(t, 1, writes1-writes0)

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
			assert.Equal(t, reads1-reads0, reads2-reads1, "as many reads for four changes as for one")
			want := [][]string{{"admin", "read:b"}, {"read:a", "read:b", "write:a"}, {}, {}, {"read:a"}}
			for i, r := range res {
				require.NoError(t, r.Err, i)
				assert.Equal(t, i < 4, r.Written, i)
				if r.Written {
					require.NotNil(t, r.Stored, i)
					assert.Equal(t, want[i], r.Stored.Scopes, i)
				}
				g, err := e.Grants.Get(ctx, keys[i])
				if e.NoEmptyGrant && len(want[i]) == 0 {
					require.ErrorIs(t, err, grantkit.ErrGrantNotFound, "no scope left is no grant")
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
