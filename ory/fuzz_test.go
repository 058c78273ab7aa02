package ory_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
)

// FuzzResponses feeds arbitrary statuses, bodies and Link headers to every decoding path of
// the client and of its vendor-neutral view; a call returns a value or an error and never
// panics. The seeds are answers Hydra v2.3.0 gave (see specs/README.md).
func FuzzResponses(f *testing.F) {
	f.Add(uint16(0), []byte(`{"client_id":"a","scope":"read:a write:a","grant_types":["client_credentials"],"audience":[],"metadata":{},"jwks":{},"created_at":"2026-12-06T16:52:13Z","updated_at":"2026-12-06T16:52:13.092326Z","skip_logout_consent":null,"client_credentials_grant_access_token_lifespan":null,"registration_access_token":"ory_at_x"}`), `</admin/clients?page_size=2&page_token=eyJvZmZzZXQiOiIyIiwidiI6Mn0>; rel="next"`)
	f.Add(uint16(0), []byte(`[{"client_id":"a","scope":" "},{"client_id":"b","scope":"offline_access offline openid","redirect_uris":null}]`), `<x>; rel="first",<y?page_token=>; rel="prev"`)
	f.Add(uint16(0), []byte(`{"client_id":"a","scope":null,"metadata":null,"jwks":null,"contacts":null,"created_at":null}`), ``)
	f.Add(uint16(200), []byte(`{"error":"Unable to locate the resource","error_description":""}`), ``)
	f.Add(uint16(100), []byte(`{"error":"error","error_description":"The error is unrecognizable"}`), ``)
	f.Add(uint16(0), []byte(`[{"client_id":`), `<;rel=next`)
	f.Fuzz(func(t *testing.T, status uint16, body []byte, link string) {
		code := 200 + int(status)%400
		hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
			resp := httpfake.JSON(r, code, string(body))
			resp.Header.Set("Link", link)
			return resp, nil
		})
		ctx := context.Background()
		check := func(err error) {
			var apiErr *grantkit.Error
			if code >= 300 && errors.As(err, &apiErr) && apiErr.StatusCode != code {
				t.Fatalf("status %d reported as %d", code, apiErr.StatusCode)
			}
		}
		c, err := ory.New("https://p.projects.oryapis.com", ory.WithAPIToken("k"), option.WithHTTPClient(hc), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Clients.Get(ctx, "a")
		check(err)
		_, err = c.Clients.ListPage(ctx, ory.OAuth2ClientListOptions{})
		check(err)
		_, err = c.Clients.Update(ctx, "a", ory.OAuth2ClientUpdate{Scope: grantkit.Set("x")})
		check(err)
		_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{})
		check(err)
		check(c.Clients.Delete(ctx, "a"))
		key := grantkit.GrantKey{Resource: "https://p.projects.oryapis.com", ClientID: "a"}
		_, err = c.Grants().Get(ctx, key)
		check(err)
		_, err = c.Grants().SetScopes(ctx, key, []string{"x"})
		check(err)
		for _, err := range c.Grants().List(ctx, grantkit.GrantListOptions{}) {
			check(err)
			break
		}
	})
}
