package transport

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/grantkit/grantkit"
)

// This file paces a client's requests: the caller's own budget (option.WithRateLimit), and the
// vendor's rate-limit headers (adaptive pacing). Every goroutine using a client shares its one
// pacer, and Do waits on it before each send, retries and 401 replays included, so pacing and
// the retry policy are one loop.

// RateHeaders describes a vendor's rate-limit headers, read from every answer for adaptive
// pacing. The reset header is Config.ResetAfter.
type RateHeaders struct {
	// Limit and Remaining name the headers holding the size of the account's budget and what
	// is left of it.
	Limit, Remaining string
	// Refills says the budget is a bucket that refills steadily and is full again at the reset
	// (Auth0's burst and sustained limits). Otherwise it is a window whose count starts over at
	// the reset and nothing comes back before (OneLogin's hourly budget).
	Refills bool
}

// pacer decides when a client's next request may be sent. It is safe for concurrent use.
type pacer struct {
	budget   *rate.Limiter // the caller's budget; nil for none
	adaptive bool          // follow the vendor's rate-limit headers and a 429's requested wait
	hdr      RateHeaders
	reset    func(http.Header, time.Time) (time.Duration, bool)
	sleep    func(context.Context, time.Duration) error
	now      func() time.Time
	maxWait  time.Duration // the longest wait for the vendor's budget (RetryPolicy.MaxRetryAfter)

	mu       sync.Mutex
	inflight int // requests admitted and not yet answered
	// What an answer reported: remaining of limit, as seen at seen, until resetAt. epoch
	// counts the answers taken. Answers to concurrent requests arrive in any order, not in the
	// order the vendor counted them: only a request admitted after the state was taken (in
	// the same epoch) was surely counted after it, and its answer replaces the state; any other
	// answer can only lower it.
	known            bool
	epoch            uint64
	limit, remaining int
	seen, resetAt    time.Time
	blockedUntil     time.Time // a 429 or 503 asked every request to wait until then
	// passed is the latest time a completed wait of the client's ran until. The vendor's
	// budget is judged at the later of it and now: a wait that returned has passed, even on a
	// clock that did not move (tests replace the sleep).
	passed     time.Time
	waiters    map[int]context.CancelFunc
	nextWaiter int
}

// newPacer returns the pacer of cfg, or nil when nothing paces the client.
func newPacer(cfg *Config, maxWait time.Duration) *pacer {
	p := &pacer{
		hdr: cfg.RateHeaders, reset: cfg.ResetAfter, sleep: cfg.Sleep, now: cfg.Now, maxWait: maxWait,
		adaptive: !cfg.NoAdaptivePacing,
	}
	p.hdr.Limit, p.hdr.Remaining = canonical(p.hdr.Limit), canonical(p.hdr.Remaining)
	if rl := cfg.RateLimit; rl.RPS > 0 {
		p.budget = rate.NewLimiter(rate.Limit(rl.RPS), max(rl.Burst, 1))
	}
	// Even without rate-limit headers, adaptive pacing holds every request back after a 429
	// that names a wait, so that the whole client, not only the request retried, honours it.
	if p.budget == nil && !p.adaptive {
		return nil
	}
	return p
}

// errPaceDeadline says the next send would come after the call's deadline. It is a
// context.DeadlineExceeded: the call cannot be answered in time.
type errPaceDeadline time.Duration

func (e errPaceDeadline) Error() string {
	return "not sent: the rate limit lets the next request go in " + time.Duration(e).String() + ", after the context's deadline"
}
func (errPaceDeadline) Unwrap() error { return context.DeadlineExceeded }

// errRateLimited says the vendor's budget has no room sooner than maxWait.
type errRateLimited time.Duration

func (e errRateLimited) Error() string {
	return "not sent: the vendor's rate limit has no room for " + time.Duration(e).Round(time.Second).String()
}
func (errRateLimited) Unwrap() error { return grantkit.ErrRateLimited }

// wait blocks until a request may be sent, counts it as in flight and returns the epoch it
// was admitted in; the caller reports its outcome with done. waitedUntil is the time until
// which this request already waited because a 429 or 503 answer to it asked so (zero if
// none): the vendor's budget is judged as at that time at the earliest, so no request is held
// back twice for the same answer.
func (p *pacer) wait(ctx context.Context, waitedUntil time.Time) (uint64, error) {
	var epoch uint64
	for {
		p.mu.Lock()
		now := p.now()
		if waitedUntil.After(p.passed) {
			p.passed = waitedUntil
		}
		at := now
		if p.passed.After(now) {
			at = p.passed
		}
		d := p.hold(at)
		if d <= 0 {
			p.inflight++
			epoch = p.epoch
			p.mu.Unlock()
			break
		}
		if d > p.maxWait {
			p.mu.Unlock()
			return 0, errRateLimited(d)
		}
		if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
			p.mu.Unlock()
			return 0, errPaceDeadline(d)
		}
		// Wait for the vendor's budget, or for an answer that changes what is known of it.
		wctx, cancel := context.WithCancel(ctx)
		id := p.nextWaiter
		p.nextWaiter++
		if p.waiters == nil {
			p.waiters = map[int]context.CancelFunc{}
		}
		p.waiters[id] = cancel
		p.mu.Unlock()
		err := p.sleep(wctx, d)
		p.mu.Lock()
		delete(p.waiters, id)
		if err == nil && at.Add(d).After(p.passed) {
			p.passed = at.Add(d)
		}
		p.mu.Unlock()
		cancel()
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if err != nil && wctx.Err() == nil {
			return 0, err
		}
	}
	if p.budget == nil {
		return epoch, nil
	}
	now := p.now()
	r := p.budget.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d <= 0 {
		return epoch, nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
		p.abandon(r)
		return 0, errPaceDeadline(d)
	}
	if err := p.sleep(ctx, d); err != nil {
		p.abandon(r)
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, err
	}
	return epoch, nil
}

