package conformance_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit/conformance"
	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// RecordsEnv, when set, names a directory of records already made (by running tests with
// fake.RecordEnv set): they are validated instead of running the suites again.
const RecordsEnv = "GRANTKIT_CONFORMANCE_RECORDS"

// vendorSpecs is where the official documents are: ../shared beside the repository.
const vendorSpecs = "../../shared/vendor-specs"

var vendors = []struct {
	name, official, ours, packages string
}{
	{"auth0", "auth0-management-api-oas.json", "../specs/auth0.yaml", "./auth0/..."},
	{"pingone", "pingone-management.yml", "../specs/pingone.yaml", "./pingone/..."},
	{"okta", "okta-management-minimal.yaml", "../specs/okta.yaml", "./okta/..."},
}

var loaded struct {
	once sync.Once
	docs []*conformance.Document
	err  error
}

// documents loads the official documents once for every test in the package.
func documents(t *testing.T) []*conformance.Document {
	t.Helper()
	loaded.once.Do(func() {
		for _, v := range vendors {
			d, err := conformance.LoadDocument(v.name, filepath.Join(vendorSpecs, v.official), v.ours)
			if err != nil {
				loaded.err = err
				return
			}
			loaded.docs = append(loaded.docs, d)
		}
	})
	require.NoError(t, loaded.err, "the official documents are read from %s (../shared beside the repository)", vendorSpecs)
	return loaded.docs
}

// TestConformance runs the auth0 and pingone test suites with the fakes recording, and
// validates every exchange against the vendor's official document.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the vendor test suites")
	}
	docs := documents(t)
	dir := os.Getenv(RecordsEnv)
	if dir == "" {
		dir = t.TempDir()
		args := []string{"test", "-count=1"}
		for _, v := range vendors {
			args = append(args, v.packages)
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), fake.RecordEnv+"="+dir)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "the vendor test suites failed:\n%s", out)
	}
	recs, err := conformance.ReadRecords(dir)
	require.NoError(t, err)
	require.NotEmpty(t, recs, "no exchange was recorded in %s", dir)

	violations, tally := conformance.Check(docs, recs)
	gaps, err := conformance.ReadGaps("gaps.yaml")
	require.NoError(t, err)
	unexplained, unused := conformance.Explain(gaps, violations)
	t.Logf("%d exchanges: %d client requests and %d answers validated; not validated: %d token endpoint, %d answers cut or never sent by an injected fault, %d answers a test wrote itself, %d raw requests to no documented path, %d under no document's base path; %d failures of redacted secrets and %d unknown enum values refused with 400 not counted; %d violations explained by gaps.yaml",
		len(recs), tally.Requests, tally.Responses, tally.Token, tally.Incomplete, tally.Injected, tally.Unrouted, tally.Foreign,
		tally.Redacted, tally.PassedThrough, len(violations)-len(unexplained))

	for _, v := range unexplained {
		t.Errorf("violates the official document:\n%s", v)
	}
	for _, g := range unused {
		t.Errorf("gaps.yaml: no violation matches %v any more: remove the entry", g)
	}
	require.Empty(t, conformance.Uncovered(docs, tally), "operations of grantkit's specs that no test request reached")
}

