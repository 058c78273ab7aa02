// Package reliabilitytest is the fault, token, bad-input and secret scenario table that every
// vendor client must pass against its own fake. Each vendor's tests call Run with an Env built
// over a fresh fake; the scenarios are the same for all four vendors.
package reliabilitytest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/testkit/fake"
	"github.com/grantkit/grantkit/option"
)

// Fake is what the scenarios ask of a vendor's fake (every fake's Server has it), or of
// a fault-injecting front before a real server (realserver/).
type Fake interface {
	Fail(m fake.Match, faults ...fake.Fault)
	FailNext(n int, f fake.Fault)
	FailTokenRequests(n int, f fake.Fault)
	Requests() []fake.Request
	TokenRequests() int
	RevokeTokens()
	SetRateLimit(rps float64, burst int)
	WithholdRateLimitHeaders(retryAfter bool)
	RateLimited() int
}

// Options are what a scenario needs the vendor's client built with.
type Options struct {
	Retry grantkit.RetryPolicy
	// Sleep must replace the client's retry sleep (construct.WithSleep).
	Sleep func(ctx context.Context, d time.Duration) error
	// WrongSecret, when set, must be used as the client secret instead of the fake's.
	WrongSecret string
	// HTTPClient, when set, must send the client's requests (option.WithHTTPClient).
	HTTPClient *http.Client
	// Credential, when set, must be given instead of the vendor's own credential option (a
	// token source the scenario controls).
	Credential option.Option
}

// With returns the options the vendor's client is built with: base (its base URL), then cred
// (the vendor's own credential, made with WrongSecret when that is set) unless the scenario
// gives a credential of its own, the retry policy, the sleep, and the HTTP client if any.
func (o Options) With(base, cred option.Option) []option.Option {
	if o.Credential != nil {
		cred = o.Credential
	}
	opts := []option.Option{base, cred, option.WithRetryPolicy(o.Retry)}
	if o.Sleep != nil {
		opts = append(opts, construct.WithSleep(o.Sleep))
	}
	if o.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(o.HTTPClient))
	}
	return opts
}

