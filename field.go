package grantkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Field is one field of a partial update (PATCH). A vendor distinguishes four states of such a
// field, and so does Field:
//
//	var f grantkit.Field[[]string]       // left out: the field is not sent, the stored value stays
//	f = grantkit.Null[[]string]()        // sent as null
//	f = grantkit.Set[string]()           // sent as []
//	f = grantkit.Set("read:users")       // sent as ["read:users"]
//
// For a scalar use [Value]: grantkit.Value(true), grantkit.Value("allow").
//
// The zero Field is "left out", so an update struct only sends what the caller set. Field
// also works with encoding/json when the struct field is tagged `json:",omitzero"`.
type Field[T any] struct {
	value T
	state fieldState
}

type fieldState uint8

const (
	stateOmitted fieldState = iota
	stateNull
	stateValue
)

// Value returns a Field that sends v.
func Value[T any](v T) Field[T] { return Field[T]{value: v, state: stateValue} }

// Set returns a list Field that sends exactly these values; with no values it sends [].
// The values are copied, so changing the caller's slice later does not change the request.
func Set[T any](values ...T) Field[[]T] {
	v := slices.Clone(values)
	if v == nil {
		v = []T{}
	}
	return Field[[]T]{value: v, state: stateValue}
}

// Null returns a Field that sends an explicit JSON null.
func Null[T any]() Field[T] { return Field[T]{state: stateNull} }

// IsZero reports whether the field is left out of the request.
func (f Field[T]) IsZero() bool { return f.state == stateOmitted }

// IsNull reports whether the field is sent as null.
func (f Field[T]) IsNull() bool { return f.state == stateNull }

// Get returns the value to send and true, or the zero value and false when the field is
// left out or null.
func (f Field[T]) Get() (T, bool) { return f.value, f.state == stateValue }

var errOmittedField = errors.New("grantkit: a left-out Field cannot be encoded; tag the struct field with omitzero")

// MarshalJSON encodes null or the value. A left-out Field is an error rather than a silent
// null: tag the struct field `json:",omitzero"` so encoding/json skips it.
func (f Field[T]) MarshalJSON() ([]byte, error) {
	switch f.state {
	case stateNull:
		return []byte("null"), nil
	case stateValue:
		return json.Marshal(f.value)
	default:
		return nil, errOmittedField
	}
}

// UnmarshalJSON decodes null as [Null] and anything else as a value. A field absent from
// the JSON object is never passed here and stays left out.
func (f *Field[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Value(v)
	return nil
}

// String describes the field for logs and %v: "<omitted>", "null", or the value as fmt
// prints it (a value type that redacts itself, such as a secret, stays redacted).
func (f Field[T]) String() string {
	switch f.state {
	case stateNull:
		return "null"
	case stateValue:
		return fmt.Sprint(f.value)
	default:
		return "<omitted>"
	}
}

// GoString makes %#v print the same as %v, so that it never bypasses a value's redaction.
func (f Field[T]) GoString() string { return "grantkit.Field(" + f.String() + ")" }
