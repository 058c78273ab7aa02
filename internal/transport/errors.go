package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ogen-go/ogen/validate"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	input "github.com/grantkit/grantkit/internal/validate"
)

// This file is the one place where *grantkit.Error values are built: from a non-2xx answer
// (statusError), from a request that got no answer (noAnswer), from a 2xx answer that could not
// be read here (cutOff) or by the generated client (Call.Err), and from a failed token request
// (tokenError). Each builds a new value for one call and hands it over; nothing keeps or
// changes it afterwards, so concurrent calls never share an error.

// Call is one call of a vendor method, begun by the vendor package before it runs the
// generated client. It names the operation for the errors the transport builds, and records
// the 2xx answer the transport handed to the generated client, so that a failure to decode it
// is reported with its status. A Call covers one generated-client request.
type Call struct {
	vendor, op string
	find       string // for a create: how to find what it may have made

	mu  sync.Mutex
	ans answer   // the 2xx answer delivered for this call, if any
	out outcomes // what the attempts of this call left unknown (landed.go)
}

// answer is what the transport knows about a 2xx answer it delivered.
type answer struct {
	delivered bool
	method    string
	status    int
	attempts  int
	requestID string
}

type callKey struct{}

// Begin starts a call of operation op (such as "ClientGrants.Get", the exported method the
// caller called) of vendor. Pass the returned context to the generated client, or to the
// methods the call runs, and give every error of the method to Call.Err.
//
// Begin is the one owner of the operation's name. Typed methods, the vendor-neutral adapters
// (internal/neutral) and the bulk writers all start here, and the outermost name wins: when
// ctx already carries a call — the method runs inside another exported method, as
// ClientGrants.List does inside Grants.Get — the new call takes that call's name, and when it
// carries none but comes from a helper of package grantkit (AddScopes, ApplyScopes, named by
// grantkit.OperationName), it takes the helper's. So every error names what the caller called
// (see grantkit.Error.Operation).
//
// Begin is where every vendor method first meets its arguments, so it refuses the mistakes
// that would otherwise panic further down, before anything is sent: a nil ctx, and a client
// the vendor's New did not make (made false: a zero-value or nil Client or service). Its error
// wraps grantkit.ErrInvalidInput and names the mistake; the method returns it as it is.
func Begin(ctx context.Context, vendor, op string, made bool) (context.Context, *Call, error) {
	if ctx == nil {
		return nil, nil, fmt.Errorf("%s: %s: %w", vendor, op, input.NilContext())
	}
	op = Op(ctx, op)
	if !made {
		return nil, nil, fmt.Errorf("%s: %s: %w", vendor, op, input.NotMade(vendor))
	}
	cc := &callContext{Context: ctx, call: Call{vendor: vendor, op: op}}
	return cc, &cc.call, nil
}

// callContext is the context Begin returns: ctx carrying the call under callKey, as
// context.WithValue would, with the Call in the same allocation (one per call, not two).
type callContext struct {
	context.Context
	call Call
}

func (cc *callContext) Value(key any) any {
	if key == (callKey{}) {
		return &cc.call
	}
	return cc.Context.Value(key)
}

func (cc *callContext) String() string {
	return fmt.Sprint(cc.Context) + ".WithValue(transport.callKey, call)"
}

// Op returns the name of the operation in effect for a call of op begun in ctx (see Begin):
// the outer call's, else the grantkit helper's, else op. Code that builds an error without a
// call of its own (a bulk writer's check) names the operation with it.
func Op(ctx context.Context, op string) string {
	if outer := callFrom(ctx); outer != nil {
		return outer.op
	}
	if named := grantkit.OperationName(ctx); named != "" {
		return named
	}
	return op
}

// Operation returns the name the call's errors carry (see Begin).
func (c *Call) Operation() string { return c.operation() }

// Creates marks the call as a create: find says how the caller can look for the object the
// request may have made when its answer is lost (which list, filtered by what).
func (c *Call) Creates(find string) { c.find = find }

func callFrom(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}

func (c *Call) operation() string {
	if c == nil {
		return ""
	}
	return c.op
}

// forget drops what an earlier request of this call delivered: each request starts clean.
func (c *Call) forget() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.ans = answer{}
	c.mu.Unlock()
}

func (c *Call) deliver(a answer) {
	if c == nil {
		return
	}
	a.delivered = true
	c.mu.Lock()
	c.ans = a
	c.mu.Unlock()
}

