package grantkit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/grantkit/grantkit/internal/grantwrite"
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

// GrantKey identifies one grant. What identifies a grant differs by vendor:
//
//   - Auth0 keeps one client grant per client, audience and subject type: a client-access
//     (machine-to-machine) grant and a user-access grant of the same client on the same API
//     are two grants. SubjectType says which one is meant.
//   - PingOne keeps one grant per application and resource, OneLogin one client app per
//     authorization server and app, CPN one set of allowed scopes per OAuth app: Resource and
//     ClientID are the whole key, and those vendors reject a key whose SubjectType is set
//     rather than ignore it.
//
// A key never picks among several grants: a lookup that matches more than one is an error
// wrapping ErrAmbiguousGrant that names the candidates.
type GrantKey struct {
	Resource string
	ClientID string
	// SubjectType is the kind of access the grant gives, at vendors that keep one grant per
	// kind (Auth0). The zero value means client access: the machine-to-machine grant a client
	// uses with its own credentials (Auth0's subject_type "client", or a grant without
	// subject_type). SubjectUser means user access; any other value is passed to the vendor
	// as it is (Auth0 has added "anonymous_user").
	SubjectType string
}

// SubjectUser is the GrantKey.SubjectType of a grant that gives user access (Auth0's
// subject_type "user"). Client access is the zero value.
const SubjectUser = "user"

func (k GrantKey) String() string {
	s := k.ClientID + " on " + k.Resource
	if k.SubjectType != "" {
		s += " (" + k.SubjectType + " access)"
	}
	return s
}

// Grants is the vendor-neutral view of one vendor account's grants. Each vendor package
// provides it through its client's Grants method. Scope changes are made with the vendor's own
// update call; a vendor that names scopes by id has them resolved from names by its adapter.
type Grants interface {
	// Vendor names the vendor: "auth0", "cpn", "onelogin" or "pingone".
	Vendor() string
	// List iterates over the grants opts selects: every grant when opts is empty, or only
	// those of one resource and/or one client, using the vendor's own filter where it has one
	// (each adapter documents what it sends).
	List(ctx context.Context, opts GrantListOptions) iter.Seq2[*Grant, error]
	// Get returns the grant key identifies. A missing grant is an error wrapping
	// ErrGrantNotFound; a key matching several grants, one wrapping ErrAmbiguousGrant.
	Get(ctx context.Context, key GrantKey) (*Grant, error)
	// SetScopes replaces the grant's scopes with exactly these and returns the grant as the
	// vendor stored it. When the vendor stored other scopes than asked, the error wraps
	// ErrNotApplied (see CheckStored).
	SetScopes(ctx context.Context, key GrantKey, scopes []string) (*Grant, error)
	// Create gives key.ClientID access to key.Resource with exactly scopes (possibly none) and
	// returns the grant as stored (checked with CheckStored). A grant that already exists for
	// key is an error wrapping ErrGrantExists; nothing is changed then. A scope the vendor
	// does not know on the resource is refused, by the adapter where it resolves names to
	// ids, by the vendor elsewhere; either way no grant is created. Create never creates a
	// client or its credentials: where the grant is a property of a client (CPN), it sets
	// the scopes of an existing client that has none.
	Create(ctx context.Context, key GrantKey, scopes []string) (*Grant, error)
	// Delete revokes the grant identified by key. A missing grant wraps ErrGrantNotFound; a key
	// matching several grants wraps ErrAmbiguousGrant (nothing is deleted). Delete never
	// deletes a client or its credentials: where the grant is a property of a client (CPN),
	// it empties the client's scopes and keeps the client.
	Delete(ctx context.Context, key GrantKey) error
	// CheckGrant runs, without sending anything, every check a write of scopes on key makes
	// (the key's form, each scope's syntax and length as the vendor accepts them), and
	// returns an error wrapping ErrInvalidInput that names what is wrong, or nil. Whether the
	// resource defines the scopes is not checked: that needs a read. PlanScopes and every
	// write run it before their first request.
	CheckGrant(key GrantKey, scopes []string) error
}

// GrantListOptions selects the grants Grants.List returns. Empty fields select every value;
// each field is matched exactly, as a GrantKey names it.
type GrantListOptions struct {
	Resource string // only the grants on this resource (GrantKey.Resource)
	ClientID string // only the grants of this client (GrantKey.ClientID)
}

// ErrGrantExists is wrapped by Grants.Create when a grant for the key already exists. Nothing
// is written: change the existing grant's scopes with SetScopes, or delete it first.
var ErrGrantExists = errors.New("grant already exists")

