// Package grantwrite is what package grantkit's helpers (AddScopes, RemoveScopes, PlanScopes,
// ApplyScopes) use of a vendor's Grants adapter beyond the public grantkit.Grants: reads that
// carry the writer of what they read, so that a change is written once, from the state it was
// computed from. It imports neither grantkit nor a vendor, so both can use it; the type
// parameters are grantkit's Grant, GrantKey and GrantListOptions.
package grantwrite

import (
	"context"
	"iter"
)

// Listed is one grant as a read returned it, with the writer of its scopes.
type Listed[G any] struct {
	Grant G
	// SetScopes replaces the grant's scopes with exactly scopes in one write, starting from
	// the grant as read (every other field goes back as it was read, or is not sent), and
	// returns the grant as stored, checked with grantkit.CheckStored. When the vendor's
	// answer does not say what it stored, it returns a nil grant and no error, and the caller
	// reads it back. Errors it builds itself name the operation in effect in ctx.
	SetScopes func(ctx context.Context, scopes []string) (G, error)
}

// Adapter is implemented by every vendor's Grants adapter (checked at compile time in each
// vendor package, and by the shared scenarios).
type Adapter[G, K, O any] interface {
	// ListForUpdate iterates as List(ctx, opts) does, each grant with its writer.
	ListForUpdate(ctx context.Context, opts O) iter.Seq2[Listed[G], error]
	// ReadForUpdate reads the one grant key identifies, as Get does and with the same
	// errors, with its writer: the read just before a write.
	ReadForUpdate(ctx context.Context, key K) (Listed[G], error)
	// Check runs, without a request, every check a write of scopes on key makes (the
	// adapter's CheckGrant), naming op in its error, and returns key as List reports keys (at
	// Auth0, subject type "client" is the empty SubjectType). Its errors wrap
	// grantkit.ErrInvalidInput.
	Check(op string, key K, scopes []string) (K, error)
}
