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

	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// Problem is one finding of the validator.
type Problem struct {
	// Kind is the validator's type and subtype, such as "response/statusCode" or
	// "requestBody/schema".
	Kind    string
	Message string
	// Keyword is the schema keyword that failed ("enum", "minLength", …) and Instance the
	// path of the failing value in the body (or the parameter's name), when the validator
	// says; Check's rules about redacted and passed-through values read them.
	Keyword  string
	Instance []string
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
			if otherShape(f, e.SchemaValidationErrors) {
				continue
			}
			msg := e.Message + ": " + f.Reason
			if f.FieldPath != "" {
				msg += " at " + f.FieldPath
			}
			keyword := f.KeywordLocation[strings.LastIndex(f.KeywordLocation, "/")+1:]
			ps = append(ps, Problem{Kind: kind, Message: msg, Keyword: keyword, Instance: f.InstancePath})
		}
	}
	return ps
}

// alternative matches a keyword location inside an alternative of a oneOf or anyOf: the
// composition's location, the alternative's index and the rest.
var alternative = regexp.MustCompile(`^(.*/(?:oneOf|anyOf))/(\d+)(/.*)$`)

// otherShape reports whether f only says that a value is not of the type of one alternative
// of a oneOf or anyOf ("got object, want array") while another alternative of the same
// composition, for the same value, has the value's type and fails inside it. The value was
// then never meant for f's alternative, and the other failures say what is wrong with it.
// When no alternative has the value's type, f is kept.
func otherShape(f *liberrors.SchemaValidationFailure, all []*liberrors.SchemaValidationFailure) bool {
	m := alternative.FindStringSubmatch(f.KeywordLocation)
	if m == nil || !typeOnly(strings.TrimPrefix(m[3], "/")) {
		return false
	}
	for _, g := range all {
		rest, ok := strings.CutPrefix(g.KeywordLocation, m[1]+"/")
		if !ok {
			continue // not inside this composition
		}
		index, inside, _ := strings.Cut(rest, "/")
		if index == m[2] || typeOnly(inside) ||
			len(g.InstancePath) < len(f.InstancePath) || !slices.Equal(g.InstancePath[:len(f.InstancePath)], f.InstancePath) {
			continue // the same alternative, another alternative's type, or another value
		}
		return true
	}
	return false
}

// typeOnly reports whether a keyword location inside an alternative is its type, possibly
// through references ("type", "$ref/type").
func typeOnly(loc string) bool {
	for {
		rest, ok := strings.CutPrefix(loc, "$ref/")
		if !ok {
			return loc == "type"
		}
		loc = rest
	}
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
	Injected            int // answers a test wrote itself (fake.Fault.Answer)
	// Redacted counts failures of a value the recorder replaced with fake.Redacted (a
	// secret's length or pattern cannot be checked once it is redacted).
	Redacted int
	// PassedThrough counts enum values outside the document that a client sent, as grantkit
	// does by design for a value it does not know, and that the fake refused with 400 as the
	// vendor does.
	PassedThrough int
	Unrouted      int // raw test requests to paths no document covers (their answers are the fake's 404s)
	Foreign       int // exchanges under no document's base path (another vendor's fake)
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
			if strings.HasPrefix(ex.Path, d.Under+"/") {
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
				p, secret := inBody(p, helpers.RequestBodyValidation, ex.Body)
				switch {
				case secret:
					t.Redacted++
				case passedThrough(p, ex.Status):
					t.PassedThrough++
				default:
					violation("request", p)
				}
			}
		}
		if ex.Incomplete() {
			t.Incomplete++
			continue
		}
		if ex.Injected() {
			// A body, content type and status the test chose to see how the client copes
			// with an answer no vendor documents; it is not the fake's answer.
			t.Injected++
			continue
		}
		t.Responses++
		for _, p := range doc.ValidateResponse(req, response(ex, req)) {
			p, secret := inBody(p, helpers.ResponseBodyValidation, ex.ResponseBody)
			if secret {
				t.Redacted++
				continue
			}
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

// inBody resolves a body problem's failing value and adds it to the message when it is a
// string, number or boolean, so that a gap can name the value it explains (an enum's new
// member, say) and not every value that breaks the same rule. It also reports whether the
// value is fake.Redacted: the recorder replaced a secret there, and the secret's length or
// pattern cannot be checked any more.
func inBody(p Problem, validation, body string) (_ Problem, redacted bool) {
	if p.Kind != validation+"/"+helpers.Schema || len(p.Instance) == 0 {
		return p, false
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return p, false
	}
	for _, seg := range p.Instance {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg) // a JSON pointer's escapes
		switch c := v.(type) {
		case map[string]any:
			v = c[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return p, false
			}
			v = c[i]
		default:
			return p, false
		}
	}
	switch v.(type) {
	case string, json.Number, bool:
		if v == fake.Redacted {
			return p, true
		}
		b, _ := json.Marshal(v)
		p.Message += " (value " + clip(string(b)) + ")"
	}
	return p, false
}

// passedThrough reports whether p is a value outside one of the document's enums in a
// request the fake refused with 400. grantkit sends enum values it does not know on purpose
// (the vendor may have added them since, and it validates them itself: "never refuse what
// the vendor accepts"), and a test shows that the vendor's refusal reaches the caller; the
// fake refusing such a value is what the document says the vendor does. An unknown value
// the fake accepted is still a violation: either the fake is wrong or the document is out
// of date, and then gaps.yaml says so with the evidence.
func passedThrough(p Problem, status int) bool {
	return status == http.StatusBadRequest && (p.Keyword == "enum" || p.Keyword == "const")
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
