// Package grantstest is the scenario table every vendor's grantkit.Grants adapter must pass,
// run by each vendor package's tests against its fake.
package grantstest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

// Env is what a vendor gives the scenarios: its adapter over a fresh fake, and a way to create
// a grant with some scopes in that fake. Every scope name used by the scenarios is one of
// Scopes, which the vendor's fake must know (vendors that name scopes by id define them).
type Env struct {
	Grants grantkit.Grants
	// Seed creates a grant for a new client on a resource, with scopes, and returns its key.
	Seed func(t *testing.T, scopes ...string) grantkit.GrantKey
	// Vendor is the name the adapter must report.
	Vendor string
	// Missing turns a seeded key into a well-formed key of a grant that does not exist. Nil
	// appends "-missing" to the client id.
	Missing func(grantkit.GrantKey) grantkit.GrantKey
	// Subjects says the vendor keeps one grant per client, resource and subject type (Auth0),
	// so a key's SubjectType names a grant; elsewhere a key with one is invalid input.
	Subjects bool
	// Drop makes the vendor leave scope out of every following write while answering
	// success, as a vendor that silently refuses a scope does. Build it with a Dropper in
	// the client's HTTP client, given the scope as the vendor's write names it (its id at a
	// vendor that names scopes by id).
	Drop func(scope string)
	// Refuse makes the vendor refuse (403) the next request of one of these HTTP methods:
	// give it a Dropper's Refuse.
	Refuse func(methods ...string)
}

// Scopes are the scope names the scenarios use.
var Scopes = []string{"read:a", "write:a", "read:b", "admin"}

