package auth0_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
)

func TestScopeCatalog(t *testing.T) {
	grantstest.RunCatalog(t, func(t *testing.T) grantstest.CatalogEnv {
		c, srv, _ := setup(t)
		var n atomic.Int32
		return grantstest.CatalogEnv{
			Catalog: c.ScopeCatalog(),
			Grants:  c.Grants(),
			Vendor:  "auth0",
			NewResource: func(*testing.T) string {
				id := "https://api-" + strconv.Itoa(int(n.Add(1))) + ".example.com/"
				srv.AddResourceServer(id)
				return id
			},
			NewKey: func(_ *testing.T, resource string) grantkit.GrantKey {
				key := grantkit.GrantKey{Resource: resource, ClientID: "client-" + strconv.Itoa(int(n.Add(1)))}
				srv.AddClient(key.ClientID)
				return key
			},
			// Auth0 keeps a removed scope in the grants that hold it (see ResourceServersService.RemoveScope).
			RemovedScopeStaysGranted: true,
		}
	})
}

// A catalog write changes one scope and sends nothing else: the other scopes and their
// descriptions, in their order, go back as read.
func TestCatalogWritesKeepTheOtherScopes(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	srv.AddResourceServer("https://billing/", "b:read", "a:write", "c:admin")
	k := c.ScopeCatalog()
	_, err := k.DescribeScope(ctx, "https://billing/", "a:write", "Write")
	require.NoError(t, err)
	assert.JSONEq(t, `{"scopes":[{"value":"b:read"},{"value":"a:write","description":"Write"},{"value":"c:admin"}]}`,
		string(lastRequest(t, srv).Body))
	_, err = k.DefineScope(ctx, "https://billing/", grantkit.ScopeDefinition{Name: "d:export", Description: "Export"})
	require.NoError(t, err)
	require.NoError(t, k.RemoveScope(ctx, "https://billing/", "b:read"))
	assert.JSONEq(t, `{"scopes":[{"value":"a:write","description":"Write"},{"value":"c:admin"},{"value":"d:export","description":"Export"}]}`,
		string(lastRequest(t, srv).Body))

	rs, err := c.ResourceServers.Get(ctx, "https://billing/")
	require.NoError(t, err)
	assert.Equal(t, []auth0.ResourceServerScope{{Value: "a:write", Description: "Write"}, {Value: "c:admin"}, {Value: "d:export", Description: "Export"}}, rs.Scopes)
}

// A resource is named by its identifier: the id of another API is refused, not followed.
func TestCatalogNamesAPIsByIdentifier(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	id := srv.AddResourceServer("https://billing/", "read")
	_, err := c.ScopeCatalog().ListScopes(ctx, id)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not an identifier")
	n := len(srv.Requests())
	_, err = c.ScopeCatalog().DefineScope(ctx, id, grantkit.ScopeDefinition{Name: "write"})
	require.Error(t, err)
	for _, r := range srv.Requests()[n:] {
		assert.Equal(t, "GET", r.Method, "nothing was written")
	}
}
