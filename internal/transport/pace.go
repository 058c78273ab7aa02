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

// This file paces a client's requests: the caller's own budget (option.WithRateLimit), the
// vendor's rate-limit headers and, where the vendor sends none, the rate learned from its 429s
// (adaptive pacing; learn.go). Every goroutine using a client shares its one pacer, and Do
// waits on it before each send, retries and 401 replays included, so pacing and the retry
// policy are one loop. A vendor whose limits are per endpoint family keeps a budget per family
// (Config.RateBucket).

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
//
// It keeps one budget per bucket (Config.RateBucket): the caller's budget, what the vendor's
// headers reported and what was learned from 429s (learn.go) are each a bucket's own.
type pacer struct {
	rl       RateLimit // the caller's budget, for each bucket; zero for none
	adaptive bool      // follow the vendor's rate-limit headers, 429s and their waits
	hdr      RateHeaders
	reset    func(http.Header, time.Time) (time.Duration, bool)
	sleep    func(context.Context, time.Duration) error
	now      func() time.Time
	maxWait  time.Duration // the longest wait for the vendor's budget (RetryPolicy.MaxRetryAfter)
	bucketOf func(method, path string) string

	mu sync.Mutex
	// passed is the latest time a completed wait of the client's ran until. The vendor's
	// budget is judged at the later of it and now: a wait that returned has passed, even on a
	// clock that did not move (tests replace the sleep).
	passed     time.Time
	buckets    map[string]*bucket
	nextWaiter int
}

// bucket is the pacing state of one budget. Its fields are guarded by the pacer's mu.
type bucket struct {
	budget   *rate.Limiter // the caller's budget; nil for none
	inflight int           // requests admitted and not yet answered
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
	learned          learner   // the rate learned from 429s without rate-limit headers
	waiters          map[int]context.CancelFunc
}

// ticket is what wait gives an admitted request, for done.
type ticket struct {
	b     *bucket
	epoch uint64 // the header state's epoch at admission
	seq   uint64 // the admission's number in its bucket (learner)
}

// newPacer returns the pacer of cfg, or nil when nothing paces the client.
func newPacer(cfg *Config, maxWait time.Duration) *pacer {
	p := &pacer{
		hdr: cfg.RateHeaders, reset: cfg.ResetAfter, sleep: cfg.Sleep, now: cfg.Now, maxWait: maxWait,
		adaptive: !cfg.NoAdaptivePacing, rl: cfg.RateLimit, bucketOf: cfg.RateBucket,
	}
	p.hdr.Limit, p.hdr.Remaining = canonical(p.hdr.Limit), canonical(p.hdr.Remaining)
	// Even without rate-limit headers, adaptive pacing learns from 429s and holds every
	// request back after a 429 that names a long wait, so that the whole client, not only the
	// request retried, honours it.
	if p.rl.RPS <= 0 && !p.adaptive {
		return nil
	}
	return p
}

// key names the bucket of a request (Config.RateBucket); "" is the client's one bucket.
func (p *pacer) key(method, path string) string {
	if p.bucketOf == nil {
		return ""
	}
	return p.bucketOf(method, path)
}

// bucket returns the named bucket, making it on first use. Called with p.mu held.
func (p *pacer) bucket(key string) *bucket {
	b := p.buckets[key]
	if b == nil {
		b = &bucket{}
		if p.rl.RPS > 0 {
			b.budget = rate.NewLimiter(rate.Limit(p.rl.RPS), max(p.rl.Burst, 1))
		}
		if p.buckets == nil {
			p.buckets = map[string]*bucket{}
		}
		p.buckets[key] = b
	}
	return b
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

// wait blocks until a request of the bucket named key may be sent, counts it as in flight
// and returns its ticket; the caller reports its outcome with done. waitedUntil is the time
// until which this request already waited because a 429 or 503 answer to it asked so (zero if
// none): the vendor's budget is judged as at that time at the earliest, so no request is held
// back twice for the same answer.
func (p *pacer) wait(ctx context.Context, key string, waitedUntil time.Time) (ticket, error) {
	var (
		t        ticket
		slot     time.Time // the learned rate's turn this request holds
		gen      uint64    // the learner's generation the turn was taken in
		reserved bool
	)
	p.mu.Lock()
	b := p.bucket(key)
	p.mu.Unlock()
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
		d := b.hold(p, at)
		if d <= 0 && p.adaptive && b.learned.limited() {
			// The learned rate gives each request a turn; a cut voids the turns taken before.
			if !reserved || gen != b.learned.gen {
				slot, gen, reserved = b.learned.turn(at), b.learned.gen, true
			}
			d = slot.Sub(at)
		}
		if d <= 0 {
			b.inflight++
			t = ticket{b: b, epoch: b.epoch, seq: b.learned.admit(at)}
			p.mu.Unlock()
			break
		}
		if d > p.maxWait {
			p.mu.Unlock()
			return ticket{}, errRateLimited(d)
		}
		if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
			p.mu.Unlock()
			return ticket{}, errPaceDeadline(d)
		}
		// Wait for the vendor's budget, or for an answer that changes what is known of it.
		wctx, cancel := context.WithCancel(ctx)
		id := p.nextWaiter
		p.nextWaiter++
		if b.waiters == nil {
			b.waiters = map[int]context.CancelFunc{}
		}
		b.waiters[id] = cancel
		p.mu.Unlock()
		err := p.sleep(wctx, d)
		p.mu.Lock()
		delete(b.waiters, id)
		if err == nil && at.Add(d).After(p.passed) {
			p.passed = at.Add(d)
		}
		p.mu.Unlock()
		cancel()
		if ctx.Err() != nil {
			return ticket{}, ctx.Err()
		}
		if err != nil && wctx.Err() == nil {
			return ticket{}, err
		}
	}
	if b.budget == nil {
		return t, nil
	}
	now := p.now()
	r := b.budget.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d <= 0 {
		return t, nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
		p.abandon(b, r)
		return ticket{}, errPaceDeadline(d)
	}
	if err := p.sleep(ctx, d); err != nil {
		p.abandon(b, r)
		if ctx.Err() != nil {
			return ticket{}, ctx.Err()
		}
		return ticket{}, err
	}
	return t, nil
}

