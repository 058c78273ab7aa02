// Package neutral holds what every vendor's grantkit.Grants adapter does the same way: pick
// the one grant a key identifies, and refuse a key field the vendor cannot honour.
package neutral

import (
	"fmt"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/validate"
)

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
