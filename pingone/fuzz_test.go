package pingone_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
)

// FuzzResponses feeds arbitrary statuses and bodies to every decoding path of the client; a
// call returns a value or an error and never panics. The seed corpus is in testdata/fuzz.
func FuzzResponses(f *testing.F) {
	f.Add(uint16(0), []byte(`{"_links":{"self":{"href":"h"}},"id":"g","environment":{"id":"e"},"resource":{"id":"r"},"application":{"id":"a"},"scopes":[{"id":"s"}],"createdAt":"2019-08-13T19:39:58.450Z","updatedAt":"2021-09-24T15:43:19.846Z"}`))
	f.Add(uint16(0), []byte(`{"_embedded":{"grants":[{"id":"g","scopes":[]}]},"count":1,"size":1}`))
	f.Add(uint16(0), []byte(`{"_embedded":{"resources":[{"id":"r","name":"n","type":"CUSTOM"}]}}`))
	f.Add(uint16(0), []byte(`{"_embedded":{"scopes":[{"id":"s","name":"read","resource":{"id":"r"}}]}}`))
	f.Add(uint16(0), []byte(`{"_embedded":{"applications":[{"id":"a","name":"n","enabled":true}]}}`))
	f.Add(uint16(200), []byte(`{"id":"e1","code":"INVALID_DATA","message":"m","details":[{"code":"INVALID_VALUE","target":"resource.id","message":"x"}]}`))
	f.Add(uint16(0), []byte(`{"_links":{"next":{"href":"x"}}}`))
	f.Add(uint16(0), []byte(`{"_embedded":{"grants":[{"id":`))
	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		code := 200 + int(status)%400
		hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
			return httpfake.JSON(r, code, string(body)), nil
		})
		c, err := pingone.New("env", option.WithToken("t"), option.WithHTTPClient(hc),
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
		for _, err := range c.ApplicationGrants.List(ctx, "a", pingone.ApplicationGrantListOptions{}) {
			check(err)
		}
		_, err = c.ApplicationGrants.Get(ctx, "a", "g")
		check(err)
		_, err = c.ApplicationGrants.Update(ctx, "a", "g", pingone.ApplicationGrantUpdate{ResourceID: "r", ScopeIDs: []string{"s"}})
		check(err)
		for _, err := range c.Resources.List(ctx, pingone.ResourceListOptions{}) {
			check(err)
		}
		for _, err := range c.Resources.ListScopes(ctx, "r") {
			check(err)
		}
		for _, err := range c.Applications.List(ctx, pingone.ApplicationListOptions{}) {
			check(err)
		}
		check(c.ApplicationGrants.Delete(ctx, "a", "g"))
	})
}
