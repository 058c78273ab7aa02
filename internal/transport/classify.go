package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// This file decides what a retry can get past. The rules are documented on
// grantkit.RetryPolicy; keep the two in step.

// idempotent reports whether sending a request again cannot do more than sending it once.
// That holds for every method grantkit sends except POST: its PUT and PATCH updates always
// carry absolute values, never increments or appends.
func idempotent(method string) bool { return method != http.MethodPost }

// retryableStatus: 429 means the vendor did not act on the request, so any method is retried;
// 500, 502, 503 and 504 may hide a request that was carried out (a 503 can come from a proxy
// after the vendor acted), so a create is not resent: the vendor method looks for what it may
// have made first (see Create).
func retryableStatus(method string, status int) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent(method)
	}
	return false
}

// unknownStatus reports a status after which the request may or may not have been carried out.
func unknownStatus(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// classifyNetErr sorts an error returned by the HTTP client instead of an answer. transient
// says a later attempt can succeed; unsent says the request certainly never reached the vendor
// (the connection was not made), so even a create may be sent again.
//
// Only named transient failures are retried. Everything else is final: a certificate the
// client does not trust will not become trusted, a header value net/http refuses to send will
// be refused again, and an error the caller's own RoundTripper returns (an egress policy, a
// test double) is its decision unless it marks the error with Temporary() bool.
func classifyNetErr(err error) (transient, unsent bool) {
	if tlsVerificationFailure(err) {
		return false, false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		// Refused, unreachable, timed out or a temporary resolver failure: the connection was
		// never made. A name that does not exist will not exist on the next attempt either.
		var dns *net.DNSError
		if errors.As(err, &dns) && dns.IsNotFound {
			return false, true
		}
		return true, true
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true, true
	}
	return transientCause(err), false
}

// transientCause reports whether err is a named failure of a connection that was made: reset,
// aborted, broken, timed out, or closed before the answer was complete.
func transientCause(err error) bool {
	for _, named := range []error{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT,
		io.EOF, io.ErrUnexpectedEOF} {
		if errors.Is(err, named) {
			return true
		}
	}
	if marked(err) {
		return true
	}
	// net/http's own sentinel for a kept-alive connection the server closed while the
	// request was being written; it is unexported, so it is recognised by its text.
	return strings.Contains(err.Error(), "http: server closed idle connection")
}

// marked reports whether any error in err's chain says it is a timeout or temporary. This is
// how net's own errors (timeouts, temporary DNS failures) and a caller's RoundTripper errors
// (see grantkit.RetryPolicy) say they are worth retrying. *url.Error is skipped: it only
// forwards the question to the error it wraps, which the walk reaches anyway.
func marked(err error) bool {
	for _, e := range chain(err) {
		if _, ok := e.(*url.Error); ok {
			continue
		}
		if t, ok := e.(interface{ Timeout() bool }); ok && t.Timeout() {
			return true
		}
		if t, ok := e.(interface{ Temporary() bool }); ok && t.Temporary() {
			return true
		}
	}
	return false
}

// chain lists err and every error it wraps, depth first.
func chain(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		for e != nil && len(out) < 64 { // a bound against a cycle in a hand-made chain
			out = append(out, e)
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					walk(inner)
				}
				return
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			default:
				return
			}
		}
	}
	walk(err)
	return out
}

// tlsVerificationFailure reports a certificate or TLS handshake refusal: retrying cannot make
// the peer trusted.
func tlsVerificationFailure(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		host      x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) || errors.As(err, &host) ||
		errors.As(err, &invalid) || errors.As(err, &record) || errors.As(err, &alert)
}
