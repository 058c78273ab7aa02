package fake

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// RecordEnv names the environment variable that turns recording on: when it names a
// directory, every fake in the process appends each exchange it serves (the token endpoint
// included) as one JSON line of Exchange to its own file there. The conformance module
// (../../conformance) runs the vendor test suites with it set and checks every exchange
// against the vendor's official API document. Unset, recording costs one branch per request.
const RecordEnv = "GRANTKIT_FAKE_RECORD"

// Redacted replaces every secret in a recorded exchange.
const Redacted = "REDACTED"

// Exchange is one request a fake served and the answer it gave, as recorded.
type Exchange struct {
	Method   string      `json:"method"`
	Path     string      `json:"path"` // escaped, as received
	RawQuery string      `json:"query,omitempty"`
	Header   http.Header `json:"header"` // secrets redacted
	Body     string      `json:"body,omitempty"`
	// Token is set for the token endpoint, which no management API document describes.
	Token bool `json:"token,omitempty"`
	// Fault names the injected fault that shaped the answer: "status", "delay", one that
	// leaves no vendor answer to check: "drop", "truncate", "reset", or "answer": a raw
	// answer the test wrote itself (Fault.Answer).
	Fault          string      `json:"fault,omitempty"`
	Status         int         `json:"status"` // 0 when nothing was answered
	ResponseHeader http.Header `json:"responseHeader,omitempty"`
	ResponseBody   string      `json:"responseBody,omitempty"`
}

// Incomplete reports whether the answer was cut by an injected fault or never sent (a dropped
// connection, or a client that gave up during a delay), so it is not an answer the vendor
// would give.
func (e *Exchange) Incomplete() bool {
	return e.Status == 0 || e.Fault == "truncate" || e.Fault == "reset"
}

// Injected reports whether the test wrote the answer itself (Fault.Answer, such as an empty
// body or a cut JSON document): its status, headers and body are the test's, so they say
// nothing about the fake or the vendor.
func (e *Exchange) Injected() bool { return e.Fault == "answer" }

// recordDir reads RecordEnv once, on the first request rather than at package start-up, so
// that `go test` sees the read and does not answer from its cache a run that would record.
var recordDir = sync.OnceValue(func() string { return os.Getenv(RecordEnv) })

// recorder is the process's record file, opened on the first exchange.
var recorder struct {
	once sync.Once
	mu   sync.Mutex
	f    *os.File
}

// recording wraps a ResponseWriter to keep what the fake answers.
type recording struct {
	http.ResponseWriter
	ex     Exchange
	body   bytes.Buffer
	status int
}

// startRecording returns a ResponseWriter to serve r with, whose finish writes the exchange.
// r's body is read and replaced by a copy.
func startRecording(w http.ResponseWriter, r *http.Request, token bool) *recording {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	return &recording{ResponseWriter: w, ex: Exchange{
		Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Header: redactHeader(r.Header), Body: redactBody(r.Header.Get("Content-Type"), body), Token: token,
	}}
}

func (rw *recording) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recording) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	rw.body.Write(b)
	return rw.ResponseWriter.Write(b)
}

// Flush and Hijack keep the fault injection's use of the underlying connection working.
func (rw *recording) Flush() {
	if fl, ok := rw.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

func (rw *recording) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := rw.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}

func (rw *recording) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// markFault notes the fault an answer was given under, when w is being recorded.
func markFault(w http.ResponseWriter, f Fault) {
	rw, ok := w.(*recording)
	if !ok {
		return
	}
	switch {
	case f.Drop:
		rw.ex.Fault = "drop"
	case f.ResetMidBody:
		rw.ex.Fault = "reset"
	case f.Truncate:
		rw.ex.Fault = "truncate"
	case f.Answer != nil: // before Status, which an Answer may carry
		rw.ex.Fault = "answer"
	case f.Status != 0:
		rw.ex.Fault = "status"
	default:
		rw.ex.Fault = "delay"
	}
}

// finish writes the exchange as one line. It also runs when the handler aborts the
// connection by panicking (a reset mid-body), and then records what was sent.
func (rw *recording) finish() {
	ex := rw.ex
	if rw.status != 0 { // 0: nothing was written (a dropped connection, a client gone during a delay)
		ex.Status = rw.status
		ex.ResponseHeader = redactHeader(rw.Header())
		ex.ResponseBody = redactBody(rw.Header().Get("Content-Type"), rw.body.Bytes())
	}
	line, err := json.Marshal(ex)
	if err != nil {
		return // every field marshals; nothing to record otherwise
	}
	recorder.once.Do(func() {
		name := fmt.Sprintf("%s-%d.jsonl", filepath.Base(os.Args[0]), os.Getpid())
		err := os.MkdirAll(recordDir(), 0o755)
		if err == nil {
			recorder.f, err = os.OpenFile(filepath.Join(recordDir(), name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "fake: %s: cannot record exchanges: %v\n", RecordEnv, err)
		}
	})
	if recorder.f == nil {
		return
	}
	recorder.mu.Lock()
	defer recorder.mu.Unlock()
	_, _ = recorder.f.Write(append(line, '\n')) // one write per line: a crash loses no earlier line
}

// secretHeaders are dropped from records; Authorization keeps its scheme so that a record
// still shows which security scheme was used.
var secretHeaders = []string{"Cookie", "Set-Cookie", "Proxy-Authorization", "Csp-Auth-Token"}

func redactHeader(h http.Header) http.Header {
	c := h.Clone()
	for _, k := range secretHeaders {
		if _, ok := c[k]; ok {
			c[k] = []string{Redacted}
		}
	}
	if v := c.Get("Authorization"); v != "" {
		scheme, _, _ := strings.Cut(v, " ")
		c.Set("Authorization", scheme+" "+Redacted)
	}
	return c
}

// secretKey reports whether a form or JSON field name holds a secret or a token.
func secretKey(k string) bool {
	k = strings.ToLower(strings.ReplaceAll(k, "_", ""))
	return strings.Contains(k, "secret") || strings.Contains(k, "password") ||
		k == "accesstoken" || k == "refreshtoken" || k == "idtoken" || k == "clientassertion"
}

// redactBody replaces the values of secret fields in a JSON or form body, keeping its shape.
// A body that does not parse (such as a fake's deliberately broken answer) is kept as is.
func redactBody(contentType string, b []byte) string {
	switch {
	case strings.HasPrefix(contentType, "application/x-www-form-urlencoded"):
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return string(b)
		}
		for k := range form {
			if secretKey(k) {
				form[k] = []string{Redacted}
			}
		}
		return form.Encode()
	case strings.Contains(contentType, "json"):
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber() // numbers keep their exact text
		var v any
		if dec.Decode(&v) != nil || dec.More() || !redactJSON(v) {
			return string(b)
		}
		out, err := json.Marshal(v)
		if err != nil {
			return string(b)
		}
		return string(out)
	}
	return string(b)
}

// redactJSON replaces secret string values in v and reports whether it changed any.
func redactJSON(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if _, ok := e.(string); ok && secretKey(k) {
				v[k] = Redacted
				changed = true
			} else if redactJSON(e) {
				changed = true
			}
		}
	case []any:
		for _, e := range v {
			if redactJSON(e) {
				changed = true
			}
		}
	}
	return changed
}
