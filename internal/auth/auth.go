// Package auth is grantkit's token layer, shared by every vendor client: it caches an access
// token, lets concurrent callers share one fetch, and can drop a token the vendor rejected so
// the next call fetches a fresh one.
//
// A failed fetch is returned as the fetch reported it, to every caller that waited for it:
// that error value is shared, so it is never modified. Turning it into the *grantkit.Error a
// caller receives, one per caller, is the transport's job.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// FetchFunc gets a new token. It is called with the context of the call that needs the token.
type FetchFunc func(ctx context.Context) (*oauth2.Token, error)

// Retrier runs fetch, calling it again as often as its retry policy allows when it fails in a
// way a later attempt can get past. The transport installs one with SetRetrier.
type Retrier func(ctx context.Context, fetch FetchFunc) (*oauth2.Token, error)

// Tokens caches the current token of one client.
type Tokens struct {
	fetch       FetchFunc
	retrier     Retrier // nil: each fetch is tried once
	refreshable bool
	raw         bool // the header value is the bare token, not "Bearer <token>"

	mu       sync.Mutex
	tok      *oauth2.Token
	header   []string    // {"Bearer <token>"} for tok, built once per token so no call allocates it
	inflight *fetchState // non-nil while a fetch is running
}

type fetchState struct {
	done   chan struct{}
	tok    *oauth2.Token
	header []string
	err    error
}

// New returns a cache over fetch. refreshable says whether fetching again can give a
// different token (false for a static token), which decides whether a 401 is retried.
func New(fetch FetchFunc, refreshable bool) *Tokens {
	return &Tokens{fetch: fetch, refreshable: refreshable}
}

// Static returns a cache holding one fixed bearer token that never expires or refreshes.
func Static(token string) *Tokens {
	t := &oauth2.Token{AccessToken: token, TokenType: "Bearer"}
	return New(func(context.Context) (*oauth2.Token, error) { return t, nil }, false)
}

// FromTokenSource adapts any oauth2.TokenSource. The source decides about its own caching;
// this layer adds sharing between concurrent callers and 401 handling.
//
// Token takes no context, so each call runs in a goroutine of its own and the caller waits only
// as long as its context (and the transport's attempt timeout) allows: a source that hangs
// ends the call with the context's error, not the call's goroutine. The abandoned Token call
// finishes in the background and its result is dropped. A source that panics yields an error
// (see Panicked).
func FromTokenSource(ts oauth2.TokenSource) *Tokens {
	return New(func(ctx context.Context) (*oauth2.Token, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		type result struct {
			tok *oauth2.Token
			err error
		}
		done := make(chan result, 1) // buffered: an abandoned Token call never blocks
		go func() {
			var r result
			r.tok, r.err = guard(func() (*oauth2.Token, error) { return ts.Token() })
			done <- r
		}()
		select {
		case r := <-done:
			return r.tok, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}, true)
}

// Panicked is the error of a token fetch that panicked (a caller's oauth2.TokenSource, say).
// The panic is not let through: it would leave the client's callers waiting for a fetch that
// never ends, or crash a program from a goroutine it cannot recover in. Every caller waiting
// for that fetch gets this error; the next call fetches again.
type Panicked struct{ Value any }

func (p *Panicked) Error() string { return fmt.Sprintf("the token source panicked: %v", p.Value) }

// guard runs fetch, turning a panic into a *Panicked error.
func guard(fetch func() (*oauth2.Token, error)) (tok *oauth2.Token, err error) {
	defer func() {
		if v := recover(); v != nil {
			tok, err = nil, &Panicked{Value: v}
		}
	}()
	return fetch()
}

// ClientCredentials returns a cache that runs the OAuth 2.0 client-credentials grant with cfg,
// sending the token request through hc (nil means http.DefaultClient).
func ClientCredentials(cfg *clientcredentials.Config, hc *http.Client) *Tokens {
	return New(func(ctx context.Context) (*oauth2.Token, error) {
		if hc != nil {
			ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
		}
		return cfg.Token(ctx)
	}, true)
}

// Raw makes the header value the bare access token, for vendors that send it in a header of
// their own (CPN's csp-auth-token) rather than as "Authorization: Bearer". It returns t.
func (t *Tokens) Raw() *Tokens {
	t.raw = true
	return t
}

// SetRetrier makes every later fetch run through r. It must be called before the cache is
// used (the transport does it when it is built), not concurrently with Header.
func (t *Tokens) SetRetrier(r Retrier) { t.retrier = r }

// Refreshable reports whether Invalidate followed by Token can yield a different token.
func (t *Tokens) Refreshable() bool { return t.refreshable }

// Header returns the Authorization header value for a valid token ("Bearer ..."), fetching one
// if none is cached or the cached one has expired. Concurrent callers share one fetch; a caller
// whose context ends while waiting returns at once with its context's error.
func (t *Tokens) Header(ctx context.Context) (string, error) {
	v, err := t.HeaderValues(ctx)
	if err != nil {
		return "", err
	}
	return v[0], nil
}

// HeaderValues is Header as a one-element slice, shared by every call with the same token, to
// be assigned to http.Header directly. Callers must not modify it.
func (t *Tokens) HeaderValues(ctx context.Context) ([]string, error) {
	for {
		t.mu.Lock()
		if t.tok != nil && t.tok.Valid() {
			h := t.header
			t.mu.Unlock()
			return h, nil
		}
		st := t.inflight
		leader := st == nil
		if leader {
			st = &fetchState{done: make(chan struct{})}
			t.inflight = st
		}
		t.mu.Unlock()

		if leader {
			t.run(ctx, st)
		} else {
			select {
			case <-st.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if st.err == nil {
			return st.header, nil
		}
		// The fetch failed. If it failed only because the leader's context ended, a waiter
		// whose own context is still alive tries again rather than inheriting that error.
		if !leader && isContextErr(st.err) && ctx.Err() == nil {
			continue
		}
		return nil, st.err
	}
}

// run fetches a token for st. Whatever happens in the fetch, a panic included, the in-flight
// state is cleared and the waiters are released.
func (t *Tokens) run(ctx context.Context, st *fetchState) {
	// Each fetch is guarded where it runs, so the retrier sees a panic as the failed attempt it
	// is and finishes its own bookkeeping (pacing); the outer guard covers the retrier itself.
	fetch := func(ctx context.Context) (*oauth2.Token, error) {
		return guard(func() (*oauth2.Token, error) { return t.fetch(ctx) })
	}
	tok, err := guard(func() (*oauth2.Token, error) {
		if t.retrier != nil {
			return t.retrier(ctx, fetch)
		}
		return fetch(ctx)
	})
	if err == nil && (tok == nil || tok.AccessToken == "") {
		err = errors.New("token endpoint returned no access token")
	}
	if err == nil {
		h := tok.Type() + " " + tok.AccessToken
		if t.raw {
			h = tok.AccessToken
		}
		st.tok, st.header = tok, []string{h}
	} else {
		st.err = err
	}
	t.mu.Lock()
	if err == nil {
		t.tok, t.header = st.tok, st.header
	}
	t.inflight = nil
	t.mu.Unlock()
	close(st.done)
}

// Invalidate drops the cached token if it is still the one whose header was rejected, so the
// next Header call fetches a new one. A token already replaced by another caller is kept.
func (t *Tokens) Invalidate(rejected string) {
	t.mu.Lock()
	if t.tok != nil && t.header[0] == rejected {
		t.tok, t.header = nil, nil
	}
	t.mu.Unlock()
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
