package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grantkit/grantkit"
)

const (
	statusDone    = "done"
	statusFailed  = "failed"
	statusSkipped = "skipped"
)

// applier carries out a plan. Vendors proceed independently; at each vendor the phases run
// in order (scope definitions, grant creates and updates, revokes, scope removals), and a
// phase starts only when the previous one has finished without a failure there, so a
// failure never leaves a scope removed under a grant that still has it, nor a grant given a
// scope whose definition failed. Within a phase up to workers changes run at once; the scope
// changes of one resource run one after another, because a vendor's catalog may rewrite a
// resource's whole scope list (Auth0 replaces it on every PATCH). Changes of an existing
// grant's scopes go through grantkit.ApplyScopes (one listing, one write per grant, within the
// client's pacing); creates and revokes through Grants.Create and Grants.Delete, which at a
// vendor whose grant is a client's scopes (CPN) set or empty an existing client's scopes.
//
// Each change gets its Status and Error. Once maxFailures changes have failed (0: no limit),
// nothing more is started. A re-run plans from what the vendors then hold, so what was done is
// not done again and what failed or was skipped is planned again.
type applier struct {
	accounts    map[string]*account
	sem         chan struct{}
	workers     int
	maxFailures int64
	progress    io.Writer // nil: quiet

	done, failed atomic.Int64
	total        int
	mu           sync.Mutex // serialises progress lines
	last         time.Time
}

func apply(ctx context.Context, accounts map[string]*account, changes []*Change, workers, maxFailures int, progress io.Writer) {
	a := &applier{accounts: accounts, sem: make(chan struct{}, workers), workers: workers,
		maxFailures: int64(maxFailures), progress: progress, total: len(changes)}
	byVendor := map[string][]*Change{}
	for _, c := range changes {
		byVendor[c.Vendor] = append(byVendor[c.Vendor], c)
	}
	var wg sync.WaitGroup
	for _, cs := range byVendor {
		wg.Go(func() { a.vendor(ctx, cs) })
	}
	wg.Wait()
	a.report(true)
}

// vendor applies one vendor's changes, which are in apply order, phase by phase.
func (a *applier) vendor(ctx context.Context, cs []*Change) {
	for start := 0; start < len(cs); {
		end := start
		for end < len(cs) && phase(cs[end].Action) == phase(cs[start].Action) {
			end++
		}
		if !a.phase(ctx, cs[start:end]) {
			for _, c := range cs[end:] {
				c.Status, c.Error = statusSkipped, "not tried: an earlier change at "+c.Vendor+" failed"
			}
			return
		}
		start = end
	}
}

// phase runs one phase's changes and reports whether all of them succeeded.
func (a *applier) phase(ctx context.Context, cs []*Change) bool {
	acct := a.accounts[cs[0].Vendor]
	// Units run concurrently, the changes within a unit in order: the scope changes of one
	// resource form one unit, other changes one each. Scope changes of grants go to
	// ApplyScopes together.
	var units [][]*Change
	var bulk []*Change
	byResource := map[string]int{}
	for _, c := range cs {
		switch {
		case c.Kind == kindGrant && c.Action == actUpdate:
			bulk = append(bulk, c)
		case c.Kind == kindScope:
			i, ok := byResource[c.Resource]
			if !ok {
				i = len(units)
				byResource[c.Resource] = i
				units = append(units, nil)
			}
			units[i] = append(units[i], c)
		default:
			units = append(units, []*Change{c})
		}
	}
	var wg sync.WaitGroup
	if len(bulk) > 0 {
		wg.Go(func() { a.bulk(ctx, acct, bulk) })
	}
	for _, unit := range units {
		wg.Go(func() {
			a.sem <- struct{}{}
			defer func() { <-a.sem }()
			for _, c := range unit {
				if a.stopped(c) {
					continue
				}
				a.finish(c, a.do(ctx, acct, c))
			}
		})
	}
	wg.Wait()
	for _, c := range cs {
		if c.Status != statusDone {
			return false
		}
	}
	return true
}

// bulk sets the scopes of grants with grantkit.ApplyScopes, in batches of 64, 512, 4096, ...
// (each batch is one more listing), so that a run that keeps failing stops early while a
// large one pays for few extra listings.
func (a *applier) bulk(ctx context.Context, acct *account, cs []*Change) {
	for n := 64; len(cs) > 0; n *= 8 {
		batch := cs[:min(n, len(cs))]
		cs = cs[len(batch):]
		if a.maxFailures > 0 && a.failed.Load() >= a.maxFailures {
			for _, c := range batch {
				a.stopped(c)
			}
			continue
		}
		reqs := make([]grantkit.ScopeChangeRequest, len(batch))
		for i, c := range batch {
			scopes := c.Scopes
			if c.Action == actRevoke {
				scopes = nil // the client's scopes are emptied; the client stays
			}
			reqs[i] = grantkit.ScopeChangeRequest{Key: c.key(), Replace: true, Scopes: scopes}
		}
		results, err := grantkit.ApplyScopes(ctx, acct.grants, reqs, a.workers)
		for i, c := range batch {
			if results == nil {
				a.finish(c, err) // the listing failed: nothing was written
				continue
			}
			a.finish(c, results[i].Err)
		}
	}
}

// stopped marks c skipped, and says so, once the failure threshold is reached.
func (a *applier) stopped(c *Change) bool {
	if a.maxFailures <= 0 || a.failed.Load() < a.maxFailures {
		return false
	}
	c.Status, c.Error = statusSkipped, fmt.Sprintf("not tried: %d changes failed (-max-failures)", a.failed.Load())
	return true
}

func (a *applier) finish(c *Change, err error) {
	if err != nil {
		c.Status, c.Error = statusFailed, err.Error()
		a.failed.Add(1)
	} else {
		c.Status = statusDone
	}
	a.done.Add(1)
	a.report(false)
}

// report updates the progress line (on a terminal only), at most every 100ms.
func (a *applier) report(final bool) {
	if a.progress == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !final && time.Since(a.last) < 100*time.Millisecond {
		return
	}
	a.last = time.Now()
	end := ""
	if final {
		end = "\n"
	}
	say(a.progress, "\rapplying: %d of %d changes made, %d failed%s", a.done.Load(), a.total, a.failed.Load(), end)
}

func (a *applier) do(ctx context.Context, acct *account, c *Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	switch c.Action {
	case actDefine:
		_, err = acct.catalog.DefineScope(ctx, c.Resource, grantkit.ScopeDefinition{Name: c.Scope, Description: deref0(c.Description)})
	case actDescribe:
		_, err = acct.catalog.DescribeScope(ctx, c.Resource, c.Scope, deref0(c.Description))
	case actCreate:
		_, err = acct.grants.Create(ctx, c.key(), c.Scopes)
	case actRevoke:
		err = acct.grants.Delete(ctx, c.key())
	case actRemove:
		err = acct.catalog.RemoveScope(ctx, c.Resource, c.Scope)
	default:
		err = fmt.Errorf("unknown action %q", c.Action)
	}
	return err
}
