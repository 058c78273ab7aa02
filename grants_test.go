package grantkit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grantkit/grantkit"
)

func TestDiff(t *testing.T) {
	cases := []struct {
		name             string
		current, desired []string
		add, remove      []string
	}{
		{"same", []string{"a", "b"}, []string{"b", "a"}, nil, nil},
		{"add", []string{"a"}, []string{"a", "c", "b"}, []string{"b", "c"}, nil},
		{"remove", []string{"c", "a", "b"}, []string{"a"}, nil, []string{"b", "c"}},
		{"both", []string{"a", "b"}, []string{"b", "c"}, []string{"c"}, []string{"a"}},
		{"duplicates ignored", []string{"a", "a"}, []string{"a", "b", "b"}, []string{"b"}, nil},
		{"from nothing", nil, []string{"x"}, []string{"x"}, nil},
		{"to nothing", []string{"x"}, nil, nil, []string{"x"}},
		{"both empty", nil, []string{}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur := append([]string(nil), tc.current...)
			c := grantkit.Diff(tc.current, tc.desired)
			assert.Equal(t, tc.add, c.Add)
			assert.Equal(t, tc.remove, c.Remove)
			assert.Equal(t, len(tc.add) == 0 && len(tc.remove) == 0, c.IsEmpty())
			assert.Equal(t, cur, tc.current, "Diff does not modify its input")
		})
	}
	assert.Equal(t, "no change", grantkit.Diff(nil, nil).String())
	assert.Equal(t, `add ["b"], remove ["a"]`, grantkit.Diff([]string{"a"}, []string{"b"}).String())
	assert.Equal(t, `add ["b"]`, grantkit.Diff(nil, []string{"b"}).String())
	assert.Equal(t, `remove ["a"]`, grantkit.Diff([]string{"a"}, nil).String())
}

func TestNormalizeScopes(t *testing.T) {
	assert.Equal(t, []string{}, grantkit.NormalizeScopes(nil))
	assert.Equal(t, []string{"a", "b"}, grantkit.NormalizeScopes([]string{"b", "a", "b"}))
	assert.Equal(t, "c on r", grantkit.GrantKey{Resource: "r", ClientID: "c"}.String())
}
