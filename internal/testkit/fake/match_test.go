package fake_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/ogen-go/ogen/ogenerrors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// newServer is a fake whose API answers 200 "ok" to everything, behind the shared Server.
func newServer(t *testing.T) (*fake.Server, *httptest.Server) {
	t.Helper()
	s := fake.New(fake.Config{
		ClientID: "id", ClientSecret: "secret", TokenPath: "/token",
		ErrorBody: func(status int, msg string) []byte {
			return fmt.Appendf(nil, `{"status":%d,"message":%q}`, status, msg)
		},
	})
	s.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// send makes one request and returns the status it got.
func send(t *testing.T, hs *httptest.Server, method, path string) int {
	t.Helper()
	code, err := do(hs, method, path)
	require.NoError(t, err)
	return code
}

func do(hs *httptest.Server, method, path string) (int, error) {
	req, err := http.NewRequest(method, hs.URL+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := hs.Client().Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Body.Close()
}

func TestFailTargetsMethodAndPath(t *testing.T) {
	s, hs := newServer(t)
	s.Fail(fake.Match{Method: "PATCH", Path: "/api/things/*"}, fake.Fault{Status: 429, RetryAfter: "1"})

	assert.Equal(t, 200, send(t, hs, "GET", "/api/things/t1"), "a read is served")
	assert.Equal(t, 200, send(t, hs, "PATCH", "/api/other/t1"), "a write elsewhere is served")
	assert.Equal(t, 200, send(t, hs, "PATCH", "/api/things/t1/parts/p1"), "* stands for one segment")
	assert.Equal(t, 429, send(t, hs, "PATCH", "/api/things/t1"), "the matching write meets the fault")
	assert.Equal(t, 200, send(t, hs, "PATCH", "/api/things/t1"), "the rule is spent")
}

func TestFailNthMatchingRequest(t *testing.T) {
	s, hs := newServer(t)
	s.Fail(fake.Match{Method: "GET", Nth: 3}, fake.Fault{Status: 503}, fake.Fault{Status: 500})

	var got []int
	for _, method := range []string{"GET", "POST", "GET", "DELETE", "GET", "GET", "GET"} {
		got = append(got, send(t, hs, method, "/api/things"))
	}
	// The third GET meets the first fault and the fourth the second; other methods do not count.
	assert.Equal(t, []int{200, 200, 200, 200, 503, 500, 200}, got)
}

func TestFailExactPathAndEscapedSegment(t *testing.T) {
	s, hs := newServer(t)
	s.Fail(fake.Match{Path: "/api/things/a%2Fb"}, fake.Fault{Status: 404})
	s.Fail(fake.Match{Path: "/api/things/*"}, fake.Fault{Status: 409})

	// The escaped slash keeps "a%2Fb" one segment, as Request.Path records it.
	assert.Equal(t, 404, send(t, hs, "DELETE", "/api/things/"+url.PathEscape("a/b")))
	assert.Equal(t, 409, send(t, hs, "DELETE", "/api/things/"+url.PathEscape("a/b")))
	assert.Equal(t, "/api/things/a%2Fb", s.Requests()[0].Path)
}

func TestFailOneFaultPerRequestFirstRuleFirst(t *testing.T) {
	s, hs := newServer(t)
	s.FailNext(1, fake.Fault{Status: 500})
	s.Fail(fake.Match{Method: "GET"}, fake.Fault{Status: 429})

	assert.Equal(t, 500, send(t, hs, "GET", "/x"), "the rule added first gives its fault")
	assert.Equal(t, 429, send(t, hs, "GET", "/x"), "the second rule kept its fault for the next match")
	assert.Equal(t, 200, send(t, hs, "GET", "/x"))
}

func TestFailNextCountsEveryRequest(t *testing.T) {
	s, hs := newServer(t)
	s.FailNext(0, fake.Fault{Status: 500})
	s.FailNext(2, fake.Fault{Status: 502})
	s.FailNext(1, fake.Fault{Status: 504})

	var got []int
	for _, method := range []string{"GET", "PUT", "DELETE", "GET"} {
		got = append(got, send(t, hs, method, "/any/where"))
	}
	assert.Equal(t, []int{502, 502, 504, 200}, got)
}

func TestFailLeavesTokenRequestsAlone(t *testing.T) {
	s, hs := newServer(t)
	s.Fail(fake.Match{}, fake.Fault{Status: 503})

	resp, err := hs.Client().PostForm(hs.URL+"/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"secret"},
	})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 503, send(t, hs, "GET", "/api"), "the fault waited for an API request")
}

