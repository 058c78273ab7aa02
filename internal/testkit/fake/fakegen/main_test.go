package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every vendor fake's fake_gen.go is what fakegen writes from internal/testkit/fake today, so a change
// to the shared types or methods cannot leave a fake's page out of date (CI's go generate
// check says the same for the whole tree).
func TestFakesAreCurrent(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	root, _, err := findModule(wd)
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(root, "*", "*fake", output))
	require.NoError(t, err)
	require.Len(t, files, 6, "auth0fake, cpnfake, oktafake, oneloginfake, oryfake, pingonefake")
	for _, file := range files {
		dir := filepath.Dir(file)
		want, err := generate(dir, filepath.Base(dir))
		require.NoError(t, err)
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s: run go generate ./...", file)
	}
}

// What fakegen copies carries the shared types' fields and the forwarded methods' signatures.
func TestParseShared(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	s, err := parseShared(filepath.Dir(wd))
	require.NoError(t, err)

	names := map[string]string{}
	for _, a := range s.aliases {
		names[a.name] = a.decl
	}
	assert.Contains(t, names, "Fault")
	assert.Contains(t, names, "Match")
	assert.Contains(t, names["Match"], "Nth int")
	assert.Contains(t, names["Fault"], "// RetryAfter, when set,")

	sigs := map[string]method{}
	for _, m := range s.methods {
		sigs[m.name] = m
	}
	assert.Equal(t, "(m Match, faults ...Fault)", sigs["Fail"].signature)
	assert.Equal(t, []string{"m", "faults..."}, sigs["Fail"].args)
	assert.Equal(t, "() []Request", sigs["Requests"].signature)
	assert.True(t, sigs["Requests"].returns)
	assert.NotContains(t, sigs, "Authorize", "only marked methods are forwarded")
}