func (c *Call) delivered() answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ans
}

// Err turns an error met by the vendor method into the error its caller receives:
//   - a *grantkit.Error the transport built for this call is returned as itself, without the
//     generated client's wrapping ("do request: ...");
//   - after a 2xx answer was delivered, any failure (a status the spec does not list, an empty
//     or malformed body, a wrong Content-Type) is a *grantkit.Error with that status, saying
//     the request may have taken effect;
//   - a request the generated validator rejected before sending (the spec's own rules: lengths,
//     patterns, bounds) wraps grantkit.ErrInvalidInput and names each offending field by its
//     path in the request body, such as "scope[1]";
//   - anything else (grantkit's own input checks included) is prefixed with vendor and operation.
func (c *Call) Err(err error) error {
	if err == nil {
		return nil
	}
	var ge *grantkit.Error
	if errors.As(err, &ge) {
		return ge
	}
	if a := c.delivered(); a.delivered {
		return c.undecodable(a, err)
	}
	var ve *validate.Error
	if errors.As(err, &ve) {
		return fmt.Errorf("%s: %s: %w", c.vendor, c.op, invalidInput(ve))
	}
	return fmt.Errorf("%s: %s: %w", c.vendor, c.op, err)
}

// invalidInput is the error of a request the generated validator refused: it wraps
// grantkit.ErrInvalidInput and names the fields (see invalidFields).
func invalidInput(ve *validate.Error) error {
	return fmt.Errorf("%w: %s", grantkit.ErrInvalidInput, invalidFields(ve))
}

// invalidFields describes what the generated validator refused, one "path: reason" per field,
// flattening ogen's nested errors ("invalid: scope (invalid: [1] (...))") into paths such as
// "scope[1]" and "scopes[0].value", so that the error names the field as a caller reads it.
func invalidFields(ve *validate.Error) string {
	var parts []string
	var walk func(prefix string, e *validate.Error)
	walk = func(prefix string, e *validate.Error) {
		for _, f := range e.Fields {
			path := f.Name
			if prefix != "" && !strings.HasPrefix(path, "[") {
				path = prefix + "." + path
			} else {
				path = prefix + path
			}
			var inner *validate.Error
			if errors.As(f.Error, &inner) {
				walk(path, inner)
				continue
			}
			// ogen prefixes the reason with the checked type ("string: len 0 less than ...").
			reason := f.Error.Error()
			for _, typ := range []string{"string: ", "int: ", "float: "} {
				reason = strings.TrimPrefix(reason, typ)
			}
			parts = append(parts, path+": "+reason)
		}
	}
	walk("", ve)
	if len(parts) == 0 {
		return ve.Error()
	}
	return strings.Join(parts, "; ")
}

// Failed is the error of a 2xx answer that the vendor method read and found to report a
// failure (some apps of a bulk delete not deleted, say): message says what, and the error
// carries the answer's status, attempts and request id.
func (c *Call) Failed(message string) error {
	a := c.delivered()
	e := newError(c.vendor, c, false)
	e.StatusCode, e.Attempts, e.RequestID, e.Message = a.status, a.attempts, a.requestID, message
	return e
}

// undecodable is the error of a 2xx answer the generated client could not use.
func (c *Call) undecodable(a answer, err error) *grantkit.Error {
	e := newError(c.vendor, c, false)
	e.StatusCode, e.Attempts, e.RequestID = a.status, a.attempts, a.requestID
	// ogen says the status is not one the spec lists for this call in three ways: it has no
	// decoder for it, it decoded the body as the spec's default (error) answer, or it failed
	// to (its "default (code N)" wrapping, the only trace that error leaves).
	var unexpected *validate.UnexpectedStatusCodeError
	var asDefault interface{ GetStatusCode() int }
	if errors.As(err, &unexpected) || errors.As(err, &asDefault) ||
		strings.Contains(err.Error(), "default (code "+strconv.Itoa(a.status)+")") {
		e.Message = "HTTP " + strconv.Itoa(a.status) + " is not a documented answer to this call"
	} else {
		e.Message = "the answer could not be read"
		// The generated client's errors can hold the body (ogen's DecodeBodyError) or the
		// response itself, whose pooled buffer is reused by the next call: keep the text only.
		e.Err = errors.New(err.Error())
	}
	e.Message += c.effect(a.method)
	return e
}

