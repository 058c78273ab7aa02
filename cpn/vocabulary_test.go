package cpn_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
)

// An input error names the field by the JSON path of CPN's request body (allowedScopes...,
// secret, displayName), the path parameter (orgId, id), the list options as page_size and
// cursor, and a vendor-neutral key's fields as key.client_id and key.resource.
func TestInputErrorsNameTheWireField(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	cases := map[string]func() error{
		"id: ": func() error { return c.OAuthApps.Delete(ctx, "a/b") },
		"allowedScopes.generalScopes[1]: ": func() error {
			_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{AllowedScopes: cpn.AllowedScopes{GeneralScopes: []string{"openid", "open id"}}})
			return err
		},
		"allowedScopes.organizationScopes.roles[0].name: ": func() error {
			_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{AllowedScopes: cpn.AllowedScopes{Organization: cpn.OrganizationScopes{Roles: cpn.Roles("org owner")}}})
			return err
		},
		"allowedScopes.servicesScopes[0].roles[0].name: ": func() error {
			_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{AllowedScopes: cpn.AllowedScopes{Services: []cpn.ServiceScope{{ServiceDefinitionID: "svc", Roles: cpn.Roles("full access")}}}})
			return err
		},
		"secret: ": func() error {
			_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{Secret: grantkit.Value(grantkit.Secret("weak"))})
			return err
		},
		"displayName: ": func() error {
			_, err := c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{DisplayName: grantkit.Null[string]()})
			return err
		},
		"page_size: ": func() error { _, err := c.OAuthApps.ListPage(ctx, cpn.OAuthAppListOptions{PageSize: 201}); return err },
		"cursor: ":    func() error { _, err := c.OAuthApps.ListPage(ctx, cpn.OAuthAppListOptions{Cursor: "x"}); return err },
		"key.client_id: ": func() error {
			_, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: cpnfake.OrgID})
			return err
		},
		"key.resource: ": func() error {
			_, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: "other-org", ClientID: "app"})
			return err
		},
	}
	before := len(srv.Requests())
	for field, call := range cases {
		err := call()
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, field)
		assert.Contains(t, err.Error(), "invalid input: "+field, field)
	}
	assert.Len(t, srv.Requests(), before, "nothing was sent")
}
