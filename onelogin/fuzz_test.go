package onelogin_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
)

// FuzzResponses feeds arbitrary statuses and bodies to every decoding path of the client; a
// call returns a value or an error and never panics. The seed corpus is in testdata/fuzz.
func FuzzResponses(f *testing.F) {
	f.Add(uint16(0), []byte(`[{"id":1,"name":"n","configuration":{"resource_identifier":"r","audiences":["a"]}}]`))
	f.Add(uint16(0), []byte(`{"id":1,"name":"n","configuration":{"access_token_expiration_minutes":10}}`))
	f.Add(uint16(0), []byte(`[{"id":1,"value":"v","description":"d"}]`))
	f.Add(uint16(0), []byte(`{"id":323005}`))
	f.Add(uint16(0), []byte(`[{"app_id":1,"api_auth_id":2,"name":"n","scopes":[{"id":3,"value":"v"}]}]`))
	f.Add(uint16(0), []byte(`{"app_id":1,"api_auth_id":2,"scopes":[3,4]}`))
	f.Add(uint16(222), []byte(`{"message":"Validation failed: Value has already been taken","statusCode":422,"name":"UnprocessableEntityError"}`))
	f.Add(uint16(0), []byte(`[{"id":1,"value":`))
	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		code := 200 + int(status)%400
		hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
			return httpfake.JSON(r, code, string(body)), nil
		})
		c, err := onelogin.New("acme", option.WithToken("t"), option.WithHTTPClient(hc),
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
		for _, err := range c.Authorizations.List(ctx, onelogin.AuthorizationListOptions{}) {
			check(err)
		}
		_, err = c.Authorizations.Get(ctx, 1)
		check(err)
		for _, err := range c.Authorizations.ListScopes(ctx, 1) {
			check(err)
		}
		_, err = c.Authorizations.UpdateScope(ctx, 1, 2, onelogin.ScopeUpdate{Value: "v", Description: "d"})
		check(err)
		for _, err := range c.ClientApps.List(ctx, 1, onelogin.ClientAppListOptions{}) {
			check(err)
		}
		_, err = c.ClientApps.Update(ctx, 1, 2, onelogin.ClientAppUpdate{ScopeIDs: []int64{3}})
		check(err)
		check(c.ClientApps.Delete(ctx, 1, 2))
	})
}
