package main

import (
	"context"
	"fmt"
	"io"
	"sync"

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
// scope whose definition failed. Within a phase up to workers changes run at once, across all
// vendors; the scope changes of one resource run one after another, because a vendor's
// catalog may rewrite a resource's whole scope list (Auth0 replaces it on every PATCH).
//
// Each change's Status and Error are set. A re-run plans from what the vendors then hold, so
// what was done is not done again and what failed or was skipped is planned again.
type applier struct {
	accounts map[string]*account
	sem      chan struct{}
	progress io.Writer

	mu    sync.Mutex // guards done and writes to progress
	done  int
	total int
}

func apply(ctx context.Context, accounts map[string]*account, changes []*Change, workers int, progress io.Writer) {
	a := &applier{accounts: accounts, sem: make(chan struct{}, workers), progress: progress, total: len(changes)}
	byVendor := map[string][]*Change{}
	for _, c := range changes {
		byVendor[c.Vendor] = append(byVendor[c.Vendor], c)
	}
	say(progress, "applying %d change(s) at %d vendor(s), up to %d at a time\n", len(changes), len(byVendor), workers)
	var wg sync.WaitGroup
	for _, cs := range byVendor {
		wg.Go(func() { a.vendor(ctx, cs) })
	}
	wg.Wait()
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
	// Units run concurrently; the changes within a unit in order. A grant change is a unit
	// of its own; the scope changes of one resource form one unit.
	var units [][]*Change
	byResource := map[string]int{}
	for _, c := range cs {
		if c.Kind != kindScope {
			units = append(units, []*Change{c})
			continue
		}
		i, ok := byResource[c.Resource]
		if !ok {
			i = len(units)
			byResource[c.Resource] = i
			units = append(units, nil)
		}
		units[i] = append(units[i], c)
	}
	var wg sync.WaitGroup
	for _, unit := range units {
		wg.Go(func() {
			a.sem <- struct{}{}
			defer func() { <-a.sem }()
			for _, c := range unit {
				a.one(ctx, c)
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

// one makes one change and reports it on the progress writer.
func (a *applier) one(ctx context.Context, c *Change) {
	err := a.do(ctx, c)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done++
	if err != nil {
		c.Status, c.Error = statusFailed, err.Error()
		say(a.progress, "[%d/%d] %s: %s: FAILED: %v\n", a.done, a.total, c.Vendor, c, err)
		return
	}
	c.Status = statusDone
	say(a.progress, "[%d/%d] %s: %s: done\n", a.done, a.total, c.Vendor, c)
}

func (a *applier) do(ctx context.Context, c *Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	acct := a.accounts[c.Vendor]
	if c.Kind == kindScope && acct.catalog == nil {
		// planVendor never plans a scope change for such a vendor; this guards the invariant.
		return fmt.Errorf("%w: %s has no scope catalog", grantkit.ErrInvalidInput, c.Vendor)
	}
	var err error
	switch c.Action {
	case actDefine:
		_, err = acct.catalog.DefineScope(ctx, c.Resource, grantkit.ScopeDefinition{Name: c.Scope, Description: deref0(c.Description)})
	case actDescribe:
		_, err = acct.catalog.DescribeScope(ctx, c.Resource, c.Scope, deref0(c.Description))
	case actCreate:
		_, err = acct.grants.Create(ctx, c.key(), c.Scopes)
	case actUpdate:
		_, err = acct.grants.SetScopes(ctx, c.key(), c.Scopes)
	case actRevoke:
		err = acct.grants.Delete(ctx, c.key())
	case actRemove:
		err = acct.catalog.RemoveScope(ctx, c.Resource, c.Scope)
	default:
		err = fmt.Errorf("unknown action %q", c.Action)
	}
	return err
}
