package okta

import (
	"context"
	"encoding/json"
	"iter"
	"slices"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/okta/internal/oas"
)

// AuthorizationServer is a custom authorization server of the org: the issuer of the tokens
// whose scopes it defines.
type AuthorizationServer struct {
	ID          string
	Name        string
	Description string
	Audiences   []string
	Issuer      string
	IssuerMode  string // ORG_URL, CUSTOM_URL or DYNAMIC: kept as Okta sent it
	Status      string // ACTIVE or INACTIVE: kept as Okta sent it
	Created     time.Time
	LastUpdated time.Time
	// Extra holds the fields of Okta's answer that this version does not model (credentials,
	// jwks, _links, ...), as raw JSON by name (nil when there are none).
	Extra map[string]json.RawMessage
}

// AuthorizationServerListOptions filters and pages AuthorizationServersService.List and
// ListPage.
type AuthorizationServerListOptions struct {
	// Query keeps the servers whose name or audiences match it (Okta's q); empty keeps all.
	Query string
	// PageSize is the number of servers per request, 1 to 200; zero means Okta's default.
	PageSize int
	// Cursor continues from a previous page's Next; empty starts at the beginning.
	Cursor string
}

// AuthorizationServersService reads the org's custom authorization servers
// (/authorizationServers) and manages their scopes.
type AuthorizationServersService struct{ c *Client }

func (s *AuthorizationServersService) begin(ctx context.Context, op string) (context.Context, *transport.Call, error) {
	return transport.Begin(ctx, vendor, op, s != nil && s.c.made())
}

// List iterates over the org's custom authorization servers, page after page.
func (s *AuthorizationServersService) List(ctx context.Context, opts AuthorizationServerListOptions) iter.Seq2[*AuthorizationServer, error] {
	return all(ctx, opts.Cursor, func(ctx context.Context, cursor string) (grantkit.Page[AuthorizationServer], error) {
		o := opts
		o.Cursor = cursor
		return s.listPage(ctx, "AuthorizationServers.List", o)
	})
}

// ListPage returns one page of the org's custom authorization servers.
func (s *AuthorizationServersService) ListPage(ctx context.Context, opts AuthorizationServerListOptions) (grantkit.Page[AuthorizationServer], error) {
	return s.listPage(ctx, "AuthorizationServers.ListPage", opts)
}

func (s *AuthorizationServersService) listPage(ctx context.Context, op string, opts AuthorizationServerListOptions) (grantkit.Page[AuthorizationServer], error) {
	return page(ctx, s.begin, op, opts.Cursor, func(ctx context.Context, ro ...oas.RequestOption) ([]AuthorizationServer, []string, error) {
		p := oas.ListAuthorizationServersParams{}
		if err := pageSize(opts.PageSize, &p.Limit); err != nil {
			return nil, nil, err
		}
		if opts.Query != "" {
			p.Q.SetTo(opts.Query)
		}
		res, err := s.c.api.ListAuthorizationServers(ctx, p, ro...)
		if err != nil {
			return nil, nil, err
		}
		out := make([]AuthorizationServer, len(res.Response))
		for i := range res.Response {
			out[i] = *fromServer(&res.Response[i])
		}
		return out, res.Link, nil
	})
}

// Get returns custom authorization server serverID.
func (s *AuthorizationServersService) Get(ctx context.Context, serverID string) (*AuthorizationServer, error) {
	ctx, call, err := s.begin(ctx, "AuthorizationServers.Get")
	if err != nil {
		return nil, err
	}
	if err := validate.ID("authServerId", serverID); err != nil {
		return nil, call.Err(err)
	}
	a, err := s.c.api.GetAuthorizationServer(ctx, oas.GetAuthorizationServerParams{AuthServerId: serverID})
	if err != nil {
		return nil, call.Err(err)
	}
	return fromServer(a), nil
}

func fromServer(a *oas.AuthorizationServer) *AuthorizationServer {
	out := &AuthorizationServer{
		ID: a.ID.Or(""), Name: a.Name.Or(""), Description: a.Description.Or(""), Audiences: slices.Clone(a.Audiences),
		Issuer: a.Issuer.Or(""), IssuerMode: a.IssuerMode.Or(""), Status: string(a.Status.Or("")),
		Created: parseTime(a.Created.Or("")), LastUpdated: parseTime(a.LastUpdated.Or("")),
		Extra: extra(a.AdditionalProps),
	}
	keep := func(name string, set bool, m func() ([]byte, error)) {
		if b, ok := marshalOpt(set, m); ok {
			if out.Extra == nil {
				out.Extra = map[string]json.RawMessage{}
			}
			out.Extra[name] = b
		}
	}
	keep("credentials", a.Credentials.Set, a.Credentials.Value.MarshalJSON)
	keep("jwks", a.Jwks.Set, a.Jwks.Value.MarshalJSON)
	keep("_links", a.Links.Set, a.Links.Value.MarshalJSON)
	if v, ok := a.JwksURI.Get(); ok {
		keep("jwks_uri", true, func() ([]byte, error) { return json.Marshal(v) })
	}
	if v, ok := a.AccessTokenEncryptedResponseAlgorithm.Get(); ok {
		keep("accessTokenEncryptedResponseAlgorithm", true, func() ([]byte, error) { return json.Marshal(v) })
	}
	return out
}
