// Package patch copies a grantkit.Field into the matching optional-nullable type that ogen
// generates (OptNil*), keeping all four PATCH states: left out, null, [] and values.
package patch

import "github.com/grantkit/grantkit"

// optNil is the method set ogen gives every OptNil* type.
type optNil[T any, O any] interface {
	*O
	SetTo(T)
	SetToNull()
}

// Apply sets dst from f. A left-out f leaves dst unset.
func Apply[T any, O any, P optNil[T, O]](f grantkit.Field[T], dst P) {
	if f.IsNull() {
		dst.SetToNull()
	} else if v, ok := f.Get(); ok {
		dst.SetTo(v)
	}
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
