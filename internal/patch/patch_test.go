package patch

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

// optString mimics an ogen Opt* type.
type optString struct {
	Value string
	Set   bool
}

func (o *optString) SetTo(v string) { o.Value, o.Set = v, true }

func TestListSendsNilAsEmpty(t *testing.T) {
	assert.Equal(t, []string{}, List[string](nil))
	assert.Equal(t, []string{"a"}, List([]string{"a"}))

	v, ok := ListField(grantkit.Set[[]string]()).Get()
	require.True(t, ok)
	assert.Equal(t, []string{}, v)
	assert.True(t, ListField(grantkit.Null[[]string]()).IsNull())
	assert.True(t, ListField(grantkit.Field[[]string]{}).IsZero())
}

func TestNotNullRefusesNull(t *testing.T) {
	var dst optString
	err := NotNull("Name", grantkit.Null[string](), &dst)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.ErrorContains(t, err, "Name: cannot be null")
	assert.False(t, dst.Set)

	require.NoError(t, NotNull("Name", grantkit.Field[string]{}, &dst))
	assert.False(t, dst.Set, "left out stays unset")
	require.NoError(t, NotNull("Name", grantkit.Value(""), &dst))
	assert.Equal(t, optString{Value: "", Set: true}, dst, "an empty value is a value")
}