// ErrGrantNotFound is wrapped by Grants.Get and the helpers when no grant matches a key.
var ErrGrantNotFound = errors.New("grant not found")

// ErrAmbiguousGrant is wrapped when a key matches more than one grant; the error names the
// candidates' ids. Nothing is written: make the key say which grant is meant.
var ErrAmbiguousGrant = errors.New("key matches more than one grant")

// ErrNotApplied is wrapped when a vendor answered a write with success but stored something
// other than what was asked (a scope silently left out or kept). The error names both. The
// vendor's change, whatever it was, has been made.
var ErrNotApplied = errors.New("vendor did not store what was asked")

// CheckStored compares the scopes asked for in a write with the grant the vendor reports it
// stored. It returns nil when they are the same set, and otherwise an error wrapping
// ErrNotApplied that names what was asked, what was stored and the difference. Every
// vendor's SetScopes, AddScopes and RemoveScopes check their writes with it; an
// implementation of Grants of your own can too.
func CheckStored(key GrantKey, asked []string, stored *Grant) error {
	want := NormalizeScopes(asked)
	if stored == nil {
		return fmt.Errorf("%w: %s: asked %q, the vendor returned no grant", ErrNotApplied, key, want)
	}
	d := Diff(stored.Scopes, want)
	if d.IsEmpty() {
		return nil
	}
	var parts []string
	if len(d.Add) > 0 {
		parts = append(parts, fmt.Sprintf("missing %q", d.Add))
	}
	if len(d.Remove) > 0 {
		parts = append(parts, fmt.Sprintf("not asked %q", d.Remove))
	}
	return fmt.Errorf("%w: %s: asked %q, vendor stored %q (%s)", ErrNotApplied, key, want,
		NormalizeScopes(stored.Scopes), strings.Join(parts, ", "))
}

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

// AddScopes adds scopes to a grant. It reads the grant just before writing it and computes the
// new set from that read, so scopes someone else gave the grant meanwhile are kept: one read
// and one write (no vendor has a conditional write for grants; see the README's Reliability
// section for what each vendor sends). When the grant already has them all, nothing is
// written. Invalid input (see Grants.CheckGrant) is refused before anything is sent. The
// vendor's answer is checked with CheckStored: a scope it did not store is an error wrapping
// ErrNotApplied. Every error of the call, its read and write included, names "AddScopes" (see
// Error.Operation).
func AddScopes(ctx context.Context, g Grants, key GrantKey, scopes ...string) (*Grant, error) {
	return modifyScopes(ctx, "AddScopes", g, key, scopes, nil)
}

// RemoveScopes removes scopes from a grant, reading it just before the write as AddScopes does.
// When the grant has none of them, nothing is written. The vendor's answer is checked as
// AddScopes checks it, and every error names "RemoveScopes".
func RemoveScopes(ctx context.Context, g Grants, key GrantKey, scopes ...string) (*Grant, error) {
	return modifyScopes(ctx, "RemoveScopes", g, key, nil, scopes)
}

// applyDelta is the set a grant holding current has after adding add and removing remove.
func applyDelta(current, add, remove []string) []string {
	out := slices.DeleteFunc(slices.Clone(current), func(s string) bool { return slices.Contains(remove, s) })
	return NormalizeScopes(append(out, add...))
}

func modifyScopes(ctx context.Context, op string, g Grants, key GrantKey, add, remove []string) (*Grant, error) {
	ctx, op, err := startHelper(ctx, op, g)
	if err != nil {
		return nil, err
	}
	// Only added scopes are sent as the caller wrote them; a removed one is never sent.
	if key, err = checkGrant(g, op, key, add); err != nil {
		return nil, err
	}
	cur, err := readForUpdate(ctx, g, key)
	if err != nil {
		return nil, err
	}
	want := applyDelta(cur.Grant.Scopes, add, remove)
	if Diff(cur.Grant.Scopes, want).IsEmpty() {
		return cur.Grant, nil
	}
	got, err := cur.SetScopes(ctx, want)
	if err != nil {
		return nil, err
	}
	if got == nil {
		// The vendor's answer did not say what it stored: read it back.
		if got, err = g.Get(ctx, key); err != nil {
			return nil, fmt.Errorf("%s: %s: %s: written, but reading it back failed: %w", g.Vendor(), op, key, err)
		}
	}
	// The vendors' own adapters already check; an implementation of Grants that does not must
	// not let a silently dropped scope through either.
	if err := CheckStored(key, want, got); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", g.Vendor(), op, err)
	}
	return got, nil
}

