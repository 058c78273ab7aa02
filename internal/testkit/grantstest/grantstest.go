// Package grantstest holds the scenario tables the vendors must pass, each run by the vendor
// package's tests against its fake: Run for every grantkit.Grants adapter (reads, scope writes,
// create and delete) and RunCatalog for every grantkit.ScopeCatalog (auth0, onelogin, pingone).
package grantstest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
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
	// Subjects says the vendor keeps one grant per client, resource and subject type (Auth0),
	// so a key's SubjectType names a grant; elsewhere a key with one is invalid input.
	Subjects bool
	// Drop makes the vendor leave scope out of every following write while answering
	// success, as a vendor that silently refuses a scope does. Build it with a Dropper in
	// the client's HTTP client, given the scope as the vendor's write names it (its id at a
	// vendor that names scopes by id).
	Drop func(scope string)
	// NewKey returns the key of a grant that does not exist yet and that Create can make: a
	// new client (one the vendor knows, where it must know it) on the resource Seed uses.
	NewKey func(t *testing.T) grantkit.GrantKey
	// RefusesUndefined says a grant naming a scope its resource does not define is refused,
	// by the adapter or by the vendor (every vendor whose scopes are user-defined). CPN's
	// scopes are the platform's, and its fake accepts any.
	RefusesUndefined bool
	// Refuse makes the vendor refuse (403) the next request of one of these HTTP methods:
	// give it a Dropper's Refuse.
	Refuse func(methods ...string)
	// Writes are the HTTP methods a scope write sends; nil means PATCH and PUT. Okta grants
	// and revokes one scope at a time (POST and DELETE).
	Writes []string
	// WritesPerScope says a write sends one request per scope added or removed (Okta), not
	// one per grant.
	WritesPerScope bool
	// GrantNeedsScopes says a grant without scopes is no grant at the vendor (CPN, where a
	// grant is an app's allowed scopes; Okta, where it is the scopes an app holds on an
	// issuer): Create without scopes is invalid input there.
	GrantNeedsScopes bool
	// MaxScopeLen is the longest scope name the vendor accepts in a grant (0: no bound).
	MaxScopeLen int
}

func (e Env) missing(key grantkit.GrantKey) grantkit.GrantKey {
	if e.Missing != nil {
		return e.Missing(key)
	}
	key.ClientID += "-missing"
	return key
}

