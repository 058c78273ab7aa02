package paging

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/grantkit/grantkit"
)

type pages map[string]grantkit.Page[int]

func (p pages) fetch(calls *[]string) func(context.Context, string) (grantkit.Page[int], error) {
	return func(_ context.Context, cursor string) (grantkit.Page[int], error) {
		*calls = append(*calls, cursor)
		pg, ok := p[cursor]
		if !ok {
			return pg, errors.New("no page " + cursor)
		}
		return pg, nil
	}
}

func collect(seq func(func(*int, error) bool)) ([]int, error) {
	var out []int
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, *v)
	}
	return out, nil
}

func TestAll(t *testing.T) {
	p := pages{"": {Items: []int{1, 2}, Next: "b"}, "b": {Items: []int{3}, Next: "c"}, "c": {Items: []int{4}}}
	var calls []string
	got, err := collect(All(context.Background(), "", p.fetch(&calls)))
	assert.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4}, got)
	assert.Equal(t, []string{"", "b", "c"}, calls)

	calls = nil
	got, _ = collect(All(context.Background(), "b", p.fetch(&calls)))
	assert.Equal(t, []int{3, 4}, got, "starts at the given cursor")

	calls = nil
	for range All(context.Background(), "", p.fetch(&calls)) {
		break
	}
	assert.Equal(t, []string{""}, calls, "breaking stops fetching")
}

func TestAllErrors(t *testing.T) {
	var calls []string
	got, err := collect(All(context.Background(), "", pages{"": {Items: []int{1}, Next: "missing"}}.fetch(&calls)))
	assert.Equal(t, []int{1}, got)
	assert.EqualError(t, err, "no page missing")

	for name, p := range map[string]pages{
		"same cursor": {"": {Items: []int{1}, Next: "a"}, "a": {Items: []int{2}, Next: "a"}},
		"cycle":       {"": {Items: []int{1}, Next: "a"}, "a": {Items: []int{2}, Next: "b"}, "b": {Items: []int{3}, Next: "a"}},
	} {
		calls = nil
		_, err := collect(All(context.Background(), "", p.fetch(&calls)))
		assert.ErrorContains(t, err, "already visited", name)
		assert.Less(t, len(calls), 5, name)
	}
}

func TestSingle(t *testing.T) {
	got, err := collect(Single(context.Background(), func(context.Context) ([]int, error) { return []int{7, 8}, nil }))
	assert.NoError(t, err)
	assert.Equal(t, []int{7, 8}, got)
	_, err = collect(Single(context.Background(), func(context.Context) ([]int, error) { return nil, errors.New("boom") }))
	assert.EqualError(t, err, "boom")
}

func TestMap(t *testing.T) {
	double := func(v *int) *int { d := *v * 2; return &d }
	got, err := collect(Map(Single(context.Background(), func(context.Context) ([]int, error) { return []int{1, 2}, nil }), double))
	assert.NoError(t, err)
	assert.Equal(t, []int{2, 4}, got)
	_, err = collect(Map(Single(context.Background(), func(context.Context) ([]int, error) { return nil, errors.New("boom") }), double))
	assert.EqualError(t, err, "boom")
}

func TestAllRangesAgainFromTheStart(t *testing.T) {
	p := pages{"a": {Items: []int{1, 2}, Next: "b"}, "b": {Items: []int{3}, Next: "c"}, "c": {Items: []int{4}}}
	var calls []string
	seq := All(context.Background(), "a", p.fetch(&calls))
	first, err := collect(seq)
	assert.NoError(t, err)
	second, err := collect(seq)
	assert.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4}, first)
	assert.Equal(t, first, second)
	assert.Equal(t, []string{"a", "b", "c", "a", "b", "c"}, calls)

	// A range broken off after the first page starts again at the start too.
	calls = nil
	for range seq {
		break
	}
	again, err := collect(seq)
	assert.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4}, again)
	assert.Equal(t, []string{"a", "a", "b", "c"}, calls)
}