// IDs turns a vendor list into the iterator Env.List returns.
func IDs[T any](seq iter.Seq2[*T, error], id func(*T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(id(v), nil) {
				return
			}
		}
	}
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

	Fake Fake
	// ResetFault, if the vendor has a rate-limit reset header, returns a 429 fault asking for
	// a wait of d through that header only.
	ResetFault func(d time.Duration) fake.Fault
	// BadInputs are calls the client must reject before sending anything.
	BadInputs map[string]func(ctx context.Context) error
	// New calls the vendor's New with the fake's base URL followed by opts, and returns its
	// error: for the scenarios about what New refuses.
	New func(opts ...option.Option) error
	// List returns one iterator over a vendor list of at least two pages (the smallest page
	// size, and objects enough), giving each object's id.
	List func(ctx context.Context) iter.Seq2[string, error]
	// Token issues a token the fake accepts, for a token source of the scenario's.
	Token func() grantkit.Secret
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

	t.Run("429 storm without headers", func(t *testing.T) {
		// The vendor enforces a bucket of 5 refilling at 100 a second and says nothing of it
		// but its 429s (with Retry-After, as PingOne, or bare, as CPN). Eight goroutines
		// read 60 times in all, with the real clock and the default retry policy: the client
		// learns the rate from the first 429s. No call fails, and the 429s stay few: without
		// learning, nearly every request over the rate draws one (hundreds here).
		const calls, goroutines = 60, 8
		for _, retryAfter := range []bool{true, false} {
			t.Run("Retry-After "+strconv.FormatBool(retryAfter), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, Options{})
				e.Fake.WithholdRateLimitHeaders(retryAfter)
				e.Fake.SetRateLimit(100, 5)
				next := make(chan struct{}, calls)
				for range calls {
					next <- struct{}{}
				}
				close(next)
				var failed sync.Map
				var wg sync.WaitGroup
				for range goroutines {
					wg.Go(func() {
						for range next {
							if err := e.Read(bg); err != nil {
								failed.Store(err.Error(), true)
							}
						}
					})
				}
				wg.Wait()
				failed.Range(func(k, _ any) bool { t.Errorf("a call failed: %v", k); return true })
				assert.LessOrEqual(t, e.Fake.RateLimited(), calls/4, "429s drawn for %d calls", calls)
				t.Logf("%d 429s for %d calls", e.Fake.RateLimited(), calls)
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

	t.Run("core", func(t *testing.T) {
		t.Run("a cancelled context sends nothing, not even to the caller's RoundTripper", func(t *testing.T) {
			rt := &countingRT{base: http.DefaultTransport}
			e := newEnv(t, Options{Sleep: (&recorder{}).sleep, HTTPClient: &http.Client{Transport: rt}})
			ctx, cancel := context.WithCancel(bg)
			cancel()
			before := sent(e)
			err := e.Read(ctx)
			require.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, rt.n.Load(), "a request reached the RoundTripper")
			assert.Equal(t, before, sent(e))
		})
		t.Run("each attempt sends a request of its own, never changed after it was sent", func(t *testing.T) {
			rt := &countingRT{base: http.DefaultTransport}
			e := newEnv(t, Options{Sleep: (&recorder{}).sleep, HTTPClient: &http.Client{Transport: rt}})
			require.NoError(t, e.Read(bg)) // the token, fetched once
			rt.reset()
			// A 503, then a 401 for the revoked token, then the replay with a new token.
			e.Fake.RevokeTokens()
			e.Fake.FailNext(1, fake.Fault{Status: 503})
			_, err := e.Update(bg) // (whether it applied is not asked: the seed's token is revoked too)
			require.NoError(t, err)
			reqs := rt.requests()
			require.Len(t, reqs, 3)
			for i, r := range reqs {
				assert.Equal(t, r.header, r.req.Header, "attempt %d's request was changed after it was sent", i+1)
				assert.Equal(t, reqs[0].body, r.body, "attempt %d sends the whole body", i+1)
				for j := range i {
					assert.NotSame(t, reqs[j].req, r.req, "attempts %d and %d share a request", j+1, i+1)
				}
			}
		})
		t.Run("a panicking token source is an error, and the next call works", func(t *testing.T) {
			src := &panicSource{}
			src.panics.Store(1)
			e := newEnv(t, Options{Sleep: (&recorder{}).sleep, Credential: option.WithTokenSource(src)})
			src.token = e.Token
			ctx, cancel := context.WithTimeout(bg, 5*time.Second)
			defer cancel()
			err := e.Read(ctx)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "panicked")
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			require.NoError(t, e.Read(ctx), "the client is not wedged")
		})
		t.Run("a hanging token source is bounded by the context", func(t *testing.T) {
			src := &hangingSource{release: make(chan struct{})}
			defer close(src.release)
			e := newEnv(t, Options{Sleep: (&recorder{}).sleep, Credential: option.WithTokenSource(src)})
			ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := e.Read(ctx)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 5*time.Second)
		})
		t.Run("a caller's deadline that ends an answer is named as the cause", func(t *testing.T) {
			rt := &countingRT{base: http.DefaultTransport, stall: true}
			e := newEnv(t, Options{Sleep: (&recorder{}).sleep, HTTPClient: &http.Client{Transport: rt}})
			require.NoError(t, e.Read(bg))
			rt.stalling.Store(true)
			ctx, cancel := context.WithTimeout(bg, 300*time.Millisecond)
			defer cancel()
			err := e.Read(ctx)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "the caller's context deadline ended the call while reading the answer")
			assert.NotContains(t, err.Error(), "AttemptTimeout")
			assert.NotContains(t, err.Error(), "cut off")
		})
		t.Run("New refuses CR or LF in a header value, naming the option", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			require.NotNil(t, e.New)
			for name, tc := range map[string]struct {
				opts []option.Option
				opt  string
			}{
				"token":      {[]option.Option{option.WithToken("tok\r\nX-Injected: 1")}, "option.WithToken"},
				"user agent": {[]option.Option{option.WithToken("tok"), option.WithUserAgent("app/1\nX: y")}, "option.WithUserAgent"},
			} {
				err := e.New(tc.opts...)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, name)
				assert.Contains(t, err.Error(), tc.opt, name)
				assert.NotContains(t, err.Error(), "\n", name)
			}
		})
		t.Run("errors quote a bounded, escaped prefix of an input", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			require.NotNil(t, e.New)
			long := "\u202e" + strings.Repeat("a", 10000) + "\x1b[2J"
			for name, opt := range map[string]option.Option{
				"base URL":   option.WithBaseURL("https://proxy.example.com/?" + long),
				"user agent": option.WithUserAgent("app/1 " + long + "\n"),
			} {
				err := e.New(option.WithToken("tok"), opt)
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, name)
				msg := err.Error()
				assert.Less(t, len(msg), 500, "%s: %s", name, msg)
				assert.NotContains(t, msg, "\u202e", name)
				assert.NotContains(t, msg, "\x1b", name)
			}
		})
		t.Run("a list ranged again starts from the start", func(t *testing.T) {
			e, _ := env(t, grantkit.RetryPolicy{})
			if e.List == nil {
				t.Skip("no paged list in this vendor's seed surface")
			}
			seq := e.List(bg)
			var first, second []string
			for id, err := range seq {
				require.NoError(t, err)
				first = append(first, id)
			}
			for id, err := range seq {
				require.NoError(t, err)
				second = append(second, id)
			}
			require.GreaterOrEqual(t, len(first), 2)
			assert.Equal(t, first, second)
		})
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