func keys(t *testing.T, g grantkit.Grants) []grantkit.GrantKey {
	t.Helper()
	var out []grantkit.GrantKey
	for gr, err := range g.List(context.Background(), grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		out = append(out, gr.Key)
	}
	return out
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
			for g, err := range e.Grants.List(ctx, grantkit.GrantListOptions{}) {
				require.NoError(t, err)
				keys = append(keys, g.Key)
			}
			assert.True(t, slices.Contains(keys, k1), "%v in %v", k1, keys)
			assert.True(t, slices.Contains(keys, k2), "%v in %v", k2, keys)
		}},
		{"a missing grant is ErrGrantNotFound", func(t *testing.T, e Env) {
			key := e.missing(e.Seed(t, "read:a"))
			_, err := e.Grants.Get(ctx, key)
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			_, err = e.Grants.SetScopes(ctx, key, []string{"read:a"})
			require.Error(t, err)
		}},
		{"an empty key is invalid input", func(t *testing.T, e Env) {
			_, err := e.Grants.Get(ctx, grantkit.GrantKey{})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		}},
		{"a subject type names another grant or is refused", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			user := key
			user.SubjectType = grantkit.SubjectUser
			// Where subject types name grants, the seeded grant is the client-access one
			// and no user-access grant exists; elsewhere the field cannot be honoured, and
			// ignoring it could write a grant the caller did not mean.
			want := grantkit.ErrInvalidInput
			if e.Subjects {
				want = grantkit.ErrGrantNotFound
			}
			_, err := e.Grants.Get(ctx, user)
			require.ErrorIs(t, err, want)
			_, err = e.Grants.SetScopes(ctx, user, []string{"admin"})
			require.ErrorIs(t, err, want)
			_, err = grantkit.AddScopes(ctx, e.Grants, user, "admin")
			require.ErrorIs(t, err, want)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes, "the seeded grant was not written")
		}},
		{"a write stored otherwise is ErrNotApplied", func(t *testing.T, e Env) {
			require.NotNil(t, e.Drop, "every vendor's adapter checks what the vendor stored")
			key := e.Seed(t, "read:a")
			e.Drop("write:a")
			_, err := e.Grants.SetScopes(ctx, key, []string{"read:a", "write:a"})
			require.ErrorIs(t, err, grantkit.ErrNotApplied)
			assert.ErrorContains(t, err, `missing ["write:a"]`)
			_, err = grantkit.AddScopes(ctx, e.Grants, key, "write:a", "admin")
			require.ErrorIs(t, err, grantkit.ErrNotApplied)
			assert.ErrorContains(t, err, `asked ["admin" "read:a" "write:a"], vendor stored ["admin" "read:a"]`)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:a"}, g.Scopes, "the error said what the vendor stored")
		}},

		{"check grant refuses offline what a write refuses", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			require.NoError(t, e.Grants.CheckGrant(key, Scopes))
			require.NoError(t, e.Grants.CheckGrant(key, nil))
			require.ErrorIs(t, e.Grants.CheckGrant(grantkit.GrantKey{}, nil), grantkit.ErrInvalidInput)
			for _, bad := range badScopes(e.MaxScopeLen) {
				err := e.Grants.CheckGrant(key, []string{"read:a", bad})
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, "%.20q", bad)
				assert.Contains(t, err.Error(), "scopes[1]", "the error names the scope as the caller wrote it")
				_, err = e.Grants.SetScopes(ctx, key, []string{"read:a", bad})
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, "SetScopes runs the same check")
				_, err = grantkit.AddScopes(ctx, e.Grants, key, bad)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, "AddScopes runs the same check")
			}
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes)
		}},
		{"list selects one resource or one client", func(t *testing.T, e Env) {
			k1 := e.Seed(t, "read:a")
			k2 := e.Seed(t, "admin")
			list := func(opts grantkit.GrantListOptions) []grantkit.GrantKey {
				var out []grantkit.GrantKey
				for g, err := range e.Grants.List(ctx, opts) {
					require.NoError(t, err)
					out = append(out, g.Key)
				}
				return out
			}
			assert.Equal(t, []grantkit.GrantKey{k1}, list(grantkit.GrantListOptions{ClientID: k1.ClientID}))
			assert.Equal(t, []grantkit.GrantKey{k2}, list(grantkit.GrantListOptions{Resource: k2.Resource, ClientID: k2.ClientID}))
			byResource := list(grantkit.GrantListOptions{Resource: k1.Resource})
			assert.Contains(t, byResource, k1)
			for _, k := range byResource {
				assert.Equal(t, k1.Resource, k.Resource)
			}
			assert.Empty(t, list(grantkit.GrantListOptions{ClientID: e.missing(k1).ClientID}))
			assert.Empty(t, list(grantkit.GrantListOptions{ClientID: "999999"}), "a client the vendor does not know has no grants")
			assert.Empty(t, list(grantkit.GrantListOptions{Resource: "999999"}), "nor has a resource it does not know")
		}},

		// The lifecycle: grant and revoke.
		{"create gives a new client exactly the scopes", func(t *testing.T, e Env) {
			key := e.NewKey(t)
			g, err := e.Grants.Create(ctx, key, []string{"write:a", "read:a", "write:a"})
			require.NoError(t, err)
			assert.Equal(t, e.Vendor, g.Vendor)
			assert.Equal(t, key, g.Key)
			assert.NotEmpty(t, g.ID)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
			got, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, g, got, "Create returned the grant as stored")
			assert.Contains(t, keys(t, e.Grants), key)
		}},
		{"create without scopes", func(t *testing.T, e Env) {
			key := e.NewKey(t)
			if e.GrantNeedsScopes {
				_, err := e.Grants.Create(ctx, key, nil)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				_, err = e.Grants.Get(ctx, key)
				require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
				return
			}
			g, err := e.Grants.Create(ctx, key, nil)
			require.NoError(t, err)
			assert.Equal(t, []string{}, g.Scopes)
			g, err = e.Grants.Get(ctx, key)
			require.NoError(t, err, "a grant without scopes is still a grant")
			assert.Empty(t, g.Scopes)
		}},
		{"create for an existing grant is ErrGrantExists and writes nothing", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			_, err := e.Grants.Create(ctx, key, []string{"admin"})
			require.ErrorIs(t, err, grantkit.ErrGrantExists)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes)
		}},
		{"create with a scope the resource does not define creates nothing", func(t *testing.T, e Env) {
			if !e.RefusesUndefined {
				t.Skipf("%s: any scope name is accepted (CPN: the platform defines the scopes)", e.Vendor)
			}
			key := e.NewKey(t)
			_, err := e.Grants.Create(ctx, key, []string{"read:a", "undefined:scope"})
			require.Error(t, err)
			_, err = e.Grants.Get(ctx, key)
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
		}},
		{"delete revokes the grant", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a", "admin")
			require.NoError(t, e.Grants.Delete(ctx, key))
			_, err := e.Grants.Get(ctx, key)
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			assert.NotContains(t, keys(t, e.Grants), key)
			require.ErrorIs(t, e.Grants.Delete(ctx, key), grantkit.ErrGrantNotFound, "nothing left to delete")
			g, err := e.Grants.Create(ctx, key, []string{"read:b"})
			require.NoError(t, err, "a revoked grant can be given again")
			assert.Equal(t, []string{"read:b"}, g.Scopes)
		}},
		{"delete leaves the other grants", func(t *testing.T, e Env) {
			k1 := e.Seed(t, "read:a")
			k2 := e.Seed(t, "write:a")
			require.NoError(t, e.Grants.Delete(ctx, k1))
			g, err := e.Grants.Get(ctx, k2)
			require.NoError(t, err)
			assert.Equal(t, []string{"write:a"}, g.Scopes)
		}},
		{"deleting a missing grant is ErrGrantNotFound", func(t *testing.T, e Env) {
			seeded := e.Seed(t, "read:a")
			require.ErrorIs(t, e.Grants.Delete(ctx, e.missing(seeded)), grantkit.ErrGrantNotFound)
			_, err := e.Grants.Get(ctx, seeded)
			require.NoError(t, err)
		}},
		{"create and delete check the key", func(t *testing.T, e Env) {
			_, err := e.Grants.Create(ctx, grantkit.GrantKey{}, nil)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			require.ErrorIs(t, e.Grants.Delete(ctx, grantkit.GrantKey{}), grantkit.ErrInvalidInput)
		}},
		{"create and delete by subject type reach only their grant, or are refused", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			user := key
			user.SubjectType = grantkit.SubjectUser
			if !e.Subjects {
				_, err := e.Grants.Create(ctx, user, []string{"admin"})
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				require.ErrorIs(t, e.Grants.Delete(ctx, user), grantkit.ErrInvalidInput)
			} else {
				g, err := e.Grants.Create(ctx, user, []string{"admin"})
				require.NoError(t, err, "a user-access grant beside the client-access one")
				assert.Equal(t, user, g.Key)
				assert.NotEqual(t, key, g.Key)
				_, err = e.Grants.Create(ctx, user, nil)
				require.ErrorIs(t, err, grantkit.ErrGrantExists)
				require.NoError(t, e.Grants.Delete(ctx, user))
				_, err = e.Grants.Get(ctx, user)
				require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			}
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err, "the client-access grant is still there")
			assert.Equal(t, []string{"read:a"}, g.Scopes)
		}},
		{"a create stored otherwise is ErrNotApplied", func(t *testing.T, e Env) {
			require.NotNil(t, e.Drop, "every vendor's adapter checks what the vendor stored")
			key := e.NewKey(t)
			e.Drop("write:a")
			_, err := e.Grants.Create(ctx, key, []string{"read:a", "write:a"})
			require.ErrorIs(t, err, grantkit.ErrNotApplied)
			assert.ErrorContains(t, err, `missing ["write:a"]`)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err, "the vendor's change has been made, as the error says")
			assert.Equal(t, []string{"read:a"}, g.Scopes)
		}},
		{"every error names the method called", func(t *testing.T, e Env) {
			require.NotNil(t, e.Refuse, "give the Dropper's Refuse")
			// grantkit.Error.Operation is the exported method or function the caller called,
			// whatever request of it failed: the read inside Get, SetScopes or AddScopes, the
			// write inside AddScopes, a page of List.
			named := func(t *testing.T, err error, op string) {
				t.Helper()
				var apiErr *grantkit.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 403, apiErr.StatusCode)
				assert.Equal(t, op, apiErr.Operation)
				assert.Equal(t, e.Vendor, apiErr.Vendor)
				assert.True(t, strings.HasPrefix(err.Error(), e.Vendor+": "+op+": "), "%q names %s", err, op)
			}
			key := e.Seed(t, "read:a")
			writes := []string{http.MethodPatch, http.MethodPut}
			if e.Writes != nil {
				writes = e.Writes
			}
			for _, c := range []struct {
				op      string
				refuse  []string
				callErr func() error
			}{
				{"Grants.Get", []string{http.MethodGet}, func() error { _, err := e.Grants.Get(ctx, key); return err }},
				{"Grants.SetScopes", []string{http.MethodGet}, func() error { _, err := e.Grants.SetScopes(ctx, key, []string{"admin"}); return err }},
				{"Grants.SetScopes", writes, func() error { _, err := e.Grants.SetScopes(ctx, key, []string{"admin"}); return err }},
				{"AddScopes", []string{http.MethodGet}, func() error { _, err := grantkit.AddScopes(ctx, e.Grants, key, "admin"); return err }},
				{"AddScopes", writes, func() error { _, err := grantkit.AddScopes(ctx, e.Grants, key, "admin"); return err }},
				{"RemoveScopes", writes, func() error { _, err := grantkit.RemoveScopes(ctx, e.Grants, key, "read:a"); return err }},
				{"Grants.List", []string{http.MethodGet}, func() error {
					for _, err := range e.Grants.List(ctx, grantkit.GrantListOptions{}) {
						if err != nil {
							return err
						}
					}
					return nil
				}},
			} {
				e.Refuse(c.refuse...)
				named(t, c.callErr(), c.op)
			}
			// Errors that come from no request follow the same rule.
			_, err := grantkit.AddScopes(ctx, e.Grants, grantkit.GrantKey{}, "admin")
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.True(t, strings.HasPrefix(err.Error(), e.Vendor+": AddScopes: "), "%q", err)
			missing := key
			if e.Missing != nil {
				missing = e.Missing(key)
			} else {
				missing.ClientID += "-missing"
			}
			_, err = grantkit.RemoveScopes(ctx, e.Grants, missing, "read:a")
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			assert.True(t, strings.HasPrefix(err.Error(), e.Vendor+": RemoveScopes: "), "%q", err)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes, "no refused write was applied")
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, newEnv(t)) })
	}
}

