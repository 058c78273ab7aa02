package auth0_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
)

// Auth0 names every answer with an X-Auth0-RequestId header (see specs/README.md); its error
// bodies carry no id. The id reaches the error of a refused call and of a 2xx answer that
// could not be read.
func TestErrorsCarryAuth0RequestID(t *testing.T) {
	answers := map[string]func(r *http.Request) *http.Response{
		"error status": func(r *http.Request) *http.Response {
			return httpfake.JSON(r, 404, `{"statusCode":404,"error":"Not Found","message":"The client grant does not exist.","errorCode":"inexistent_client_grant"}`)
		},
		"unreadable 2xx": func(r *http.Request) *http.Response {
			return httpfake.JSON(r, 200, `{"id":`)
		},
	}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
				resp := answer(r)
				resp.Header.Set("X-Auth0-RequestId", "c629c3e05e0881e81315")
				return resp, nil
			})
			c, err := auth0.New("tenant.example.com", option.WithToken("t"), option.WithHTTPClient(hc))
			require.NoError(t, err)
			_, err = c.ClientGrants.Get(context.Background(), "cgr_1")
			var ge *grantkit.Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, "c629c3e05e0881e81315", ge.RequestID)
			assert.Contains(t, err.Error(), "request id c629c3e05e0881e81315")
		})
	}
}
