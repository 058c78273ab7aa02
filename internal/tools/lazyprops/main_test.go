package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const eagerDecoder = `package oas

func (s *Ref) Decode(d *jx.Decoder) error {
	s.AdditionalProps = map[string]jx.Raw{}

	return d.ObjBytes(func(d *jx.Decoder, k []byte) error {
		switch string(k) {
		default:
			var elem jx.Raw
			s.AdditionalProps[string(k)] = elem
		}
		return nil
	})
}
`

const lazyDecoder = `package oas

func (s *Ref) Decode(d *jx.Decoder) error {
	s.AdditionalProps = nil

	return d.ObjBytes(func(d *jx.Decoder, k []byte) error {
		switch string(k) {
		default:
			var elem jx.Raw
			if s.AdditionalProps == nil {
				s.AdditionalProps = map[string]jx.Raw{}
			}
			s.AdditionalProps[string(k)] = elem
		}
		return nil
	})
}
`

func TestRewriteMakesTheMapOnlyForAnUnknownProperty(t *testing.T) {
	out, err := rewrite([]byte(eagerDecoder))
	require.NoError(t, err)
	assert.Equal(t, lazyDecoder, string(out))

	again, err := rewrite(out)
	require.NoError(t, err)
	assert.Nil(t, again, "a rewritten file is left as it is")
}

func TestRewriteRefusesAShapeItDoesNotKnow(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "oas_json_gen.go")
	odd := eagerDecoder + "\nfunc (s *Other) Decode() { s.AdditionalProps = map[string]jx.Raw{}\n}\n"
	odd = odd[:len(odd)-len("}\n")] + "\ts.AdditionalProps = map[string]jx.Raw{}\n}\n"
	require.NoError(t, os.WriteFile(path, []byte(odd), 0o644))
	err := run([]string{dir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "2 decoders make an AdditionalProps map but 1 store into one")
	got, _ := os.ReadFile(path)
	assert.Equal(t, odd, string(got), "nothing is changed")
}

// The generated clients in the tree are rewritten: go generate leaves no eager map behind.
func TestGeneratedClientsAreLazy(t *testing.T) {
	for _, v := range []string{"auth0", "cpn", "okta", "onelogin", "pingone", "ory"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "..", v, "internal", "oas", "oas_json_gen.go"))
		require.NoError(t, err)
		assert.False(t, eager.Match(src), "%s/internal/oas makes an AdditionalProps map eagerly", v)
	}
}