// badScopes are scope names no vendor accepts in a grant: empty, with a space, with a
// newline, and one character longer than maxLen when the vendor bounds a scope's length.
func badScopes(maxLen int) []string {
	bad := []string{"", "read invoices", "read:a\nadmin"}
	if maxLen > 0 {
		bad = append(bad, strings.Repeat("s", maxLen+1))
	}
	return bad
}

// CatalogEnv is what a vendor with user-defined scopes gives the catalog scenarios: its
// catalog and grants over a fresh fake, and ways to make a resource and a client there.
type CatalogEnv struct {
	Catalog grantkit.ScopeCatalog
	Grants  grantkit.Grants
	// Vendor is the name the catalog must report.
	Vendor string
	// NewResource creates a resource (an API) that defines no scope yet and returns its
	// identifier, as a GrantKey.Resource names it.
	NewResource func(t *testing.T) string
	// NewKey returns the key of a grant that does not exist yet, for a new client on resource.
	NewKey func(t *testing.T, resource string) grantkit.GrantKey
	// RemovedScopeStaysGranted says what the vendor does to grants holding a scope that is
	// removed from its resource: true keeps it listed in them, false takes it out.
	RemovedScopeStaysGranted bool
	// DescriptionRequired says the vendor refuses a scope without a description (OneLogin), so
	// emptying one is invalid input, refused before anything is sent.
	DescriptionRequired bool
}