// Run runs every scenario; newEnv must return an Env over a fresh fake each time.
func Run(t *testing.T, newEnv func(t *testing.T) Env) {
	ctx := context.Background()
	scenarios := []struct {
		name string
		run  func(t *testing.T, e Env)
	}{
		{"vendor name", func(t *testing.T, e Env) {
			assert.Equal(t, e.Vendor, e.Grants.Vendor())
		}},
		{"get returns the seeded scopes", func(t *testing.T, e Env) {
			key := e.Seed(t, "write:a", "read:a")
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, e.Vendor, g.Vendor)
			assert.Equal(t, key, g.Key)
			assert.NotEmpty(t, g.ID)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
		}},
		{"set scopes replaces them", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			g, err := e.Grants.SetScopes(ctx, key, []string{"read:b", "admin", "read:b"})
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:b"}, g.Scopes)
			g, err = e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:b"}, g.Scopes)
		}},
		{"set scopes to none", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a", "write:a")
			g, err := e.Grants.SetScopes(ctx, key, nil)
			require.NoError(t, err)
			assert.Empty(t, g.Scopes)
		}},
		{"add scopes keeps the others", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			g, err := grantkit.AddScopes(ctx, e.Grants, key, "write:a", "read:a")
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
		}},
		{"remove scopes keeps the others", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a", "write:a", "admin")
			g, err := grantkit.RemoveScopes(ctx, e.Grants, key, "admin", "read:b")
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a", "write:a"}, g.Scopes)
		}},
		{"list includes every grant", func(t *testing.T, e Env) {
			k1 := e.Seed(t, "read:a")
			k2 := e.Seed(t, "admin")
			var keys []grantkit.GrantKey
			for g, err := range e.Grants.List(ctx) {
				require.NoError(t, err)
				keys = append(keys, g.Key)
			}
			assert.True(t, slices.Contains(keys, k1), "%v in %v", k1, keys)
			assert.True(t, slices.Contains(keys, k2), "%v in %v", k2, keys)
		}},
		{"a missing grant is ErrGrantNotFound", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			if e.Missing != nil {
				key = e.Missing(key)
			} else {
				key.ClientID += "-missing"
			}
			_, err := e.Grants.Get(ctx, key)
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			_, err = e.Grants.SetScopes(ctx, key, []string{"read:a"})
			require.Error(t, err)
		}},
		{"an empty key is invalid input", func(t *testing.T, e Env) {
			_, err := e.Grants.Get(ctx, grantkit.GrantKey{})
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
		}},
		{"a subject type names another grant or is refused", func(t *testing.T, e Env) {
			key := e.Seed(t, "read:a")
			user := key
			user.SubjectType = grantkit.SubjectUser
			// Where subject types name grants, the seeded grant is the client-access one
			// and no user-access grant exists; elsewhere the field cannot be honoured, and
			// ignoring it could write a grant the caller did not mean.
			want := grantkit.ErrInvalidInput
			if e.Subjects {
				want = grantkit.ErrGrantNotFound
			}
			_, err := e.Grants.Get(ctx, user)
			require.ErrorIs(t, err, want)
			_, err = e.Grants.SetScopes(ctx, user, []string{"admin"})
			require.ErrorIs(t, err, want)
			_, err = grantkit.AddScopes(ctx, e.Grants, user, "admin")
			require.ErrorIs(t, err, want)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes, "the seeded grant was not written")
		}},
		{"a write stored otherwise is ErrNotApplied", func(t *testing.T, e Env) {
			require.NotNil(t, e.Drop, "every vendor's adapter checks what the vendor stored")
			key := e.Seed(t, "read:a")
			e.Drop("write:a")
			_, err := e.Grants.SetScopes(ctx, key, []string{"read:a", "write:a"})
			require.ErrorIs(t, err, grantkit.ErrNotApplied)
			assert.ErrorContains(t, err, `missing ["write:a"]`)
			_, err = grantkit.AddScopes(ctx, e.Grants, key, "write:a", "admin")
			require.ErrorIs(t, err, grantkit.ErrNotApplied)
			assert.ErrorContains(t, err, `asked ["admin" "read:a" "write:a"], vendor stored ["admin" "read:a"]`)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"admin", "read:a"}, g.Scopes, "the error said what the vendor stored")
		}},
		{"every error names the method called", func(t *testing.T, e Env) {
			require.NotNil(t, e.Refuse, "give the Dropper's Refuse")
			// grantkit.Error.Operation is the exported method or function the caller called,
			// whatever request of it failed: the read inside Get, SetScopes or AddScopes, the
			// write inside AddScopes, a page of List.
			named := func(t *testing.T, err error, op string) {
				t.Helper()
				var apiErr *grantkit.Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 403, apiErr.StatusCode)
				assert.Equal(t, op, apiErr.Operation)
				assert.Equal(t, e.Vendor, apiErr.Vendor)
				assert.True(t, strings.HasPrefix(err.Error(), e.Vendor+": "+op+": "), "%q names %s", err, op)
			}
			key := e.Seed(t, "read:a")
			writes := []string{http.MethodPatch, http.MethodPut}
			for _, c := range []struct {
				op      string
				refuse  []string
				callErr func() error
			}{
				{"Grants.Get", []string{http.MethodGet}, func() error { _, err := e.Grants.Get(ctx, key); return err }},
				{"Grants.SetScopes", []string{http.MethodGet}, func() error { _, err := e.Grants.SetScopes(ctx, key, []string{"admin"}); return err }},
				{"Grants.SetScopes", writes, func() error { _, err := e.Grants.SetScopes(ctx, key, []string{"admin"}); return err }},
				{"AddScopes", []string{http.MethodGet}, func() error { _, err := grantkit.AddScopes(ctx, e.Grants, key, "admin"); return err }},
				{"AddScopes", writes, func() error { _, err := grantkit.AddScopes(ctx, e.Grants, key, "admin"); return err }},
				{"RemoveScopes", writes, func() error { _, err := grantkit.RemoveScopes(ctx, e.Grants, key, "read:a"); return err }},
				{"Grants.List", []string{http.MethodGet}, func() error {
					for _, err := range e.Grants.List(ctx) {
						if err != nil {
							return err
						}
					}
					return nil
				}},
			} {
				e.Refuse(c.refuse...)
				named(t, c.callErr(), c.op)
			}
			// Errors that come from no request follow the same rule.
			_, err := grantkit.AddScopes(ctx, e.Grants, grantkit.GrantKey{}, "admin")
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.True(t, strings.HasPrefix(err.Error(), e.Vendor+": AddScopes: "), "%q", err)
			missing := key
			if e.Missing != nil {
				missing = e.Missing(key)
			} else {
				missing.ClientID += "-missing"
			}
			_, err = grantkit.RemoveScopes(ctx, e.Grants, missing, "read:a")
			require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
			assert.True(t, strings.HasPrefix(err.Error(), e.Vendor+": RemoveScopes: "), "%q", err)
			g, err := e.Grants.Get(ctx, key)
			require.NoError(t, err)
			assert.Equal(t, []string{"read:a"}, g.Scopes, "no refused write was applied")
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, newEnv(t)) })
	}
}

