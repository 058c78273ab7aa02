package okta_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/option"
)

// FuzzResponses feeds arbitrary statuses, bodies and Link headers to every decoding path of
// the client; a call returns a value or an error and never panics.
func FuzzResponses(f *testing.F) {
	f.Add(uint16(1), []byte(`{"id":"oag1","clientId":"0oa1","issuer":"https://x.okta.com","scopeId":"okta.users.read","source":"ADMIN","status":"ACTIVE","created":"2026-01-01T00:00:00.000Z","_links":{"app":{"href":"h"}},"_embedded":{"scope":{"id":"okta.users.read"}}}`), "")
	f.Add(uint16(0), []byte(`[{"id":"oag1","issuer":"https://x.okta.com","scopeId":"s"}]`), `<https://x.okta.com/api/v1/apps/a/grants?after=oag1>; rel="next"`)
	f.Add(uint16(0), []byte(`[{"id":"aus1","name":"n","issuer":"https://x.okta.com/oauth2/aus1","audiences":["api://a"],"credentials":{"signing":{"kid":"k"}}}]`), `<https://x.okta.com/api/v1/authorizationServers?after=aus1&limit=1>; rel="next", <https://x.okta.com/api/v1/authorizationServers>; rel="self"`)
	f.Add(uint16(0), []byte(`[{"id":"scp1","name":"read","consent":"NEW_VALUE","metadataPublish":"X","system":false}]`), "")
	f.Add(uint16(0), []byte(`[{"id":"0oa1","label":"l","signOnMode":"SAML_2_0","status":"ACTIVE","settings":{"app":{}}}]`), "<>; rel=next")
	f.Add(uint16(200), []byte(`{"errorCode":"E0000001","errorSummary":"Api validation failed: name","errorId":"oae1","errorCauses":[{"errorSummary":"name: x"}]}`), "")
	f.Add(uint16(0), []byte(`[{"id":`), "")
	f.Fuzz(func(t *testing.T, status uint16, body []byte, link string) {
		code := 200 + int(status)%400
		hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
			resp := httpfake.JSON(r, code, string(body))
			if link != "" {
				resp.Header.Set("Link", link)
			}
			return resp, nil
		})
		c, err := okta.New("x.okta.com", option.WithToken("t"), option.WithHTTPClient(hc),
			option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(err error) {
			var apiErr *grantkit.Error
			if code >= 300 && errors.As(err, &apiErr) && apiErr.StatusCode != code {
				t.Fatalf("status %d reported as %d", code, apiErr.StatusCode)
			}
		}
		for _, err := range c.ApplicationGrants.List(ctx, "a", okta.ApplicationGrantListOptions{}) {
			check(err)
			break
		}
		_, err = c.ApplicationGrants.Get(ctx, "a", "g")
		check(err)
		_, err = c.ApplicationGrants.Create(ctx, "a", okta.ApplicationGrantCreate{Issuer: "https://x.okta.com", ScopeID: "s"})
		check(err)
		check(c.ApplicationGrants.Delete(ctx, "a", "g"))
		_, err = c.Applications.ListPage(ctx, okta.ApplicationListOptions{})
		check(err)
		_, err = c.AuthorizationServers.ListPage(ctx, okta.AuthorizationServerListOptions{})
		check(err)
		_, err = c.AuthorizationServers.Get(ctx, "aus1")
		check(err)
		_, err = c.AuthorizationServers.ListScopesPage(ctx, "aus1", okta.ScopeListOptions{})
		check(err)
		_, err = c.AuthorizationServers.UpdateScope(ctx, "aus1", "scp1", okta.ScopeUpdate{Description: grantkit.Value("d")})
		check(err)
		_, err = c.Grants().Get(ctx, grantkit.GrantKey{Resource: "https://x.okta.com", ClientID: "a"})
		check(err)
	})
}
