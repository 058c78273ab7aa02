// Package reliabilitytest is the fault, token, bad-input and secret scenario table that every
// vendor client must pass against its own fake. Each vendor's tests call Run with an Env built
// over a fresh fake; the scenarios are the same for all four vendors.
package reliabilitytest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// Options are what a scenario needs the vendor's client built with.
type Options struct {
	Retry grantkit.RetryPolicy
	// Sleep must replace the client's retry sleep (construct.WithSleep).
	Sleep func(ctx context.Context, d time.Duration) error
	// WrongSecret, when set, must be used as the client secret instead of the fake's.
	WrongSecret string
}

// Env is one vendor client over a fresh fake holding one object to read and update.
type Env struct {
	// Read reads the object (a GET). Update runs the vendor's seed update on it (a PATCH or
	// PUT) and reports whether the stored value afterwards is the updated one. Create creates
	// a new object (a POST), or is nil if the vendor has no create in its seed surface.
	Read   func(ctx context.Context) error
	Update func(ctx context.Context) (applied func() bool, err error)
	Create func(ctx context.Context) error
	// Delete makes an object to delete and returns the call that deletes it (a DELETE), or
	// is nil if the vendor has no delete in its seed surface.
	Delete func() (del func(ctx context.Context) error)
	// LostCreate are phrases a create's error must hold when its answer is lost: how to find
	// what the create may have made (and, for CPN, that the one-time secret is gone).
	LostCreate []string
	// Created counts the objects that the natural key of the latest Create (or GrantsCreate)
	// names, as the vendor holds them now: after a create whose answer was lost, exactly one.
	Created func() int
	// GrantsCreate creates a grant of a new key through the vendor-neutral Grants.Create, or
	// is nil where the neutral create makes no object of its own.
	GrantsCreate func(ctx context.Context) error
	// Catalog is the vendor's scope catalog through the client, and CatalogResource a
	// resource it may define scopes on; Catalog is nil where scopes are the platform's (CPN).
	Catalog         grantkit.ScopeCatalog
	CatalogResource string
	// LostSecret says a create's answer holds a one-time secret (CPN's OAuth app): a create
	// that landed with its answer lost cannot be returned, and its error must say so
	// (LostCreate).
	LostSecret bool

	Fake interface {
		Fail(m fake.Match, faults ...fake.Fault)
		FailNext(n int, f fake.Fault)
		FailTokenRequests(n int, f fake.Fault)
		Requests() []fake.Request
		TokenRequests() int
		RevokeTokens()
	}
	// ResetFault, if the vendor has a rate-limit reset header, returns a 429 fault asking for
	// a wait of d through that header only.
	ResetFault func(d time.Duration) fake.Fault
	// BadInputs are calls the client must reject before sending anything.
	BadInputs map[string]func(ctx context.Context) error
	// Client is the client value, checked for secrets under %v, %+v and %#v.
	Client any
	// Secrets must never appear in an error or in the client's formatting.
	Secrets []string
}

type recorder struct {
	mu     sync.Mutex
	d      []time.Duration
	cancel context.CancelFunc // if set, called on every wait: the caller gives up during it
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.d = append(r.d, d)
	cancel := r.cancel
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return ctx.Err()
}

func (r *recorder) waits() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.d...)
}

