// Package opname carries, through a call's context, the name of the exported method or
// function the caller called, so that every error the call returns names it
// (grantkit.Error.Operation) whatever other methods it runs on the way. It imports nothing of
// grantkit's, so that the root package, the vendor-neutral layer and the transport all use it.
package opname

import "context"

type key struct{}

// Named returns ctx naming op as the operation, unless ctx names one already: the outermost
// method wins, so the Grants.Get that grantkit.AddScopes runs, and the vendor calls under it,
// all report "AddScopes". It returns the context to pass on and the name in effect. ctx must
// not be nil.
func Named(ctx context.Context, op string) (context.Context, string) {
	if outer := From(ctx); outer != "" {
		return ctx, outer
	}
	return context.WithValue(ctx, key{}, op), op
}

// From returns the operation ctx names, or "" if none.
func From(ctx context.Context) string {
	op, _ := ctx.Value(key{}).(string)
	return op
}
