package cpn_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
)

// fullScopes is an allowedScopes object carrying every field of CSP's model (role resources,
// permissions, keptInToken, allPermissions, organization allRoles, zero values included) and
// an unknown property at every level.
const fullScopes = `{"generalScopes":["openid"],` +
	`"organizationScopes":{"allPermissions":false,"allRoles":false,"keptInToken":["ROLES"],` +
	`"permissions":[{"permissionId":"perm:read","resources":["/r/1"],"futurePermission":1}],` +
	`"roles":[{"name":"org_member","resource":"/orgs/x"},{"name":"org_owner","futureRole":true}],"futureOrganization":"x"},` +
	`"servicesScopes":[{"allPermissions":true,"allRoles":false,"keptInToken":["PERMISSIONS"],"permissions":[],` +
	`"roles":[{"name":"viewer","resource":"/svc/1"}],"serviceDefinitionId":"svc-1","futureService":[1]},` +
	`{"allRoles":true,"roles":[],"serviceDefinitionId":"svc-2"}],"futureScopes":{"a":1}}`

// fullApp is an app answer carrying every documented field plus an unknown one.
const fullApp = `{"accessTokenTTL":1800,"allowedScopes":` + fullScopes + `,"createdAt":1700000000000,"description":"d",` +
	`"displayName":"n","grantTypes":["client_credentials"],"id":"app","lastUpdatedAt":1700000000001,` +
	`"ownerOnlySecretRotation":false,"secretRotationExpirationInSeconds":0,"futureTop":1}`

// patches serves fullApp and records the body of every PATCH.
func patches(t *testing.T) (*cpn.Client, *[]string) {
	t.Helper()
	var bodies []string
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPatch {
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			return httpfake.JSON(r, 200, patched(t, b)), nil
		}
		return httpfake.JSON(r, 200, fullApp), nil
	})
	c, err := cpn.New("org", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	return c, &bodies
}

// patched answers a PATCH as CPN does: fullApp with the fields sent replaced.
func patched(t *testing.T, body []byte) string {
	var sent, app map[string]any
	require.NoError(t, json.Unmarshal(body, &sent))
	require.NoError(t, json.Unmarshal([]byte(fullApp), &app))
	for k, v := range sent {
		app[k] = v
	}
	b, err := json.Marshal(app)
	require.NoError(t, err)
	return string(b)
}

// withEdit returns fullScopes with edit applied to its decoded form.
func withEdit(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(fullScopes), &m))
	edit(m)
	b, err := json.Marshal(map[string]any{"allowedScopes": m})
	require.NoError(t, err)
	return string(b)
}

func TestReadModelsCSPsAllowedScopes(t *testing.T) {
	c, _ := patches(t)
	a, err := c.OAuthApps.Get(context.Background(), "app")
	require.NoError(t, err)
	org := a.AllowedScopes.Organization
	assert.Equal(t, []string{"ROLES"}, org.KeptInToken)
	require.Len(t, org.Permissions, 1)
	assert.Equal(t, "perm:read", org.Permissions[0].PermissionID)
	assert.Equal(t, []string{"/r/1"}, org.Permissions[0].Resources)
	assert.Equal(t, "/orgs/x", org.Roles[0].Resource)
	svc := a.AllowedScopes.Services[0]
	assert.True(t, svc.AllPermissions)
	assert.Equal(t, []string{"PERMISSIONS"}, svc.KeptInToken)
	assert.Equal(t, "/svc/1", svc.Roles[0].Resource)
}

// The vendor-neutral SetScopes (and AddScopes, RemoveScopes) replace allowedScopes as a whole:
// everything the scope names do not describe goes back exactly as it was read.
func TestNeutralWritesKeepEverythingElse(t *testing.T) {
	ctx := context.Background()
	c, bodies := patches(t)
	key := grantkit.GrantKey{Resource: "org", ClientID: "app"}
	g, err := c.Grants().Get(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, []string{"openid", "organization-role:org_member", "organization-role:org_owner", "service-role:svc-1:viewer", "service-role:svc-2:*"}, g.Scopes)

	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "profile")
	require.NoError(t, err)
	require.Len(t, *bodies, 1)
	assert.JSONEq(t, withEdit(t, func(m map[string]any) {
		m["generalScopes"] = []any{"openid", "profile"}
	}), (*bodies)[0])

	_, err = grantkit.RemoveScopes(ctx, c.Grants(), key, "organization-role:org_owner", "service-role:svc-1:viewer")
	require.NoError(t, err)
	require.Len(t, *bodies, 2)
	assert.JSONEq(t, withEdit(t, func(m map[string]any) {
		org := m["organizationScopes"].(map[string]any)
		org["roles"] = org["roles"].([]any)[:1] // org_member stays, with its resource
		svc := m["servicesScopes"].([]any)[0].(map[string]any)
		svc["roles"] = []any{} // the entry stays: it still holds permissions
	}), (*bodies)[1])

	_, err = c.Grants().SetScopes(ctx, key, []string{"openid", "organization-role:*", "service-role:svc-2:*", "service-role:svc-3:admin"})
	require.NoError(t, err)
	assert.JSONEq(t, withEdit(t, func(m map[string]any) {
		org := m["organizationScopes"].(map[string]any)
		org["allRoles"] = true
		org["roles"] = []any{}
		svc := m["servicesScopes"].([]any)[0].(map[string]any)
		svc["roles"] = []any{}
		m["servicesScopes"] = append(m["servicesScopes"].([]any), map[string]any{"allRoles": false, "roles": []any{map[string]any{"name": "admin"}}, "serviceDefinitionId": "svc-3"})
	}), (*bodies)[2])
}

