package main

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grantkit/grantkit"
)

// memVendor is an in-memory vendor for the reconciler's own tests: grants keyed as grantkit
// keys them, a catalog (unless platform-defined), a vendor's rules (a grant scope must be
// defined, like Auth0's; a grant exists once), injectable failures and a count of calls.
type memVendor struct {
	name string

	mu        sync.Mutex
	grants    []*grantkit.Grant // may hold two with one key, to test ambiguity
	catalog   map[string][]grantkit.ScopeDefinition
	hasCat    bool
	failOn    map[string]error // "Create reporting" style: op and the client or scope it fails for
	calls     map[string]int
	nextGrant int

	// With trackInFlight, Create notes how many creates run at once (outside the lock).
	trackInFlight bool
	inFlight      atomic.Int32
	maxInFlight   atomic.Int32
}

func newMemVendor(name string, withCatalog bool) *memVendor {
	return &memVendor{name: name, hasCat: withCatalog, catalog: map[string][]grantkit.ScopeDefinition{}, failOn: map[string]error{}, calls: map[string]int{}}
}

func (m *memVendor) account() *account {
	a := &account{grants: memGrants{m}}
	if m.hasCat {
		a.catalog = memCatalog{m}
	}
	return a
}

func (m *memVendor) addResource(resource string, scopes ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	defs := m.catalog[resource]
	for _, s := range scopes {
		defs = append(defs, grantkit.ScopeDefinition{Name: s, Description: "about " + s})
	}
	m.catalog[resource] = defs
}

func (m *memVendor) addGrant(key grantkit.GrantKey, scopes ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextGrant++
	m.grants = append(m.grants, &grantkit.Grant{Vendor: m.name, ID: fmt.Sprintf("g%d", m.nextGrant), Key: key, Scopes: grantkit.NormalizeScopes(scopes)})
}

func (m *memVendor) call(op, subject string) error {
	m.calls[op]++
	if err := m.failOn[op+" "+subject]; err != nil {
		delete(m.failOn, op+" "+subject) // fail once: a re-run succeeds
		return err
	}
	return nil
}

func (m *memVendor) find(key grantkit.GrantKey) (int, error) {
	idx := -1
	for i, g := range m.grants {
		if g.Key == key {
			if idx >= 0 {
				return -1, fmt.Errorf("%w: %s", grantkit.ErrAmbiguousGrant, key)
			}
			idx = i
		}
	}
	if idx < 0 {
		return -1, fmt.Errorf("%w: %s", grantkit.ErrGrantNotFound, key)
	}
	return idx, nil
}

func (m *memVendor) checkDefined(key grantkit.GrantKey, scopes []string) error {
	if !m.hasCat {
		return nil
	}
	defs, ok := m.catalog[key.Resource]
	if !ok {
		return fmt.Errorf("no resource %s", key.Resource)
	}
	for _, s := range scopes {
		if !slices.ContainsFunc(defs, func(d grantkit.ScopeDefinition) bool { return d.Name == s }) {
			return fmt.Errorf("scope %s is not defined by %s", s, key.Resource)
		}
	}
	return nil
}

func (m *memVendor) snapshot() map[grantkit.GrantKey][]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[grantkit.GrantKey][]string{}
	for _, g := range m.grants {
		out[g.Key] = slices.Clone(g.Scopes)
	}
	return out
}

