package onelogin

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// Authorization is an API authorization server: it issues tokens for one API (its resource
// identifier, the tokens' audience) with the scopes defined on it.
type Authorization struct {
	ID                            int64
	Name                          string
	Description                   string
	ResourceIdentifier            string
	Audiences                     []string
	AccessTokenExpirationMinutes  int // 0 when OneLogin did not say
	RefreshTokenExpirationMinutes int
}

// AuthorizationsService reads API authorization servers (/api/2/api_authorizations).
type AuthorizationsService struct{ c *Client }

// List iterates over the account's authorization servers, following OneLogin's paging
// (After-Cursor) should it ever page them.
func (s *AuthorizationsService) List(ctx context.Context) iter.Seq2[*Authorization, error] {
	return pages(ctx, func(ctx context.Context, cursor oas.OptString) ([]Authorization, string, error) {
		ctx, call := begin(ctx, "Authorizations.List")
		res, err := s.c.api.ListApiAuthorizations(ctx, oas.ListApiAuthorizationsParams{Cursor: cursor})
		if err != nil {
			return nil, "", call.Err(err)
		}
		out := make([]Authorization, len(res.Response))
		for i := range res.Response {
			out[i] = fromAuthorization(&res.Response[i])
		}
		return out, res.AfterCursor.Or(""), nil
	})
}

// Get returns the authorization server with id.
func (s *AuthorizationsService) Get(ctx context.Context, id int64) (*Authorization, error) {
	ctx, call := begin(ctx, "Authorizations.Get")
	if err := checkID("id", id); err != nil {
		return nil, call.Err(err)
	}
	a, err := s.c.api.GetApiAuthorization(ctx, oas.GetApiAuthorizationParams{ID: id})
	if err != nil {
		return nil, call.Err(err)
	}
	out := fromAuthorization(a)
	return &out, nil
}

func fromAuthorization(a *oas.ApiAuthorization) Authorization {
	cfg := a.Configuration.Value
	return Authorization{
		ID: a.ID.Or(0), Name: a.Name.Or(""), Description: a.Description.Or(""),
		ResourceIdentifier: cfg.ResourceIdentifier.Or(""), Audiences: cfg.Audiences,
		AccessTokenExpirationMinutes:  cfg.AccessTokenExpirationMinutes.Or(0),
		RefreshTokenExpirationMinutes: cfg.RefreshTokenExpirationMinutes.Or(0),
	}
}
