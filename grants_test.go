package grantkit_test

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	assert.Equal(t, "c on r (user access)", grantkit.GrantKey{Resource: "r", ClientID: "c", SubjectType: grantkit.SubjectUser}.String())
}

func TestCheckStored(t *testing.T) {
	key := grantkit.GrantKey{Resource: "r", ClientID: "c"}
	stored := func(s ...string) *grantkit.Grant { return &grantkit.Grant{Key: key, Scopes: s} }

	assert.NoError(t, grantkit.CheckStored(key, []string{"b", "a", "a"}, stored("a", "b")))
	assert.NoError(t, grantkit.CheckStored(key, nil, stored()))

	err := grantkit.CheckStored(key, []string{"a", "b"}, stored("a"))
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	assert.Equal(t, `vendor did not store what was asked: c on r: asked ["a" "b"], vendor stored ["a"] (missing ["b"])`, err.Error())

	err = grantkit.CheckStored(key, []string{"a"}, stored("a", "z"))
	assert.Equal(t, `vendor did not store what was asked: c on r: asked ["a"], vendor stored ["a" "z"] (not asked ["z"])`, err.Error())

	err = grantkit.CheckStored(key, []string{"a"}, stored("b"))
	assert.ErrorContains(t, err, `(missing ["a"], not asked ["b"])`)

	err = grantkit.CheckStored(key, []string{"a"}, nil)
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	assert.ErrorContains(t, err, "returned no grant")
}

// lying is a Grants implementation that answers every write with success and stores nothing.
type lying struct{ scopes []string }

func (lying) Vendor() string { return "test" }

func (l *lying) CheckGrant(grantkit.GrantKey, []string) error { return nil }

func (l *lying) List(context.Context, grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	return func(func(*grantkit.Grant, error) bool) {}
}

func (l *lying) Get(_ context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	return &grantkit.Grant{Vendor: "test", ID: "g", Key: key, Scopes: grantkit.NormalizeScopes(l.scopes)}, nil
}

func (l *lying) SetScopes(ctx context.Context, key grantkit.GrantKey, _ []string) (*grantkit.Grant, error) {
	return l.Get(ctx, key)
}

func (l *lying) Create(ctx context.Context, key grantkit.GrantKey, _ []string) (*grantkit.Grant, error) {
	return l.Get(ctx, key)
}

func (l *lying) Delete(context.Context, grantkit.GrantKey) error { return nil }

// AddScopes and RemoveScopes check the answer of any Grants implementation, not only the
// vendors' adapters, which check their own.
func TestHelpersCheckWhatWasStored(t *testing.T) {
	ctx := context.Background()
	key := grantkit.GrantKey{Resource: "r", ClientID: "c"}
	g := &lying{scopes: []string{"a"}}

	_, err := grantkit.AddScopes(ctx, g, key, "b")
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	assert.ErrorContains(t, err, `missing ["b"]`)
	_, err = grantkit.RemoveScopes(ctx, g, key, "a")
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	assert.ErrorContains(t, err, `not asked ["a"]`)

	got, err := grantkit.AddScopes(ctx, g, key, "a")
	require.NoError(t, err, "nothing to write, nothing to check")
	assert.Equal(t, []string{"a"}, got.Scopes)
}
