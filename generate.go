package grantkit

// The vendor clients are compiled from the specs in specs/ by ogen, pinned as a tool in go.mod.
// Run `go generate ./...` from the module root; CI checks that it leaves the tree unchanged.

//go:generate go tool ogen --config specs/ogen.yml --target auth0/internal/oas --package oas --clean specs/auth0.yaml
//go:generate go tool ogen --config specs/ogen.yml --target onelogin/internal/oas --package oas --clean specs/onelogin.yaml
//go:generate go tool ogen --config specs/ogen.yml --target pingone/internal/oas --package oas --clean specs/pingone.yaml
//go:generate go tool ogen --config specs/ogen.yml --target cpn/internal/oas --package oas --clean specs/cpn.yaml
