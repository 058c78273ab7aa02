// Package neutral holds what every vendor's grantkit.Grants adapter does the same way: start
// each method (refuse what would panic, name the operation), pick the one grant a key
// identifies, and refuse a key field the vendor cannot honour.
package neutral

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// Begin starts method op ("Grants.Get") of vendor's adapter as a call of its own
// (transport.Begin, the one owner of the operation's name). It refuses a nil ctx and a vendor
// client its New did not make (made false: the adapter of a nil or zero-value Client) with an
// error wrapping grantkit.ErrInvalidInput, and names op as the operation of every error the
// method's own calls return (grantkit.Error.Operation), unless an outer helper such as
// grantkit.AddScopes named its own. It returns the context to pass on and the name in effect,
// which the adapter also gives the errors it builds itself.
func Begin(ctx context.Context, vendor, op string, made bool) (context.Context, string, error) {
	if ctx == nil {
		return nil, op, fmt.Errorf("%s: %s: %w", vendor, op, validate.NilContext())
	}
	op = transport.Op(ctx, op)
	ctx, call, err := transport.Begin(ctx, vendor, op, made)
	if err != nil {
		return nil, op, err
	}
	return ctx, call.Operation(), nil
}

// One returns the only candidate matching key. No candidate is an error wrapping
// grantkit.ErrGrantNotFound; several are an error wrapping grantkit.ErrAmbiguousGrant that
// names their ids, because acting on one of them would act on a grant the caller did not
// identify.
func One[T any](vendor, op string, key grantkit.GrantKey, candidates []T, id func(T) string) (T, error) {
	var zero T
	switch len(candidates) {
	case 0:
		return zero, fmt.Errorf("%s: %s: %w: %s", vendor, op, grantkit.ErrGrantNotFound, key)
	case 1:
		return candidates[0], nil
	}
	ids := make([]string, len(candidates))
	for i, c := range candidates {
		ids[i] = id(c)
	}
	return zero, fmt.Errorf("%s: %s: %w: %s matches %d grants: %s", vendor, op, grantkit.ErrAmbiguousGrant,
		key, len(ids), strings.Join(ids, ", "))
}

// NoSubject refuses a key with SubjectType set, for a vendor that keeps one grant per client
// and resource: ignoring the field would act on a grant that may not be the one meant. The
// error wraps grantkit.ErrInvalidInput.
func NoSubject(vendor, op string, key grantkit.GrantKey) error {
	if key.SubjectType == "" {
		return nil
	}
	return fmt.Errorf("%s: %s: %w", vendor, op, validate.Errorf("key.subject_type",
		"%s: %s keeps one grant per client and resource, so a key names no subject type", validate.Quote(key.SubjectType), vendor))
}

// Exists is the error of a create for a key that already has a grant: it wraps
// grantkit.ErrGrantExists and names the existing grants' ids, so that the caller can see
// which grant is in the way.
func Exists(vendor, op string, key grantkit.GrantKey, ids ...string) error {
	return fmt.Errorf("%s: %s: %w: %s (grant %s)", vendor, op, grantkit.ErrGrantExists, key, strings.Join(ids, ", "))
}

// ScopeNamed returns the only scope of resource named name. None is an error wrapping
// grantkit.ErrScopeNotFound. Several (a vendor that let two scopes share a name) is an error
// naming their ids: which one to change or remove is not the caller's choice to have made.
func ScopeNamed[T any](vendor, op, resource, name string, scopes []T, nameOf, id func(T) string) (T, error) {
	var matches []T
	for _, s := range scopes {
		if nameOf(s) == name {
			matches = append(matches, s)
		}
	}
	var zero T
	switch len(matches) {
	case 0:
		return zero, fmt.Errorf("%s: %s: %w: %s on %s", vendor, op, grantkit.ErrScopeNotFound, validate.Quote(name), resource)
	case 1:
		return matches[0], nil
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = id(m)
	}
	return zero, fmt.Errorf("%s: %s: %w: %s defines %d scopes named %s (%s); remove one with the %s API first",
		vendor, op, grantkit.ErrDuplicateScope, resource, len(ids), validate.Quote(name), strings.Join(ids, ", "), vendor)
}

// CheckScope refuses an empty resource or scope name before anything is sent. The error
// wraps grantkit.ErrInvalidInput.
func CheckScope(vendor, op, resource, name string) error {
	if resource == "" {
		return fmt.Errorf("%s: %s: %w", vendor, op, validate.Errorf("resource", "must not be empty"))
	}
	if name == "" {
		return fmt.Errorf("%s: %s: %w", vendor, op, validate.Errorf("name", "the scope name must not be empty"))
	}
	return nil
}

// SortScopes sorts definitions by name, as ScopeCatalog.ListScopes returns them.
func SortScopes(defs []grantkit.ScopeDefinition) []grantkit.ScopeDefinition {
	slices.SortFunc(defs, func(a, b grantkit.ScopeDefinition) int { return strings.Compare(a.Name, b.Name) })
	if defs == nil {
		defs = []grantkit.ScopeDefinition{}
	}
	return defs
}

// IsNotFound reports whether err is the vendor's 404 answer: what a filtered listing of a
// client or resource the vendor does not know gets, which selects no grant.
func IsNotFound(err error) bool {
	var apiErr *grantkit.Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}
