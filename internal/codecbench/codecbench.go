// Package codecbench benchmarks decoding and encoding one vendor object with the ogen-generated
// type against encoding/json on an equivalent hand-written struct. Each vendor package calls
// Run from a _test file (only it may import its generated package).
package codecbench

import (
	"encoding/json"
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
//
//	decode/ogen            jx decoding into the generated type
//	decode/encoding-json   json.Unmarshal into the hand-written struct
//	encode/ogen-client     a new jx.Encoder per call, as the generated client does per request
//	encode/ogen-pooled     one jx.Encoder reset and reused
//	encode/encoding-json   json.Marshal of the hand-written struct
func Run[G Generated, S any](b *testing.B, data []byte, newGen func() G, newStd func() *S) {
	gen, std := newGen(), newStd()
	if err := gen.Decode(jx.DecodeBytes(data)); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, std); err != nil {
		b.Fatal(err)
	}
	b.Run("decode/ogen", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := newGen().Decode(jx.DecodeBytes(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := json.Unmarshal(data, newStd()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/ogen-client", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := new(jx.Encoder)
			gen.Encode(e)
			_ = e.Bytes()
		}
	})
	b.Run("encode/ogen-pooled", func(b *testing.B) {
		b.ReportAllocs()
		e := new(jx.Encoder)
		for b.Loop() {
			e.Reset()
			gen.Encode(e)
			_ = e.Bytes()
		}
	})
	b.Run("encode/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(std); err != nil {
				b.Fatal(err)
			}
		}
	})
}
