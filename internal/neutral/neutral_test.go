package neutral

import (
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
	assert.Contains(t, err.Error(), `key.SubjectType: "user": v keeps one grant per client and resource`)
}
