package grantkit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// Grant is a client's grant on a resource, described the same way at every vendor: which
// client (application) may call which resource (API), with which scopes, by name.
//
// What the fields mean at each vendor is documented by its adapter: for Auth0 the resource is
// the audience of a client grant; for PingOne the id of a resource an application is granted;
// for OneLogin the id of an API authorization server; for CPN the organization of an OAuth app.
type Grant struct {
	Vendor string   // "auth0", "cpn", "onelogin" or "pingone"
	ID     string   // the grant's own id at the vendor, for reference
	Key    GrantKey // what identifies the grant in this API
	Scopes []string // scope names, sorted and without duplicates
}

// GrantKey identifies a grant at every vendor: at most one grant exists per client and
// resource.
type GrantKey struct {
	Resource string
	ClientID string
}

func (k GrantKey) String() string { return k.ClientID + " on " + k.Resource }

// Grants is the vendor-neutral view of one vendor account's grants. Each vendor package
// provides it through its client's Grants method. Scope changes are made with the vendor's own
// update call; a vendor that names scopes by id has them resolved from names by its adapter.
type Grants interface {
	// Vendor names the vendor: "auth0", "cpn", "onelogin" or "pingone".
	Vendor() string
	// List iterates over every grant.
	List(ctx context.Context) iter.Seq2[*Grant, error]
	// Get returns the grant of key.ClientID on key.Resource. A missing grant is an error
	// wrapping ErrGrantNotFound.
	Get(ctx context.Context, key GrantKey) (*Grant, error)
	// SetScopes replaces the grant's scopes with exactly these and returns the grant as stored.
	SetScopes(ctx context.Context, key GrantKey, scopes []string) (*Grant, error)
}

// ErrGrantNotFound is wrapped by Grants.Get and the helpers when no grant matches a key.
var ErrGrantNotFound = errors.New("grant not found")

// ScopeChange is what Diff reports: the scopes to add and to remove, each sorted.
type ScopeChange struct {
	Add    []string
	Remove []string
}

// IsEmpty reports whether nothing would change.
func (c ScopeChange) IsEmpty() bool { return len(c.Add) == 0 && len(c.Remove) == 0 }

func (c ScopeChange) String() string {
	var parts []string
	if len(c.Add) > 0 {
		parts = append(parts, fmt.Sprintf("add %q", c.Add))
	}
	if len(c.Remove) > 0 {
		parts = append(parts, fmt.Sprintf("remove %q", c.Remove))
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, ", ")
}

// Diff reports what would change if a grant's scopes went from current to desired. It is pure:
// order and duplicates do not matter, and nothing is called.
func Diff(current, desired []string) ScopeChange {
	cur, want := NormalizeScopes(current), NormalizeScopes(desired)
	var c ScopeChange
	for _, s := range want {
		if _, found := slices.BinarySearch(cur, s); !found {
			c.Add = append(c.Add, s)
		}
	}
	for _, s := range cur {
		if _, found := slices.BinarySearch(want, s); !found {
			c.Remove = append(c.Remove, s)
		}
	}
	return c
}

// NormalizeScopes returns the scopes sorted, without duplicates, as a new slice (never nil).
func NormalizeScopes(scopes []string) []string {
	out := slices.Clone(scopes)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// AddScopes adds scopes to a grant (read, modify, write with the vendor's update call). When
// the grant already has them all, nothing is written.
func AddScopes(ctx context.Context, g Grants, key GrantKey, scopes ...string) (*Grant, error) {
	return modifyScopes(ctx, g, key, func(cur []string) []string { return append(cur, scopes...) })
}

// RemoveScopes removes scopes from a grant (read, modify, write). When the grant has none of
// them, nothing is written.
func RemoveScopes(ctx context.Context, g Grants, key GrantKey, scopes ...string) (*Grant, error) {
	return modifyScopes(ctx, g, key, func(cur []string) []string {
		return slices.DeleteFunc(cur, func(s string) bool { return slices.Contains(scopes, s) })
	})
}

func modifyScopes(ctx context.Context, g Grants, key GrantKey, change func([]string) []string) (*Grant, error) {
	cur, err := g.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	want := NormalizeScopes(change(slices.Clone(cur.Scopes)))
	if Diff(cur.Scopes, want).IsEmpty() {
		return cur, nil
	}
	return g.SetScopes(ctx, key, want)
}
