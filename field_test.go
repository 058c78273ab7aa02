package grantkit_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

type patchBody struct {
	Scope  grantkit.Field[[]string] `json:"scope,omitzero"`
	Usage  grantkit.Field[string]   `json:"organization_usage,omitzero"`
	AllowX grantkit.Field[bool]     `json:"allow_x,omitzero"`
}

// The four states of a list field, and scalars, as encoding/json writes them.
func TestFieldJSON(t *testing.T) {
	cases := []struct {
		name string
		body patchBody
		json string
	}{
		{"left out", patchBody{}, `{}`},
		{"null", patchBody{Scope: grantkit.Null[[]string]()}, `{"scope":null}`},
		{"empty list", patchBody{Scope: grantkit.Set[[]string]()}, `{"scope":[]}`},
		{"values", patchBody{Scope: grantkit.Set("read:users", "update:users")}, `{"scope":["read:users","update:users"]}`},
		{"nil spread is []", patchBody{Scope: grantkit.Set([]string(nil)...)}, `{"scope":[]}`},
		{"scalar value", patchBody{Usage: grantkit.Value("allow"), AllowX: grantkit.Value(false)}, `{"organization_usage":"allow","allow_x":false}`},
		{"scalar null", patchBody{Usage: grantkit.Null[string](), AllowX: grantkit.Null[bool]()}, `{"organization_usage":null,"allow_x":null}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.body)
			require.NoError(t, err)
			assert.Equal(t, tc.json, string(b))

			var back patchBody
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.body.Scope.IsZero(), back.Scope.IsZero())
			assert.Equal(t, tc.body.Scope.IsNull(), back.Scope.IsNull())
			v1, ok1 := tc.body.Scope.Get()
			v2, ok2 := back.Scope.Get()
			assert.Equal(t, ok1, ok2)
			if ok1 {
				assert.Equal(t, v1, v2)
			}
		})
	}
}

func TestFieldStates(t *testing.T) {
	var omitted grantkit.Field[[]string]
	assert.True(t, omitted.IsZero())
	assert.False(t, omitted.IsNull())
	_, ok := omitted.Get()
	assert.False(t, ok)

	null := grantkit.Null[[]string]()
	assert.False(t, null.IsZero())
	assert.True(t, null.IsNull())
	_, ok = null.Get()
	assert.False(t, ok)

	empty := grantkit.Set[[]string]()
	v, ok := empty.Get()
	assert.True(t, ok)
	assert.NotNil(t, v, "an empty list is [], never nil")
	assert.Empty(t, v)

	src := []string{"a", "b"}
	set := grantkit.Set(src...)
	src[0] = "changed"
	v, _ = set.Get()
	assert.Equal(t, []string{"a", "b"}, v, "Set copies its input")

	nilValue := grantkit.Value([]string(nil))
	assert.False(t, nilValue.IsZero(), "Value(nil) is set, not left out")
	assert.False(t, nilValue.IsNull())
	b, err := json.Marshal(nilValue)
	require.NoError(t, err)
	assert.Equal(t, "[]", string(b), "a value is never sent as null; the vendor clients send [] too")

	_, err = json.Marshal(omitted)
	assert.Error(t, err, "a left-out field is never silently encoded as null")
}

type secretish string

func (secretish) String() string { return "[hidden]" }

func (s secretish) GoString() string { return s.String() }

func TestFieldPrinting(t *testing.T) {
	assert.Equal(t, "<omitted>", fmt.Sprint(grantkit.Field[string]{}))
	assert.Equal(t, "null", fmt.Sprint(grantkit.Null[int]()))
	assert.Equal(t, "[a b]", fmt.Sprint(grantkit.Set("a", "b")))
	assert.Equal(t, "grantkit.Field(7)", fmt.Sprintf("%#v", grantkit.Value(7)))
	f := grantkit.Value(secretish("p4ssw0rd"))
	for _, s := range []string{fmt.Sprint(f), fmt.Sprintf("%+v", f), fmt.Sprintf("%#v", f), fmt.Sprintf("%v", struct{ F grantkit.Field[secretish] }{f})} {
		assert.NotContains(t, s, "p4ssw0rd")
	}
}
