package grantkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// Field is one field of a partial update (PATCH). A vendor distinguishes four states of such a
// field, and so does Field:
//
//	var f grantkit.Field[[]string]  // left out: the field is not sent, the stored value stays
//	f = grantkit.Null[[]string]()   // sent as null
//	f = grantkit.Set[[]string]()    // sent as []
//	f = grantkit.Set("read:users")  // sent as ["read:users"]
//
// There is one constructor for each state that is sent: [Null], [Set] for a list and [Value]
// for anything else. When a type argument is written, it is always the field's own type T
// (the T of Field[T]): Null[[]string](), Set[[]string](), Value[int32](1800). It is needed
// only where Go cannot infer it from the arguments:
//
//	var u struct {
//		Enabled grantkit.Field[bool]
//		Usage   grantkit.Field[auth0.OrganizationUsage]
//		TTL     grantkit.Field[int32]
//		Scopes  grantkit.Field[[]string]
//		Secret  grantkit.Field[grantkit.Secret]
//	}
//	u.Enabled = grantkit.Value(true)
//	u.Usage = grantkit.Value(auth0.OrganizationUsageAllow) // a typed constant, as every enum has
//	u.Usage = grantkit.Value[auth0.OrganizationUsage]("deny")
//	u.TTL = grantkit.Value[int32](1800) // an untyped number would be an int
//	u.Scopes = grantkit.Set("read:users", "update:users")
//	u.Scopes = grantkit.Set[[]string]() // no values: the type says which list
//	u.Secret = grantkit.Value(grantkit.Secret(os.Getenv("NEW_SECRET")))
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

// Value returns a Field that sends v. Use it for everything but a list, which [Set] builds.
// Go infers T from v, so a constant without a type gives its default type (int, string,
// float64): write the field's type for another one, as in Value[int32](1800), or pass a
// typed constant, as in Value(auth0.OrganizationUsageAllow).
func Value[T any](v T) Field[T] { return Field[T]{value: v, state: stateValue} }

// Set returns a list Field that sends exactly these values; with no values it sends [].
// The values are copied, so changing the caller's slice later does not change the request.
//
// Its type argument is the field's type, a slice: Set[[]string]() is the empty list of a
// Field[[]string]. With values it is inferred: Set("read:users") is a Field[[]string].
func Set[S []E, E any](values ...E) Field[S] {
	v := slices.Clone(values)
	if v == nil {
		v = []E{}
	}
	return Field[S]{value: v, state: stateValue}
}

// Null returns a Field that sends an explicit JSON null. Its type argument is the field's
// type: Null[[]string](), Null[bool]().
func Null[T any]() Field[T] { return Field[T]{state: stateNull} }

// IsZero reports whether the field is left out of the request.
func (f Field[T]) IsZero() bool { return f.state == stateOmitted }

// IsNull reports whether the field is sent as null.
func (f Field[T]) IsNull() bool { return f.state == stateNull }

// Get returns the value to send and true, or the zero value and false when the field is
// left out or null.
func (f Field[T]) Get() (T, bool) { return f.value, f.state == stateValue }

var errOmittedField = errors.New("grantkit: a left-out Field cannot be encoded; tag the struct field with omitzero")

// MarshalJSON encodes null or the value (a nil slice as []). A left-out Field is an error rather than a silent
// null: tag the struct field `json:",omitzero"` so encoding/json skips it.
func (f Field[T]) MarshalJSON() ([]byte, error) {
	switch f.state {
	case stateNull:
		return []byte("null"), nil
	case stateValue:
		if isNilSlice(f.value) {
			// A value is never sent as null: Value([]string(nil)) means the empty list, as
			// the vendor clients send it too.
			return []byte("[]"), nil
		}
		return json.Marshal(f.value)
	default:
		return nil, errOmittedField
	}
}

func isNilSlice(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Slice && rv.IsNil()
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
