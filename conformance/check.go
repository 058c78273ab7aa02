package conformance

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"

	"github.com/grantkit/grantkit/internal/fake"
)

// Problem is one finding of the validator.
type Problem struct {
	// Kind is the validator's type and subtype, such as "response/statusCode" or
	// "requestBody/schema".
	Kind    string
	Message string
}

func problems(errs []*liberrors.ValidationError) []Problem {
	var ps []Problem
	for _, e := range errs {
		kind := e.ValidationType + "/" + e.ValidationSubType
		if len(e.SchemaValidationErrors) == 0 {
			msg := e.Message
			if e.Reason != "" {
				msg += ": " + e.Reason
			}
			ps = append(ps, Problem{Kind: kind, Message: msg})
			continue
		}
		// One problem per schema failure, so that a gap explains one failure and never hides
		// another in the same body.
		for _, f := range e.SchemaValidationErrors {
			msg := e.Message + ": " + f.Reason
			if f.FieldPath != "" {
				msg += " at " + f.FieldPath
			}
			ps = append(ps, Problem{Kind: kind, Message: msg})
		}
	}
	return ps
}

// Record is one recorded exchange and where it was read from.
type Record struct {
	fake.Exchange
	Source string // file:line
}

// ReadRecords reads every record file (*.jsonl) in dir.
func ReadRecords(dir string) ([]Record, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	var recs []Record
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 64<<20)
		for line := 1; sc.Scan(); line++ {
			r := Record{Source: filepath.Base(name) + ":" + strconv.Itoa(line)}
			if err := json.Unmarshal(sc.Bytes(), &r.Exchange); err != nil {
				_ = f.Close()
				return nil, fmt.Errorf("%s: %w", r.Source, err)
			}
			recs = append(recs, r)
		}
		err = sc.Err()
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return recs, nil
}

// grantkitAgent matches the User-Agent grantkit's transport sends, after an optional
// product the caller set with WithUserAgent.
var grantkitAgent = regexp.MustCompile(`(^|\s)grantkit/\S+ \(`)

// FromClient reports whether a grantkit client sent the request (a test may also send raw
// requests, often broken on purpose, to see how a fake answers).
func FromClient(ex *fake.Exchange) bool {
	for _, ua := range ex.Header.Values("User-Agent") {
		if grantkitAgent.MatchString(ua) {
			return true
		}
	}
	return false
}

// Violation is a problem found in one exchange.
type Violation struct {
	Vendor    string
	Operation string // "GET /client-grants/{id}", the official template
	Side      string // "request" or "response"
	Status    int    // the answer's status
	Problem
	Record *Record
}

func (v Violation) String() string {
	ex := v.Record.Exchange
	target := ex.Path
	if ex.RawQuery != "" {
		target += "?" + ex.RawQuery
	}
	s := fmt.Sprintf("%s %s %s (answered %d) [%s]: %s\n\t%s %s", v.Vendor, v.Operation, v.Side, v.Status, v.Kind, v.Message, ex.Method, target)
	if v.Side == "request" && ex.Body != "" {
		s += "\n\trequest body: " + clip(ex.Body)
	}
	if v.Side == "response" && ex.ResponseBody != "" {
		s += "\n\tresponse body: " + clip(ex.ResponseBody)
	}
	return s + "\n\trecorded at " + v.Record.Source
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// Tally counts what Check did with the records.
type Tally struct {
	Requests, Responses int // validated
	Token               int // token endpoint exchanges, not in any management document
	Incomplete          int // answers cut or never sent by an injected fault
	Unrouted            int // raw test requests to paths no document covers (their answers are the fake's 404s)
	Foreign             int // exchanges under no document's base path (another vendor's fake)
	// Covered holds each "vendor METHOD /path/{}" a client request reached.
	Covered map[string]bool
}

// Check validates every record against the document of the vendor whose base path it is
// under, and returns the violations.
func Check(docs []*Document, recs []Record) ([]Violation, Tally) {
	t := Tally{Covered: map[string]bool{}}
	var out []Violation
	for i := range recs {
		rec := &recs[i]
		ex := &rec.Exchange
		if ex.Token {
			t.Token++
			continue
		}
		var doc *Document
		for _, d := range docs {
			if strings.HasPrefix(ex.Path, d.BasePath+"/") {
				doc = d
				break
			}
		}
		if doc == nil {
			t.Foreign++
			continue
		}
		client := FromClient(ex)
		template, hasMethod := doc.Route(ex.Method, strings.TrimPrefix(ex.Path, doc.BasePath))
		op := ex.Method + " " + template
		violation := func(side string, p Problem) {
			out = append(out, Violation{Vendor: doc.Vendor, Operation: op, Side: side, Status: ex.Status, Problem: p, Record: rec})
		}
		if template == "" || !hasMethod {
			if client {
				op = ex.Method + " " + strings.TrimPrefix(ex.Path, doc.BasePath)
				violation("request", Problem{Kind: "route", Message: "the official document has no such operation"})
			} else {
				t.Unrouted++
			}
			continue
		}
		req, err := request(ex, "https://vendor.invalid")
		if err != nil {
			violation("request", Problem{Kind: "record", Message: err.Error()})
			continue
		}
		if client {
			t.Requests++
			t.Covered[doc.Vendor+" "+ex.Method+" "+normalize(template)] = true
			for _, p := range doc.ValidateRequest(req, template) {
				violation("request", p)
			}
		}
		if ex.Incomplete() {
			t.Incomplete++
			continue
		}
		t.Responses++
		for _, p := range doc.ValidateResponse(req, response(ex, req)) {
			if ex.Fault == "status" && p.Kind == helpers.ResponseBodyValidation+"/"+helpers.ResponseBodyResponseCode {
				// The test chose this status to exercise the client's error handling; whether
				// the vendor documents it for this operation is not the fake's doing. Its
				// body (the fake's error body) is still checked where the status is documented.
				continue
			}
			violation("response", p)
		}
	}
	return out, t
}

// Uncovered returns the operations of grantkit's specs that no client request reached.
func Uncovered(docs []*Document, t Tally) []string {
	var out []string
	for _, d := range docs {
		for _, op := range d.Operations {
			if !t.Covered[d.Vendor+" "+op] {
				out = append(out, d.Vendor+" "+op)
			}
		}
	}
	slices.Sort(out)
	return out
}

func request(ex *fake.Exchange, base string) (*http.Request, error) {
	target := base + ex.Path
	if ex.RawQuery != "" {
		target += "?" + ex.RawQuery
	}
	r, err := http.NewRequest(ex.Method, target, strings.NewReader(ex.Body))
	if err != nil {
		return nil, err
	}
	r.Header = ex.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	return r, nil
}

func response(ex *fake.Exchange, r *http.Request) *http.Response {
	h := ex.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{
		StatusCode: ex.Status, Header: h, Request: r,
		Body: io.NopCloser(strings.NewReader(ex.ResponseBody)), ContentLength: int64(len(ex.ResponseBody)),
	}
}
