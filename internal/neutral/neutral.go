// Package neutral holds what every vendor's grantkit.Grants adapter does the same way: start
// each method (refuse what would panic, name the operation), pick the one grant a key
// identifies, and refuse a key field the vendor cannot honour.
package neutral

import (
	"context"
	"fmt"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/opname"
	"github.com/grantkit/grantkit/internal/validate"
)

// Begin starts method op ("Grants.Get") of vendor's adapter. It refuses a nil ctx and a vendor
// client its New did not make (made false: the adapter of a nil or zero-value Client) with an
// error wrapping grantkit.ErrInvalidInput, and names op as the operation of every error the
// method's own calls return (grantkit.Error.Operation), unless an outer helper such as
// grantkit.AddScopes named its own. It returns the context to pass on and the name in effect,
// which the adapter also gives the errors it builds itself.
func Begin(ctx context.Context, vendor, op string, made bool) (context.Context, string, error) {
	if ctx == nil {
		return nil, op, fmt.Errorf("%s: %s: %w", vendor, op, validate.NilContext())
	}
	ctx, op = opname.Named(ctx, op)
	if !made {
		return nil, op, fmt.Errorf("%s: %s: %w", vendor, op, validate.NotMade(vendor))
	}
	return ctx, op, nil
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
	return fmt.Errorf("%s: %s: %w", vendor, op, validate.Errorf("key.SubjectType",
		"%q: %s keeps one grant per client and resource, so a key names no subject type", key.SubjectType, vendor))
}
