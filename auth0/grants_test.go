package auth0_test

import (
	"context"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/option"
)

func TestGrantsAdapter(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grantstest.Env {
		d := grantstest.NewDropper(nil)
		c, srv, _ := setup(t, option.WithHTTPClient(d.Client()))
		var n atomic.Int32
		return grantstest.Env{
			Grants: c.Grants(),
			Vendor: "auth0",
			Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
				key := grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "client-" + strconv.Itoa(int(n.Add(1)))}
				srv.AddClient(key.ClientID)
				_, err := c.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{ClientID: key.ClientID, Audience: key.Resource, Scope: scopes})
				require.NoError(t, err)
				return key
			},
			NewKey: func(*testing.T) grantkit.GrantKey {
				key := grantkit.GrantKey{Resource: "https://api.example.com/", ClientID: "client-" + strconv.Itoa(int(n.Add(1)))}
				srv.AddClient(key.ClientID) // a new grant's client exists, as it must at Auth0
				return key
			},
			Subjects:         true,
			MaxScopeLen:      280,
			RefusesUndefined: true,
			Drop:             func(scope string) { d.Drop(scope) },
			Refuse:           d.Refuse,
		}
	})
}

// The neutral List passes a resource and a client to Auth0's own filters: one request.
func TestGrantsListUsesAuth0Filters(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	create(t, c, "c1", "read:a")
	create(t, c, "c2", "read:a")
	n := len(srv.Requests())
	var keys []grantkit.GrantKey
	for g, err := range c.Grants().List(ctx, grantkit.GrantListOptions{Resource: testAudience, ClientID: "c2"}) {
		require.NoError(t, err)
		keys = append(keys, g.Key)
	}
	assert.Equal(t, []grantkit.GrantKey{{Resource: testAudience, ClientID: "c2"}}, keys)
	sent := srv.Requests()[n:]
	require.Len(t, sent, 1)
	q, err := url.ParseQuery(sent[0].RawQuery)
	require.NoError(t, err)
	assert.Equal(t, "c2", q.Get("client_id"))
	assert.Equal(t, testAudience, q.Get("audience"))
}
