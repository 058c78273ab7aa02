package okta_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/option"
)

// Okta counts each endpoint family in its own per-minute window: the apps family running out
// leaves the authorization servers' budget alone.
func TestFakeLimitsEachFamilyApart(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t, option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}), option.WithoutAdaptivePacing())
	app := o.srv.AddApp("a")
	o.srv.SetFamilyLimit(oktafake.FamilyApps, 2)
	for range 2 {
		_, err := o.c.ApplicationGrants.ListPage(ctx, app, okta.ApplicationGrantListOptions{})
		require.NoError(t, err)
	}
	_, err := o.c.ApplicationGrants.ListPage(ctx, app, okta.ApplicationGrantListOptions{})
	var ae *grantkit.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusTooManyRequests, ae.StatusCode)
	assert.Equal(t, "E0000047", ae.Code)
	assert.Positive(t, ae.RetryAfter, "X-Rate-Limit-Reset says when the window ends")
	assert.LessOrEqual(t, ae.RetryAfter, 61*time.Second)
	_, err = o.c.AuthorizationServers.Get(ctx, o.serverID)
	require.NoError(t, err, "another family, another budget")
	assert.Equal(t, 1, o.srv.RateLimited())
}

// Adaptive pacing reads Okta's X-Rate-Limit-* headers: with the window spent, the next request
// waits for X-Rate-Limit-Reset instead of drawing a 429.
func TestPacingFollowsOktasHeaders(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var waits []time.Duration
	limitedAtWait := -1
	var o *org
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		if limitedAtWait < 0 {
			limitedAtWait = o.srv.RateLimited()
		}
		mu.Unlock()
		return ctx.Err()
	}
	// Okta's windows are a minute long: the policy honours a wait that long.
	o = newOrg(t, construct.WithSleep(sleep), option.WithRetryPolicy(grantkit.RetryPolicy{MaxRetryAfter: 2 * time.Minute}))
	o.srv.SetFamilyLimit(oktafake.FamilyAPI, 2)
	for range 2 {
		_, err := o.c.AuthorizationServers.Get(ctx, o.serverID)
		require.NoError(t, err)
	}
	_, _ = o.c.AuthorizationServers.Get(ctx, o.serverID)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, waits, "the third request waited")
	assert.Greater(t, waits[0], time.Second, "until the window's reset")
	assert.Equal(t, 0, limitedAtWait, "the wait came before any 429")
}

// Okta refuses a request that arrives while the org's concurrency limit is in use.
func TestFakeConcurrencyLimit(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t, option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}), option.WithoutAdaptivePacing())
	o.srv.SetConcurrencyLimit(1)
	o.srv.FailNext(1, oktafake.Fault{Delay: 300 * time.Millisecond})
	done := make(chan error)
	go func() { _, err := o.c.AuthorizationServers.Get(ctx, o.serverID); done <- err }()
	time.Sleep(100 * time.Millisecond)
	_, err := o.c.AuthorizationServers.GetScope(ctx, o.serverID, "scp1")
	var ae *grantkit.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusTooManyRequests, ae.StatusCode)
	assert.Equal(t, "E0000047", ae.Code)
	require.NoError(t, <-done, "the request in flight is served")
	o.srv.SetConcurrencyLimit(0)
	_, err = o.c.AuthorizationServers.Get(ctx, o.serverID)
	require.NoError(t, err)
}

// Each Okta endpoint family is paced on its own budget (transport.Config.RateBucket): the apps
// family's spent window holds back the next app grant request, not a request to the
// authorization servers.
func TestPacingKeepsOneBudgetPerFamily(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var waits []time.Duration
	limitedAtWait := -1
	var o *org
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		if limitedAtWait < 0 {
			limitedAtWait = o.srv.RateLimited()
		}
		mu.Unlock()
		return ctx.Err()
	}
	taken := func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
	o = newOrg(t, construct.WithSleep(sleep), option.WithRetryPolicy(grantkit.RetryPolicy{MaxRetryAfter: 2 * time.Minute}))
	app := o.srv.AddApp("a")
	o.srv.SetFamilyLimit(oktafake.FamilyApps, 2)
	for range 2 {
		_, err := o.c.ApplicationGrants.ListPage(ctx, app, okta.ApplicationGrantListOptions{})
		require.NoError(t, err)
	}
	_, err := o.c.AuthorizationServers.Get(ctx, o.serverID)
	require.NoError(t, err)
	assert.Empty(t, taken(), "another family's budget is untouched")
	_, _ = o.c.ApplicationGrants.ListPage(ctx, app, okta.ApplicationGrantListOptions{})
	w := taken()
	require.NotEmpty(t, w, "the apps family's third request waited")
	assert.Greater(t, w[0], time.Second, "until the family's window resets")
	mu.Lock()
	defer mu.Unlock()
	assert.Zero(t, limitedAtWait, "the wait came before any 429")
}
