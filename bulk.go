package grantkit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
)

// ScopeChangeRequest is one change of a bulk job (PlanScopes, ApplyScopes): either Replace
// the grant's scopes with Scopes, or Add and Remove scopes from those it has.
type ScopeChangeRequest struct {
	Key GrantKey
	// Replace makes Scopes the grant's scopes, exactly: an empty Scopes removes them all.
	// Add and Remove must then be empty.
	Replace bool
	Scopes  []string
	// Add and Remove change the grant's current scopes when Replace is false. A scope may
	// not be in both.
	Add, Remove []string
}

// desired is the scopes the request asks the grant to have, from current.
func (r ScopeChangeRequest) desired(current []string) []string {
	if r.Replace {
		return NormalizeScopes(r.Scopes)
	}
	out := slices.DeleteFunc(slices.Clone(current), func(s string) bool { return slices.Contains(r.Remove, s) })
	return NormalizeScopes(append(out, r.Add...))
}

func (r ScopeChangeRequest) check() error {
	var problems []string
	if r.Replace && (len(r.Add) > 0 || len(r.Remove) > 0) {
		problems = append(problems, "Add and Remove must be empty with Replace")
	}
	if !r.Replace && len(r.Scopes) > 0 {
		problems = append(problems, "Scopes needs Replace (or use Add and Remove)")
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
	// Current is the grant as the listing found it; nil when no grant (or more than one)
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

	want  []string
	write func(ctx context.Context, scopes []string) (*Grant, error)
}

// ListedGrant is a grant as a listing returned it, with what its vendor needs to write its
// scopes without reading it again.
type ListedGrant struct {
	Grant *Grant
	// SetScopes replaces the grant's scopes with exactly scopes in one write, starting from
	// the grant as listed (every other field is sent back as it was read, or not sent), and
	// returns the grant as stored, checked with CheckStored (an error wrapping ErrNotApplied
	// when the vendor stored something else). When the vendor's answer does not say what it
	// stored, it returns nil and no error, and the caller reads it back.
	SetScopes func(ctx context.Context, scopes []string) (*Grant, error)
}

// BulkGrants is a Grants whose listing carries what a write needs, so that a bulk job writes
// each grant it changes once, without reading it again. Every vendor's Grants implements it.
type BulkGrants interface {
	Grants
	// ListForUpdate iterates over every grant, as List does, each with its writer.
	ListForUpdate(ctx context.Context) iter.Seq2[ListedGrant, error]
	// CanonicalKey returns key as List reports keys (at Auth0, subject type "client" is the
	// empty SubjectType), or an error wrapping ErrInvalidInput for a key no grant of the
	// vendor can have.
	CanonicalKey(key GrantKey) (GrantKey, error)
}

// PlanScopes reports what each request would change, reading the vendor's grants once: one
// listing, whatever the number of requests, and nothing written. A request whose key matches
// no listed grant, or several, fails on its own (ErrGrantNotFound, ErrAmbiguousGrant), as does
// an invalid one (ErrInvalidInput); the returned error joins every request's error. If the
// listing fails, PlanScopes returns no results and that error.
//
// Only the grants the requests name are kept from the listing, so memory grows with the
// requests, not with the vendor's grants.
func PlanScopes(ctx context.Context, g Grants, reqs []ScopeChangeRequest) ([]ScopeChangeResult, error) {
	ctx, _, err := startHelper(ctx, "PlanScopes", g)
	if err != nil {
		return nil, err
	}
	results, err := plan(ctx, g, reqs)
	if err != nil {
		return nil, err
	}
	return results, joinResults(g.Vendor(), results)
}

// ApplyScopes makes every change of reqs: it plans them from one listing (see PlanScopes),
// then writes each grant that needs a change once, with at most concurrency writes under way
// at a time. Grants that already have what was asked are not written. Requests fail one by
// one; the others go on. When the job's context ends, writes not yet sent fail with its error
// and those under way end as the client's calls do.
//
// The writes go through g's client, so they share its pacing: a client made with
// option.WithRateLimit keeps the whole job within that budget, and the vendor's rate-limit
// headers hold the job back before the vendor refuses it (see the README's Reliability
// section). concurrency bounds how many requests wait on that pacing at once; it must be at
// least 1.
//
// A write whose answer does not say what the vendor stored (OneLogin's) is checked after all
// writes with one more listing, not a read per grant. With a Grants that is not a BulkGrants
// (an implementation of your own), the plan still comes from one List, and each change is
// made with its SetScopes.
//
// The returned error joins every request's error (nil when all succeeded); results say which
// request failed and why. If the listing fails, nothing is written and ApplyScopes returns no
// results and that error.
func ApplyScopes(ctx context.Context, g Grants, reqs []ScopeChangeRequest, concurrency int) ([]ScopeChangeResult, error) {
	ctx, _, err := startHelper(ctx, "ApplyScopes", g)
	if err != nil {
		return nil, err
	}
	if concurrency < 1 {
		return nil, fmt.Errorf("%s: ApplyScopes: %w: concurrency %d must be at least 1", g.Vendor(), ErrInvalidInput, concurrency)
	}
	results, err := plan(ctx, g, reqs)
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
				write(ctx, g.Vendor(), &results[i])
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	verify(ctx, g, results)
	return results, joinResults(g.Vendor(), results)
}

// plan reads the grants once and matches each request with its grant.
func plan(ctx context.Context, g Grants, reqs []ScopeChangeRequest) ([]ScopeChangeResult, error) {
	bulk, _ := g.(BulkGrants)
	results := make([]ScopeChangeResult, len(reqs))
	byKey := map[GrantKey][]int{}
	for i, r := range reqs {
		results[i].Request = r
		key := r.Key
		err := r.check()
		if err == nil && bulk != nil {
			key, err = bulk.CanonicalKey(r.Key)
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
				results[i].Err = fmt.Errorf("%w: %s: %d requests name this grant; give one", ErrInvalidInput, key, len(idx))
			}
			delete(byKey, key)
		}
	}
	matches := make(map[int][]ListedGrant, len(byKey))
	if err := list(ctx, g, bulk, func(l ListedGrant) {
		if idx, ok := byKey[l.Grant.Key]; ok {
			matches[idx[0]] = append(matches[idx[0]], l)
		}
	}); err != nil {
		return nil, err
	}
	for key, idx := range byKey {
		i := idx[0]
		r := &results[i]
		switch found := matches[i]; len(found) {
		case 0:
			r.Err = fmt.Errorf("%w: %s", ErrGrantNotFound, key)
		case 1:
			r.Current, r.write = found[0].Grant, found[0].SetScopes
			r.want = r.Request.desired(r.Current.Scopes)
			r.Change = Diff(r.Current.Scopes, r.want)
		default:
			ids := make([]string, len(found))
			for j, l := range found {
				ids[j] = l.Grant.ID
			}
			r.Err = fmt.Errorf("%w: %s matches %d grants: %s", ErrAmbiguousGrant, key, len(ids), strings.Join(ids, ", "))
		}
	}
	return results, nil
}

