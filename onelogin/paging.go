package onelogin

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// pages iterates over a OneLogin list. OneLogin documents no paging for these lists, but its
// API v2 pages others with an After-Cursor header to send back as ?cursor=
// (https://developers.onelogin.com/api-docs/2/getting-started/using-query-parameters); a
// list answered that way is followed to its end rather than silently cut to its first page.
// fetch gets one page and returns the next cursor, "" on the last page.
func pages[T any](ctx context.Context, fetch func(ctx context.Context, cursor oas.OptString) ([]T, string, error)) iter.Seq2[*T, error] {
	return paging.All(ctx, "", func(ctx context.Context, cursor string) (grantkit.Page[T], error) {
		var c oas.OptString
		if cursor != "" {
			c.SetTo(cursor)
		}
		items, next, err := fetch(ctx, c)
		return grantkit.Page[T]{Items: items, Next: next}, err
	})
}
