package okta

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/okta/internal/oas"
)

// beginFunc is a service's begin method (see ApplicationGrantsService.begin).
type beginFunc func(ctx context.Context, op string) (context.Context, *transport.Call, error)

// page reads one page of an Okta list: the first, or the one cursor (a previous page's Next,
// the URL of Okta's Link rel="next") names. fetch reads it with the request options given and
// returns its items and Link header values.
func page[T any](ctx context.Context, begin beginFunc, op, cursor string, fetch func(ctx context.Context, opts ...oas.RequestOption) ([]T, []string, error)) (grantkit.Page[T], error) {
	ctx, call, err := begin(ctx, op)
	if err != nil {
		return grantkit.Page[T]{}, err
	}
	var opts []oas.RequestOption
	if cursor != "" {
		opts = append(opts, oas.WithEditRequest(func(r *http.Request) error { return followLink(r, cursor) }))
	}
	items, links, err := fetch(ctx, opts...)
	if err != nil {
		return grantkit.Page[T]{}, call.Err(err)
	}
	// Okta's lists carry no count of their items.
	return grantkit.Page[T]{Items: items, Next: nextLink(links), Total: -1}, nil
}

// all iterates over every page of a list, from the page cursor names.
func all[T any](ctx context.Context, cursor string, listPage func(ctx context.Context, cursor string) (grantkit.Page[T], error)) iter.Seq2[*T, error] {
	return paging.All(ctx, cursor, listPage)
}

// nextLink returns the URL of rel="next" among Link header values (RFC 8288), or "".
// Okta sends one Link header per relation: <https://…?after=…&limit=…>; rel="next".
func nextLink(values []string) string {
	for _, v := range values {
		for _, link := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ";")
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") && strings.Trim(val, `"`) == "next" {
					return strings.Trim(target, "<>")
				}
			}
		}
	}
	return ""
}

// followLink points r, the request for the first page of a list, at the page link names.
// Okta says to follow the link as it is, opaque; only its query is used, so the request keeps
// the host the client was configured with (a token is never sent anywhere else), and a link
// to another list is refused rather than followed.
func followLink(r *http.Request, link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return validate.Errorf("cursor", "%s is no next page link: %v", validate.Quote(link), err)
	}
	i := strings.Index(u.EscapedPath(), apiPath+"/")
	if i < 0 || !strings.HasSuffix(r.URL.EscapedPath(), u.EscapedPath()[i:]) {
		return validate.Errorf("cursor", "%s is no next page link of this list (%s); not followed", validate.Quote(link), r.URL.EscapedPath())
	}
	r.URL.RawQuery = u.RawQuery
	return nil
}
