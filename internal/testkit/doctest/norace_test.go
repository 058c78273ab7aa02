//go:build !race

package doctest_test

// buildFlags: see race_test.go.
var buildFlags []string
