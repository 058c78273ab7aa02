package grantkit_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
)

// memGrants is an in-memory grantkit.Grants that counts its listings and writes.
type memGrants struct {
	mu       sync.Mutex
	grants   []*grantkit.Grant
	lists    int
	gets     int
	sets     int
	onGet    func(grantkit.GrantKey) // called under the lock at the start of each Get
	inflight int
	most     int           // the most writes under way at once
	listErr  error         // List fails with it after the first grant
	drop     string        // a scope every write leaves out
	onSet    func()        // called at the start of each write
	gate     chan struct{} // if set, each write waits for it
}

func newMem(n int) *memGrants {
	m := &memGrants{}
	for i := range n {
		m.grants = append(m.grants, &grantkit.Grant{Vendor: "mem", ID: "g" + strconv.Itoa(i),
			Key: grantkit.GrantKey{Resource: "r", ClientID: "c" + strconv.Itoa(i)}, Scopes: []string{"a"}})
	}
	return m
}

func key(i int) grantkit.GrantKey {
	return grantkit.GrantKey{Resource: "r", ClientID: "c" + strconv.Itoa(i)}
}

func (m *memGrants) Vendor() string { return "mem" }

func (m *memGrants) CheckGrant(k grantkit.GrantKey, scopes []string) error {
	if k.ClientID == "" || slices.ContainsFunc(scopes, func(s string) bool { return s == "" || strings.Contains(s, " ") }) {
		return grantkit.ErrInvalidInput
	}
	return nil
}

func (m *memGrants) List(context.Context, grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	m.mu.Lock()
	m.lists++
	gs := slices.Clone(m.grants)
	listErr := m.listErr
	m.mu.Unlock()
	return func(yield func(*grantkit.Grant, error) bool) {
		for i, g := range gs {
			if i == 1 && listErr != nil {
				yield(nil, listErr)
				return
			}
			c := *g
			if !yield(&c, nil) {
				return
			}
		}
	}
}

func (m *memGrants) Get(_ context.Context, k grantkit.GrantKey) (*grantkit.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gets++
	if m.onGet != nil {
		m.onGet(k)
	}
	for _, g := range m.grants {
		if g.Key == k {
			c := *g
			c.Scopes = slices.Clone(g.Scopes)
			return &c, nil
		}
	}
	return nil, grantkit.ErrGrantNotFound
}

func (m *memGrants) SetScopes(ctx context.Context, k grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	return m.set(ctx, k, scopes)
}

func (m *memGrants) Create(_ context.Context, k grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, g := range m.grants {
		if g.Key == k {
			return nil, grantkit.ErrGrantExists
		}
	}
	g := &grantkit.Grant{Vendor: "mem", ID: "g" + strconv.Itoa(len(m.grants)), Key: k, Scopes: grantkit.NormalizeScopes(scopes)}
	m.grants = append(m.grants, g)
	c := *g
	return &c, nil
}

func (m *memGrants) Delete(_ context.Context, k grantkit.GrantKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.grants)
	m.grants = slices.DeleteFunc(m.grants, func(g *grantkit.Grant) bool { return g.Key == k })
	if len(m.grants) == n {
		return grantkit.ErrGrantNotFound
	}
	return nil
}

func (m *memGrants) set(ctx context.Context, k grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	m.mu.Lock()
	m.sets++
	m.inflight++
	m.most = max(m.most, m.inflight)
	onSet, gate := m.onSet, m.gate
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.inflight--
		m.mu.Unlock()
	}()
	if onSet != nil {
		onSet()
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, g := range m.grants {
		if g.Key == k {
			g.Scopes = grantkit.NormalizeScopes(slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return s == m.drop }))
			c := *g
			return &c, nil
		}
	}
	return nil, grantkit.ErrGrantNotFound
}

// bulkMem is memGrants as a vendor's adapter (internal/grantwrite.Adapter); with unverified,
// its writes return no grant.
type bulkMem struct {
	*memGrants
	unverified bool
}

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = bulkMem{}

func (b bulkMem) listed(g *grantkit.Grant) grantwrite.Listed[*grantkit.Grant] {
	k := g.Key
	return grantwrite.Listed[*grantkit.Grant]{Grant: g, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		stored, err := b.set(ctx, k, scopes)
		if err == nil && b.unverified {
			return nil, nil
		}
		return stored, err
	}}
}

