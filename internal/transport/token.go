package transport

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit/internal/auth"
)

// retryToken runs one token fetch through the retry engine (engine.go), under the client's
// policy: the token endpoint gets the same treatment as the API (429, 5xx and transient network
// failures are retried, a refusal such as invalid_client is not). A token request creates
// nothing at the vendor, so it is retried like a read. Every caller waiting for this fetch
// shares its outcome.
func (c *Client) retryToken(ctx context.Context, fetch auth.FetchFunc) (*oauth2.Token, error) {
	pace := c.pace
	if !c.cfg.PacedTokens || c.cfg.TokenRequestsUnpaced {
		pace = nil
	}
	var (
		tok  *oauth2.Token
		last error // the latest attempt's failure
	)
	o := c.retrying(ctx, pace, "", nil, func(actx context.Context, seq ticket, _ int) step {
		t, err := fetch(actx)
		if pace != nil {
			// Nothing of a token answer is recorded but its end: its rate-limit headers, if
			// any, are not known to describe the API's budget, and the wait a refusal asks
			// for is the token request's own (the engine honours it).
			pace.done(seq, nil, 0, 0)
		}
		if err == nil {
			tok = t
			return step{ok: true}
		}
		last = err
		if ctx.Err() != nil {
			return step{ended: true}
		}
		s := step{method: http.MethodPost, cause: err}
		if timedOut(ctx, actx) {
			last = errAttemptTimeout(c.attemptTimeout)
			s.retry, s.cause = true, last
		} else {
			s.retry, s.delay = c.tokenRetryable(err)
		}
		var re *oauth2.RetrieveError
		var ue *url.Error
		if errors.As(err, &re) && re.Response != nil {
			s.status = re.Response.StatusCode
			if re.Response.Request != nil {
				s.path = re.Response.Request.URL.Path
			}
		} else if errors.As(err, &ue) {
			if u, perr := url.Parse(ue.URL); perr == nil {
				s.path = u.Path
			}
		}
		return s
	})
	switch o.why {
	case succeeded:
		return tok, nil
	case paceFailed:
		f := &tokenFailure{err: o.err, attempts: o.sent}
		if ctx.Err() != nil {
			f.ctxErr = ctx.Err()
		}
		return nil, f
	case ctxEnded:
		if last == nil {
			return nil, &tokenFailure{err: o.err, attempts: o.sent}
		}
		return nil, &tokenFailure{err: last, attempts: o.sent, ctxErr: o.err}
	}
	return nil, &tokenFailure{err: last, attempts: o.sent}
}

// tokenRetryable classifies a failed token request and returns the wait the endpoint asked
// for, if any.
func (c *Client) tokenRetryable(err error) (bool, time.Duration) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response == nil || !retryableStatus(http.MethodGet, re.Response.StatusCode) {
			return false, 0
		}
		var d time.Duration
		if s := re.Response.StatusCode; s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable {
			d = c.serverDelay(re.Response.Header)
		}
		return true, d
	}
	transient, _ := classifyNetErr(err)
	return transient, 0
}