// RunCatalog runs every catalog scenario; newEnv must return a CatalogEnv over a fresh fake
// each time.
func RunCatalog(t *testing.T, newEnv func(t *testing.T) CatalogEnv) {
	ctx := context.Background()
	define := func(t *testing.T, e CatalogEnv, resource string, defs ...grantkit.ScopeDefinition) {
		t.Helper()
		for _, d := range defs {
			got, err := e.Catalog.DefineScope(ctx, resource, d)
			require.NoError(t, err)
			assert.Equal(t, d, *got)
		}
	}
	list := func(t *testing.T, e CatalogEnv, resource string) []grantkit.ScopeDefinition {
		t.Helper()
		defs, err := e.Catalog.ListScopes(ctx, resource)
		require.NoError(t, err)
		return defs
	}
	a := grantkit.ScopeDefinition{Name: "read:invoices", Description: "Read invoices"}
	b := grantkit.ScopeDefinition{Name: "write:invoices", Description: "Write invoices"}
	c := grantkit.ScopeDefinition{Name: "admin", Description: "Everything"}
	scenarios := []struct {
		name string
		run  func(t *testing.T, e CatalogEnv)
	}{
		{"vendor name", func(t *testing.T, e CatalogEnv) {
			assert.Equal(t, e.Vendor, e.Catalog.Vendor())
		}},
		{"a new resource is listed and defines nothing", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			var resources []string
			for id, err := range e.Catalog.Resources(ctx) {
				require.NoError(t, err)
				resources = append(resources, id)
			}
			assert.Contains(t, resources, r)
			assert.Equal(t, []grantkit.ScopeDefinition{}, list(t, e, r))
		}},
		{"defined scopes are listed by name with their descriptions", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, b, a, c)
			assert.Equal(t, []grantkit.ScopeDefinition{c, a, b}, list(t, e, r))
		}},
		{"defining a scope again is ErrScopeExists and changes nothing", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, a)
			_, err := e.Catalog.DefineScope(ctx, r, grantkit.ScopeDefinition{Name: a.Name, Description: "another"})
			require.ErrorIs(t, err, grantkit.ErrScopeExists)
			assert.Equal(t, []grantkit.ScopeDefinition{a}, list(t, e, r))
		}},
		{"describe changes only that description", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, a, b)
			got, err := e.Catalog.DescribeScope(ctx, r, a.Name, "Read every invoice")
			require.NoError(t, err)
			want := grantkit.ScopeDefinition{Name: a.Name, Description: "Read every invoice"}
			assert.Equal(t, want, *got)
			assert.Equal(t, []grantkit.ScopeDefinition{want, b}, list(t, e, r))
			got, err = e.Catalog.DescribeScope(ctx, r, a.Name, "")
			if e.DescriptionRequired {
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				assert.Equal(t, []grantkit.ScopeDefinition{want, b}, list(t, e, r), "nothing was sent")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, grantkit.ScopeDefinition{Name: a.Name}, *got, "a description can be emptied")
			assert.Equal(t, []grantkit.ScopeDefinition{{Name: a.Name}, b}, list(t, e, r))
		}},
		{"remove takes only that scope away", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, a, b)
			require.NoError(t, e.Catalog.RemoveScope(ctx, r, a.Name))
			assert.Equal(t, []grantkit.ScopeDefinition{b}, list(t, e, r))
		}},
		{"a missing scope is ErrScopeNotFound", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, a)
			_, err := e.Catalog.DescribeScope(ctx, r, b.Name, "x")
			require.ErrorIs(t, err, grantkit.ErrScopeNotFound)
			require.ErrorIs(t, e.Catalog.RemoveScope(ctx, r, b.Name), grantkit.ErrScopeNotFound)
			require.NoError(t, e.Catalog.RemoveScope(ctx, r, a.Name))
			require.ErrorIs(t, e.Catalog.RemoveScope(ctx, r, a.Name), grantkit.ErrScopeNotFound, "removed already")
		}},
		{"an empty resource or name is invalid input", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			_, err := e.Catalog.ListScopes(ctx, "")
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			_, err = e.Catalog.DefineScope(ctx, "", a)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			_, err = e.Catalog.DefineScope(ctx, r, grantkit.ScopeDefinition{Description: "no name"})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			_, err = e.Catalog.DescribeScope(ctx, r, "", "x")
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			require.ErrorIs(t, e.Catalog.RemoveScope(ctx, r, ""), grantkit.ErrInvalidInput)
			assert.Empty(t, list(t, e, r))
		}},
		{"check scope refuses offline what define refuses", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			require.NoError(t, e.Catalog.CheckScope(r, a))
			require.ErrorIs(t, e.Catalog.CheckScope("", a), grantkit.ErrInvalidInput)
			for _, bad := range []string{"", "read invoices", "read:a\nadmin"} {
				d := grantkit.ScopeDefinition{Name: bad, Description: "d"}
				require.ErrorIs(t, e.Catalog.CheckScope(r, d), grantkit.ErrInvalidInput, "%q", bad)
				_, err := e.Catalog.DefineScope(ctx, r, d)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, "DefineScope runs the same check: %q", bad)
			}
			assert.Empty(t, list(t, e, r), "nothing was defined")
		}},
		{"a defined scope can be granted, an undefined one cannot", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, a)
			key := e.NewKey(t, r)
			_, err := e.Grants.Create(ctx, key, []string{a.Name, b.Name})
			require.Error(t, err, "%s is not defined on the resource", b.Name)
			g, err := e.Grants.Create(ctx, key, []string{a.Name})
			require.NoError(t, err)
			assert.Equal(t, []string{a.Name}, g.Scopes)
			define(t, e, r, b)
			g, err = grantkit.AddScopes(ctx, e.Grants, key, b.Name)
			require.NoError(t, err)
			assert.Equal(t, []string{a.Name, b.Name}, g.Scopes)
		}},
		{"removing a granted scope leaves the grant", func(t *testing.T, e CatalogEnv) {
			r := e.NewResource(t)
			define(t, e, r, a, b)
			key := e.NewKey(t, r)
			_, err := e.Grants.Create(ctx, key, []string{a.Name, b.Name})
			require.NoError(t, err)
			require.NoError(t, e.Catalog.RemoveScope(ctx, r, a.Name))
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			want := []string{b.Name}
			if e.RemovedScopeStaysGranted {
				want = []string{a.Name, b.Name}
			}
			assert.Equal(t, want, g.Scopes)
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, newEnv(t)) })
	}
}

