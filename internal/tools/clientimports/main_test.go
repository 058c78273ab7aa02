package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ogen "github.com/ogen-go/ogen/ogenerrors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit/internal/ogenerrors"
)

const generatedFile = `package oas

import (
	"errors"

	"github.com/ogen-go/ogen/ogenerrors"
)

var _ = errors.Is(nil, ogenerrors.ErrSkipClientSecurity)
var _ = ogenerrors.%s
`

func write(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := []byte(fmtFile(name))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), src, 0o644))
	return dir
}

func fmtFile(name string) string { return strings.Replace(generatedFile, "%s", name, 1) }

func TestRewritesTheImport(t *testing.T) {
	dir := write(t, "ErrSecurityRequirementIsNotSatisfied")
	require.NoError(t, run("../../ogenerrors", []string{dir}))
	got, err := os.ReadFile(filepath.Join(dir, "a.go"))
	require.NoError(t, err)
	assert.Contains(t, string(got), `"github.com/grantkit/grantkit/internal/ogenerrors"`)
	assert.NotContains(t, string(got), `"github.com/ogen-go/ogen/ogenerrors"`)
}

// A name of ogen's package that internal/ogenerrors lacks (an ogen upgrade started using it)
// fails the generation and leaves the files as ogen wrote them.
func TestRefusesANameTheStandInLacks(t *testing.T) {
	dir := write(t, "DecodeParamsError{}")
	err := run("../../ogenerrors", []string{dir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ogenerrors.DecodeParamsError")
	got, _ := os.ReadFile(filepath.Join(dir, "a.go"))
	assert.Equal(t, fmtFile("DecodeParamsError{}"), string(got))
}

// The stand-in says what ogen's package says, so errors read the same after the rewrite.
func TestStandInMatchesOgen(t *testing.T) {
	assert.Equal(t, ogen.ErrSkipClientSecurity.Error(), ogenerrors.ErrSkipClientSecurity.Error())
	assert.Equal(t, ogen.ErrSecurityRequirementIsNotSatisfied.Error(), ogenerrors.ErrSecurityRequirementIsNotSatisfied.Error())
	cause := errors.New("unexpected EOF")
	theirs := &ogen.DecodeBodyError{ContentType: "application/json", Body: []byte("{"), Err: cause}
	ours := &ogenerrors.DecodeBodyError{ContentType: "application/json", Body: []byte("{"), Err: cause}
	assert.Equal(t, theirs.Error(), ours.Error())
	assert.ErrorIs(t, ours, cause)
}
