package onelogin_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/onelogin"
)

func TestScopeCatalog(t *testing.T) {
	grantstest.RunCatalog(t, func(t *testing.T) grantstest.CatalogEnv {
		c, srv := setup(t)
		var next atomic.Int64
		next.Store(500)
		return grantstest.CatalogEnv{
			Catalog:             c.ScopeCatalog(),
			Grants:              c.Grants(),
			Vendor:              "onelogin",
			DescriptionRequired: true,
			NewResource: func(*testing.T) string {
				return strconv.FormatInt(srv.AddAuthorization("API", "https://api.example.com/"), 10)
			},
			NewKey: func(_ *testing.T, resource string) grantkit.GrantKey {
				app := next.Add(1)
				srv.AddApp(app)
				return grantkit.GrantKey{Resource: resource, ClientID: strconv.FormatInt(app, 10)}
			},
		}
	})
}

// OneLogin's scope update replaces value and description: describing a scope sends its value
// unchanged beside the new description.
func TestDescribeScopeSendsTheValue(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	authID := srv.AddAuthorization("API", "https://api.example.com/")
	s, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: "read:invoices", Description: "Read"})
	require.NoError(t, err)
	got, err := c.ScopeCatalog().DescribeScope(ctx, strconv.FormatInt(authID, 10), "read:invoices", "Read all invoices")
	require.NoError(t, err)
	assert.Equal(t, grantkit.ScopeDefinition{Name: "read:invoices", Description: "Read all invoices"}, *got)
	r := last(t, srv)
	assert.Equal(t, "PUT", r.Method)
	assert.Equal(t, "/api/2/api_authorizations/"+strconv.FormatInt(authID, 10)+"/scopes/"+strconv.FormatInt(s.ID, 10), r.Path)
	assert.JSONEq(t, `{"value":"read:invoices","description":"Read all invoices"}`, string(r.Body))

	_, err = c.ScopeCatalog().ListScopes(ctx, "not-a-number")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
}
