package grantkit

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidInput is wrapped by every error for input that a client rejects before sending
// anything: an empty or unsafe id, a value outside its documented length or range, an unknown
// enum value, a secret that does not meet the vendor's pattern. Test with errors.Is.
var ErrInvalidInput = errors.New("invalid input")

// ErrDuplicateScope is wrapped by a scope write that cannot tell which scope is meant because
// the resource defines the scope's name more than once (the vendor stored it so, as Auth0 can):
// nothing is changed. Remove the duplicates at the vendor, then write again.
var ErrDuplicateScope = errors.New("scope defined more than once")

// ErrToken is matched by errors.Is for the *Error of a call whose access token could not be
// obtained: the token request failed (refused, rate-limited past the retry policy, or no
// answer), so the call's own request was never sent. The Error's TokenRequest is true, its
// Operation names the call as usual, and StatusCode, Code and Message describe the token
// endpoint's answer.
var ErrToken = errors.New("token request failed")

// Error is the error of a call that was sent to a vendor (or whose sending failed): the vendor
// answered with a non-2xx status, answered 2xx with something the call cannot use, or no answer
// came back after every allowed attempt. Get it with errors.As:
//
//	var apiErr *grantkit.Error
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
//		return nil // already gone
//	}
//
// Every Error a call returns is its own: it is never shared with another call and never
// changed after it is returned, so it may be kept and read from any goroutine.
//
// A 2xx StatusCode means the vendor accepted the request but its answer could not be used (a
// status the call does not document, an empty, cut-off or malformed body): Message then says
// so, and for anything but a read that the request may have taken effect — for a create, that
// the object may now exist and how to find it.
//
// When the call's context ends, errors.Is(err, context.Canceled) (or
// context.DeadlineExceeded) is true, and the Error still carries the last answer received
// (its StatusCode, Code and Message), if any.
//
// An Error never holds an access token, a client secret or a request or response body.
type Error struct {
	// Vendor is the vendor package that made the call: "auth0", "cpn", "onelogin", "pingone".
	Vendor string
	// Operation is the exported method or function the caller called: "Service.Method" for
	// a vendor client's service ("ClientGrants.Update", "ClientGrants.ListPage"),
	// "Grants.Method" for the vendor-neutral view ("Grants.Get"), and the function's own name
	// for this package's helpers ("AddScopes", "RemoveScopes"). It is the same for every
	// error of one call, whatever requests the call made on the way: a 429 met while
	// Grants.Get lists client grants says "Grants.Get", a refused write inside AddScopes says
	// "AddScopes". A failed token request does not change it either: see TokenRequest.
	Operation string
	// TokenRequest reports that the failure is the token request's, made for the call before
	// its own request (which was then never sent); errors.Is(err, ErrToken) is true exactly
	// then.
	TokenRequest bool
	// StatusCode is the HTTP status of the last answer, or 0 if none was received.
	StatusCode int
	// Code is the vendor's machine-readable error code, when it sends one.
	Code string
	// Message is the vendor's human-readable message when it sends one, or grantkit's own
	// account of an answer it could not use (a 2xx StatusCode).
	Message string
	// RequestID is the vendor's id for the request, when it sends one; quote it to support.
	RequestID string
	// RetryAfter is how long the vendor asked the caller to wait (Retry-After or its
	// rate-limit reset header), or zero if it did not say.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the underlying cause: the network failure when no answer was received, the
	// context's error when the call's context ended, or why a 2xx answer could not be read.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Vendor)
	if e.Operation != "" {
		b.WriteString(": ")
		b.WriteString(e.Operation)
	}
	if e.TokenRequest {
		b.WriteString(": token request")
	}
	// The parts present, in this order: status (code), message, cause.
	sep := ": "
	if e.StatusCode != 0 {
		b.WriteString(sep)
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" ")
			b.WriteString(t)
		}
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
	}
	if e.Message != "" {
		b.WriteString(sep)
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(sep)
		b.WriteString(e.Err.Error())
	}
	if e.StatusCode == 0 && e.Message == "" && e.Err == nil {
		b.WriteString(sep)
		b.WriteString("request failed")
	}
	var extra []string
	if e.RequestID != "" {
		extra = append(extra, "request id "+e.RequestID)
	}
	if e.Attempts > 1 {
		extra = append(extra, strconv.Itoa(e.Attempts)+" attempts")
	}
	if e.RetryAfter > 0 {
		extra = append(extra, "retry after "+e.RetryAfter.String())
	}
	if len(extra) > 0 {
		b.WriteString(" [")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteString("]")
	}
	return b.String()
}

// Unwrap returns the underlying cause, so errors.Is(err, context.Canceled) works.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrToken) true for the error of a failed token request.
func (e *Error) Is(target error) bool { return target == ErrToken && e.TokenRequest }
