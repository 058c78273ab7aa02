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
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// pages iterates over a PingOne collection page by page, following _links.next as PingOne's
// official SDK does. fetch reads one page with the request options given (none for the first
// page) and returns its items and links.
func pages[T any](ctx context.Context, op string, fetch func(ctx context.Context, opts ...oas.RequestOption) ([]T, oas.OptLinksHATEOAS, error)) iter.Seq2[*T, error] {
	return paging.All(ctx, "", func(ctx context.Context, next string) (grantkit.Page[T], error) {
		var opts []oas.RequestOption
		if next != "" {
			opts = append(opts, oas.WithEditRequest(func(r *http.Request) error { return followLink(r, next) }))
		}
		ctx, call := begin(ctx, op)
		items, links, err := fetch(ctx, opts...)
		if err != nil {
			return grantkit.Page[T]{}, call.Err(err)
		}
		page := grantkit.Page[T]{Items: items}
		if l, ok := links.Value["next"]; ok {
			if page.Next = l.Href.Or(""); page.Next == "" {
				return grantkit.Page[T]{}, call.Failed("PingOne sent a next page link with no href")
			}
		}
		return page, nil
	})
}

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