func (m *memVendor) scopeNames(resource string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, d := range m.catalog[resource] {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

type memGrants struct{ m *memVendor }

func (g memGrants) Vendor() string { return g.m.name }

func (g memGrants) CheckGrant(grantkit.GrantKey, []string) error { return nil }

func (g memGrants) List(context.Context, grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	return func(yield func(*grantkit.Grant, error) bool) {
		g.m.mu.Lock()
		err := g.m.call("List", "")
		list := slices.Clone(g.m.grants)
		g.m.mu.Unlock()
		if err != nil {
			yield(nil, err)
			return
		}
		for _, gr := range list {
			c := *gr
			c.Scopes = slices.Clone(gr.Scopes)
			if !yield(&c, nil) {
				return
			}
		}
	}
}

func (g memGrants) Get(_ context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	g.m.mu.Lock()
	defer g.m.mu.Unlock()
	if err := g.m.call("Get", key.ClientID); err != nil {
		return nil, err
	}
	i, err := g.m.find(key)
	if err != nil {
		return nil, err
	}
	c := *g.m.grants[i]
	return &c, nil
}

func (g memGrants) SetScopes(_ context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	g.m.mu.Lock()
	defer g.m.mu.Unlock()
	if err := g.m.call("SetScopes", key.ClientID); err != nil {
		return nil, err
	}
	i, err := g.m.find(key)
	if err != nil {
		return nil, err
	}
	if err := g.m.checkDefined(key, scopes); err != nil {
		return nil, err
	}
	g.m.grants[i].Scopes = grantkit.NormalizeScopes(scopes)
	c := *g.m.grants[i]
	return &c, nil
}

func (g memGrants) Create(_ context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	if g.m.trackInFlight {
		n := g.m.inFlight.Add(1)
		defer g.m.inFlight.Add(-1)
		for old := g.m.maxInFlight.Load(); n > old && !g.m.maxInFlight.CompareAndSwap(old, n); old = g.m.maxInFlight.Load() {
		}
		// Stay in flight a moment so that calls the command lets overlap do overlap.
		time.Sleep(2 * time.Millisecond)
	}
	g.m.mu.Lock()
	defer g.m.mu.Unlock()
	if err := g.m.call("Create", key.ClientID); err != nil {
		return nil, err
	}
	if _, err := g.m.find(key); err == nil {
		return nil, fmt.Errorf("%w: %s", grantkit.ErrGrantExists, key)
	}
	if err := g.m.checkDefined(key, scopes); err != nil {
		return nil, err
	}
	g.m.nextGrant++
	gr := &grantkit.Grant{Vendor: g.m.name, ID: fmt.Sprintf("g%d", g.m.nextGrant), Key: key, Scopes: grantkit.NormalizeScopes(scopes)}
	g.m.grants = append(g.m.grants, gr)
	c := *gr
	return &c, nil
}

func (g memGrants) Delete(_ context.Context, key grantkit.GrantKey) error {
	g.m.mu.Lock()
	defer g.m.mu.Unlock()
	if err := g.m.call("Delete", key.ClientID); err != nil {
		return err
	}
	i, err := g.m.find(key)
	if err != nil {
		return err
	}
	g.m.grants = slices.Delete(g.m.grants, i, i+1)
	return nil
}

type memCatalog struct{ m *memVendor }

func (c memCatalog) Vendor() string { return c.m.name }

func (c memCatalog) CheckScope(string, grantkit.ScopeDefinition) error { return nil }

func (c memCatalog) Resources(context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		c.m.mu.Lock()
		err := c.m.call("Resources", "")
		names := sortedKeys(c.m.catalog)
		c.m.mu.Unlock()
		if err != nil {
			yield("", err)
			return
		}
		for _, n := range names {
			if !yield(n, nil) {
				return
			}
		}
	}
}

func (c memCatalog) ListScopes(_ context.Context, resource string) ([]grantkit.ScopeDefinition, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	if err := c.m.call("ListScopes", resource); err != nil {
		return nil, err
	}
	out := slices.Clone(c.m.catalog[resource])
	slices.SortFunc(out, func(a, b grantkit.ScopeDefinition) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (c memCatalog) DefineScope(_ context.Context, resource string, s grantkit.ScopeDefinition) (*grantkit.ScopeDefinition, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	if err := c.m.call("DefineScope", s.Name); err != nil {
		return nil, err
	}
	defs, ok := c.m.catalog[resource]
	if !ok {
		return nil, fmt.Errorf("no resource %s", resource)
	}
	if slices.ContainsFunc(defs, func(d grantkit.ScopeDefinition) bool { return d.Name == s.Name }) {
		return nil, fmt.Errorf("%w: %s", grantkit.ErrScopeExists, s.Name)
	}
	c.m.catalog[resource] = append(defs, s)
	return &s, nil
}

func (c memCatalog) DescribeScope(_ context.Context, resource, name, description string) (*grantkit.ScopeDefinition, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	if err := c.m.call("DescribeScope", name); err != nil {
		return nil, err
	}
	for i, d := range c.m.catalog[resource] {
		if d.Name == name {
			c.m.catalog[resource][i].Description = description
			out := c.m.catalog[resource][i]
			return &out, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", grantkit.ErrScopeNotFound, name)
}

func (c memCatalog) RemoveScope(_ context.Context, resource, name string) error {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	if err := c.m.call("RemoveScope", name); err != nil {
		return err
	}
	defs := c.m.catalog[resource]
	i := slices.IndexFunc(defs, func(d grantkit.ScopeDefinition) bool { return d.Name == name })
	if i < 0 {
		return fmt.Errorf("%w: %s", grantkit.ErrScopeNotFound, name)
	}
	c.m.catalog[resource] = slices.Delete(defs, i, i+1)
	return nil
}