func (b bulkMem) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[grantwrite.Listed[*grantkit.Grant], error] {
	return func(yield func(grantwrite.Listed[*grantkit.Grant], error) bool) {
		for g, err := range b.List(ctx, opts) {
			if err != nil {
				yield(grantwrite.Listed[*grantkit.Grant]{}, err)
				return
			}
			if !yield(b.listed(g), nil) {
				return
			}
		}
	}
}

func (b bulkMem) ReadForUpdate(ctx context.Context, k grantkit.GrantKey) (grantwrite.Listed[*grantkit.Grant], error) {
	g, err := b.Get(ctx, k)
	if err != nil {
		return grantwrite.Listed[*grantkit.Grant]{}, err
	}
	return b.listed(g), nil
}

func (b bulkMem) Check(_ string, k grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	return k, b.CheckGrant(k, scopes)
}

func TestApplyScopesWithAPlainGrantsListsOnceAndUsesSetScopes(t *testing.T) {
	m := newMem(5)
	res, err := grantkit.ApplyScopes(context.Background(), m, []grantkit.ScopeChangeRequest{
		{Key: key(0), Add: []string{"b"}},
		{Key: key(1), Replace: true, Scopes: []string{"c"}},
		{Key: key(2), Remove: []string{"a"}},
		{Key: key(3), Add: []string{"a"}},
	}, 2)
	require.NoError(t, err)
	assert.Equal(t, 1, m.lists, "one listing plans the whole job")
	assert.Equal(t, 2, m.gets, "each delta written is read again just before its write; the exact set is not")
	assert.Equal(t, 3, m.sets, "the grant that has its scopes already is not written")
	assert.Equal(t, []string{"a", "b"}, res[0].Stored.Scopes)
	assert.Equal(t, []string{"c"}, res[1].Stored.Scopes)
	assert.Empty(t, res[2].Stored.Scopes)
	assert.False(t, res[3].Written)
	assert.Nil(t, res[3].Stored)
	assert.Equal(t, []string{"a"}, res[3].Current.Scopes)
}

func TestApplyScopesBoundsItsConcurrency(t *testing.T) {
	m := newMem(20)
	m.gate = make(chan struct{})
	var once sync.Once
	m.onSet = func() {
		m.mu.Lock()
		full := m.inflight == 4
		m.mu.Unlock()
		if full {
			once.Do(func() { close(m.gate) }) // let every write go once four are under way
		}
	}
	var reqs []grantkit.ScopeChangeRequest
	for i := range 20 {
		reqs = append(reqs, grantkit.ScopeChangeRequest{Key: key(i), Add: []string{"b"}})
	}
	res, err := grantkit.ApplyScopes(context.Background(), bulkMem{memGrants: m}, reqs, 4)
	require.NoError(t, err)
	assert.Equal(t, 4, m.most, "four writes under way at once, never more")
	for _, r := range res {
		assert.True(t, r.Written)
	}
}

func TestApplyScopesChecksUnverifiedWritesWithOneListing(t *testing.T) {
	m := newMem(3)
	res, err := grantkit.ApplyScopes(context.Background(), bulkMem{memGrants: m, unverified: true}, []grantkit.ScopeChangeRequest{
		{Key: key(0), Add: []string{"b"}},
		{Key: key(1), Add: []string{"c"}},
	}, 2)
	require.NoError(t, err)
	assert.Equal(t, 2, m.lists, "the plan's listing, then one to read back every write")
	assert.Equal(t, []string{"a", "b"}, res[0].Stored.Scopes)
	assert.Equal(t, []string{"a", "c"}, res[1].Stored.Scopes)

	m.drop = "d"
	res, err = grantkit.ApplyScopes(context.Background(), bulkMem{memGrants: m, unverified: true}, []grantkit.ScopeChangeRequest{
		{Key: key(2), Add: []string{"d"}},
	}, 1)
	require.ErrorIs(t, err, grantkit.ErrNotApplied)
	assert.True(t, res[0].Written)
	assert.ErrorContains(t, res[0].Err, `missing ["d"]`)
}

func TestApplyScopesRefusesAKeyMatchingSeveralGrants(t *testing.T) {
	m := newMem(2)
	m.grants[1].Key = m.grants[0].Key
	res, err := grantkit.ApplyScopes(context.Background(), m, []grantkit.ScopeChangeRequest{{Key: key(0), Add: []string{"b"}}}, 1)
	require.ErrorIs(t, err, grantkit.ErrAmbiguousGrant)
	assert.ErrorContains(t, res[0].Err, "g0, g1")
	assert.Zero(t, m.sets)
}