// Dropper is an http.RoundTripper for a vendor client under test. Once told which values to
// drop, it removes them from every array in the JSON body of each write (POST, PUT, PATCH)
// before sending it: the vendor then answers success for a write that left them out. An
// array element is dropped when it is one of the values as a JSON string or number, or an
// object whose "id" is one of them.
type Dropper struct {
	next http.RoundTripper

	mu     sync.Mutex
	drop   []string
	refuse []string // methods whose next request is refused
}

// NewDropper returns a Dropper sending through next (http.DefaultTransport when nil).
func NewDropper(next http.RoundTripper) *Dropper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Dropper{next: next}
}

// Client returns an *http.Client sending through d, for the vendor's WithHTTPClient.
func (d *Dropper) Client() *http.Client { return &http.Client{Transport: d} }

// Drop adds values to drop from every following write.
func (d *Dropper) Drop(values ...string) {
	d.mu.Lock()
	d.drop = append(d.drop, values...)
	d.mu.Unlock()
}

// Refuse makes the next request of one of these HTTP methods be answered 403 without reaching
// the vendor, as a vendor refusing it would. 403 is never retried, so the caller sees it.
func (d *Dropper) Refuse(methods ...string) {
	d.mu.Lock()
	d.refuse = methods
	d.mu.Unlock()
}

// RoundTrip sends r, with the values dropped from its body if it is a JSON write, or refuses
// it (see Refuse).
func (d *Dropper) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	drop := slices.Clone(d.drop)
	refuse := slices.Contains(d.refuse, r.Method)
	if refuse {
		d.refuse = nil
	}
	d.mu.Unlock()
	if refuse {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return &http.Response{
			StatusCode: http.StatusForbidden, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:  http.Header{"Content-Type": {"application/json"}},
			Body:    io.NopCloser(strings.NewReader(`{"message":"refused by the test"}`)),
			Request: r,
		}, nil
	}
	if len(drop) == 0 || r.Body == nil || !slices.Contains([]string{http.MethodPost, http.MethodPut, http.MethodPatch}, r.Method) {
		return d.next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil {
		if out, err := json.Marshal(without(v, drop)); err == nil {
			body = out
		}
	}
	// A RoundTripper must not change the request it was given: send a copy.
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
	return d.next.RoundTrip(r)
}

func without(v any, drop []string) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = without(x, drop)
		}
		return v
	case []any:
		out := v[:0]
		for _, x := range v {
			if !dropped(x, drop) {
				out = append(out, without(x, drop))
			}
		}
		return out
	}
	return v
}

func dropped(x any, drop []string) bool {
	switch x := x.(type) {
	case string:
		return slices.Contains(drop, x)
	case json.Number:
		return slices.Contains(drop, x.String())
	case map[string]any:
		id, ok := x["id"].(string)
		return ok && slices.Contains(drop, id)
	}
	return false
}
