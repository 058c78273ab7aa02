package auth0_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
)

// FuzzResponses feeds arbitrary status codes and bodies to every decoding path of the client
// (grant, list in both shapes, organizations, Auth0's error body). Whatever comes back, a call
// returns a value or an error: it never panics. The seed corpus is in testdata/fuzz.
func FuzzResponses(f *testing.F) {
	f.Add(uint16(200), []byte(`{"id":"cgr_1","client_id":"c","audience":"a","scope":["x"],"organization_usage":"deny","allow_any_organization":true,"is_system":false,"subject_type":"client","authorization_details_types":["t"],"allow_all_scopes":true}`))
	f.Add(uint16(200), []byte(`[{"id":"cgr_1","scope":[]},{"id":"cgr_2"}]`))
	f.Add(uint16(200), []byte(`{"client_grants":[{"id":"cgr_1"}],"next":"abc","total":1}`))
	f.Add(uint16(200), []byte(`{"organizations":[{"id":"org_1","name":"n"}],"next":""}`))
	f.Add(uint16(404), []byte(`{"statusCode":404,"error":"Not Found","message":"The client grant does not exist","errorCode":"inexistent_client_grant"}`))
	f.Add(uint16(200), []byte(`{"id":"cgr_1","scope":["a"`))
	f.Add(uint16(400), []byte(`<html>bad gateway</html>`))
	f.Add(uint16(200), []byte(`null`))

	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		code := 200 + int(status)%400 // 200..599
		hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
			return httpfake.JSON(r, code, string(body)), nil
		})
		c, err := auth0.New("tenant.example.com", option.WithToken("t"), option.WithHTTPClient(hc),
			option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(err error) {
			var apiErr *grantkit.Error
			if code >= 300 && err != nil && errors.As(err, &apiErr) && apiErr.StatusCode != code {
				t.Fatalf("status %d reported as %d", code, apiErr.StatusCode)
			}
		}
		_, err = c.ClientGrants.Get(ctx, "cgr_1")
		check(err)
		_, err = c.ClientGrants.Update(ctx, "cgr_1", auth0.ClientGrantUpdate{Scope: grantkit.Set("a")})
		check(err)
		_, err = c.ClientGrants.ListPage(ctx, auth0.ClientGrantListOptions{})
		check(err)
		_, err = c.ClientGrants.ListOrganizationsPage(ctx, "cgr_1", auth0.OrganizationListOptions{})
		check(err)
		check(c.ClientGrants.Delete(ctx, "cgr_1"))
	})
}