func TestApplyScopesWritesNothingWhenTheListingFails(t *testing.T) {
	m := newMem(3)
	m.listErr = errors.New("page 2 failed")
	res, err := grantkit.ApplyScopes(context.Background(), m, []grantkit.ScopeChangeRequest{{Key: key(0), Add: []string{"b"}}}, 1)
	require.ErrorContains(t, err, "page 2 failed")
	assert.Nil(t, res)
	assert.Zero(t, m.sets)
}

func TestApplyScopesStopsSendingWhenItsContextEnds(t *testing.T) {
	m := newMem(4)
	ctx, cancel := context.WithCancel(context.Background())
	m.onSet = cancel // the first write ends the job
	var reqs []grantkit.ScopeChangeRequest
	for i := range 4 {
		reqs = append(reqs, grantkit.ScopeChangeRequest{Key: key(i), Add: []string{"b"}})
	}
	res, err := grantkit.ApplyScopes(ctx, m, reqs, 1)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, m.sets, "the write under way finishes; none is sent after")
	assert.True(t, res[0].Written)
	for _, r := range res[1:] {
		assert.False(t, r.Written)
		assert.ErrorIs(t, r.Err, context.Canceled)
		assert.ErrorContains(t, r.Err, "mem: ApplyScopes:")
	}
}

func TestPlanScopesReportsEveryRequestInOrder(t *testing.T) {
	m := newMem(2)
	res, err := grantkit.PlanScopes(context.Background(), bulkMem{memGrants: m}, []grantkit.ScopeChangeRequest{
		{Key: key(1), Add: []string{"z"}},
		{Key: grantkit.GrantKey{Resource: "r"}, Add: []string{"b"}},
		{Key: key(7), Add: []string{"b"}},
		{Key: key(0), Add: []string{"b"}, Remove: []string{"b"}},
		{Key: key(0), Scopes: []string{"b"}},
	})
	require.Error(t, err)
	assert.Equal(t, grantkit.ScopeChange{Add: []string{"z"}}, res[0].Change)
	require.NoError(t, res[0].Err)
	assert.ErrorIs(t, res[1].Err, grantkit.ErrInvalidInput, "the adapter refuses the key")
	assert.ErrorIs(t, res[2].Err, grantkit.ErrGrantNotFound)
	assert.ErrorContains(t, res[2].Err, "mem: ")
	assert.ErrorContains(t, res[3].Err, `"b" is both added and removed`)
	assert.ErrorContains(t, res[4].Err, "scopes needs replace")
	assert.Zero(t, m.sets)
	assert.Equal(t, 1, m.lists)
	for i, r := range res {
		assert.Equal(t, i == 0, r.Err == nil, i)
	}
}

// A declared set may name a scope the grant already holds that the checks refuse as new input
// (one the vendor stored before): it is written back, and only new scopes are checked.
func TestApplyScopesKeepsAHeldScopeTheChecksWouldRefuse(t *testing.T) {
	for _, g := range []grantkit.Grants{newMem(3), bulkMem{memGrants: newMem(3)}} {
		var m *memGrants
		switch g := g.(type) {
		case *memGrants:
			m = g
		case bulkMem:
			m = g.memGrants
		}
		m.grants[0].Scopes = []string{"a", "legacy scope"}
		m.grants[1].Scopes = []string{"a", "legacy scope"}
		res, err := grantkit.ApplyScopes(context.Background(), g, []grantkit.ScopeChangeRequest{
			{Key: key(0), Replace: true, Scopes: []string{"legacy scope", "b"}},
			{Key: key(1), Replace: true, Scopes: []string{"legacy scope", "new scope"}},
			{Key: key(2), Replace: true, Scopes: []string{"other scope"}},
		}, 1)
		require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		require.NoError(t, res[0].Err)
		assert.Equal(t, []string{"b", "legacy scope"}, res[0].Stored.Scopes)
		assert.ErrorIs(t, res[1].Err, grantkit.ErrInvalidInput, "a new scope is still checked")
		assert.ErrorIs(t, res[2].Err, grantkit.ErrInvalidInput)
		assert.True(t, res[1].Change.IsEmpty())
		assert.Equal(t, 1, m.sets, "only the valid set was written")
	}
}

func TestApplyScopesNeedsAConcurrency(t *testing.T) {
	m := newMem(1)
	_, err := grantkit.ApplyScopes(context.Background(), m, nil, 0)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Zero(t, m.lists, "refused before anything is read")
}