// countingRT sends through base and records each request as it was handed over. With stall
// and stalling set, the answer's body stalls after its first bytes until the request's context
// ends.
type countingRT struct {
	base     http.RoundTripper
	stall    bool
	stalling atomic.Bool
	n        atomic.Int32
	mu       sync.Mutex
	sent     []sentRequest
}

type sentRequest struct {
	req    *http.Request
	header http.Header
	body   string
}

func (rt *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.n.Add(1)
	s := sentRequest{req: r, header: r.Header.Clone()}
	if r.Body != nil && r.GetBody != nil {
		if b, err := r.GetBody(); err == nil {
			raw, _ := io.ReadAll(b)
			s.body = string(raw)
		}
	}
	rt.mu.Lock()
	rt.sent = append(rt.sent, s)
	rt.mu.Unlock()
	resp, err := rt.base.RoundTrip(r)
	if err == nil && rt.stall && rt.stalling.Load() {
		resp.Body = &stallingBody{ctx: r.Context(), body: resp.Body}
		resp.ContentLength = -1
	}
	return resp, err
}

func (rt *countingRT) reset() {
	rt.mu.Lock()
	rt.sent = nil
	rt.mu.Unlock()
}

func (rt *countingRT) requests() []sentRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	var out []sentRequest
	for _, s := range rt.sent {
		if !strings.Contains(s.req.URL.Path, "token") && !strings.Contains(s.req.URL.Path, "authorize") {
			out = append(out, s)
		}
	}
	return out
}

type stallingBody struct {
	ctx  context.Context
	body io.ReadCloser
	read bool
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if !b.read && len(p) > 0 {
		b.read = true
		return b.body.Read(p[:1])
	}
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (b *stallingBody) Close() error { return b.body.Close() }

// panicSource panics on its first calls, then returns the env's token.
type panicSource struct {
	panics atomic.Int32
	token  func() grantkit.Secret
}

func (p *panicSource) Token() (*oauth2.Token, error) {
	if p.panics.Add(-1) >= 0 {
		panic("token source bug")
	}
	return &oauth2.Token{AccessToken: p.token().Reveal(), TokenType: "Bearer"}, nil
}

// hangingSource never answers until released.
type hangingSource struct{ release chan struct{} }

func (h *hangingSource) Token() (*oauth2.Token, error) {
	<-h.release
	return nil, errors.New("released")
}