// effect completes the message of an error whose request reached the vendor and whose
// outcome is unknown: nothing for a read, otherwise that it may have taken effect and, for a
// create, how to find what it may have made.
func (c *Call) effect(method string) string {
	if method == http.MethodGet || method == http.MethodHead {
		return ""
	}
	if c != nil && c.find != "" {
		return "; the request may have taken effect: " + c.find
	}
	return "; the request may have taken effect"
}

// newError starts an error of call (which may be nil) at vendor. Its Operation is the call's,
// also for the token request made for the call (tokenRequest), which only sets TokenRequest.
func newError(vendor string, call *Call, tokenRequest bool) *grantkit.Error {
	return &grantkit.Error{Vendor: vendor, Operation: call.operation(), TokenRequest: tokenRequest}
}

// statusError reads (a capped prefix of) a non-2xx answer, closes it, and describes it.
func (c *Client) statusError(call *Call, resp *http.Response, sent int) *grantkit.Error {
	e := newError(c.cfg.Vendor, call, false)
	e.StatusCode, e.Attempts = resp.StatusCode, sent
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBodyBytes)) // let the connection be reused
	_ = resp.Body.Close()
	c.describe(e, resp.StatusCode, resp.Header, body)
	return e
}

// describe fills what an answer's headers and body say: request id, requested wait, and the
// vendor's code and message.
func (c *Client) describe(e *grantkit.Error, status int, h http.Header, body []byte) {
	if c.cfg.RequestIDHeader != "" {
		e.RequestID = h.Get(c.cfg.RequestIDHeader)
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter = c.serverDelay(h)
	}
	if c.cfg.ParseError != nil && len(body) > 0 {
		c.cfg.ParseError(body, e)
	}
}

// noAnswer is the error of an attempt that received no answer. unsent says the request
// certainly never reached the vendor; timedOut that the attempt timeout ended it.
func (c *Client) noAnswer(call *Call, method string, sent int, err error, unsent, timedOut bool) *grantkit.Error {
	e := newError(c.cfg.Vendor, call, false)
	e.Attempts, e.Err = sent, c.attemptErr(err, timedOut)
	if !unsent {
		e.Message = trimEffect(call.effect(method))
	}
	return e
}

// cutOff is the error of a 2xx answer whose body could not be read whole.
func (c *Client) cutOff(call *Call, method string, resp *http.Response, sent int, err error, timedOut bool) *grantkit.Error {
	e := newError(c.cfg.Vendor, call, false)
	e.StatusCode, e.Attempts, e.Err = resp.StatusCode, sent, c.attemptErr(err, timedOut)
	if c.cfg.RequestIDHeader != "" {
		e.RequestID = resp.Header.Get(c.cfg.RequestIDHeader)
	}
	e.Message = "the answer was cut off"
	if errors.Is(err, ErrResponseTooLarge) {
		e.Message = "the answer exceeds the response size cap"
	}
	e.Message += call.effect(method)
	return e
}

// trimEffect turns "; the request may ..." into a message of its own.
func trimEffect(s string) string {
	if len(s) > 2 {
		return s[2:]
	}
	return s
}

// ended is the error of a call its context ended before a send or while it waited between
// attempts, with ctxErr as its cause (so errors.Is sees it). last is the error of the latest
// attempt, or nil if none failed; it is kept, so that the vendor's answer stays reachable with
// errors.As.
func (c *Client) ended(call *Call, last *grantkit.Error, sent int, ctxErr error) *grantkit.Error {
	return c.endedWhile(call, last, sent, ctxErr, "", "")
}

// endedWhile is ended for a call that was doing what while says ("waiting for the answer" to
// the attempt in progress, a request of method), which the message names when no earlier
// answer says more.
func (c *Client) endedWhile(call *Call, last *grantkit.Error, sent int, ctxErr error, method, while string) *grantkit.Error {
	if last == nil {
		last = newError(c.cfg.Vendor, call, false)
		switch {
		case while != "":
			last.Message = endedBy(ctxErr) + " while " + while + call.effect(method)
		case sent == 0:
			last.Message = endedBy(ctxErr) + " before anything was sent"
		}
	}
	last.Attempts = sent
	if last.Err != nil {
		last.Err = fmt.Errorf("%w (after: %w)", ctxErr, last.Err)
	} else {
		last.Err = ctxErr
	}
	return last
}

