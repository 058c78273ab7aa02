//go:build !race

package pingone

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A grant's body costs the request and its scope list, not a string per scope id: the field
// name of an id is built only for one that fails its check.
func TestGrantRequestAllocatesNothingPerScope(t *testing.T) {
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = fmt.Sprintf("scope-%02d", i)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := grantRequest("r", ids, grantKept{}); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 2.0)

	ids[3] = "a/b"
	_, err := grantRequest("r", ids, grantKept{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scopes[3].id")
}
