package grantkit

import "context"

type operationKey struct{}

// OperationName returns the name of the helper of this package (such as "AddScopes" or
// "ApplyScopes") that ctx was passed down from, or "" if none.
//
// It is the hook through which a Grants implementation learns what its caller called: the
// helpers run the implementation's methods with a context naming the helper, and an
// implementation names that operation, rather than its own method, in every error it returns
// (Error.Operation), so that all errors of one ApplyScopes say "ApplyScopes". The vendor
// packages' adapters do this; an implementation of your own may, or may ignore it.
func OperationName(ctx context.Context) string {
	op, _ := ctx.Value(operationKey{}).(string)
	return op
}

// named returns ctx naming op as the operation, unless ctx names one already: the outermost
// helper wins. It returns the context to pass on and the name in effect.
func named(ctx context.Context, op string) (context.Context, string) {
	if outer := OperationName(ctx); outer != "" {
		return ctx, outer
	}
	return context.WithValue(ctx, operationKey{}, op), op
}