// endedReading is the error of a call whose context ended while a 2xx answer was being read:
// the answer's status is kept, and the message says the caller's context, not the vendor or a
// timeout of grantkit's, ended it.
func (c *Client) endedReading(call *Call, method string, resp *http.Response, sent int, ctxErr error) *grantkit.Error {
	e := newError(c.cfg.Vendor, call, false)
	e.StatusCode, e.Attempts, e.Err = resp.StatusCode, sent, ctxErr
	if c.cfg.RequestIDHeader != "" {
		e.RequestID = resp.Header.Get(c.cfg.RequestIDHeader)
	}
	e.Message = endedBy(ctxErr) + " while reading the answer" + call.effect(method)
	return e
}

// endedBy names what ended a call whose context ended with ctxErr.
func endedBy(ctxErr error) string {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return "the caller's context deadline ended the call"
	}
	return "the caller's context was cancelled, ending the call"
}

// errAttemptTimeout reports an attempt that received no (complete) answer within the
// policy's AttemptTimeout. It is a timeout, not the caller's context deadline.
type errAttemptTimeout time.Duration

func (e errAttemptTimeout) Error() string {
	return "no answer within " + time.Duration(e).String() + " (RetryPolicy.AttemptTimeout)"
}
func (errAttemptTimeout) Timeout() bool { return true }

// attemptErr names a failure caused by the attempt timeout this transport set (timedOut), which
// net/http reports as a context deadline although the caller's context has none. A deadline of
// the caller's is left as it is.
func (c *Client) attemptErr(err error, timedOut bool) error {
	if timedOut && errors.Is(err, context.DeadlineExceeded) {
		return errAttemptTimeout(c.attemptTimeout)
	}
	return err
}

// tokenFailure is what the token retry loop reports: the last attempt's error, how many
// token requests were sent, and the caller's context error if it ended the loop. Every caller
// waiting for the same fetch receives the same value, so it is never modified; each caller's
// *grantkit.Error is built from it by tokenError.
type tokenFailure struct {
	err      error
	attempts int
	ctxErr   error
}

func (f *tokenFailure) Error() string { return "token request: " + f.err.Error() }

func (f *tokenFailure) Unwrap() []error {
	if f.ctxErr != nil {
		return []error{f.ctxErr, f.err}
	}
	return []error{f.err}
}

// tokenError is the error of a call whose token could not be obtained.
func (c *Client) tokenError(call *Call, err error) *grantkit.Error {
	e := newError(c.cfg.Vendor, call, true)
	cause, attempts, ctxErr := err, 0, error(nil)
	var f *tokenFailure
	if errors.As(err, &f) {
		cause, attempts, ctxErr = f.err, f.attempts, f.ctxErr
	}
	e.Attempts = attempts
	var re *oauth2.RetrieveError
	if errors.As(cause, &re) && re.Response != nil {
		// The token endpoint answered with an error status. RetrieveError is not kept: its
		// message embeds the raw response body, which is not ours to print.
		e.StatusCode = re.Response.StatusCode
		c.describe(e, e.StatusCode, re.Response.Header, re.Body)
		if e.Code == "" {
			e.Code = re.ErrorCode
		}
		if e.Message == "" {
			e.Message = re.ErrorDescription
		}
		if e.Message == "" {
			e.Message = "the token endpoint refused the request"
		}
	} else {
		e.Err = cause
		var limited errRateLimited
		if errors.As(cause, &limited) {
			e.RetryAfter = time.Duration(limited)
		}
	}
	if ctxErr != nil {
		e.Err = ctxErr
		if cause != nil && e.StatusCode == 0 {
			e.Err = fmt.Errorf("%w (after: %w)", ctxErr, cause)
		}
	}
	return e
}

// Check runs the generated validator of v, a request body part (or whole body), ahead of the
// request that sends it: for a read-modify-write, whose read would otherwise be sent before the
// write's own validation refuses the input. The spec keeps owning the rules; a failure is
// reported as Call.Err reports the generated client's (wrapping grantkit.ErrInvalidInput), its
// paths under field ("" for none).
func Check(field string, v interface{ Validate() error }) error {
	err := v.Validate()
	if err == nil {
		return nil
	}
	if field != "" {
		err = &validate.Error{Fields: []validate.FieldError{{Name: field, Error: err}}}
	}
	var ve *validate.Error
	if errors.As(err, &ve) {
		return invalidInput(ve)
	}
	return fmt.Errorf("%w: %s: %v", grantkit.ErrInvalidInput, field, err)
}
