package okta

import "strings"

// Okta's per-minute rate limits are kept per endpoint family, not per org: Management rate
// limits, https://developer.okta.com/docs/reference/rl-global-mgmt (see specs/README.md,
// "Rate limits"). The families of the endpoints grantkit calls:
const (
	// bucketApps: "Create, list, or other app actions: calls to the /api/v1/apps endpoint and
	// all other endpoints of the form /api/v1/apps/* including /api/v1/apps/{id}/*" (20 a
	// minute on a free developer org, 100 on the others): the apps list and every app grant.
	bucketApps = "okta:/api/v1/apps"
	// bucketApp: "Get, update, or delete an app by ID: explicit calls to the app instance:
	// /api/v1/apps/{id}" (100 to 600 a minute).
	bucketApp = "okta:/api/v1/apps/{id}"
	// bucketAPI: "Most other API actions: /api/v1" (100 to 1,200 a minute): the
	// authorization servers and their scopes.
	bucketAPI = "okta:/api/v1"
	// bucketToken: the org authorization server's token endpoint, limited among the
	// authentication endpoints (https://developer.okta.com/docs/reference/rl-global-enduser/).
	bucketToken = "okta:/oauth2/v1/token"
)

// rateBucket names the Okta rate-limit family of a request, by its URL path (with any base
// URL prefix): one budget per family, for transport.Config.RateBucket. A path outside Okta's
// API is "" (the client's one bucket).
func rateBucket(_ /* method: Okta's families here do not depend on it */, path string) string {
	if i := strings.Index(path, tokenPath); i >= 0 && path[i:] == tokenPath {
		return bucketToken
	}
	i := strings.Index(path, apiPath+"/")
	if i < 0 {
		return ""
	}
	rest := path[i+len(apiPath)+1:]
	switch {
	case rest == "apps" || rest == "apps/":
		return bucketApps
	case strings.HasPrefix(rest, "apps/"):
		id, more, _ := strings.Cut(strings.TrimPrefix(rest, "apps/"), "/")
		if more == "" && id != "" && !strings.HasSuffix(rest, "/") {
			return bucketApp
		}
		return bucketApps
	}
	return bucketAPI
}