// list runs the one listing of a job: the vendor's own, with writers, or List with SetScopes
// as the writer.
func list(ctx context.Context, g Grants, bulk BulkGrants, each func(ListedGrant)) error {
	if bulk != nil {
		for l, err := range bulk.ListForUpdate(ctx) {
			if err != nil {
				return err
			}
			each(l)
		}
		return nil
	}
	for gr, err := range g.List(ctx) {
		if err != nil {
			return err
		}
		key := gr.Key
		each(ListedGrant{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*Grant, error) {
			return g.SetScopes(ctx, key, scopes)
		}})
	}
	return nil
}

// write makes one planned change.
func write(ctx context.Context, vendor string, r *ScopeChangeResult) {
	if err := ctx.Err(); err != nil {
		r.Err = fmt.Errorf("%s: ApplyScopes: %s: not written: %w", vendor, r.Request.Key, err)
		return
	}
	stored, err := r.write(ctx, r.want)
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
	r.Err = CheckStored(r.Request.Key, r.want, stored)
}

// verify reads back, with one listing, the writes whose answers did not say what was stored.
func verify(ctx context.Context, g Grants, results []ScopeChangeResult) {
	pending := map[GrantKey]*ScopeChangeResult{}
	for i := range results {
		if r := &results[i]; r.Written && r.Stored == nil && r.Err == nil {
			pending[r.Current.Key] = r
		}
	}
	if len(pending) == 0 {
		return
	}
	for gr, err := range g.List(ctx) {
		if err != nil {
			for _, r := range pending {
				r.Err = fmt.Errorf("%s: ApplyScopes: %s: written, but reading it back failed: %w", g.Vendor(), r.Request.Key, err)
			}
			return
		}
		if r, ok := pending[gr.Key]; ok {
			r.Stored = gr
			r.Err = CheckStored(r.Request.Key, r.want, gr)
			delete(pending, gr.Key)
		}
	}
	for _, r := range pending {
		r.Err = fmt.Errorf("%s: ApplyScopes: %s: written, but the grant is no longer listed: %w", g.Vendor(), r.Request.Key, ErrGrantNotFound)
	}
}

// joinResults joins the requests' errors, each named by vendor unless it already is.
func joinResults(vendor string, results []ScopeChangeResult) error {
	var errs []error
	for i := range results {
		err := results[i].Err
		if err == nil {
			continue
		}
		var ge *Error
		if !errors.As(err, &ge) && !strings.HasPrefix(err.Error(), vendor+": ") {
			err = fmt.Errorf("%s: %w", vendor, err)
			results[i].Err = err
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
