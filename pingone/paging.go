package pingone

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// collection is one page of a PingOne collection as a fetch function reads it: its items, its
// links and PingOne's count of the whole collection.
type collection[T any] struct {
	items []T
	links oas.OptLinksHATEOAS
	count oas.OptInt
}

// pages iterates over a PingOne collection from cursor (empty: the first page), following
// _links.next as PingOne's official SDK does. Each page is a call of operation op (see page).
func pages[T any](ctx context.Context, begin beginFunc, op, cursor string, fetch func(ctx context.Context, opts ...oas.RequestOption) (collection[T], error)) iter.Seq2[*T, error] {
	return paging.All(ctx, cursor, func(ctx context.Context, next string) (grantkit.Page[T], error) {
		return page(ctx, begin, op, next, fetch)
	})
}

// page reads one page of a PingOne collection as a call of operation op (begin is the
// service's): the first when cursor is empty, otherwise the one cursor, a _links.next href of
// an earlier page, names. fetch reads a page with the request options given (none for the
// first page). The page's Total is PingOne's count, -1 when it sends none.
func page[T any](ctx context.Context, begin beginFunc, op, cursor string, fetch func(ctx context.Context, opts ...oas.RequestOption) (collection[T], error)) (grantkit.Page[T], error) {
	var opts []oas.RequestOption
	if cursor != "" {
		opts = append(opts, oas.WithEditRequest(func(r *http.Request) error { return followLink(r, cursor) }))
	}
	ctx, call, err := begin(ctx, op)
	if err != nil {
		return grantkit.Page[T]{}, err
	}
	c, err := fetch(ctx, opts...)
	if err != nil {
		return grantkit.Page[T]{}, call.Err(err)
	}
	out := grantkit.Page[T]{Items: c.items, Total: c.count.Or(-1)}
	if l, ok := c.links.Value["next"]; ok {
		if out.Next = l.Href.Or(""); out.Next == "" {
			return grantkit.Page[T]{}, call.Failed("PingOne sent a next page link with no href")
		}
	}
	return out, nil
}

// beginFunc is a service's begin method (see ApplicationGrantsService.begin).
type beginFunc func(ctx context.Context, op string) (context.Context, *transport.Call, error)

// followLink points r, the request for the first page of a collection, at the page that link
// (a _links.next href) names. Only the link's query is used: the request keeps the host and
// path the client was configured with, so a token is never sent anywhere else, and a link to
// a different collection is refused rather than followed.
func followLink(r *http.Request, link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("PingOne's next page link %q: %w", link, err)
	}
	i := strings.Index(u.EscapedPath(), "/environments/")
	if i < 0 || !strings.HasSuffix(r.URL.EscapedPath(), u.EscapedPath()[i:]) {
		return fmt.Errorf("PingOne's next page link %q is not for %s; not followed", link, r.URL.EscapedPath())
	}
	r.URL.RawQuery = u.RawQuery
	return nil
}
