//go:build race

package doctest_test

// buildFlags make the snippets' build share the build cache of a `go test -race` run, so
// that grantkit's packages are not compiled a second time without -race.
var buildFlags = []string{"-race"}
