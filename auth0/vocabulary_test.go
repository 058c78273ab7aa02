package auth0_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
)

// An input error names the field by the JSON path of Auth0's request body (scope[1],
// scopes[1].value, client_id), the path parameter (id), a single scope's own fields (value,
// description), the list options as page_size, cursor and identifiers, and a vendor-neutral
// key's fields as key.client_id and key.resource: never a Go name.
func TestInputErrorsNameTheWireField(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t)
	cases := map[string]func() error{
		"id: ": func() error { _, err := c.ClientGrants.Get(ctx, "a/b"); return err },
		"scope[1]: ": func() error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "app", Audience: aud, Scope: []string{"read:a", "read a"}})
			return err
		},
		"client_id: ": func() error {
			_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{Audience: aud})
			return err
		},
		"default_for: ": func() error {
			_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{ClientID: "app", DefaultFor: auth0.DefaultForThirdPartyClients})
			return err
		},
		"authorization_details_types: ": func() error {
			_, err := c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{AuthorizationDetailsTypes: grantkit.Null[[]string]()})
			return err
		},
		"scopes[1].value: ": func() error {
			_, err := c.ResourceServers.Update(ctx, "rs_1", auth0.ResourceServerUpdate{Scopes: grantkit.Set(auth0.ResourceServerScope{Value: "a"}, auth0.ResourceServerScope{Value: "b c"})})
			return err
		},
		"value: ": func() error {
			_, err := c.ResourceServers.CreateScope(ctx, "rs_1", auth0.ResourceServerScope{Value: "b c"})
			return err
		},
		"description: ": func() error {
			_, err := c.ResourceServers.UpdateScope(ctx, "rs_1", "b", auth0.ResourceServerScopeUpdate{Description: string(make([]byte, 501))})
			return err
		},
		"token_dialect: ": func() error {
			_, err := c.ResourceServers.Update(ctx, "rs_1", auth0.ResourceServerUpdate{TokenDialect: grantkit.Null[auth0.TokenDialect]()})
			return err
		},
		"authorization_details[0]: ": func() error {
			_, err := c.ResourceServers.Create(ctx, auth0.ResourceServerCreate{Identifier: aud, AuthorizationDetails: []json.RawMessage{json.RawMessage("{")}})
			return err
		},
		"page_size: ": func() error {
			_, err := c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{PageSize: 101})
			return err
		},
		"cursor: ": func() error {
			_, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{Cursor: "x"})
			return err
		},
		"identifiers: ": func() error {
			_, err := c.ResourceServers.ListPage(ctx, auth0.ResourceServerListOptions{Identifiers: make([]string, 11)})
			return err
		},
		"key.client_id: ": func() error {
			_, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: aud})
			return err
		},
		"key.resource: ": func() error {
			_, err := c.Grants().Get(ctx, grantkit.GrantKey{ClientID: "app"})
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
