package auth0_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
)

// Error.Operation is the exported method the caller called, also when that method runs
// another one: List runs ListPage, CreateScope runs Get.
func TestOperationIsTheMethodCalled(t *testing.T) {
	ctx := context.Background()
	c := (&exact{}).client(t) // every request is answered 404
	first := func(seq func(yield func(*auth0.ClientGrant, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	calls := map[string]func() error{
		"ClientGrants.List":     func() error { return first(c.ClientGrants.List(ctx, auth0.ClientGrantListOptions{})) },
		"ClientGrants.ListPage": func() error { _, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{}); return err },
		"ClientGrants.ListOrganizations": func() error {
			for _, err := range c.ClientGrants.ListOrganizations(ctx, "cgr_1", auth0.OrganizationListOptions{}) {
				return err
			}
			return nil
		},
		"ClientGrants.ListOrganizationsPage": func() error {
			_, err := c.ClientGrants.ListOrganizationsPage(ctx, "cgr_1", auth0.OrganizationListOptions{})
			return err
		},
		"ResourceServers.List": func() error {
			for _, err := range c.ResourceServers.List(ctx, auth0.ResourceServerListOptions{}) {
				return err
			}
			return nil
		},
		"ResourceServers.ListPage": func() error {
			_, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{})
			return err
		},
		"ResourceServers.ListScopes": func() error {
			for _, err := range c.ResourceServers.ListScopes(ctx, "rs_1") {
				return err
			}
			return nil
		},
		"ResourceServers.GetScope": func() error {
			_, err := c.ResourceServers.GetScope(ctx, "rs_1", "read:a")
			return err
		},
		"ResourceServers.CreateScope": func() error {
			_, err := c.ResourceServers.CreateScope(ctx, "rs_1", auth0.ResourceServerScope{Value: "read:a"})
			return err
		},
		"ResourceServers.UpdateScope": func() error {
			_, err := c.ResourceServers.UpdateScope(ctx, "rs_1", "read:a", auth0.ResourceServerScopeUpdate{Description: "d"})
			return err
		},
		"ResourceServers.DeleteScope": func() error {
			return c.ResourceServers.DeleteScope(ctx, "rs_1", "read:a")
		},
		"Grants.Get": func() error {
			_, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: aud, ClientID: "app1"})
			return err
		},
	}
	for op, call := range calls {
		var apiErr *grantkit.Error
		require.ErrorAs(t, call(), &apiErr, op)
		assert.Equal(t, 404, apiErr.StatusCode, op)
		assert.Equal(t, op, apiErr.Operation)
	}
}
