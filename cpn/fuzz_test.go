package cpn_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
)

// FuzzResponses feeds arbitrary statuses and bodies to every decoding path of the client, the
// token exchange included; a call returns a value or an error and never panics. The seed
// corpus is in testdata/fuzz.
func FuzzResponses(f *testing.F) {
	f.Add(uint16(0), []byte(`{"accessTokenTTL":1800,"allowedScopes":{"generalScopes":["openid"],"organizationScopes":{"roles":[{"name":"r"}]},"servicesScopes":[{"allRoles":false,"roles":[{"name":"v"}],"serviceDefinitionId":"s"}]},"createdAt":1,"description":"d","displayName":"n","grantTypes":["client_credentials"],"id":"a","lastUpdatedAt":2,"ownerOnlySecretRotation":false,"secretRotationExpirationInSeconds":0}`))
	f.Add(uint16(0), []byte(`{"results":[{"id":"a"}],"nextLink":"/x?pageStart=1&pageLimit=1"}`))
	f.Add(uint16(0), []byte(`{"clientId":"a","clientSecret":"s"}`))
	f.Add(uint16(0), []byte(`{"succeeded":["a"],"failed":["b"]}`))
	f.Add(uint16(0), []byte(`{"accessToken":"eyJ.eyJleHAiOjF9.x"}`))
	f.Add(uint16(200), []byte(`{"statusCode":400,"message":"m","errorCode":"e","cspErrorCode":"c","moduleCode":1,"requestId":"r"}`))
	f.Add(uint16(0), []byte(`{"results":[{"id":`))
	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		code := 200 + int(status)%400
		hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
			return httpfake.JSON(r, code, string(body)), nil
		})
		ctx := context.Background()
		check := func(err error) {
			var apiErr *grantkit.Error
			if code >= 300 && errors.As(err, &apiErr) && apiErr.StatusCode != code {
				t.Fatalf("status %d reported as %d", code, apiErr.StatusCode)
			}
		}
		for _, opt := range []option.Option{option.WithToken("t"), cpn.WithAPIToken("api")} {
			c, err := cpn.New("org", opt, option.WithHTTPClient(hc), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.OAuthApps.Get(ctx, "a")
			check(err)
			_, err = c.OAuthApps.ListPage(ctx, cpn.OAuthAppListOptions{})
			check(err)
			_, err = c.OAuthApps.Update(ctx, "a", cpn.OAuthAppUpdate{DisplayName: grantkit.Value("x")})
			check(err)
			_, err = c.OAuthApps.Create(ctx, cpn.OAuthAppCreate{})
			check(err)
			check(c.OAuthApps.Delete(ctx, "a"))
		}
	})
}
