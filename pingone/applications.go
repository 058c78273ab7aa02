package pingone

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// Application is an application of the environment, as far as grants need it.
type Application struct {
	ID       string
	Name     string
	Type     string // WORKER, WEB_APP, ...; kept as sent
	Protocol string
	Enabled  bool
}

// ApplicationsService reads the environment's applications.
type ApplicationsService struct{ c *Client }

// List iterates over the environment's applications, page after page.
func (s *ApplicationsService) List(ctx context.Context) iter.Seq2[*Application, error] {
	return pages(ctx, "Applications.List", func(ctx context.Context, opts ...oas.RequestOption) ([]Application, oas.OptLinksHATEOAS, error) {
		res, err := s.c.api.ReadAllApplications(ctx, oas.ReadAllApplicationsParams{EnvironmentID: s.c.env}, opts...)
		if err != nil {
			return nil, oas.OptLinksHATEOAS{}, err
		}
		list := res.Embedded.Value.Applications
		out := make([]Application, len(list))
		for i, a := range list {
			out[i] = Application{ID: a.ID.Or(""), Name: a.Name.Or(""), Type: a.Type.Or(""), Protocol: a.Protocol.Or(""), Enabled: a.Enabled.Or(false)}
		}
		return out, res.Links, nil
	})
}
