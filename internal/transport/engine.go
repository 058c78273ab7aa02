package transport

import (
	"context"
	"time"
)

// This file is the one retry engine: API requests (Do) and token requests (retryToken) both run
// their attempts through Client.retrying, so they share one policy (MaxAttempts, MaxRetryAfter),
// one classification (classify.go), one backoff, one attempt timeout, one way of honouring the
// caller's context and one retry log. What differs between them is only what an attempt sends
// and how its failure is described; that stays with the caller's attempt function.

// step is what one attempt tells the engine.
type step struct {
	ok    bool          // the attempt succeeded: the engine stops
	ended bool          // the caller's context ended the attempt: the engine stops
	retry bool          // a later attempt can get past this failure
	free  bool          // the next attempt spends no retry and waits for nothing (the one 401 replay)
	delay time.Duration // the wait the vendor asked for; zero means backoff
	// For the retry log: the request's method and URL path, and the status or the error.
	method, path string
	status       int
	cause        error
}

// stop says why the engine ended.
type stop int

const (
	succeeded  stop = iota
	final           // the last attempt's failure stands (not retryable, attempts spent, wait too long)
	ctxEnded        // the caller's context ended: before a send, during an attempt or a wait
	paceFailed      // the pacer did not let the next request go
	unprepared      // the request for the next attempt could not be made ready
)

// outcome is how a run of the engine ended: why, how many requests were sent, and the
// context's or the pacer's error for ctxEnded and paceFailed.
type outcome struct {
	why  stop
	sent int
	err  error
}

// retrying runs attempts until one succeeds or the policy says to stop. Before each attempt
// it checks the caller's context (a cancelled context sends nothing), runs prepare (nil for
// none; an error ends the run as unprepared), and waits for pace (nil for none) in the named
// bucket (Config.RateBucket; "" is the client's one bucket, which token requests use). Each attempt
// runs under its own context, bounded by the attempt timeout when the caller's deadline is
// later (attemptContext); seq is the pacer's ticket, which the attempt records its answer on.
//
// prepare and attempt are called, never kept: they stay on the caller's stack.
func (c *Client) retrying(ctx context.Context, pace *pacer, bucket string, prepare func(sent int) error,
	attempt func(actx context.Context, seq ticket, sent int) step) outcome {
	var (
		sent    int       // requests sent, 401 replays included
		retries int       // retries spent from the policy
		waited  time.Time // until when the vendor asked this request to wait
	)
	for {
		if err := ctx.Err(); err != nil {
			return outcome{why: ctxEnded, sent: sent, err: err}
		}
		if prepare != nil {
			if err := prepare(sent); err != nil {
				return outcome{why: unprepared, sent: sent, err: err}
			}
		}
		var seq ticket
		if pace != nil {
			var err error
			if seq, err = pace.wait(ctx, bucket, waited); err != nil {
				return outcome{why: paceFailed, sent: sent, err: err}
			}
		}
		sent++
		actx, cancel := c.attemptContext(ctx)
		s := attempt(actx, seq, sent)
		if cancel != nil {
			cancel()
		}
		switch {
		case s.ok:
			return outcome{why: succeeded, sent: sent}
		case s.ended:
			return outcome{why: ctxEnded, sent: sent, err: ctx.Err()}
		case !s.retry || s.delay > c.policy.MaxRetryAfter:
			return outcome{why: final, sent: sent}
		case s.free:
			continue
		case retries+1 >= c.policy.MaxAttempts:
			return outcome{why: final, sent: sent}
		}
		retries++
		delay := s.delay
		if delay > 0 {
			waited = c.cfg.Now().Add(delay)
		} else {
			delay = c.backoff(retries)
		}
		if dl, ok := ctx.Deadline(); ok && c.cfg.Now().Add(delay).After(dl) {
			// Waiting would outlive the caller's deadline: report the real failure now.
			return outcome{why: final, sent: sent}
		}
		if c.cfg.Logger != nil {
			c.logRetry(ctx, s.method, s.path, s.status, s.cause, sent, delay)
		}
		if err := c.cfg.Sleep(ctx, delay); err != nil {
			ctxErr := ctx.Err()
			if ctxErr == nil {
				ctxErr = err
			}
			return outcome{why: ctxEnded, sent: sent, err: ctxErr}
		}
	}
}

// attemptContext bounds one attempt, from sending the request to reading the last byte of the
// answer, by the policy's attempt timeout: it covers a vendor that never sends its headers and
// one that stalls in the middle of a body. When the caller's own deadline comes sooner, it is
// the only limit and nothing is added (cancel is nil).
func (c *Client) attemptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	d := c.attemptTimeout
	if d <= 0 {
		return ctx, nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
		return ctx, nil
	}
	return context.WithTimeout(ctx, d)
}

// timedOut reports whether the attempt context actx ended on the attempt timeout while the
// caller's context ctx is still alive: the only case in which a failure is the timeout's.
func timedOut(ctx, actx context.Context) bool {
	return actx != ctx && actx.Err() != nil && ctx.Err() == nil
}