// Run runs every scenario. newEnv builds a client with opts over a fresh fake.
func Run(t *testing.T, newEnv func(t *testing.T, opts Options) Env) {
	bg := context.Background()
	env := func(t *testing.T, p grantkit.RetryPolicy) (Env, *recorder) {
		r := &recorder{}
		return newEnv(t, Options{Retry: p, Sleep: r.sleep}), r
	}
	apiErr := func(t *testing.T, err error) *grantkit.Error {
		t.Helper()
		var e *grantkit.Error
		require.ErrorAs(t, err, &e)
		return e
	}
	sent := func(e Env) int { return len(e.Fake.Requests()) }

	t.Run("faults", func(t *testing.T) {
		httpDate := func() string { return time.Now().Add(4 * time.Second).UTC().Format(http.TimeFormat) }
		retried := []struct {
			name  string
			fault func(e Env) fake.Fault
			wait  func(t *testing.T, w time.Duration)
		}{
			{"429 Retry-After seconds", func(Env) fake.Fault { return fake.Fault{Status: 429, RetryAfter: "2"} },
				func(t *testing.T, w time.Duration) { assert.Equal(t, 2*time.Second, w) }},
			{"429 Retry-After HTTP date", func(Env) fake.Fault { return fake.Fault{Status: 429, RetryAfter: httpDate()} },
				func(t *testing.T, w time.Duration) {
					assert.InDelta(t, 4*time.Second, w, float64(1100*time.Millisecond))
				}},
			{"429 vendor reset header", func(e Env) fake.Fault {
				if e.ResetFault == nil {
					return fake.Fault{Status: 429, RetryAfter: "3"}
				}
				return e.ResetFault(3 * time.Second)
			}, func(t *testing.T, w time.Duration) {
				assert.InDelta(t, 3*time.Second, w, float64(1100*time.Millisecond))
			}},
			{"500 (an update is idempotent)", func(Env) fake.Fault { return fake.Fault{Status: 500} }, nil},
			{"502", func(Env) fake.Fault { return fake.Fault{Status: 502} }, nil},
			{"503", func(Env) fake.Fault { return fake.Fault{Status: 503} }, nil},
			{"504", func(Env) fake.Fault { return fake.Fault{Status: 504} }, nil},
			{"connection reset", func(Env) fake.Fault { return fake.Fault{Drop: true} }, nil},
			{"connection reset mid-response, after the update was applied", func(Env) fake.Fault { return fake.Fault{ResetMidBody: true} }, nil},
		}
		for _, tc := range retried {
			t.Run(tc.name+" is retried", func(t *testing.T) {
				e, r := env(t, grantkit.RetryPolicy{})
				e.Fake.FailNext(2, tc.fault(e))
				before := sent(e)
				applied, err := e.Update(bg)
				require.NoError(t, err)
				assert.Equal(t, 3, sent(e)-before, "two failures, then success")
				assert.True(t, applied())
				w := r.waits()
				require.Len(t, w, 2)
				for _, d := range w {
					if tc.wait != nil {
						tc.wait(t, d)
					} else {
						assert.Positive(t, d)
						assert.LessOrEqual(t, d, 8*time.Second)
					}
				}
			})
		}

		for _, code := range []int{400, 401, 403, 404, 409, 422} {
			t.Run(strconv.Itoa(code)+" is not retried", func(t *testing.T) {
				e, r := env(t, grantkit.RetryPolicy{})
				e.Fake.FailNext(1, fake.Fault{Status: code})
				if code == 401 {
					e.Fake.FailNext(1, fake.Fault{Status: code}) // the one refresh replay also fails
				}
				before := sent(e)
				err := e.Read(bg)
				ae := apiErr(t, err)
				assert.Equal(t, code, ae.StatusCode)
				want := 1
				if code == 401 {
					want = 2
				}
				assert.Equal(t, want, ae.Attempts)
				assert.Equal(t, want, sent(e)-before)
				assert.Empty(t, r.waits())
			})
		}

		t.Run("final error carries status and attempts", func(t *testing.T) {
			e, r := env(t, grantkit.RetryPolicy{MaxAttempts: 3})
			e.Fake.FailNext(10, fake.Fault{Status: 503, RetryAfter: "1"})
			ae := apiErr(t, e.Read(bg))
			assert.Equal(t, 503, ae.StatusCode)
			assert.Equal(t, 3, ae.Attempts)
			assert.Equal(t, time.Second, ae.RetryAfter)
			assert.Len(t, r.waits(), 2)
			assert.Contains(t, ae.Error(), "503")
			assert.Contains(t, ae.Error(), "3 attempts")
		})

		t.Run("an update applied before the connection dropped is not reported failed", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			e.Fake.FailNext(1, fake.Fault{Drop: true, Apply: true})
			applied, err := e.Update(bg)
			require.NoError(t, err)
			assert.True(t, applied())
		})

		// methods lists the methods of the requests sent since before, as "POST" and "GET".
		methods := func(e Env, before int) []string {
			var out []string
			for _, r := range e.Fake.Requests()[before:] {
				out = append(out, r.Method)
			}
			return out
		}
		lost := map[string]fake.Fault{
			"a dropped connection": {Drop: true},
			"500":                  {Status: 500},
			"502":                  {Status: 502},
			"503":                  {Status: 503},
			"504":                  {Status: 504},
		}
		for name, f := range lost {
			t.Run("a create that did not land, answered with "+name+", is sent again only after a lookup finds nothing", func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				if e.Create == nil {
					t.Skip("no create in this vendor's surface")
				}
				e.Fake.FailNext(1, f)
				before := sent(e)
				err := e.Create(bg)
				m := methods(e, before)
				require.NotEmpty(t, m)
				assert.Equal(t, http.MethodPost, m[0])
				posts := 0
				for i, method := range m {
					if method != http.MethodPost {
						continue
					}
					posts++
					if i > 0 {
						assert.Equal(t, http.MethodGet, m[i-1], "never resent blindly: a lookup comes first")
					}
				}
				require.NoError(t, err, "nothing was made, so nothing is lost: sent again, it is returned")
				assert.Equal(t, 2, posts, "the create, then once more after the lookup: %v", m)
				assert.Equal(t, 1, e.Created(), "exactly one object")
			})
		}
		landed := map[string]fake.Fault{
			"a connection dropped after the vendor acted": {Drop: true, Apply: true},
			"500 after the vendor acted":                  {Status: 500, Apply: true},
			"502 after the vendor acted":                  {Status: 502, Apply: true},
			"503 after the vendor acted (a proxy)":        {Status: 503, Apply: true},
			"504 after the vendor acted":                  {Status: 504, Apply: true},
			"an answer broken off in flight":              {ResetMidBody: true},
		}
		for name, f := range landed {
			t.Run("a create whose answer is lost ("+name+") returns what it made: exactly one exists", func(t *testing.T) {
				e, r := env(t, grantkit.RetryPolicy{})
				if e.Create == nil {
					t.Skip("no create in this vendor's surface")
				}
				e.Fake.FailNext(1, f)
				before := sent(e)
				err := e.Create(bg)
				m := methods(e, before)
				assert.Equal(t, http.MethodPost, m[0])
				assert.NotContains(t, m[1:], http.MethodPost, "never resent: the lookup found it")
				assert.Equal(t, 1, e.Created(), "exactly one object")
				assert.Empty(t, r.waits())
				if e.LostSecret {
					ae := apiErr(t, err)
					assert.Contains(t, ae.Message, "may have taken effect")
					for _, p := range e.LostCreate {
						assert.Contains(t, ae.Message, p)
					}
					return
				}
				require.NoError(t, err)
			})
			t.Run("a delete whose answer is lost ("+name+") is success", func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				if e.Delete == nil {
					t.Skip("no delete in this vendor's surface")
				}
				del := e.Delete()
				e.Fake.FailNext(1, f)
				require.NoError(t, del(bg))
			})
		}
		// A scope definition is written with a POST (a create) or, at Auth0, a PATCH of the
		// resource's whole list, and removed with a DELETE or a PATCH: the fault meets the
		// first write, whichever it is.
		failWrite := func(e Env, f fake.Fault, methods ...string) {
			for _, m := range methods {
				e.Fake.Fail(fake.Match{Method: m}, f)
			}
		}
		defined := func(t *testing.T, e Env, name string) int {
			t.Helper()
			scopes, err := e.Catalog.ListScopes(bg, e.CatalogResource)
			require.NoError(t, err)
			n := 0
			for _, sc := range scopes {
				if sc.Name == name {
					n++
				}
			}
			return n
		}
		for name, f := range landed {
			if f.ResetMidBody {
				continue // a DELETE's empty answer cannot be broken off
			}
			t.Run("a scope defined with its answer lost ("+name+"): defined once, no ErrScopeExists", func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				if e.Catalog == nil {
					t.Skip("no scope catalog at this vendor")
				}
				failWrite(e, f, http.MethodPost, http.MethodPatch)
				got, err := e.Catalog.DefineScope(bg, e.CatalogResource, grantkit.ScopeDefinition{Name: "lost:answer", Description: "Lost answer"})
				require.NoError(t, err)
				assert.NotErrorIs(t, err, grantkit.ErrScopeExists)
				assert.Equal(t, "lost:answer", got.Name)
				assert.Equal(t, 1, defined(t, e, "lost:answer"))
			})
			t.Run("a scope removed with its answer lost ("+name+") is removed", func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				if e.Catalog == nil {
					t.Skip("no scope catalog at this vendor")
				}
				_, err := e.Catalog.DefineScope(bg, e.CatalogResource, grantkit.ScopeDefinition{Name: "gone:soon", Description: "Gone soon"})
				require.NoError(t, err)
				failWrite(e, f, http.MethodDelete, http.MethodPatch)
				require.NoError(t, e.Catalog.RemoveScope(bg, e.CatalogResource, "gone:soon"))
				assert.Zero(t, defined(t, e, "gone:soon"))
			})
		}
		t.Run("a grant created after a 503 that landed: no duplicate, no ErrGrantExists", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			if e.GrantsCreate == nil {
				t.Skip("the vendor-neutral create makes no object of its own here")
			}
			e.Fake.Fail(fake.Match{Method: http.MethodPost}, fake.Fault{Status: 503, Apply: true})
			err := e.GrantsCreate(bg)
			require.NoError(t, err)
			assert.NotErrorIs(t, err, grantkit.ErrGrantExists)
			assert.Equal(t, 1, e.Created(), "exactly one grant")
		})
		t.Run("a grant created after a dropped connection that landed: no duplicate, no ErrGrantExists", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			if e.GrantsCreate == nil {
				t.Skip("the vendor-neutral create makes no object of its own here")
			}
			e.Fake.Fail(fake.Match{Method: http.MethodPost}, fake.Fault{Drop: true, Apply: true})
			require.NoError(t, e.GrantsCreate(bg))
			assert.Equal(t, 1, e.Created(), "exactly one grant")
		})

		t.Run("cancelled during a wait: errors.Is sees the cancellation, errors.As the vendor's answer", func(t *testing.T) {
			ctx, cancel := context.WithCancel(bg)
			defer cancel()
			r := &recorder{cancel: cancel}
			e := newEnv(t, Options{Sleep: r.sleep})
			e.Fake.FailNext(5, fake.Fault{Status: 503})
			err := e.Read(ctx)
			require.ErrorIs(t, err, context.Canceled)
			ae := apiErr(t, err)
			assert.Equal(t, 503, ae.StatusCode)
			assert.Equal(t, 1, ae.Attempts)
			assert.Len(t, r.waits(), 1)
		})

		t.Run("slow server past the deadline", func(t *testing.T) {
			e, r := env(t, grantkit.RetryPolicy{})
			e.Fake.FailNext(1, fake.Fault{Delay: time.Minute})
			ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
			defer cancel()
			err := e.Read(ctx)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 1, apiErr(t, err).Attempts)
			assert.Empty(t, r.waits())
		})

		t.Run("a wait past the deadline is not started", func(t *testing.T) {
			e, r := env(t, grantkit.RetryPolicy{})
			e.Fake.FailNext(1, fake.Fault{Status: 429, RetryAfter: "30"})
			ctx, cancel := context.WithTimeout(bg, 5*time.Second)
			defer cancel()
			ae := apiErr(t, e.Read(ctx))
			assert.Equal(t, 429, ae.StatusCode)
			assert.Equal(t, 30*time.Second, ae.RetryAfter)
			assert.Empty(t, r.waits())
		})

		t.Run("truncated JSON is an error, not a panic", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			e.Fake.FailNext(1, fake.Fault{Truncate: true})
			err := e.Read(bg)
			require.Error(t, err)
			assert.False(t, errors.Is(err, grantkit.ErrInvalidInput))
			ae := apiErr(t, err)
			assert.Equal(t, http.StatusOK, ae.StatusCode)
			assert.Contains(t, ae.Message, "could not be read")
			assert.NotContains(t, ae.Message, "taken effect", "a read changes nothing")
		})
	})

	t.Run("every 2xx outcome is classified", func(t *testing.T) {
		mayHaveActed := func(t *testing.T, err error, status int) *grantkit.Error {
			t.Helper()
			ae := apiErr(t, err)
			assert.Equal(t, status, ae.StatusCode)
			assert.Equal(t, 1, ae.Attempts)
			assert.Contains(t, ae.Message, "the request may have taken effect")
			if status != http.StatusOK {
				assert.Contains(t, ae.Message, "is not a documented answer")
			}
			assert.False(t, errors.Is(err, grantkit.ErrInvalidInput))
			return ae
		}
		answers := []struct {
			name   string
			status int
			answer fake.Answer
		}{
			{"202, a status the spec does not list", 202, fake.Answer{Body: `{}`, ContentType: "application/json"}},
			{"an empty body", 200, fake.Answer{ContentType: "application/json"}},
			{`the body ""`, 200, fake.Answer{Body: `""`, ContentType: "application/json"}},
			{"no Content-Type", 200, fake.Answer{Body: `{}`}},
			{"malformed JSON", 200, fake.Answer{Body: `{"id":`, ContentType: "application/json"}},
		}
		for _, a := range answers {
			t.Run("update answered with "+a.name, func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				e.Fake.FailNext(1, fake.Fault{Status: a.status, Answer: &a.answer, Apply: true})
				before := sent(e)
				_, err := e.Update(bg)
				_ = mayHaveActed(t, err, a.status)
				assert.Equal(t, 1, sent(e)-before)
			})
			t.Run("delete answered with "+a.name, func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				if e.Delete == nil {
					t.Skip("no delete in this vendor's surface")
				}
				del := e.Delete()
				e.Fake.FailNext(1, fake.Fault{Status: a.status, Answer: &a.answer, Apply: true})
				_ = mayHaveActed(t, del(bg), a.status)
			})
			t.Run("create answered with "+a.name, func(t *testing.T) {
				e, _ := env(t, grantkit.RetryPolicy{})
				if e.Create == nil {
					t.Skip("no create in this vendor's surface")
				}
				e.Fake.FailNext(1, fake.Fault{Status: a.status, Answer: &a.answer, Apply: true})
				ae := mayHaveActed(t, e.Create(bg), a.status)
				for _, p := range e.LostCreate {
					assert.Contains(t, ae.Message, p)
				}
			})
		}
		for name, f := range map[string]fake.Fault{"cut short": {Truncate: true}} {
			t.Run("a create whose answer is "+name+" says what may now exist", func(t *testing.T) {
				e, r := env(t, grantkit.RetryPolicy{})
				if e.Create == nil {
					t.Skip("no create in this vendor's surface")
				}
				e.Fake.FailNext(1, f)
				before := sent(e)
				err := e.Create(bg)
				ae := apiErr(t, err)
				assert.GreaterOrEqual(t, ae.StatusCode, 200, "the 2xx status received is reported")
				assert.Less(t, ae.StatusCode, 300)
				assert.Equal(t, 1, ae.Attempts)
				assert.Equal(t, 1, sent(e)-before, "never resent")
				assert.Empty(t, r.waits())
				assert.Contains(t, ae.Message, "the request may have taken effect")
				require.NotEmpty(t, e.LostCreate)
				for _, p := range e.LostCreate {
					assert.Contains(t, ae.Message, p)
				}
			})
		}
	})

	t.Run("tokens", func(t *testing.T) {
		t.Run("one fetch for many calls and concurrent callers", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			var wg sync.WaitGroup
			for range 64 {
				wg.Go(func() { assert.NoError(t, e.Read(bg)) })
			}
			wg.Wait()
			for range 5 {
				require.NoError(t, e.Read(bg))
			}
			assert.Equal(t, 1, e.Fake.TokenRequests())
		})
		t.Run("a revoked token is refreshed once", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			require.NoError(t, e.Read(bg))
			e.Fake.RevokeTokens()
			require.NoError(t, e.Read(bg))
			assert.Equal(t, 2, e.Fake.TokenRequests())
		})
		t.Run("a refusing token endpoint is a clear error, not a loop", func(t *testing.T) {
			e, r := env(t, grantkit.RetryPolicy{})
			e.Fake.FailTokenRequests(1, fake.Fault{Status: 400})
			before := sent(e)
			err := e.Read(bg)
			ae := apiErr(t, err)
			assert.Equal(t, 400, ae.StatusCode)
			assert.True(t, ae.TokenRequest)
			assert.ErrorIs(t, err, grantkit.ErrToken)
			assert.Contains(t, err.Error(), ae.Operation+": token request: 400")
			assert.Equal(t, 1, e.Fake.TokenRequests())
			assert.Empty(t, r.waits())
			assert.Equal(t, before, sent(e), "nothing is sent without a token")
			require.NoError(t, e.Read(bg), "the next call fetches again")
			// The token failure names the call as every other failure of the same call does.
			e.Fake.FailNext(1, fake.Fault{Status: 400})
			own := e.Read(bg)
			assert.Equal(t, apiErr(t, own).Operation, ae.Operation)
			assert.NotEmpty(t, ae.Operation)
			assert.False(t, apiErr(t, own).TokenRequest)
			assert.NotErrorIs(t, own, grantkit.ErrToken)
		})
		for name, f := range map[string]fake.Fault{
			"503 with Retry-After": {Status: 503, RetryAfter: "1"},
			"429":                  {Status: 429, RetryAfter: "2"},
			"500":                  {Status: 500},
			"502":                  {Status: 502},
			"a dropped connection": {Drop: true},
		} {
			t.Run("a token request meeting "+name+" is retried", func(t *testing.T) {
				e, r := env(t, grantkit.RetryPolicy{})
				e.Fake.FailTokenRequests(1, f)
				require.NoError(t, e.Read(bg))
				assert.Equal(t, 2, e.Fake.TokenRequests())
				w := r.waits()
				require.Len(t, w, 1)
				if f.RetryAfter != "" {
					assert.Equal(t, f.RetryAfter+"s", w[0].String(), "the token endpoint's Retry-After is honoured")
				}
			})
		}
		t.Run("concurrent calls on one failed token fetch each get their own error", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			// The refusal is held back so that both calls wait for the one fetch.
			e.Fake.FailTokenRequests(1, fake.Fault{Status: 400, Delay: 300 * time.Millisecond})
			var readErr, updateErr error
			var wg sync.WaitGroup
			wg.Go(func() { readErr = e.Read(bg) })
			wg.Go(func() { _, updateErr = e.Update(bg) })
			wg.Wait()
			r, u := apiErr(t, readErr), apiErr(t, updateErr)
			assert.NotSame(t, r, u)
			assert.NotEqual(t, r.Operation, u.Operation, "each error names its own call")
			assert.True(t, r.TokenRequest && u.TokenRequest)
			assert.ErrorIs(t, readErr, grantkit.ErrToken)
			assert.ErrorIs(t, updateErr, grantkit.ErrToken)
			assert.Equal(t, 1, e.Fake.TokenRequests())
		})
		t.Run("wrong credentials", func(t *testing.T) {
			const wrong = "Wrong-Secret-Never-Print-7!"
			r := &recorder{}
			e := newEnv(t, Options{Sleep: r.sleep, WrongSecret: wrong})
			err := e.Read(bg)
			ae := apiErr(t, err)
			assert.Contains(t, []int{400, 401, 403}, ae.StatusCode)
			assert.Equal(t, 1, e.Fake.TokenRequests())
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", ae)} {
				assert.NotContains(t, s, wrong)
			}
		})
	})

	t.Run("bad input sends nothing", func(t *testing.T) {
		e, _ := env(t, grantkit.RetryPolicy{})
		require.NotEmpty(t, e.BadInputs)
		for name, call := range e.BadInputs {
			t.Run(name, func(t *testing.T) {
				before, tokens := sent(e), e.Fake.TokenRequests()
				err := call(bg)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput)
				assert.Equal(t, before, sent(e), "no API request")
				assert.Equal(t, tokens, e.Fake.TokenRequests(), "no token request")
			})
		}
	})

	t.Run("secrets stay out", func(t *testing.T) {
		e, _ := env(t, grantkit.RetryPolicy{MaxAttempts: 1})
		e.Fake.FailNext(1, fake.Fault{Status: 400})
		err := e.Read(bg)
		require.Error(t, err)
		outs := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%v", e.Client), fmt.Sprintf("%+v", e.Client), fmt.Sprintf("%#v", e.Client)}
		for _, s := range e.Secrets {
			require.NotEmpty(t, s)
			for _, out := range outs {
				assert.NotContains(t, out, s)
			}
		}
	})
}
