// Package bench holds the fixtures grantkit's benchmarks share: one loopback server answering
// every vendor's update with a fixed response, the 20-scope payloads, and the HTTP transport
// every client under test uses, so that grantkit, a hand-written net/http client and the
// official Auth0 SDK (bench/officialsdk) are measured against exactly the same thing.
package bench

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Scopes are the 20 scopes of every benchmarked grant.
var Scopes = func() []string {
	s := make([]string, 20)
	for i := range s {
		s[i] = fmt.Sprintf("scope:resource-%02d", i)
	}
	return s
}()

func quoted(prefix string) string {
	q := make([]string, len(Scopes))
	for i, s := range Scopes {
		q[i] = prefix + `"` + s + `"`
	}
	return strings.Join(q, ",")
}

func idObjects() string {
	q := make([]string, len(Scopes))
	for i, s := range Scopes {
		q[i] = `{"id":"` + s + `"}`
	}
	return strings.Join(q, ",")
}

// The responses the server sends: each vendor's main grant object with 20 scopes.
var (
	Auth0Grant = `{"id":"cgr_1","client_id":"client-1","audience":"https://api.example.com/","scope":[` + quoted("") +
		`],"organization_usage":"allow","allow_any_organization":true,"is_system":false,"subject_type":"client","authorization_details_types":["payment"],"allow_all_scopes":false}`
	PingOneGrant = `{"_links":{"self":{"href":"https://api.pingone.com/v1/environments/e/applications/a/grants/g"}},"id":"g","environment":{"id":"e"},"resource":{"id":"r"},"application":{"id":"a"},"scopes":[` +
		idObjects() + `],"createdAt":"2019-08-13T19:39:58.450Z","updatedAt":"2021-09-24T15:43:19.846Z"}`
	CPNApp = `{"accessTokenTTL":1800,"allowedScopes":{"generalScopes":[` + quoted("") +
		`],"organizationScopes":{"roles":[]},"servicesScopes":[]},"createdAt":1700000000000,"description":"d","displayName":"n","grantTypes":["client_credentials"],"id":"app","lastUpdatedAt":1700000000000,"ownerOnlySecretRotation":false,"secretRotationExpirationInSeconds":0}`
	OneLoginScope = `{"id":323005}`
)

// Token is the access token every benchmarked client sends.
const Token = "bench-token"

// NewServer starts the shared loopback server. It answers the token endpoints of Auth0 and
// CPN, and every API request with the vendor's fixed response chosen by path.
func NewServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		p := r.URL.Path
		var body string
		switch {
		case p == "/oauth/token":
			body = `{"access_token":"` + Token + `","token_type":"Bearer","expires_in":86400}`
		case strings.HasPrefix(p, "/api/v2/client-grants"):
			body = Auth0Grant
		case strings.HasPrefix(p, "/v1/environments"):
			body = PingOneGrant
		case strings.HasPrefix(p, "/cphub/api/auth/v2/orgs"):
			body = CPNApp
		case strings.HasPrefix(p, "/api/2/api_authorizations"):
			body = OneLoginScope
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		_, _ = w.Write([]byte(body))
	}))
}

// NewHTTPClient returns the client every benchmarked SDK sends through: one keep-alive
// transport with enough idle connections for the concurrent benchmarks.
func NewHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}}
}