func TestFailRejectsMistakes(t *testing.T) {
	s, _ := newServer(t)
	assert.PanicsWithValue(t, `fake: Match.Path "/api/[": syntax error in pattern`, func() {
		s.Fail(fake.Match{Path: "/api/["}, fake.Fault{Status: 500})
	})
	assert.PanicsWithValue(t, "fake: Match.Nth is -1; the first matching request is 1", func() {
		s.Fail(fake.Match{Nth: -1}, fake.Fault{Status: 500})
	})
}

func TestFailUnderConcurrentRequests(t *testing.T) {
	s, hs := newServer(t)
	s.Fail(fake.Match{Method: "PATCH"}, fake.Fault{Status: 429}, fake.Fault{Status: 429}, fake.Fault{Status: 429})

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[string]int{}
	)
	for i := range 40 {
		wg.Go(func() {
			method := []string{"GET", "PATCH"}[i%2]
			code, err := do(hs, method, "/api/things/t")
			mu.Lock()
			counts[fmt.Sprint(method, " ", code, " ", err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	assert.Equal(t, map[string]int{"GET 200 <nil>": 20, "PATCH 200 <nil>": 17, "PATCH 429 <nil>": 3}, counts)
	assert.Len(t, s.Requests(), 40)
}

// A status fault with Apply carries the request out, then answers the status: the vendor
// acted and its answer was lost behind an error (a 503 from a proxy, a 500 after the commit).
func TestStatusFaultWithApplyCarriesTheRequestOut(t *testing.T) {
	s := fake.New(fake.Config{ClientID: "id", ClientSecret: "secret", TokenPath: "/token",
		ErrorBody: func(status int, msg string) []byte { return fmt.Appendf(nil, `{"status":%d}`, status) }})
	var served int
	s.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { served++; _, _ = io.WriteString(w, "ok") }))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)

	s.FailNext(1, fake.Fault{Status: 503})
	assert.Equal(t, 503, send(t, hs, "POST", "/api/things"))
	assert.Zero(t, served, "without Apply the request is not carried out")
	s.FailNext(1, fake.Fault{Status: 503, Apply: true})
	assert.Equal(t, 503, send(t, hs, "POST", "/api/things"))
	assert.Equal(t, 1, served, "with Apply it is, and the answer is still the 503")
}

// The generated server's own failures (a refused security check, anything else it reports)
// are answered in the vendor's body with the status text: their error text names generated
// operations and schemes (`operation UpdateClientGrant: security "": ...`), never the vendor's.
func TestOptionsErrorLeaksNoGeneratedNames(t *testing.T) {
	s := fake.New(fake.Config{ClientID: "id", ClientSecret: "secret", TokenPath: "/token",
		ErrorBody: func(status int, msg string) []byte {
			return fmt.Appendf(nil, `{"status":%d,"message":%q}`, status, msg)
		}})
	opts := s.Options("Payload validation error: ")
	for _, tc := range []struct {
		err    error
		status int
	}{
		{&ogenerrors.SecurityError{OperationContext: ogenerrors.OperationContext{Name: "UpdateClientGrant"}, Security: "BearerAuth", Err: ogenerrors.ErrSecurityRequirementIsNotSatisfied}, 401},
		{fmt.Errorf("operation UpdateClientGrant: encode response: boom"), 500},
	} {
		w := httptest.NewRecorder()
		opts.Error(t.Context(), w, httptest.NewRequest("PATCH", "/x", nil), tc.err)
		assert.Equal(t, tc.status, w.Code)
		assert.JSONEq(t, fmt.Sprintf(`{"status":%d,"message":%q}`, tc.status, http.StatusText(tc.status)), w.Body.String())
		assert.NotContains(t, w.Body.String(), "UpdateClientGrant")
	}
}