// Dropper is an http.RoundTripper for a vendor client under test. Once told which values to
// drop, it removes them from every array in the JSON body of each write (POST, PUT, PATCH)
// before sending it: the vendor then answers success for a write that left them out. An
// array element is dropped when it is one of the values as a JSON string or number, or an
// object whose "id" is one of them. A string holding a space-separated list
// (Ory's scope) loses those of its words that are one of the values.
type Dropper struct {
	next http.RoundTripper

	mu     sync.Mutex
	drop   []string
	refuse []string // methods whose next request is refused
	before func()   // run once before the next write is sent
}

// BeforeNextWrite runs fn once, just before the next write (POST, PUT, PATCH) is sent: a
// second writer acting while a job is under way.
func (d *Dropper) BeforeNextWrite(fn func()) {
	d.mu.Lock()
	d.before = fn
	d.mu.Unlock()
}

// NewDropper returns a Dropper sending through next (http.DefaultTransport when nil).
func NewDropper(next http.RoundTripper) *Dropper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Dropper{next: next}
}

// Client returns an *http.Client sending through d, for the vendor's WithHTTPClient.
func (d *Dropper) Client() *http.Client { return &http.Client{Transport: d} }

// Drop adds values to drop from every following write.
func (d *Dropper) Drop(values ...string) {
	d.mu.Lock()
	d.drop = append(d.drop, values...)
	d.mu.Unlock()
}

