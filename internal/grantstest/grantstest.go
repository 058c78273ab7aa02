// Package grantstest is the scenario table every vendor's grantkit.Grants adapter must pass,
// run by each vendor package's tests against its fake.
package grantstest

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

// Env is what a vendor gives the scenarios: its adapter over a fresh fake, and a way to create
// a grant with some scopes in that fake. Every scope name used by the scenarios is one of
// Scopes, which the vendor's fake must know (vendors that name scopes by id define them).
type Env struct {
	Grants grantkit.Grants
	// Seed creates a grant for a new client on a resource, with scopes, and returns its key.
	Seed func(t *testing.T, scopes ...string) grantkit.GrantKey
	// Vendor is the name the adapter must report.
	Vendor string
	// Missing turns a seeded key into a well-formed key of a grant that does not exist. Nil
	// appends "-missing" to the client id.
	Missing func(grantkit.GrantKey) grantkit.GrantKey
}

// Scopes are the scope names the scenarios use.
var Scopes = []string{"read:a", "write:a", "read:b", "admin"}

// Run runs every scenario; newEnv must return an Env over a fresh fake each time.
func Run(t *testing.T, newEnv func(t *testing.T) Env) {
	ctx := context.Background()
	scenarios := []struct {
		name string
		run  func(t *testing.T, e Env)
	}{
		{"vendor name", func(t *testing.T, e Env) {
			assert.Equal(t, e.Vendor, e.Grants.Vendor())
		}},
		{"get returns the seeded scopes", func(t *testing.T, e Env) {
			key := e.Seed(t, "write:a", "read:a")
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, e.Vendor, g.Vendor)
			assert.Equal(t, key, g.Key)
			assert.NotEmpty(t, g.ID)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
		}},
		{"set scopes replaces them", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			g, err := e.Grants.SetScopes(ctx, key, []string{"read:b", "admin", "read:b"})
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:b"}, g.Scopes)
			g, err = e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:b"}, g.Scopes)
		}},
		{"set scopes to none", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a", "write:a")
			g, err := e.Grants.SetScopes(ctx, key, nil)
			require.NoError(t, err)
			assert.Empty(t, g.Scopes)
		}},
		{"add scopes keeps the others", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			g, err := grantkit.AddScopes(ctx, e.Grants, key, "write:a", "read:a")
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
		}},
		{"remove scopes keeps the others", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a", "write:a", "admin")
			g, err := grantkit.RemoveScopes(ctx, e.Grants, key, "admin", "read:b")
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
		}},
		{"list includes every grant", func(t *testing.T, e Env) {
			k1 := e.Seed(t, "read:a")
			k2 := e.Seed(t, "admin")
			var keys []grantkit.GrantKey
			for g, err := range e.Grants.List(ctx) {
				require.NoError(t, err)
				keys = append(keys, g.Key)
			}
			assert.True(t, slices.Contains(keys, k1), "%v in %v", k1, keys)
			assert.True(t, slices.Contains(keys, k2), "%v in %v", k2, keys)
		}},
		{"a missing grant is ErrGrantNotFound", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			if e.Missing != nil {
				key = e.Missing(key)
			} else {
				key.ClientID += "-missing"
			}
			_, err := e.Grants.Get(ctx, key)
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			_, err = e.Grants.SetScopes(ctx, key, []string{"read:a"})
			require.Error(t, err)
		}},
		{"an empty key is invalid input", func(t *testing.T, e Env) {
			_, err := e.Grants.Get(ctx, grantkit.GrantKey{})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, newEnv(t)) })
	}
}
