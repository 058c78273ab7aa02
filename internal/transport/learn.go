package transport

import (
	"math"
	"time"
)

// This file learns a bucket's rate from the 429s the vendor answers when it reports nothing of
// its budget (PingOne sends only Retry-After, CPN a bare 429).
//
// The anchor is aws-sdk-go-v2's adaptive retry mode, a CUBIC-style client rate limiter: it
// measures the rate it sends at, and on every throttled answer it remembers that rate as the
// maximum, cuts its own to beta times it, then grows back along a cubic curve that flattens
// at the maximum and rises beyond it. The learner keeps that shape and changes four things:
//
//   - One cut per round: a 429 of a request sent before the latest cut says nothing of the
//     rate after it, so it cuts nothing. Concurrent requests draw their 429s together;
//     cutting on each of them, as the anchor does, collapses the rate in one storm.
//   - The rate a first cut starts from is the fastest measured over the last 0.2, 0.5 and 2
//     seconds, not a smoothed average: a storm starts within a round trip, and an average
//     over the quiet time before it (a listing, say) would cut far below the vendor's limit
//     and take seconds to climb back, while a rate too high costs one more round of cuts.
//   - The curve is scaled to the ceiling, so it takes the same time at any rate: back from
//     beta·ceiling to the ceiling in learnRise, flat there for learnHold, then probing
//     beyond (the anchor's fixed constant takes 5 s at 200/s and 9 s at 1,000/s). Its beta is
//     milder (0.85, not 0.7): a vendor's bucket refilled while the client sends below it
//     holds what it saves, so a shallow dip costs little and draws few 429s when it ends.
//   - Turns are spaced evenly (one request every 1/rate), a request holding a turn keeps it
//     until a cut voids every turn, and the caller's budget (option.WithRateLimit) caps the
//     rate a cut starts from, so a budget set above the vendor's real limit is learned down.
//
// A Retry-After on a 429 sets a floor: one request may go once it has passed, so the learned
// rate never falls below one per that wait (nor below minRate).

const (
	// learnBeta is the share of the ceiling a cut keeps.
	learnBeta = 0.85
	// learnRise is how long the curve takes to climb from a cut back to the ceiling.
	learnRise = 2 * time.Second
	// learnHold is how long the curve stays at the ceiling before it probes beyond.
	learnHold = time.Second
	// minRate is the lowest learned rate, in requests per second.
	minRate = 0.5
	// Rates are measured over the last statSlots slots of statSlot each.
	statSlot  = 100 * time.Millisecond
	statSlots = 20
)

// learnC is the cubic's constant for a curve scaled to a ceiling of 1: rate(t) =
// ceiling·(1 + learnC·(t − learnRise)³) until learnRise, which is beta·ceiling at t = 0.
var learnC = (1 - learnBeta) / math.Pow(learnRise.Seconds(), 3)

// learner is the rate a bucket learned from its 429s. The zero value has learned nothing and
// limits nothing. Its methods are called with the pacer's mu held.
type learner struct {
	ceiling float64   // the rate that drew the latest cut's 429; 0: nothing learned yet
	floor   float64   // the lowest rate since that cut (minRate, or one per its Retry-After)
	cutAt   time.Time // when the latest cut was made
	gen     uint64    // counts the cuts: a turn taken before the latest one is void
	cutSeq  uint64    // the first admission number after the latest cut
	seq     uint64    // admissions so far
	tat     time.Time // the earliest time the next turn may start

	since time.Time // the first admission
	stats [statSlots]stat
}

// stat counts the requests admitted in one slot.
type stat struct {
	slot int64
	sent int
}

// limited reports whether the learner holds a rate.
func (l *learner) limited() bool { return l.ceiling > 0 }

// rate is the learned rate at now, in requests per second: back from beta·ceiling to the
// ceiling along a cubic in learnRise, flat there for learnHold, then rising along the same
// cubic beyond it.
func (l *learner) rate(now time.Time) float64 {
	t := max(now.Sub(l.cutAt).Seconds(), 0) - learnRise.Seconds()
	if t > 0 {
		t = max(t-learnHold.Seconds(), 0)
	}
	return max(l.ceiling*(1+learnC*t*t*t), l.floor)
}

// turn gives the next turn at or after now and moves the next one a learned interval on.
func (l *learner) turn(now time.Time) time.Time {
	slot := now
	if l.tat.After(now) {
		slot = l.tat
	}
	l.tat = slot.Add(time.Duration(float64(time.Second) / l.rate(slot)))
	return slot
}

// admit counts a request admitted at now and returns its number.
func (l *learner) admit(now time.Time) uint64 {
	if l.since.IsZero() {
		l.since = now
	}
	l.stat(now).sent++
	l.seq++
	return l.seq
}

func (l *learner) stat(now time.Time) *stat {
	slot := now.UnixNano() / int64(statSlot)
	s := &l.stats[slot%statSlots]
	if s.slot != slot {
		*s = stat{slot: slot}
	}
	return s
}

// sentRate is the fastest rate of admissions over the windows that end at now and start at
// the beginning of one of the last 2, 5 or 20 slots (but not before the first admission). A
// rate that is too high costs a few 429s, drawn within a round trip and each followed by a
// cut; one that is too low costs seconds of climbing back: the fastest errs on the cheap side.
func (l *learner) sentRate(now time.Time) float64 {
	last := now.UnixNano() / int64(statSlot)
	fastest := 0.0
	for _, k := range []int64{2, 5, statSlots} {
		from := time.Unix(0, (last-k+1)*int64(statSlot))
		if from.Before(l.since) {
			from = l.since
		}
		w := max(now.Sub(from), statSlot/10)
		n := 0
		for _, s := range l.stats {
			if s.slot > last-k && s.slot <= last {
				n += s.sent
			}
		}
		fastest = max(fastest, float64(n)/w.Seconds())
	}
	return fastest
}

// throttled takes a 429 without rate-limit headers, answered at now (at on the pacer's clock)
// to the request admitted as number seq; budget is the caller's rate (0 for none) and wait
// the Retry-After it carried. It reports whether the rate was cut.
func (l *learner) throttled(now, at time.Time, seq uint64, budget float64, wait time.Duration) bool {
	if seq < l.cutSeq {
		return false // sent before the latest cut: the cut already answers it
	}
	cur := l.sentRate(at)
	if l.limited() {
		cur = min(cur, l.rate(at))
	}
	if budget > 0 {
		cur = min(cur, budget)
	}
	floor := minRate
	if wait > 0 {
		floor = max(floor, 1/wait.Seconds())
	}
	l.ceiling = max(cur, floor)
	l.floor = floor
	l.cutAt, l.cutSeq, l.gen = now, l.seq+1, l.gen+1
	// The next request goes one new interval after the cut at the earliest.
	l.tat = now.Add(time.Duration(float64(time.Second) / l.rate(now)))
	return true
}
