package grantkit

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recordingGrants records the operation name each method it reaches was called under.
type recordingGrants struct {
	Grants
	seen *[]string
}

func (g recordingGrants) Vendor() string { return "v" }

func (g recordingGrants) CheckGrant(GrantKey, []string) error { return nil }

func (g recordingGrants) Get(ctx context.Context, _ GrantKey) (*Grant, error) {
	*g.seen = append(*g.seen, OperationName(ctx))
	return nil, errors.New("stop")
}

func TestOperationNameReachesTheAdapterAndTheOutermostWins(t *testing.T) {
	var seen []string
	g := recordingGrants{seen: &seen}
	key := GrantKey{ClientID: "c", Resource: "r"}
	_, _ = AddScopes(context.Background(), g, key, "x")
	_, _ = RemoveScopes(context.Background(), g, key, "x")
	outer, op := named(context.Background(), "ApplyScopes")
	assert.Equal(t, "ApplyScopes", op)
	_, _ = AddScopes(outer, g, key, "x")
	assert.Equal(t, []string{"AddScopes", "RemoveScopes", "ApplyScopes"}, seen)
	assert.Empty(t, OperationName(context.Background()))
}
