package onelogin

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// pages iterates over a OneLogin list from cursor. OneLogin documents no paging for these
// lists, but its API v2 pages others with an After-Cursor header to send back as ?cursor=
// (https://developers.onelogin.com/api-docs/2/getting-started/using-query-parameters); a
// list answered that way is followed to its end rather than silently cut to its first page.
func pages[T any](ctx context.Context, cursor string, fetch func(ctx context.Context, cursor string) (grantkit.Page[T], error)) iter.Seq2[*T, error] {
	return paging.All(ctx, cursor, fetch)
}

// optCursor is the cursor query parameter: absent for the first page.
func optCursor(cursor string) oas.OptString {
	var c oas.OptString
	if cursor != "" {
		c.SetTo(cursor)
	}
	return c
}
