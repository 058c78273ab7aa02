// Package ogenerrors stands in, in the generated clients (*/internal/oas), for ogen's package
// of the same name. The client half uses three of its names; ogen's package also imports ogen's
// OpenAPI parser, and with it zap, colour and YAML libraries, which would otherwise be linked
// into every program that uses a grantkit client. `go generate` points the client half's import
// here (internal/tools/clientimports), and fails when the generated code uses a name this
// package lacks, so an ogen upgrade that changes them cannot go unnoticed.
//
// The fakes' server half keeps ogen's own package: only tests link it.
package ogenerrors

import (
	"errors"
	"fmt"
)

// ErrSkipClientSecurity, returned by a client's security source, skips that security scheme
// for the request (grantkit's transport sets the credentials itself).
var ErrSkipClientSecurity = errors.New("skip client security")

// ErrSecurityRequirementIsNotSatisfied is returned when no security scheme of an operation
// was satisfied.
var ErrSecurityRequirementIsNotSatisfied = errors.New("security requirement is not satisfied")

// DecodeBodyError is a response body the generated client could not decode.
type DecodeBodyError struct {
	ContentType string
	Body        []byte
	Err         error
}

func (d *DecodeBodyError) Error() string {
	return fmt.Sprintf("decode %s: %s", d.ContentType, d.Err)
}

func (d *DecodeBodyError) Unwrap() error { return d.Err }
