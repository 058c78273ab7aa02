package neutral

import (
	"fmt"

	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

func TestOne(t *testing.T) {
	key := grantkit.GrantKey{Resource: "r", ClientID: "c"}
	id := func(s string) string { return "id-" + s }

	got, err := One("v", "Grants.Get", key, []string{"a"}, id)
	require.NoError(t, err)
	assert.Equal(t, "a", got)

	_, err = One("v", "Grants.Get", key, nil, id)
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	assert.Equal(t, "v: Grants.Get: grant not found: c on r", err.Error())

	_, err = One("v", "Grants.SetScopes", key, []string{"a", "b"}, id)
	require.ErrorIs(t, err, grantkit.ErrAmbiguousGrant)
	assert.NotErrorIs(t, err, grantkit.ErrGrantNotFound)
	assert.Equal(t, "v: Grants.SetScopes: key matches more than one grant: c on r matches 2 grants: id-a, id-b", err.Error())
}

func TestNoSubject(t *testing.T) {
	require.NoError(t, NoSubject("v", "Grants.Get", grantkit.GrantKey{Resource: "r", ClientID: "c"}))
	err := NoSubject("v", "Grants.Get", grantkit.GrantKey{Resource: "r", ClientID: "c", SubjectType: grantkit.SubjectUser})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), `key.subject_type: "user": v keeps one grant per client and resource`)
}

func TestExists(t *testing.T) {
	err := Exists("v", "Grants.Create", grantkit.GrantKey{Resource: "r", ClientID: "c"}, "g1", "g2")
	require.ErrorIs(t, err, grantkit.ErrGrantExists)
	assert.Equal(t, "v: Grants.Create: grant already exists: c on r (grant g1, g2)", err.Error())
}

func TestScopeNamed(t *testing.T) {
	type sc struct{ id, name string }
	name := func(s sc) string { return s.name }
	id := func(s sc) string { return s.id }
	scopes := []sc{{"1", "a"}, {"2", "b"}, {"3", "b"}}

	got, err := ScopeNamed("v", "op", "r", "a", scopes, name, id)
	require.NoError(t, err)
	assert.Equal(t, sc{"1", "a"}, got)

	_, err = ScopeNamed("v", "op", "r", "z", scopes, name, id)
	require.ErrorIs(t, err, grantkit.ErrScopeNotFound)
	assert.Equal(t, `v: op: scope not found: "z" on r`, err.Error())

	_, err = ScopeNamed("v", "op", "r", "b", scopes, name, id)
	require.Error(t, err)
	assert.NotErrorIs(t, err, grantkit.ErrScopeNotFound)
	require.ErrorIs(t, err, grantkit.ErrDuplicateScope)
	assert.Contains(t, err.Error(), `r defines 2 scopes named "b" (2, 3)`)
}

func TestCheckScope(t *testing.T) {
	require.NoError(t, CheckScope("v", "op", "r", "a"))
	require.ErrorIs(t, CheckScope("v", "op", "", "a"), grantkit.ErrInvalidInput)
	require.ErrorIs(t, CheckScope("v", "op", "r", ""), grantkit.ErrInvalidInput)
}

func TestSortScopes(t *testing.T) {
	assert.Equal(t, []grantkit.ScopeDefinition{}, SortScopes(nil))
	assert.Equal(t, []grantkit.ScopeDefinition{{Name: "a"}, {Name: "b", Description: "B"}},
		SortScopes([]grantkit.ScopeDefinition{{Name: "b", Description: "B"}, {Name: "a"}}))
}

func TestIsNotFound(t *testing.T) {
	assert.True(t, IsNotFound(fmt.Errorf("wrapped: %w", &grantkit.Error{StatusCode: 404})))
	assert.False(t, IsNotFound(&grantkit.Error{StatusCode: 403}))
	assert.False(t, IsNotFound(grantkit.ErrGrantNotFound), "a sentinel is not the vendor's answer")
	assert.False(t, IsNotFound(nil))
}
