// Package httpfake answers HTTP requests in memory, for tests that feed a client exact bytes
// (fuzzing, forward-compatibility) without a server.
package httpfake

import (
	"io"
	"net/http"
	"strings"
)

// RoundTripFunc is an http.RoundTripper made of a function.
type RoundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f RoundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Client returns an *http.Client whose every request is answered by f.
func Client(f RoundTripFunc) *http.Client { return &http.Client{Transport: f} }

// JSON is a response to r with status code and a JSON body.
func JSON(r *http.Request, code int, body string) *http.Response {
	return &http.Response{
		StatusCode:    code,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}
}
