package okta

import (
	"context"
	"encoding/json"
	"iter"
	"maps"
	"time"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/okta/internal/oas"
)

// Application is an app of the org, as far as grantkit reads it: what identifies it. The rest
// of Okta's app object (its settings and credentials, which differ by sign-on mode) is kept
// raw in Extra.
type Application struct {
	ID         string
	Label      string
	Status     string // ACTIVE, INACTIVE, ...: kept as Okta sent it
	SignOnMode string // OPENID_CONNECT, ...: kept as Okta sent it
	Created    time.Time
	// LastUpdated is zero if Okta sent no valid time.
	LastUpdated time.Time
	// Extra holds the fields of Okta's answer that this version does not model, as raw JSON
	// by name (nil when there are none).
	Extra map[string]json.RawMessage
}

// ApplicationListOptions pages ApplicationsService.List and ListPage.
type ApplicationListOptions struct {
	// PageSize is the number of apps per request, 1 to 200; zero means Okta's default.
	PageSize int
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// ApplicationsService lists the org's apps (/apps).
type ApplicationsService struct{ c *Client }

func (s *ApplicationsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the org's apps, page after page.
func (s *ApplicationsService) List(ctx context.Context, opts ApplicationListOptions) iter.Seq2[*Application, error] {
	return all(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[Application], error) {
		o := opts
		o.Cursor = cursor
		return s.listPage(ctx, "Applications.List", o)
	})
}

// ListPage returns one page of the org's apps; its Next continues in opts.Cursor.
func (s *ApplicationsService) ListPage(ctx context.Context, opts ApplicationListOptions) (grantkit.Page[Application], error) {
	return s.listPage(ctx, "Applications.ListPage", opts)
}

func (s *ApplicationsService) listPage(ctx context.Context, op string, opts ApplicationListOptions) (grantkit.Page[Application], error) {
	return page(ctx, s.begin, op, opts.Cursor, func(ctx context.Context, ro ...oas.RequestOption) ([]Application, []string, error) {
		p := oas.ListApplicationsParams{}
		if err := pageSize(opts.PageSize, &p.Limit); err != nil {
			return nil, nil, err
		}
		res, err := s.c.api.ListApplications(ctx, p, ro...)
		if err != nil {
			return nil, nil, err
		}
		out := make([]Application, len(res.Response))
		for i, a := range res.Response {
			out[i] = Application{
				ID: a.ID.Or(""), Label: string(a.Label.Or("")), Status: string(a.Status.Or("")),
				SignOnMode: string(a.SignOnMode.Or("")), Created: parseTime(a.Created.Or("")), LastUpdated: parseTime(a.LastUpdated.Or("")),
				Extra: extra(a.AdditionalProps),
			}
		}
		return out, res.Link, nil
	})
}

// pageSize checks a PageSize (0 leaves Okta's default) and sets limit.
func pageSize(n int, limit *oas.OptInt32) error {
	if n == 0 {
		return nil
	}
	if n < 1 || n > 200 {
		return validate.Errorf("page_size", "%d is not within 1 to 200", n)
	}
	limit.SetTo(int32(n))
	return nil
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// extra copies the properties a decoded object carried beyond its schema, nil when none.
func extra[M ~map[string]jx.Raw](m M) map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range maps.All(m) {
		out[k] = json.RawMessage(v)
	}
	return out
}