// TestCheckFindsViolations proves the check is not vacuous: requests and answers that break
// each document are reported, and well-formed ones are not.
func TestCheckFindsViolations(t *testing.T) {
	docs := documents(t)
	const ua = "svc/1 grantkit/0.0.0 (test; go)"
	hdr := func(kv ...string) map[string][]string {
		h := map[string][]string{"User-Agent": {ua}, "Authorization": {"Bearer " + fake.Redacted}}
		for i := 0; i+1 < len(kv); i += 2 {
			h[kv[i]] = []string{kv[i+1]}
		}
		return h
	}
	json := map[string][]string{"Content-Type": {"application/json"}}
	grant := `{"id":"cgr_1","client_id":"c","audience":"https://api/","scope":["read:x"]}`
	pgrant := `{"id":"g1","resource":{"id":"r1"},"scopes":[{"id":"s1"}]}`
	const env = "/v1/environments/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/applications/9b1f2c3d-0000-4000-8000-00000000c11e"
	cases := []struct {
		name string
		ex   fake.Exchange
		want []string // pieces of the violations' messages, in order; none for a valid exchange
	}{
		{"auth0 valid get", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants/cgr_1", Header: hdr(),
			Status: 200, ResponseHeader: json, ResponseBody: grant}, nil},
		{"auth0 request body breaks the schema", fake.Exchange{Method: "PATCH", Path: "/api/v2/client-grants/cgr_1",
			Header: hdr("Content-Type", "application/json"), Body: `{"scope":"read:x"}`,
			Status: 200, ResponseHeader: json, ResponseBody: grant}, []string{"request body"}},
		{"auth0 filter value the document does not allow", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants",
			RawQuery: "allow_any_organization=false", Header: hdr(), Status: 200, ResponseHeader: json, ResponseBody: "[]"},
			[]string{"allow_any_organization"}},
		{"auth0 client request without a token", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants/cgr_1",
			Header: map[string][]string{"User-Agent": {ua}}, Status: 200, ResponseHeader: json, ResponseBody: grant},
			[]string{"'bearerAuth'", "'oAuth2ClientCredentials'"}}, // neither alternative is met
		{"auth0 undeclared query parameter", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants",
			RawQuery: "take=2&client=c", Header: hdr(), Status: 200, ResponseHeader: json, ResponseBody: "[]"},
			[]string{`"client" is not declared`}},
		{"auth0 answer with an unknown field", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants/cgr_1", Header: hdr(),
			Status: 200, ResponseHeader: json, ResponseBody: `{"id":"cgr_1","nonsense":1}`}, []string{"nonsense"}},
		{"auth0 undocumented status", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants/cgr_1", Header: hdr(),
			Status: 418, ResponseHeader: json, ResponseBody: `{}`}, []string{"418"}},
		{"undocumented status chosen by an injected fault", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants/cgr_1", Header: hdr(),
			Fault: "status", Status: 503, ResponseHeader: json, ResponseBody: `{}`}, nil},
		{"cut answer", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants/cgr_1", Header: hdr(),
			Fault: "truncate", Status: 200, ResponseHeader: json, ResponseBody: `{"id":"cg`}, nil},
		{"raw request: only the answer is checked", fake.Exchange{Method: "PATCH", Path: "/api/v2/client-grants/cgr_1",
			Header: map[string][]string{"Content-Type": {"application/json"}}, Body: `{"scope":"read:x"}`,
			Status: 200, ResponseHeader: json, ResponseBody: `{"scope":"read:x"}`}, []string{"response body"}},
		{"client request to no documented operation", fake.Exchange{Method: "PUT", Path: "/api/v2/client-grants/cgr_1", Header: hdr(),
			Status: 405}, []string{"no such operation"}},
		{"answer a test wrote itself", fake.Exchange{Method: "PATCH", Path: "/api/v2/client-grants/cgr_1",
			Header: hdr("Content-Type", "application/json"), Body: `{"scope":["read:x"]}`,
			Fault: "answer", Status: 202, ResponseBody: `{"id":`}, nil},
		{"redacted secret: its length is not checked", fake.Exchange{Method: "POST", Path: "/api/v2/resource-servers",
			Header: hdr("Content-Type", "application/json"), Body: `{"identifier":"urn:a","signing_alg":"HS256","signing_secret":"` + fake.Redacted + `"}`,
			Status: 201, ResponseHeader: json, ResponseBody: `{"id":"1","identifier":"urn:a","signing_secret":"` + fake.Redacted + `"}`}, nil},
		{"a secret too short is still reported", fake.Exchange{Method: "POST", Path: "/api/v2/resource-servers",
			Header: hdr("Content-Type", "application/json"), Body: `{"identifier":"urn:a","signing_alg":"HS256","signing_secret":"short"}`,
			Status: 201, ResponseHeader: json, ResponseBody: `{"id":"1","identifier":"urn:a"}`}, []string{`minLength: got 5, want 16 at $.signing_secret (value "short")`}},
		{"unknown enum value passed through and refused with 400", fake.Exchange{Method: "POST", Path: "/api/v2/client-grants",
			Header: hdr("Content-Type", "application/json"), Body: `{"client_id":"c","audience":"https://api/","scope":[],"subject_type":"robot"}`,
			Status: 400, ResponseHeader: json, ResponseBody: `{"statusCode":400,"error":"Bad Request","message":"m","errorCode":"invalid_body"}`}, nil},
		{"unknown enum value the fake accepted", fake.Exchange{Method: "POST", Path: "/api/v2/client-grants",
			Header: hdr("Content-Type", "application/json"), Body: `{"client_id":"c","audience":"https://api/","scope":[],"subject_type":"robot"}`,
			Status: 201, ResponseHeader: json, ResponseBody: grant}, []string{`at $.subject_type (value "robot")`}},
		{"a 400 excuses only enum values", fake.Exchange{Method: "POST", Path: "/api/v2/client-grants",
			Header: hdr("Content-Type", "application/json"), Body: `{"client_id":"c","audience":"https://api/","scope":"read:x"}`,
			Status: 400, ResponseHeader: json, ResponseBody: `{"statusCode":400,"error":"Bad Request","message":"m","errorCode":"invalid_body"}`}, []string{"at $.scope"}},
		{"a page object is not also reported as no array", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants",
			RawQuery: "take=2", Header: hdr(), Status: 200, ResponseHeader: json,
			ResponseBody: `{"client_grants":[{"id":"cgr_1","subject_type":"robot"}]}`},
			[]string{`client_grants[0].subject_type (value "robot")`, `client_grants[0].subject_type (value "robot")`}}, // once per page alternative
		{"an answer of no alternative's type is reported", fake.Exchange{Method: "GET", Path: "/api/v2/client-grants",
			RawQuery: "take=2", Header: hdr(), Status: 200, ResponseHeader: json, ResponseBody: `"grants"`},
			[]string{"want array", "want object", "want object"}},
		{"pingone valid create", fake.Exchange{Method: "POST", Path: env + "/grants",
			Header: hdr("Content-Type", "application/json"), Body: `{"resource":{"id":"r1"},"scopes":[{"id":"s1"}]}`,
			Status: 201, ResponseHeader: json, ResponseBody: pgrant}, nil},
		{"pingone create without its resource", fake.Exchange{Method: "POST", Path: env + "/grants",
			Header: hdr("Content-Type", "application/json"), Body: `{"scopes":[{"id":"s1"}]}`,
			Status: 201, ResponseHeader: json, ResponseBody: pgrant}, []string{"resource"}},
		{"pingone answer of the wrong type", fake.Exchange{Method: "GET", Path: env + "/grants/g1", Header: hdr(),
			Status: 200, ResponseHeader: json, ResponseBody: `{"id":1,"resource":{"id":"r1"},"scopes":[]}`}, []string{"want string at $.id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vs, _ := conformance.Check(docs, []conformance.Record{{Exchange: tc.ex, Source: "case"}})
			var got []string
			for _, v := range vs {
				got = append(got, v.String())
			}
			require.Len(t, vs, len(tc.want), "%s", strings.Join(got, "\n"))
			for i, w := range tc.want {
				require.Contains(t, got[i], w)
			}
		})
	}
}

