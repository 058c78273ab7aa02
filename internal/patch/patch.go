// Package patch is the one place where a grantkit.Field becomes the optional type ogen
// generates for a request field, and where "a nil list means []" is decided. It keeps all four
// PATCH states of a Field: left out, null, [] and values.
package patch

import (
	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/validate"
)

// optNil is the method set ogen gives every OptNil* type (optional and nullable).
type optNil[T any, O any] interface {
	*O
	SetTo(T)
	SetToNull()
}

// opt is the method set ogen gives every Opt* type (optional, not nullable).
type opt[T any, O any] interface {
	*O
	SetTo(T)
}

// Apply sets dst, a field the vendor accepts as null, from f. A left-out f leaves dst unset.
func Apply[T any, O any, P optNil[T, O]](f grantkit.Field[T], dst P) {
	if f.IsNull() {
		dst.SetToNull()
	} else if v, ok := f.Get(); ok {
		dst.SetTo(v)
	}
}

// Get returns the value of f, a field the vendor does not accept as null, and whether it is
// set. A null f is an error naming field: the spec's type has no null to send, and leaving the
// field out instead would silently mean "unchanged", not what the caller asked for.
func Get[T any](field string, f grantkit.Field[T]) (T, bool, error) {
	if f.IsNull() {
		var zero T
		return zero, false, validate.Errorf(field, "cannot be null; leave the field out instead")
	}
	v, ok := f.Get()
	return v, ok, nil
}

// NotNull sets dst, a field the vendor does not accept as null, from f (see Get). A left-out f
// leaves dst unset.
func NotNull[T any, O any, P opt[T, O]](field string, f grantkit.Field[T], dst P) error {
	v, ok, err := Get(field, f)
	if ok {
		dst.SetTo(v)
	}
	return err
}

// Map converts the value of f with conv, keeping its state.
func Map[T, U any](f grantkit.Field[T], conv func(T) U) grantkit.Field[U] {
	if f.IsNull() {
		return grantkit.Null[U]()
	}
	if v, ok := f.Get(); ok {
		return grantkit.Value(conv(v))
	}
	return grantkit.Field[U]{}
}

// List returns s, or an empty list when s is nil. A list the caller gives, nil included, means
// "these items": it is sent as [], never left out or sent as null, which is what the generated
// encoder would make of a nil slice.
func List[E any](s []E) []E {
	if s == nil {
		return []E{}
	}
	return s
}

// ListField is f with a list set explicitly to nil (grantkit.Set[[]E]() or
// grantkit.Value([]E(nil))) turned into [] (see List); null and left out stay as they are.
func ListField[E any](f grantkit.Field[[]E]) grantkit.Field[[]E] {
	if v, ok := f.Get(); ok && v == nil {
		return grantkit.Value([]E{})
	}
	return f
}
