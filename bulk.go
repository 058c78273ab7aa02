package grantkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// ScopeChangeRequest is one change of a bulk job (PlanScopes, ApplyScopes): either Replace
// the grant's scopes with Scopes, or Add and Remove scopes from those it has.
type ScopeChangeRequest struct {
	Key GrantKey
	// Replace makes Scopes the grant's scopes, exactly: an empty Scopes removes them all.
	// Add and Remove must then be empty. A declared set is written from the job's listing,
	// whatever happened to the grant since.
	Replace bool
	Scopes  []string
	// Add and Remove change the grant's scopes when Replace is false, as the grant is just
	// before ApplyScopes writes it: what someone else changed since the listing is kept. A
	// scope may not be in both.
	Add, Remove []string
}

// desired is the scopes the request asks the grant to have, from current.
func (r ScopeChangeRequest) desired(current []string) []string {
	if r.Replace {
		return NormalizeScopes(r.Scopes)
	}
	return applyDelta(current, r.Add, r.Remove)
}

// sent is the scopes of the request that a write sends as the caller wrote them: a removed
// scope is never sent.
func (r ScopeChangeRequest) sent() []string {
	if r.Replace {
		return r.Scopes
	}
	return r.Add
}

func (r ScopeChangeRequest) check() error {
	var problems []string
	if r.Replace && (len(r.Add) > 0 || len(r.Remove) > 0) {
		problems = append(problems, "add and remove must be empty with replace")
	}
	if !r.Replace && len(r.Scopes) > 0 {
		problems = append(problems, "scopes needs replace (or use add and remove)")
	}
	for _, s := range r.Add {
		if slices.Contains(r.Remove, s) {
			problems = append(problems, fmt.Sprintf("%q is both added and removed", s))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s: %s", ErrInvalidInput, r.Key, strings.Join(problems, "; "))
}

// ScopeChangeResult is what a bulk job did with one request. Results are in the order of the
// requests.
type ScopeChangeResult struct {
	// Request is the request this result answers.
	Request ScopeChangeRequest
	// Current is the grant as the listing found it or, for an Add/Remove request ApplyScopes
	// wrote, as read again just before the write; nil when no grant (or more than one)
	// matched the request's key.
	Current *Grant
	// Change is what the request changes in Current's scopes. An empty Change means the grant
	// already has what was asked: nothing is written for it.
	Change ScopeChange
	// Written says the change was sent and the vendor answered with success (also when it
	// then stored something else than asked: Err wraps ErrNotApplied).
	Written bool
	// Stored is the grant as the vendor stored it after the write; nil when nothing was
	// written.
	Stored *Grant
	// Err is why the request failed: invalid (ErrInvalidInput), no grant (ErrGrantNotFound)
	// or several (ErrAmbiguousGrant) for its key, the vendor's error for the write, a write
	// the vendor answered but did not apply as asked (ErrNotApplied), or the context's error
	// for a write not sent because the job's context ended.
	Err error
}

// wanted is the scopes the result's write asks for: Current with Change made.
func (r *ScopeChangeResult) wanted() []string {
	return applyDelta(r.Current.Scopes, r.Change.Add, r.Change.Remove)
}

// PlanScopes reports what each request would change, reading the vendor's grants once: one
// listing, whatever the number of requests, and nothing written. Every check a write would
// make runs first, without a request (Grants.CheckGrant): an invalid request fails on its own
// (ErrInvalidInput), as does one whose key matches no listed grant, or several
// (ErrGrantNotFound, ErrAmbiguousGrant); the returned error joins every request's error. If
// the listing fails, PlanScopes returns no results and that error.
//
// Only the grants the requests name are kept from the listing, so memory grows with the
// requests, not with the vendor's grants.
func PlanScopes(ctx context.Context, g Grants, reqs []ScopeChangeRequest) ([]ScopeChangeResult, error) {
	ctx, op, err := startHelper(ctx, "PlanScopes", g)
	if err != nil {
		return nil, err
	}
	results, _, err := plan(ctx, op, g, reqs)
	if err != nil {
		return nil, err
	}
	return results, joinResults(results)
}

// ApplyScopes makes every change of reqs: it plans them from one listing (see PlanScopes),
// then writes each grant that needs a change once, with at most concurrency writes under way
// at a time. Grants that already have what was asked are not written. Requests fail one by
// one; the others go on. When the job's context ends, writes not yet sent fail with its error
// and those under way end as the client's calls do.
//
// A request with Replace declares the grant's scopes: it is written from the plan, as listed,
// with no further read. A request with Add and Remove is a change of whatever the grant holds
// when it is written: the grant is read again just before its write and the new set computed
// from that read, so scopes someone else gave or took meanwhile (for example while the job
// waited on pacing) are kept as they are. Its result's Current and Change are then those of
// the fresh read; when that read shows nothing left to change, nothing is written. A change
// costs one write, and a delta one read more (see the README's Reliability section for each
// vendor's requests).
//
// The writes go through g's client, so they share its pacing: a client made with
// option.WithRateLimit keeps the whole job within that budget, and the vendor's rate-limit
// headers hold the job back before the vendor refuses it (see the README's Reliability
// section). concurrency bounds how many requests wait on that pacing at once; it must be at
// least 1.
//
// A write whose answer does not say what the vendor stored (OneLogin's) is checked after all
// writes with one more listing, not a read per grant. With a Grants of your own (not a
// vendor's adapter), the plan still comes from one List, a delta's fresh read is its Get and
// each change is made with its SetScopes.
//
// The returned error joins every request's error (nil when all succeeded); results say which
// request failed and why. If the listing fails, nothing is written and ApplyScopes returns no
// results and that error.
func ApplyScopes(ctx context.Context, g Grants, reqs []ScopeChangeRequest, concurrency int) ([]ScopeChangeResult, error) {
	ctx, op, err := startHelper(ctx, "ApplyScopes", g)
	if err != nil {
		return nil, err
	}
	if concurrency < 1 {
		return nil, fmt.Errorf("%s: %s: %w: concurrency %d must be at least 1", g.Vendor(), op, ErrInvalidInput, concurrency)
	}
	results, writers, err := plan(ctx, op, g, reqs)
	if err != nil {
		return nil, err
	}
	var todo []int
	for i := range results {
		if results[i].Err == nil && !results[i].Change.IsEmpty() {
			todo = append(todo, i)
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(concurrency, len(todo)) {
		wg.Go(func() {
			for i := range next {
				write(ctx, op, g, &results[i], writers[i])
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	verify(ctx, op, g, results)
	return results, joinResults(results)
}

// plan checks every request, reads the grants once and matches each request with its grant.
// writers[i] writes the grant of results[i] as listed.
func plan(ctx context.Context, op string, g Grants, reqs []ScopeChangeRequest) ([]ScopeChangeResult, []func(context.Context, []string) (*Grant, error), error) {
	vendor := g.Vendor()
	results := make([]ScopeChangeResult, len(reqs))
	byKey := map[GrantKey][]int{}
	// refused holds the check errors of declared sets whose key is valid: a declared set may
	// name a scope the grant already holds that the checks would refuse as new (one the vendor
	// stored before grantkit's rules), so it is checked again once the listing shows what the
	// grant holds, without those.
	refused := map[int]error{}
	for i, r := range reqs {
		results[i].Request = r
		if err := r.check(); err != nil {
			results[i].Err = fmt.Errorf("%s: %s: %w", vendor, op, err)
			continue
		}
		key, err := checkGrant(g, op, r.Key, r.sent())
		if err != nil && r.Replace {
			if k, kerr := checkGrant(g, op, r.Key, nil); kerr == nil {
				refused[i], key, err = err, k, nil
			}
		}
		if err != nil {
			results[i].Err = err
			continue
		}
		byKey[key] = append(byKey[key], i)
	}
	for key, idx := range byKey {
		if len(idx) > 1 {
			// Two changes of one grant: applying either would act on what the caller did not
			// ask for in the other.
			for _, i := range idx {
				results[i].Err = fmt.Errorf("%s: %s: %w: %s: %d requests name this grant; give one", vendor, op, ErrInvalidInput, key, len(idx))
			}
			delete(byKey, key)
		}
	}
	matches := make(map[int][]listed, len(byKey))
	if len(byKey) > 0 {
		if err := list(ctx, g, func(l listed) {
			if idx, ok := byKey[l.Grant.Key]; ok {
				matches[idx[0]] = append(matches[idx[0]], l)
			}
		}); err != nil {
			return nil, nil, err
		}
	}
	writers := make([]func(context.Context, []string) (*Grant, error), len(reqs))
	for key, idx := range byKey {
		i := idx[0]
		r := &results[i]
		found := matches[i]
		if err, ok := refused[i]; ok {
			if len(found) == 1 {
				err = recheck(g, op, r.Request, found[0].Grant.Scopes)
			}
			if err != nil {
				r.Err = err
				continue
			}
		}
		switch len(found) {
		case 0:
			r.Err = fmt.Errorf("%s: %s: %w: %s", vendor, op, ErrGrantNotFound, key)
		case 1:
			r.Current, writers[i] = found[0].Grant, found[0].SetScopes
			r.Change = Diff(r.Current.Scopes, r.Request.desired(r.Current.Scopes))
		default:
			ids := make([]string, len(found))
			for j, l := range found {
				ids[j] = l.Grant.ID
			}
			r.Err = fmt.Errorf("%s: %s: %w: %s matches %d grants: %s", vendor, op, ErrAmbiguousGrant, key, len(ids), strings.Join(ids, ", "))
		}
	}
	return results, writers, nil
}

// recheck checks the scopes of declared set r that the grant does not hold already.
func recheck(g Grants, op string, r ScopeChangeRequest, held []string) error {
	added := slices.DeleteFunc(slices.Clone(r.Scopes), func(s string) bool { return slices.Contains(held, s) })
	_, err := checkGrant(g, op, r.Key, added)
	return err
}

// list runs the one listing of a job: the vendor adapter's own, with writers, or List with
// SetScopes as the writer.
func list(ctx context.Context, g Grants, each func(listed)) error {
	if a, ok := g.(adapter); ok {
		for l, err := range a.ListForUpdate(ctx, GrantListOptions{}) {
			if err != nil {
				return err
			}
			each(l)
		}
		return nil
	}
	for gr, err := range g.List(ctx, GrantListOptions{}) {
		if err != nil {
			return err
		}
		key := gr.Key
		each(listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*Grant, error) {
			return g.SetScopes(ctx, key, scopes)
		}})
	}
	return nil
}

// write makes one planned change: a declared set with the listing's writer, a delta from a
// read just before the write.
func write(ctx context.Context, op string, g Grants, r *ScopeChangeResult, listedWriter func(context.Context, []string) (*Grant, error)) {
	if err := ctx.Err(); err != nil {
		r.Err = fmt.Errorf("%s: %s: %s: not written: %w", g.Vendor(), op, r.Request.Key, err)
		return
	}
	w := listedWriter
	if !r.Request.Replace {
		fresh, err := readForUpdate(ctx, g, r.Current.Key)
		if err != nil {
			r.Err = err
			return
		}
		r.Current, w = fresh.Grant, fresh.SetScopes
		r.Change = Diff(r.Current.Scopes, r.Request.desired(r.Current.Scopes))
		if r.Change.IsEmpty() {
			return // someone else made the change meanwhile
		}
	}
	want := r.wanted()
	stored, err := w(ctx, want)
	// A write the vendor answered with success but stored otherwise was still made.
	r.Written = err == nil || errors.Is(err, ErrNotApplied)
	if err != nil {
		r.Err = err
		return
	}
	if stored == nil {
		return // checked by verify
	}
	r.Stored = stored
	if err := CheckStored(r.Request.Key, want, stored); err != nil {
		r.Err = fmt.Errorf("%s: %s: %w", g.Vendor(), op, err)
	}
}

// verify reads back, with one listing, the writes whose answers did not say what was stored.
func verify(ctx context.Context, op string, g Grants, results []ScopeChangeResult) {
	pending := map[GrantKey]*ScopeChangeResult{}
	for i := range results {
		if r := &results[i]; r.Written && r.Stored == nil && r.Err == nil {
			pending[r.Current.Key] = r
		}
	}
	if len(pending) == 0 {
		return
	}
	for gr, err := range g.List(ctx, GrantListOptions{}) {
		if err != nil {
			for _, r := range pending {
				r.Err = fmt.Errorf("%s: %s: %s: written, but reading it back failed: %w", g.Vendor(), op, r.Request.Key, err)
			}
			return
		}
		if r, ok := pending[gr.Key]; ok {
			r.Stored = gr
			if err := CheckStored(r.Request.Key, r.wanted(), gr); err != nil {
				r.Err = fmt.Errorf("%s: %s: %w", g.Vendor(), op, err)
			}
			delete(pending, gr.Key)
		}
	}
	for _, r := range pending {
		r.Err = fmt.Errorf("%s: %s: %s: written, but the grant is no longer listed: %w", g.Vendor(), op, r.Request.Key, ErrGrantNotFound)
	}
}

// joinResults joins the requests' errors. Every one names its vendor and operation already:
// the adapters' errors, and those built here.
func joinResults(results []ScopeChangeResult) error {
	var errs []error
	for i := range results {
		if err := results[i].Err; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