// abandon gives back the budget a request reserved and did not use.
func (p *pacer) abandon(r *rate.Reservation) {
	r.CancelAt(p.now())
	p.mu.Lock()
	p.inflight--
	p.mu.Unlock()
}

// hold is how long a request must wait at now for the vendor's budget; zero or less means it
// may go. Called with p.mu held.
func (p *pacer) hold(now time.Time) time.Duration {
	if !p.adaptive {
		return 0
	}
	if now.Before(p.blockedUntil) {
		return p.blockedUntil.Sub(now)
	}
	if !p.known {
		return 0
	}
	if !now.Before(p.resetAt) {
		// The reported budget has been reset: the next answer says what is left of the new one.
		p.known = false
		return 0
	}
	// Requests in flight spend what is left before this one can: it goes only if at least one
	// unit remains for it.
	need := float64(p.inflight + 1)
	if p.estimate(now) >= need {
		return 0
	}
	if !p.hdr.Refills || p.limit <= p.remaining || need > float64(p.limit) {
		return p.resetAt.Sub(now)
	}
	// The bucket refills from remaining at seen to limit at resetAt: find when it holds need.
	span := p.resetAt.Sub(p.seen)
	at := p.seen.Add(time.Duration((need - float64(p.remaining)) / float64(p.limit-p.remaining) * float64(span)))
	return max(at.Sub(now), time.Millisecond)
}

// estimate is what is left of the vendor's budget at now, by the latest answer: what it
// reported, plus for a refilling bucket the share refilled since, assuming a steady refill that
// fills it by the reset. The reset is reported in whole seconds, rounded up, so the estimate
// errs low.
func (p *pacer) estimate(now time.Time) float64 {
	r := float64(p.remaining)
	if !p.hdr.Refills || p.limit <= p.remaining {
		return r
	}
	span := p.resetAt.Sub(p.seen)
	if span <= 0 {
		return float64(p.limit)
	}
	frac := float64(now.Sub(p.seen)) / float64(span)
	return r + float64(p.limit-p.remaining)*min(max(frac, 0), 1)
}

// done records the outcome of a request admitted in epoch: h is its answer's header (nil if
// no answer came), status its status, and vendorWait the wait a 429 or 503 asked for.
func (p *pacer) done(epoch uint64, h http.Header, status int, vendorWait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight--
	if !p.adaptive {
		return
	}
	now := p.now()
	changed := false
	if vendorWait > 0 && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
		if until := now.Add(vendorWait); until.After(p.blockedUntil) {
			p.blockedUntil = until
			changed = true
		}
	}
	if h != nil && p.hdr.Remaining != "" && p.reset != nil {
		if rem, ok := headerInt(h, p.hdr.Remaining); ok {
			if d, ok := p.reset(h, now); ok && d > 0 {
				lim, ok := headerInt(h, p.hdr.Limit)
				if !ok || lim < rem {
					lim = rem
				}
				// A request admitted before the state was taken may have been counted before
				// it: its answer is taken only if it leaves less.
				if !p.known || epoch == p.epoch || !now.Before(p.resetAt) || float64(rem) < p.estimate(now) {
					p.known, p.remaining, p.limit, p.seen, p.resetAt = true, rem, lim, now, now.Add(d)
					p.epoch++
					changed = true
				}
			}
		}
	}
	if changed || len(p.waiters) > 0 {
		// A request in flight has been answered: every waiter looks again.
		for id, wake := range p.waiters {
			wake()
			delete(p.waiters, id)
		}
	}
}

func headerInt(h http.Header, name string) (int, bool) {
	if name == "" {
		return 0, false
	}
	v := h[name]
	if len(v) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// paceError is the error of a call the pacer did not let send its next request: its context
// ended while it waited, its deadline would pass first, or the vendor's budget has no room for
// longer than the policy's MaxRetryAfter. last is the error of the attempt before, if any.
func (c *Client) paceError(call *Call, last *grantkit.Error, sent int, err error) *grantkit.Error {
	var limited errRateLimited
	switch {
	case errors.As(err, &limited):
		e := newError(c.cfg.Vendor, call, false)
		e.Attempts, e.RetryAfter, e.Err = sent, time.Duration(limited), err
		if last != nil {
			// Keep what the vendor last answered, as a context ending does.
			e.StatusCode, e.Code, e.Message, e.RequestID = last.StatusCode, last.Code, last.Message, last.RequestID
		}
		return e
	case errors.As(err, new(errPaceDeadline)) && last != nil:
		// As a retry that would outlive the deadline: report the real failure now.
		return last
	}
	return c.ended(call, last, sent, err)
}

// record gives the pacer the outcome of an attempt admitted in epoch.
func (p *pacer) record(epoch uint64, r result) {
	switch {
	case r.failure != nil:
		p.done(epoch, r.resp.Header, r.resp.StatusCode, r.failure.RetryAfter)
	case r.resp != nil:
		p.done(epoch, r.resp.Header, r.resp.StatusCode, 0)
	default:
		p.done(epoch, nil, 0, 0)
	}
}

func canonical(name string) string {
	if name == "" {
		return ""
	}
	return http.CanonicalHeaderKey(name)
}
