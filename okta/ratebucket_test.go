package okta

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Okta keeps its per-minute limits per endpoint family (specs/README.md, "Rate limits").
func TestRateBucketNamesOktasEndpointFamilies(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/apps":                                 bucketApps,
		"/api/v1/apps/0oa1/grants":                     bucketApps,
		"/api/v1/apps/0oa1/grants/oag1":                bucketApps,
		"/prefix/api/v1/apps/0oa1/grants":              bucketApps,
		"/api/v1/apps/0oa1":                            bucketApp,
		"/api/v1/authorizationServers":                 bucketAPI,
		"/api/v1/authorizationServers/aus1/scopes/scp": bucketAPI,
		"/oauth2/v1/token":                             bucketToken,
		"/proxy/oauth2/v1/token":                       bucketToken,
		"/health":                                      "",
	} {
		assert.Equal(t, want, rateBucket(http.MethodGet, path), path)
	}
	assert.Equal(t, rateBucket(http.MethodGet, "/api/v1/apps/0oa1/grants"), rateBucket(http.MethodPost, "/api/v1/apps/0oa1/grants"),
		"a family is one budget whatever the method")
}
