// Package codecbench benchmarks decoding and encoding one vendor object with the ogen-generated
// type against encoding/json on an equivalent hand-written struct. Each vendor package calls
// Run from a _test file (only it may import its generated package).
package codecbench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"testing"

	"github.com/go-faster/jx"
)

// Generated is what every ogen-generated object offers.
type Generated interface {
	Decode(d *jx.Decoder) error
	Encode(e *jx.Encoder)
}

// Run benchmarks data (a JSON object) decoded into and encoded from gen (a fresh value each
// time from newGen) and std (a pointer to a struct for encoding/json, fresh from newStd).
// Check with Equivalent, in a test, that the two are a fair comparison. Sub-benchmarks, the
// encoding/json one first so that `benchstat -col /codec` uses it as the baseline:
//
//	op=decode/codec=encoding-json     json.Unmarshal into a new hand-written struct
//	op=decode/codec=ogen              what the generated client does with a 2xx body:
//	                                  jx.DecodeBytes, Decode into a new value, check the end
//	op=encode/codec=encoding-json     json.Marshal of the hand-written struct
//	op=encode/codec=ogen-client       a new jx.Encoder per call, as the generated client does
//	                                  per request
//	op=encode/codec=ogen-pooled       one jx.Encoder reset and reused (the bytes stay in it)
//	op=encode/codec=ogen-pooled-copy  jx.GetEncoder, encode, copy the bytes out, jx.PutEncoder:
//	                                  an owned []byte, as a request body needs and as
//	                                  json.Marshal returns
func Run[G Generated, S any](b *testing.B, data []byte, newGen func() G, newStd func() *S) {
	gen, std := newGen(), newStd()
	if err := decodeOgen(data, gen); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, std); err != nil {
		b.Fatal(err)
	}

	b.Run("op=decode/codec=encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := json.Unmarshal(data, newStd()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=decode/codec=ogen", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := decodeOgen(data, newGen()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=encode/codec=encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := json.Marshal(std)
			if err != nil {
				b.Fatal(err)
			}
			runtime.KeepAlive(out) // the encoding must not be optimised away
		}
	})
	b.Run("op=encode/codec=ogen-client", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := new(jx.Encoder)
			gen.Encode(e)
			runtime.KeepAlive(e.Bytes()) // the encoding must not be optimised away
		}
	})
	b.Run("op=encode/codec=ogen-pooled", func(b *testing.B) {
		b.ReportAllocs()
		e := new(jx.Encoder)
		for b.Loop() {
			e.Reset()
			gen.Encode(e)
			runtime.KeepAlive(e.Bytes()) // the encoding must not be optimised away
		}
	})
	b.Run("op=encode/codec=ogen-pooled-copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := jx.GetEncoder()
			gen.Encode(e)
			runtime.KeepAlive(bytes.Clone(e.Bytes())) // the encoding must not be optimised away
			jx.PutEncoder(e)
		}
	})
}

// Equivalent reports whether the generated type and the hand-written struct both decode data
// and encode it back to the same JSON (same fields, names and values; any order), which is
// what makes Run's comparison fair.
func Equivalent[G Generated, S any](data []byte, gen G, std *S) error {
	if err := decodeOgen(data, gen); err != nil {
		return fmt.Errorf("the generated type: %w", err)
	}
	if err := json.Unmarshal(data, std); err != nil {
		return fmt.Errorf("the hand-written struct: %w", err)
	}
	e := new(jx.Encoder)
	gen.Encode(e)
	stdOut, err := json.Marshal(std)
	if err != nil {
		return fmt.Errorf("the hand-written struct: %w", err)
	}
	for _, c := range []struct {
		name string
		out  []byte
	}{{"the generated type", e.Bytes()}, {"the hand-written struct", stdOut}} {
		if !jsonEqual(data, c.out) {
			return fmt.Errorf("%s does not encode back to the input:\nin  %s\nout %s", c.name, data, c.out)
		}
	}
	return nil
}

// decodeOgen decodes a response body as the generated client does.
func decodeOgen(data []byte, v Generated) error {
	d := jx.DecodeBytes(data)
	if err := v.Decode(d); err != nil {
		return err
	}
	if err := d.Skip(); err != io.EOF {
		return errors.New("unexpected trailing data")
	}
	return nil
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