func TestExplainReportsUnusedGaps(t *testing.T) {
	v := conformance.Violation{Vendor: "auth0", Operation: "GET /x", Side: "response", Status: 200,
		Problem: conformance.Problem{Message: "oneOf failed, subschemas 1, 2 matched"}}
	used := conformance.Gap{Vendor: "auth0", Operation: "GET /x", Side: "response", Match: "subschemas 1, 2 matched", Reason: "r"}
	stale := conformance.Gap{Vendor: "auth0", Operation: "GET /y", Side: "response", Match: "anything", Reason: "r"}
	other := v
	other.Status = 404
	wrongStatus := used
	wrongStatus.Status = 200

	unexplained, unused := conformance.Explain([]conformance.Gap{used, stale}, []conformance.Violation{v})
	require.Empty(t, unexplained)
	require.Equal(t, []conformance.Gap{stale}, unused)

	unexplained, unused = conformance.Explain([]conformance.Gap{wrongStatus}, []conformance.Violation{other})
	require.Len(t, unexplained, 1, "a gap for one status does not explain another")
	require.Len(t, unused, 1)
}

func TestGapsFileIsWellFormed(t *testing.T) {
	_, err := conformance.ReadGaps("gaps.yaml")
	require.NoError(t, err)

	bad := filepath.Join(t.TempDir(), "gaps.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("gaps:\n  - vendor: auth0\n    operation: GET /x\n    side: response\n    match: m\n"), 0o644))
	_, err = conformance.ReadGaps(bad)
	require.ErrorContains(t, err, "reason", "an entry without a reason is refused")
}
