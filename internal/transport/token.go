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

// retryToken runs one token fetch under the client's retry policy: the token endpoint gets
// the same treatment as the API (429, 5xx and transient network failures are retried, a
// refusal such as invalid_client is not). A token request creates nothing at the vendor, so
// it is retried like a read. Every caller waiting for this fetch shares its outcome.
func (c *Client) retryToken(ctx context.Context, fetch auth.FetchFunc) (*oauth2.Token, error) {
	pace := c.pace
	if !c.cfg.PacedTokens || c.cfg.TokenRequestsUnpaced {
		pace = nil
	}
	var waited time.Time // until when the vendor asked the token request to wait
	for attempt := 1; ; attempt++ {
		var seq ticket
		if pace != nil {
			// A token request the vendor counts against the API's limit waits its turn too,
			// in the client's one bucket.
			var err error
			if seq, err = pace.wait(ctx, "", waited); err != nil {
				f := &tokenFailure{err: err, attempts: attempt - 1}
				if ctx.Err() != nil {
					f.ctxErr = ctx.Err()
				}
				return nil, f
			}
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if c.attemptTimeout > 0 {
			actx, cancel = context.WithTimeout(ctx, c.attemptTimeout)
		}
		tok, err := fetch(actx)
		timedOut := actx.Err() != nil && ctx.Err() == nil
		cancel()
		retry, delay := false, time.Duration(0)
		if err != nil {
			retry, delay = c.tokenRetryable(err)
		}
		if pace != nil {
			// Nothing of a token answer is recorded but its end: its rate-limit headers, if
			// any, are not known to describe the API's budget, and the wait a refusal asks
			// for is the token request's own (the retry below honours it).
			pace.done(seq, nil, 0, 0)
		}
		if err == nil {
			return tok, nil
		}
		f := &tokenFailure{err: err, attempts: attempt}
		if ctx.Err() != nil {
			f.ctxErr = ctx.Err()
			return nil, f
		}
		if timedOut {
			f.err, retry, delay = errAttemptTimeout(c.attemptTimeout), true, 0
		}
		if !retry || attempt >= c.policy.MaxAttempts || delay > c.policy.MaxRetryAfter {
			return nil, f
		}
		if delay > 0 {
			waited = c.cfg.Now().Add(delay)
		} else {
			delay = c.backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && c.cfg.Now().Add(delay).After(dl) {
			return nil, f
		}
		if c.cfg.Logger != nil {
			status, path := 0, ""
			var re *oauth2.RetrieveError
			var ue *url.Error
			if errors.As(err, &re) && re.Response != nil {
				status = re.Response.StatusCode
				if re.Response.Request != nil {
					path = re.Response.Request.URL.Path
				}
			} else if errors.As(err, &ue) {
				if u, perr := url.Parse(ue.URL); perr == nil {
					path = u.Path
				}
			}
			c.logRetry(ctx, http.MethodPost, path, status, f.err, attempt, delay)
		}
		if err := c.cfg.Sleep(ctx, delay); err != nil {
			f.ctxErr = ctx.Err()
			if f.ctxErr == nil {
				f.ctxErr = err
			}
			return nil, f
		}
	}
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
