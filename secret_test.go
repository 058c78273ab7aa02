package grantkit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

func TestSecretNeverPrints(t *testing.T) {
	const v = "Sup3r-Secret!"
	s := grantkit.Secret(v)
	holder := struct {
		ID     string
		Secret grantkit.Secret
		Field  grantkit.Field[grantkit.Secret]
	}{"x", s, grantkit.Value(s)}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "secret", s, "holder", holder)
	js, err := json.Marshal(holder)
	require.NoError(t, err)
	for _, out := range []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", holder, holder, &holder), logs.String(), string(js),
	} {
		assert.NotContains(t, out, v)
		assert.NotContains(t, out, "Sup3r")
		assert.Contains(t, out, "[REDACTED]")
	}
	// Format takes every verb, %#v included; GoString serves callers that ask for it directly.
	assert.Equal(t, "grantkit.Secret([REDACTED])", s.GoString())
	assert.Equal(t, v, s.Reveal())
}
