package onelogin_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
)

// scaleServer is an authorization server holding held client apps, with apps 1000 to 1000+n-1
// existing but not yet client apps, and scope read:invoices.
func scaleServer(t *testing.T, held, n int) (*onelogin.Client, *oneloginfake.Server, int64) {
	t.Helper()
	c, srv := setup(t)
	ctx := context.Background()
	authID := srv.AddAuthorization("API", "https://api.example.com/")
	sc, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read:invoices", Description: "Read invoices"})
	require.NoError(t, err)
	for i := range held {
		srv.AddApp(int64(500000 + i))
		_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: int64(500000 + i), ScopeIDs: []int64{sc.ID}})
		require.NoError(t, err)
	}
	for i := range n {
		srv.AddApp(int64(1000 + i))
	}
	return c, srv, authID
}

// count counts the requests sent since before by method and path.
func count(srv *oneloginfake.Server, before int, method, path string) int {
	n := 0
	for _, r := range srv.Requests()[before:] {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// A create reads the server's client-app list once to see that the grant is new, and no more
// when OneLogin's answer carries the scope ids it stored (checked with CheckStored): before,
// it listed every client app twice per grant (the check, then a read-back).
func TestCreateListsTheClientAppsOncePerGrant(t *testing.T) {
	c, srv, authID := scaleServer(t, 50, 10)
	clients := fmt.Sprintf("/api/2/api_authorizations/%d/clients", authID)
	before := len(srv.Requests())
	for i := range 10 {
		g, err := c.Grants().Create(context.Background(), grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: strconv.Itoa(1000 + i)}, []string{"read:invoices"})
		require.NoError(t, err)
		assert.Equal(t, []string{"read:invoices"}, g.Scopes)
	}
	assert.Equal(t, 10, count(srv, before, "GET", clients), "one listing per create")
	assert.Equal(t, 10, count(srv, before, "POST", clients))
}

// Concurrent grant writes on one server share listings of its client apps: the reads asked
// for while a listing is under way are served together by the next one, which starts after
// they were asked for (so each still sees the writes that finished before it).
func TestConcurrentCreatesShareListings(t *testing.T) {
	const n = 24
	c, srv, authID := scaleServer(t, 50, n)
	clients := fmt.Sprintf("/api/2/api_authorizations/%d/clients", authID)
	// The first listing is slow: every other create asks for its read meanwhile.
	srv.Fail(oneloginfake.Match{Method: "GET", Path: clients}, oneloginfake.Fault{Delay: 500 * time.Millisecond, Apply: true})
	// OneLogin documents its answer to an add with the app's and server's ids only: then
	// the grant is read back, through the shared listings too.
	var faults []oneloginfake.Fault
	for range n {
		faults = append(faults, oneloginfake.Fault{Status: 201, Apply: true, Answer: &oneloginfake.Answer{Body: fmt.Sprintf(`{"api_auth_id":%d}`, authID), ContentType: "application/json"}})
	}
	srv.Fail(oneloginfake.Match{Method: "POST", Path: clients}, faults...)
	before := len(srv.Requests())
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = c.Grants().Create(context.Background(), grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: strconv.Itoa(1000 + i)}, []string{"read:invoices"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	listings := count(srv, before, "GET", clients)
	t.Logf("%d creates (each a check and a read-back): %d listings", n, listings)
	assert.LessOrEqual(t, listings, n/2, "the creates share listings (2 per create unshared)")
	for g, err := range c.Grants().List(context.Background(), grantkit.GrantListOptions{Resource: strconv.FormatInt(authID, 10)}) {
		require.NoError(t, err)
		assert.Equal(t, []string{"read:invoices"}, g.Scopes)
	}
}

// A read-back shares a listing only with reads asked for before that listing started: the
// grant a create just made is always found, and an existing grant is still refused.
func TestSharedListingsStayFresh(t *testing.T) {
	c, _, authID := scaleServer(t, 5, 20)
	res := strconv.FormatInt(authID, 10)
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range 40 {
		wg.Go(func() {
			// Two creates of each grant: one makes it, the other is refused as existing.
			_, errs[i] = c.Grants().Create(context.Background(), grantkit.GrantKey{Resource: res, ClientID: strconv.Itoa(1000 + i/2)}, []string{"read:invoices"})
		})
	}
	wg.Wait()
	made, exists := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			made++
		case assert.ErrorIs(t, err, grantkit.ErrGrantExists):
			exists++
		}
	}
	assert.Equal(t, 20, made)
	assert.Equal(t, 20, exists)
}
