package transport

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Begin makes one allocation per call: the call record and the context carrying it are one
// value, and the context answers for the call as context.WithValue would.
func TestBeginAllocatesOnce(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := Begin(ctx, "acme", "Things.Update", true); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 1.0, allocs)

	type key struct{}
	parent := context.WithValue(ctx, key{}, "kept")
	cctx, call, err := Begin(parent, "acme", "Things.Update", true)
	require.NoError(t, err)
	assert.Same(t, call, callFrom(cctx))
	assert.Equal(t, "kept", cctx.Value(key{}), "the caller's values are still seen")
	inner, innerCall, err := Begin(cctx, "acme", "Things.Get", true)
	require.NoError(t, err)
	assert.Same(t, innerCall, callFrom(inner))
	assert.Equal(t, "Things.Update", innerCall.Operation(), "the outer call's name wins")
}