// Refuse makes the next request of one of these HTTP methods be answered 403 without reaching
// the vendor, as a vendor refusing it would. 403 is never retried, so the caller sees it.
func (d *Dropper) Refuse(methods ...string) {
	d.mu.Lock()
	d.refuse = methods
	d.mu.Unlock()
}

// RoundTrip sends r, with the values dropped from its body if it is a JSON write, or refuses
// it (see Refuse).
func (d *Dropper) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	drop := slices.Clone(d.drop)
	refuse := slices.Contains(d.refuse, r.Method)
	if refuse {
		d.refuse = nil
	}
	var before func()
	if r.Method != http.MethodGet && d.before != nil {
		before, d.before = d.before, nil
	}
	d.mu.Unlock()
	if before != nil {
		before()
	}
	if refuse {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return &http.Response{
			StatusCode: http.StatusForbidden, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:  http.Header{"Content-Type": {"application/json"}},
			Body:    io.NopCloser(strings.NewReader(`{"message":"refused by the test"}`)),
			Request: r,
		}, nil
	}
	if len(drop) == 0 || r.Body == nil || !slices.Contains([]string{http.MethodPost, http.MethodPut, http.MethodPatch}, r.Method) {
		return d.next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil {
		if out, err := json.Marshal(without(v, drop)); err == nil {
			body = out
		}
	}
	// A RoundTripper must not change the request it was given: send a copy.
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
	return d.next.RoundTrip(r)
}

func without(v any, drop []string) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = without(x, drop)
		}
		return v
	case string:
		// A space-separated list (Ory's scope) loses the words that are dropped.
		if words := strings.Fields(v); len(words) > 1 {
			return strings.Join(slices.DeleteFunc(words, func(w string) bool { return slices.Contains(drop, w) }), " ")
		}
		return v
	case []any:
		out := v[:0]
		for _, x := range v {
			if !dropped(x, drop) {
				out = append(out, without(x, drop))
			}
		}
		return out
	}
	return v
}

func dropped(x any, drop []string) bool {
	switch x := x.(type) {
	case string:
		return slices.Contains(drop, x)
	case json.Number:
		return slices.Contains(drop, x.String())
	case map[string]any:
		id, ok := x["id"].(string)
		return ok && slices.Contains(drop, id)
	}
	return false
}
