// Package paging turns a vendor's single-page list call into an iterator over every item.
package paging

import (
	"context"
	"errors"
	"iter"

	"github.com/grantkit/grantkit"
)

// All iterates over every item of every page, starting at cursor. fetch gets one page. The
// iterator yields each item with a nil error; a failed fetch is yielded once as (nil, err) and
// ends the iteration. Breaking out of the loop stops fetching. A vendor that returns the same
// cursor twice ends the iteration with an error instead of looping forever. Each range over
// the iterator starts again at cursor.
func All[T any](ctx context.Context, start string, fetch func(ctx context.Context, cursor string) (grantkit.Page[T], error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		cursor := start
		seen := map[string]bool{}
		for {
			page, err := fetch(ctx, cursor)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Items {
				if !yield(&page.Items[i], nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			if page.Next == cursor || seen[page.Next] {
				yield(nil, errors.New("the vendor returned a page cursor already visited; stopping"))
				return
			}
			seen[cursor] = true
			cursor = page.Next
		}
	}
}

// Single is All for a vendor list that is not paged: one call returns every item.
func Single[T any](ctx context.Context, fetch func(ctx context.Context) ([]T, error)) iter.Seq2[*T, error] {
	return All(ctx, "", func(ctx context.Context, _ string) (grantkit.Page[T], error) {
		items, err := fetch(ctx)
		return grantkit.Page[T]{Items: items}, err
	})
}

// Map converts every item of seq with f; an error ends the sequence as it does seq.
func Map[T, U any](seq iter.Seq2[*T, error], f func(*T) *U) iter.Seq2[*U, error] {
	return func(yield func(*U, error) bool) {
		for v, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(f(v), nil) {
				return
			}
		}
	}
}

// Failed is an iterator that yields err once and ends: the iterator of a list that could not
// start (a nil context, a client New did not make).
func Failed[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
