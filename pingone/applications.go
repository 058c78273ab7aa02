package pingone

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// Application is an application of the environment, as far as grants need it.
type Application struct {
	ID       string // the application's id; a grant key's ClientID
	Name     string // the application's name
	Type     string // WORKER, WEB_APP, ...; kept as sent
	Protocol string // such as OPENID_CONNECT or SAML; kept as sent
	Enabled  bool   // whether the application may be used
}

// ApplicationsService reads the environment's applications.
type ApplicationsService struct{ c *Client }

// begin starts a call of operation op through s's client: pass the returned context to the
// generated client and every error of the method to the Call's Err. Its error (a nil ctx, a
// service or client New did not make) is returned as it is.
func (s *ApplicationsService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// ApplicationListOptions pages ApplicationsService.List and ListPage.
type ApplicationListOptions struct {
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// List iterates over the environment's applications, page after page.
func (s *ApplicationsService) List(ctx context.Context, opts ApplicationListOptions) iter.Seq2[*Application, error] {
	return pages(ctx, s.begin, "Applications.List", opts.Cursor, s.fetch)
}

// ListPage returns one page of the environment's applications; its Total is PingOne's count.
func (s *ApplicationsService) ListPage(ctx context.Context, opts ApplicationListOptions) (grantkit.Page[Application], error) {
	return page(ctx, s.begin, "Applications.ListPage", opts.Cursor, s.fetch)
}

func (s *ApplicationsService) fetch(ctx context.Context, opts ...oas.RequestOption) (collection[Application], error) {
	res, err := s.c.api.ReadAllApplications(ctx, oas.ReadAllApplicationsParams{EnvironmentID: s.c.env}, opts...)
	if err != nil {
		return collection[Application]{}, err
	}
	list := res.Embedded.Value.Applications
	out := collection[Application]{items: make([]Application, len(list)), links: res.Links, count: res.Count}
	for i, a := range list {
		out.items[i] = Application{ID: a.ID.Or(""), Name: a.Name.Or(""), Type: a.Type.Or(""), Protocol: a.Protocol.Or(""), Enabled: a.Enabled.Or(false)}
	}
	return out, nil
}