// adapter is what the helpers use of a vendor's own Grants adapter (see internal/grantwrite).
type adapter = grantwrite.Adapter[*Grant, GrantKey, GrantListOptions]

type listed = grantwrite.Listed[*Grant]

// checkGrant runs g's checks of a write of scopes on key, naming op, and returns the key as
// g's List reports keys.
func checkGrant(g Grants, op string, key GrantKey, scopes []string) (GrantKey, error) {
	if a, ok := g.(adapter); ok {
		return a.Check(op, key, scopes)
	}
	if err := g.CheckGrant(key, scopes); err != nil {
		return key, fmt.Errorf("%s: %s: %w", g.Vendor(), op, err)
	}
	return key, nil
}

// readForUpdate reads the grant key identifies just before a write, with its writer: the
// vendor adapter's own read, or Get with SetScopes as the writer.
func readForUpdate(ctx context.Context, g Grants, key GrantKey) (listed, error) {
	if a, ok := g.(adapter); ok {
		return a.ReadForUpdate(ctx, key)
	}
	gr, err := g.Get(ctx, key)
	if err != nil {
		return listed{}, err
	}
	return listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*Grant, error) {
		return g.SetScopes(ctx, key, scopes)
	}}, nil
}

// ScopeDefinition is a scope as a resource (API) defines it.
type ScopeDefinition struct {
	Name        string // the scope as tokens and grants name it, such as "read:invoices"
	Description string
}

// ScopeCatalog is the vendor-neutral view of the scopes each resource defines, offered by the
// vendors whose scopes are user-defined: Auth0 (the scopes of a resource server), OneLogin (the
// scopes of an API authorization server) and PingOne (the scopes of a resource), each through
// its client's ScopeCatalog method. CPN's scopes are defined by the platform, so the cpn client
// offers no catalog.
//
// A resource is named by the same string a GrantKey.Resource uses at that vendor, so a scope
// defined here can be granted with Grants.Create or SetScopes on that resource.
type ScopeCatalog interface {
	// Vendor names the vendor: "auth0", "onelogin" or "pingone".
	Vendor() string
	// Resources iterates over the identifiers of the resources that define scopes (the same
	// string a GrantKey.Resource uses at that vendor).
	Resources(ctx context.Context) iter.Seq2[string, error]
	// ListScopes returns the scopes resource defines, sorted by name.
	ListScopes(ctx context.Context, resource string) ([]ScopeDefinition, error)
	// DefineScope adds a scope to resource and returns it as defined; a scope of that name
	// already defined is an error wrapping ErrScopeExists, and nothing is changed then.
	DefineScope(ctx context.Context, resource string, s ScopeDefinition) (*ScopeDefinition, error)
	// DescribeScope changes the description of an existing scope and nothing else about it
	// (ErrScopeNotFound if it is missing).
	DescribeScope(ctx context.Context, resource, name, description string) (*ScopeDefinition, error)
	// RemoveScope removes a scope from resource (ErrScopeNotFound if it is missing). What
	// becomes of grants that hold the scope is the vendor's rule; each adapter documents it.
	RemoveScope(ctx context.Context, resource, name string) error
	// CheckScope runs, without sending anything, every check DefineScope makes of resource
	// and s (the resource's form, the name's and description's syntax and length as the
	// vendor accepts them), and returns an error wrapping ErrInvalidInput that names what is
	// wrong, or nil. Whether the resource exists or defines the name already needs a read.
	CheckScope(resource string, s ScopeDefinition) error
}

var (
	// ErrScopeExists is wrapped by ScopeCatalog.DefineScope when the resource already defines
	// a scope of that name.
	ErrScopeExists = errors.New("scope already defined")
	// ErrScopeNotFound is wrapped by ScopeCatalog.DescribeScope and RemoveScope when the
	// resource defines no scope of that name.
	ErrScopeNotFound = errors.New("scope not found")
)

// startHelper starts helper op (such as "AddScopes") of the package on g. Ordinary mistakes get
// an error, not a panic inside the vendor's adapter; the adapters name op in every error of the
// calls that follow (see Error.Operation), and the returned op is the name in effect.
func startHelper(ctx context.Context, op string, g Grants) (context.Context, string, error) {
	switch {
	case ctx == nil:
		return nil, op, fmt.Errorf("%s: %w: ctx: is nil; pass a context such as context.Background()", op, ErrInvalidInput)
	case g == nil:
		return nil, op, fmt.Errorf("%s: %w: g: the Grants is nil; pass a vendor client's Grants()", op, ErrInvalidInput)
	}
	ctx, op = named(ctx, op)
	return ctx, op, nil
}
