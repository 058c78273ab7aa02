package cpn_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
)

// What CSP's documents forbid in allowedScopes is refused before anything is sent: a scope
// name holding whitespace or a control character, AllRoles beside Roles and AllPermissions
// beside Permissions ("must be null/empty if all ... is true").
func TestAllowedScopesRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app-1", AllowedScopes: cpn.AllowedScopes{GeneralScopes: []string{"openid"}}})
	require.NoError(t, err)
	before := len(srv.Requests())

	bad := map[string]cpn.AllowedScopes{
		"general scope with a space":   {GeneralScopes: []string{"open id"}},
		"general scope with a newline": {GeneralScopes: []string{"openid\n"}},
		"organization role with a tab": {Organization: cpn.OrganizationScopes{Roles: cpn.Roles("org\towner")}},
		"service role with a space":    {Services: []cpn.ServiceScope{{ServiceDefinitionID: "svc", Roles: cpn.Roles("full access")}}},
		"organization AllRoles and Roles": {Organization: cpn.OrganizationScopes{
			AllRoles: true, Roles: cpn.Roles("csp:org_member")}},
		"organization AllPermissions and Permissions": {Organization: cpn.OrganizationScopes{
			AllPermissions: true, Permissions: []cpn.Permission{{PermissionID: "p"}}}},
		"service AllRoles and Roles": {Services: []cpn.ServiceScope{{ServiceDefinitionID: "svc", AllRoles: true, Roles: cpn.Roles("viewer")}}},
		"service AllPermissions and Permissions": {Services: []cpn.ServiceScope{{ServiceDefinitionID: "svc",
			AllPermissions: true, Permissions: []cpn.Permission{{PermissionID: "p"}}}}},
	}
	for name, scopes := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app-2", AllowedScopes: scopes})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), "cpn: OAuthApps.Create: ")
			_, err = c.OAuthApps.Update(ctx, "app-1", cpn.OAuthAppUpdate{AllowedScopes: grantkit.Value(scopes)})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.Contains(t, err.Error(), "cpn: OAuthApps.Update: ")
		})
	}

	// The vendor-neutral names reach the same checks.
	key := grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: "app-1"}
	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "organization-role:csp:org_member", "organization-role:*")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "cpn: AddScopes: ")
	assert.Contains(t, err.Error(), "allRoles is set together with 1 roles")
	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "read all")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Len(t, srv.Requests(), before, "nothing was sent: the checks run before the first read")
	for _, r := range srv.Requests()[before:] {
		assert.Equal(t, http.MethodGet, r.Method)
	}
}

// What the app holds already goes back as CPN stored it, even where a new write would be
// refused: a read-modify-write never fails on what it did not change.
func TestHeldAllowedScopesGoBackUnchecked(t *testing.T) {
	ctx := context.Background()
	const stored = `{"id":"app-1","allowedScopes":{"generalScopes":["legacy scope"],` +
		`"organizationScopes":{"allRoles":true,"roles":[{"name":"csp:org_member"}]}}}`
	var (
		mu     sync.Mutex
		writes []string
	)
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPatch {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			writes = append(writes, string(body))
			mu.Unlock()
			return httpfake.JSON(r, 200, `{"id":"app-1","allowedScopes":`+
				`{"generalScopes":["legacy scope","openid"],"organizationScopes":{"allRoles":true,"roles":[{"name":"csp:org_member"}]}}}`), nil
		}
		return httpfake.JSON(r, 200, stored), nil
	})
	c, err := cpn.New(cpnfake.OrgID, option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	key := grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: "app-1"}

	g, err := grantkit.AddScopes(ctx, c.Grants(), key, "openid")
	require.NoError(t, err)
	assert.Equal(t, []string{"legacy scope", "openid", "organization-role:*", "organization-role:csp:org_member"}, g.Scopes)
	require.Len(t, writes, 1)
	assert.JSONEq(t, `{"allowedScopes":{"generalScopes":["legacy scope","openid"],`+
		`"organizationScopes":{"allRoles":true,"roles":[{"name":"csp:org_member"}]},"servicesScopes":[]}}`, writes[0])

	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "new scope")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput, "what the app does not hold is checked")
	assert.Len(t, writes, 1)
}