// An update the caller builds from a read (change a field, send it back) keeps the rest too.
func TestUpdateBuiltFromAReadKeepsEverythingElse(t *testing.T) {
	ctx := context.Background()
	c, bodies := patches(t)
	a, err := c.OAuthApps.Get(ctx, "app")
	require.NoError(t, err)
	scopes := a.AllowedScopes
	scopes.Services[0].Roles = append(scopes.Services[0].Roles, cpn.Role{Name: "editor"})
	_, err = c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{AllowedScopes: grantkit.Value(scopes)})
	require.NoError(t, err)
	assert.JSONEq(t, withEdit(t, func(m map[string]any) {
		svc := m["servicesScopes"].([]any)[0].(map[string]any)
		svc["roles"] = append(svc["roles"].([]any), map[string]any{"name": "editor"})
	}), (*bodies)[0])
}

// A ':' inside a service definition id (or a role) no longer splits the name in the wrong
// place: every name reads back as exactly the scope it was written from.
func TestScopeNamesAreUnambiguous(t *testing.T) {
	a := cpn.AllowedScopes{
		GeneralScopes: []string{"openid", "organization-role:looks-like-a-role", "service-role:x:y", "general-scope:z"},
		Organization:  cpn.OrganizationScopes{AllRoles: true, Roles: cpn.Roles("csp:org_owner", "*", "100%")},
		Services: []cpn.ServiceScope{
			{ServiceDefinitionID: "urn:vmw:svc", Roles: cpn.Roles("vmc-user:full", "a:b:c")},
			{ServiceDefinitionID: "50%:off", AllRoles: true},
		},
	}
	names := a.Names()
	assert.Equal(t, []string{
		"openid", "general-scope:organization-role:looks-like-a-role", "general-scope:service-role:x:y", "general-scope:general-scope:z",
		"organization-role:*", "organization-role:csp:org_owner", "organization-role:%2A", "organization-role:100%25",
		"service-role:urn%3Avmw%3Asvc:vmc-user:full", "service-role:urn%3Avmw%3Asvc:a:b:c", "service-role:50%25%3Aoff:*",
	}, names)
	back, err := cpn.ParseScopes(names)
	require.NoError(t, err)
	assert.ElementsMatch(t, a.GeneralScopes, back.GeneralScopes)
	assert.True(t, back.Organization.AllRoles)
	assert.ElementsMatch(t, roleNames(a.Organization.Roles), roleNames(back.Organization.Roles))
	require.Len(t, back.Services, 2)
	assert.Equal(t, "50%:off", back.Services[0].ServiceDefinitionID)
	assert.True(t, back.Services[0].AllRoles)
	assert.Equal(t, "urn:vmw:svc", back.Services[1].ServiceDefinitionID)
	assert.ElementsMatch(t, []string{"vmc-user:full", "a:b:c"}, roleNames(back.Services[1].Roles))

	// Names without those characters read as they always did.
	old, err := cpn.ParseScopes([]string{"service-role:svc:viewer", "organization-role:org_member"})
	require.NoError(t, err)
	assert.Equal(t, "svc", old.Services[0].ServiceDefinitionID)
	assert.Equal(t, cpn.Roles("viewer"), old.Services[0].Roles)
}

func TestNeutralWriteOfAServiceIDWithAColon(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app", AllowedScopes: cpn.AllowedScopes{GeneralScopes: []string{"openid"}}})
	require.NoError(t, err)
	key := grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: "app"}
	_, err = c.Grants().SetScopes(ctx, key, []string{"service-role:urn%3Avmw%3Asvc:vmc-user:full"})
	require.NoError(t, err)
	assert.Contains(t, string(last(t, srv).Body), `{"allRoles":false,"roles":[{"name":"vmc-user:full"}],"serviceDefinitionId":"urn:vmw:svc"}`)
	g, err := c.Grants().Get(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, []string{"service-role:urn%3Avmw%3Asvc:vmc-user:full"}, g.Scopes)
}

// Context values CPN may add are sent, not refused: CPN decides (the fake knows only the
// documented ones and answers 400).
func TestContextIsOpenOnSend(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app"})
	require.NoError(t, err)
	_, err = c.OAuthApps.Update(ctx, "app", cpn.OAuthAppUpdate{Context: "PARTNER_ADMIN", DisplayName: grantkit.Value("x")})
	require.NotErrorIs(t, err, grantkit.ErrInvalidInput)
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Equal(t, "context=PARTNER_ADMIN", last(t, srv).RawQuery)
	_, err = c.OAuthApps.ListPage(ctx, cpn.OAuthAppListOptions{Context: "OPERATOR"})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "context=OPERATOR", last(t, srv).RawQuery)
}

// The vendor-neutral List follows CPN's paging to the last app.
func TestGrantsListFollowsPaging(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	for i := range 45 {
		_, err := c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{ID: "app-" + strconv.Itoa(i), AllowedScopes: cpn.AllowedScopes{GeneralScopes: []string{"openid"}}})
		require.NoError(t, err)
	}
	before := len(srv.Requests())
	n := 0
	for _, err := range c.Grants().List(ctx, grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 45, n)
	assert.Len(t, srv.Requests()[before:], 3, "three pages of CPN's default size")
}

// roleNames returns the names of roles, in order.
func roleNames(roles []cpn.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = r.Name
	}
	return out
}
