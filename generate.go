package grantkit

// The vendor clients are compiled from the specs in specs/ by ogen, pinned as a tool in go.mod.
// Run `go generate ./...` from the module root; CI checks that it leaves the tree unchanged.
//
// Each spec is compiled twice: the client half (specs/ogen.yml) into <vendor>/internal/oas,
// which is all a user's build compiles, and the server half (specs/ogen-server.yml) into
// <vendor>/<vendor>fake/internal/oas, which only the vendor's fake imports. The client half's
// import of ogen's ogenerrors is then pointed at internal/ogenerrors (internal/tools/clientimports),
// so that a user's program does not link ogen's OpenAPI parser and its logging and YAML libraries.
// specs/ory.yaml is itself derived from Ory Hydra's official document by specs/derive-ory, and
// specs/okta.yaml from Okta's official document by specs/derive (with specs/okta-derive.yaml and
// specs/okta-overlay.yaml); both run first. After clientimports, internal/tools/lazyprops makes
// the client half's decoders create an object's map of unknown properties only when it has one
// (ogen makes an empty map for every decoded object).

//go:generate go run ./specs/derive-ory
//go:generate go run ./specs/derive -doc ../shared/vendor-specs/okta-management-minimal.yaml -config specs/okta-derive.yaml -overlay specs/okta-overlay.yaml -out specs/okta.yaml

//go:generate go tool ogen --config specs/ogen.yml --target auth0/internal/oas --package oas --clean specs/auth0.yaml
//go:generate go tool ogen --config specs/ogen.yml --target onelogin/internal/oas --package oas --clean specs/onelogin.yaml
//go:generate go tool ogen --config specs/ogen.yml --target pingone/internal/oas --package oas --clean specs/pingone.yaml
//go:generate go tool ogen --config specs/ogen.yml --target cpn/internal/oas --package oas --clean specs/cpn.yaml
//go:generate go tool ogen --config specs/ogen.yml --target okta/internal/oas --package oas --clean specs/okta.yaml
//go:generate go tool ogen --config specs/ogen.yml --target ory/internal/oas --package oas --clean specs/ory.yaml
//go:generate go run ./internal/tools/clientimports auth0/internal/oas onelogin/internal/oas pingone/internal/oas cpn/internal/oas okta/internal/oas ory/internal/oas
//go:generate go run ./internal/tools/lazyprops auth0/internal/oas onelogin/internal/oas pingone/internal/oas cpn/internal/oas okta/internal/oas ory/internal/oas

//go:generate go tool ogen --config specs/ogen-server.yml --target auth0/auth0fake/internal/oas --package oas --clean specs/auth0.yaml
//go:generate go tool ogen --config specs/ogen-server.yml --target onelogin/oneloginfake/internal/oas --package oas --clean specs/onelogin.yaml
//go:generate go tool ogen --config specs/ogen-server.yml --target pingone/pingonefake/internal/oas --package oas --clean specs/pingone.yaml
//go:generate go tool ogen --config specs/ogen-server.yml --target cpn/cpnfake/internal/oas --package oas --clean specs/cpn.yaml
//go:generate go tool ogen --config specs/ogen-server.yml --target okta/oktafake/internal/oas --package oas --clean specs/okta.yaml
//go:generate go tool ogen --config specs/ogen-server.yml --target ory/oryfake/internal/oas --package oas --clean specs/ory.yaml