// abandon gives back the budget a request reserved and did not use.
func (p *pacer) abandon(b *bucket, r *rate.Reservation) {
	r.CancelAt(p.now())
	p.mu.Lock()
	b.inflight--
	p.mu.Unlock()
}

// hold is how long a request must wait at now for the vendor's budget as its headers and
// long 429 or 503 waits reported it; zero or less means it may go. Called with p.mu held.
func (b *bucket) hold(pc *pacer, now time.Time) time.Duration {
	if !pc.adaptive {
		return 0
	}
	if now.Before(b.blockedUntil) {
		return b.blockedUntil.Sub(now)
	}
	if !b.known {
		return 0
	}
	if !now.Before(b.resetAt) {
		// The reported budget has been reset: the next answer says what is left of the new one.
		b.known = false
		return 0
	}
	// Requests in flight spend what is left before this one can: it goes only if at least one
	// unit remains for it.
	need := float64(b.inflight + 1)
	if b.estimate(pc, now) >= need {
		return 0
	}
	if !pc.hdr.Refills || b.limit <= b.remaining || need > float64(b.limit) {
		return b.resetAt.Sub(now)
	}
	// The bucket refills from remaining at seen to limit at resetAt: find when it holds need.
	span := b.resetAt.Sub(b.seen)
	at := b.seen.Add(time.Duration((need - float64(b.remaining)) / float64(b.limit-b.remaining) * float64(span)))
	return max(at.Sub(now), time.Millisecond)
}

// estimate is what is left of the vendor's budget at now, by the latest answer: what it
// reported, plus for a refilling bucket the share refilled since, assuming a steady refill that
// fills it by the reset. The reset is reported in whole seconds, rounded up, so the estimate
// errs low.
func (b *bucket) estimate(pc *pacer, now time.Time) float64 {
	r := float64(b.remaining)
	if !pc.hdr.Refills || b.limit <= b.remaining {
		return r
	}
	span := b.resetAt.Sub(b.seen)
	if span <= 0 {
		return float64(b.limit)
	}
	frac := float64(now.Sub(b.seen)) / float64(span)
	return r + float64(b.limit-b.remaining)*min(max(frac, 0), 1)
}

// done records the outcome of the request admitted with t: h is its answer's header (nil if
// no answer came), status its status, and vendorWait the wait a 429 or 503 asked for.
func (p *pacer) done(t ticket, h http.Header, status int, vendorWait time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := t.b
	b.inflight--
	if !p.adaptive {
		return
	}
	now := p.now()
	at := now
	if p.passed.After(now) {
		at = p.passed
	}
	budget := false // the answer reported the vendor's budget in its headers
	changed := false
	if h != nil && p.hdr.Remaining != "" && p.reset != nil {
		if rem, ok := headerInt(h, p.hdr.Remaining); ok {
			budget = true
			if d, ok := p.reset(h, now); ok && d > 0 {
				lim, ok := headerInt(h, p.hdr.Limit)
				if !ok || lim < rem {
					lim = rem
				}
				// A request admitted before the state was taken may have been counted before
				// it: its answer is taken only if it leaves less.
				if !b.known || t.epoch == b.epoch || !now.Before(b.resetAt) || float64(rem) < b.estimate(p, now) {
					b.known, b.remaining, b.limit, b.seen, b.resetAt = true, rem, lim, now, now.Add(d)
					b.epoch++
					changed = true
				}
			}
		}
	}
	retryable := status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
	// A wait the vendor asked for holds every request of the bucket back, unless it is a 429
	// reporting nothing of the budget and asking for no more than a second: a Retry-After in
	// whole seconds says no more than "within the second", and the learned rate (below) paces
	// the rest of the bucket while the request that drew it waits.
	short := status == http.StatusTooManyRequests && !budget && vendorWait <= time.Second
	if vendorWait > 0 && retryable && !short {
		if until := now.Add(vendorWait); until.After(b.blockedUntil) {
			b.blockedUntil = until
			changed = true
		}
	}
	if status == http.StatusTooManyRequests && !budget {
		// Without the vendor's budget in the headers, its 429s teach the bucket a rate.
		cur := 0.0
		if b.budget != nil {
			cur = p.rl.RPS
		}
		if b.learned.throttled(now, at, t.seq, cur, vendorWait) {
			changed = true
		}
	}
	if len(b.waiters) > 0 && (changed || b.known) {
		// A request in flight has been answered, or what is known of the budget changed:
		// every waiter looks again.
		for id, wake := range b.waiters {
			wake()
			delete(b.waiters, id)
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

// record gives the pacer the outcome of an attempt admitted with t.
func (p *pacer) record(t ticket, r result) {
	switch {
	case r.failure != nil:
		p.done(t, r.resp.Header, r.resp.StatusCode, r.failure.RetryAfter)
	case r.resp != nil:
		p.done(t, r.resp.Header, r.resp.StatusCode, 0)
	default:
		p.done(t, nil, 0, 0)
	}
}

func canonical(name string) string {
	if name == "" {
		return ""
	}
	return http.CanonicalHeaderKey(name)
}
