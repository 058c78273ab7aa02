package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func tok(s string, ttl time.Duration) *oauth2.Token {
	return &oauth2.Token{AccessToken: s, TokenType: "Bearer", Expiry: time.Now().Add(ttl)}
}

func TestConcurrentCallersShareOneFetch(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		calls.Add(1)
		<-release
		return tok("x", time.Hour), nil
	}, true)
	var wg sync.WaitGroup
	headers := make([]string, 64)
	for i := range headers {
		wg.Go(func() {
			h, err := tokens.Header(context.Background())
			assert.NoError(t, err)
			headers[i] = h
		})
	}
	time.Sleep(10 * time.Millisecond) // let the callers queue behind the first fetch
	close(release)
	wg.Wait()
	assert.EqualValues(t, 1, calls.Load())
	for _, h := range headers {
		assert.Equal(t, "Bearer x", h)
	}
	for range 10 {
		_, err := tokens.Header(context.Background())
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, calls.Load(), "a valid token is reused")
}

func TestExpiredTokenIsFetchedAgain(t *testing.T) {
	n := 0
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		n++
		return tok("t"+string(rune('0'+n)), -time.Minute), nil
	}, true)
	h1, _ := tokens.Header(context.Background())
	h2, _ := tokens.Header(context.Background())
	assert.Equal(t, "Bearer t1", h1)
	assert.Equal(t, "Bearer t2", h2)
}

func TestInvalidateDropsOnlyTheRejectedToken(t *testing.T) {
	n := 0
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		n++
		return tok("t"+string(rune('0'+n)), time.Hour), nil
	}, true)
	h1, _ := tokens.Header(context.Background())
	tokens.Invalidate(h1)
	h2, _ := tokens.Header(context.Background())
	assert.Equal(t, "Bearer t2", h2)
	tokens.Invalidate(h1) // a stale rejection must not drop the newer token
	h3, _ := tokens.Header(context.Background())
	assert.Equal(t, h2, h3)
	assert.Equal(t, 2, n)
}

func TestFailingFetchIsReturnedNotLooped(t *testing.T) {
	n := 0
	refusal := &oauth2.RetrieveError{
		Response:         &http.Response{StatusCode: 401},
		Body:             []byte(`{"error":"invalid_client"}`),
		ErrorCode:        "invalid_client",
		ErrorDescription: "bad credentials",
	}
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		n++
		return nil, refusal
	}, true)
	_, err := tokens.Header(context.Background())
	assert.Same(t, refusal, err, "the fetch's error is handed on as is, for the transport to describe")
	assert.Equal(t, 1, n)

	empty := New(func(context.Context) (*oauth2.Token, error) { return &oauth2.Token{}, nil }, true)
	_, err = empty.Header(context.Background())
	assert.ErrorContains(t, err, "no access token")
}

func TestRetrierRunsEveryFetch(t *testing.T) {
	var fetches, retried int
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		fetches++
		if fetches == 1 {
			return nil, errors.New("transient")
		}
		return tok("x", time.Hour), nil
	}, true)
	tokens.SetRetrier(func(ctx context.Context, fetch FetchFunc) (*oauth2.Token, error) {
		for {
			t, err := fetch(ctx)
			if err == nil {
				return t, nil
			}
			retried++
		}
	})
	h, err := tokens.Header(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bearer x", h)
	assert.Equal(t, 2, fetches)
	assert.Equal(t, 1, retried)
}

func TestWaiterGivesUpWithItsOwnContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		close(started)
		<-release
		return tok("x", time.Hour), nil
	}, true)
	go func() { _, _ = tokens.Header(context.Background()) }()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := tokens.Header(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestWaiterRetriesWhenTheLeaderWasCancelled(t *testing.T) {
	var calls atomic.Int32
	leaderIn := make(chan struct{})
	tokens := New(func(ctx context.Context) (*oauth2.Token, error) {
		if calls.Add(1) == 1 {
			close(leaderIn)
			<-ctx.Done() // the leader's caller goes away mid-fetch
			return nil, ctx.Err()
		}
		return tok("x", time.Hour), nil
	}, true)
	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := tokens.Header(leaderCtx); done <- err }()
	<-leaderIn
	waiter := make(chan string)
	go func() { h, _ := tokens.Header(context.Background()); waiter <- h }()
	time.Sleep(10 * time.Millisecond)
	cancelLeader()
	assert.Error(t, <-done)
	assert.Equal(t, "Bearer x", <-waiter, "the waiter fetched for itself")
}

func TestKinds(t *testing.T) {
	s := Static("abc")
	h, err := s.Header(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bearer abc", h)
	assert.False(t, s.Refreshable())
	assert.True(t, FromTokenSource(oauth2.StaticTokenSource(tok("y", time.Hour))).Refreshable())
	raw := Static("abc").Raw()
	h, _ = raw.Header(context.Background())
	assert.Equal(t, "abc", h, "a raw header is the bare token")
}

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestClientCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "client_credentials", r.PostForm.Get("grant_type"))
		assert.Equal(t, "https://api.example/", r.PostForm.Get("audience"))
		assert.Equal(t, "id", r.PostForm.Get("client_id"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"cc","token_type":"Bearer","expires_in":3600}`))
	}))
	defer srv.Close()
	rt := &countingTransport{}
	tokens := ClientCredentials(&clientcredentials.Config{
		ClientID: "id", ClientSecret: "secret", TokenURL: srv.URL,
		EndpointParams: map[string][]string{"audience": {"https://api.example/"}}, AuthStyle: oauth2.AuthStyleInParams,
	}, &http.Client{Transport: rt})
	h, err := tokens.Header(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Bearer cc", h)
	assert.EqualValues(t, 1, rt.n.Load(), "the token request went through the given client")
	assert.True(t, tokens.Refreshable())
	assert.False(t, errors.Is(err, context.Canceled))
}

type panicSource struct{ panics atomic.Int32 }

func (p *panicSource) Token() (*oauth2.Token, error) {
	if p.panics.Add(-1) >= 0 {
		panic("token source bug")
	}
	return tok("after", time.Hour), nil
}

func TestPanickingFetchDoesNotWedgeTheCache(t *testing.T) {
	for name, newTokens := range map[string]func(ps *panicSource) *Tokens{
		"fetch": func(ps *panicSource) *Tokens {
			return New(func(context.Context) (*oauth2.Token, error) { return ps.Token() }, true)
		},
		"token source": func(ps *panicSource) *Tokens { return FromTokenSource(ps) },
	} {
		t.Run(name, func(t *testing.T) {
			ps := &panicSource{}
			ps.panics.Store(1)
			tokens := newTokens(ps)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := tokens.Header(ctx)
			var p *Panicked
			require.ErrorAs(t, err, &p)
			assert.Equal(t, "token source bug", p.Value)
			// The next call fetches again at once, instead of waiting on the panicked fetch.
			h, err := tokens.Header(ctx)
			require.NoError(t, err)
			assert.Equal(t, "Bearer after", h)
		})
	}
}

func TestPanickingFetchReleasesItsWaiters(t *testing.T) {
	release := make(chan struct{})
	tokens := New(func(context.Context) (*oauth2.Token, error) {
		<-release
		panic("boom")
	}, true)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	errs := make(chan error, 8)
	for range 8 {
		go func() { _, err := tokens.Header(ctx); errs <- err }()
	}
	time.Sleep(10 * time.Millisecond)
	close(release)
	for range 8 {
		err := <-errs
		var p *Panicked
		assert.ErrorAs(t, err, &p)
	}
}

type hangingSource struct{ release chan struct{} }

func (h hangingSource) Token() (*oauth2.Token, error) {
	<-h.release
	return tok("late", time.Hour), nil
}

func TestTokenSourceIsBoundedByTheContext(t *testing.T) {
	src := hangingSource{release: make(chan struct{})}
	defer close(src.release)
	tokens := FromTokenSource(src)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := tokens.Header(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second)

	// A cancelled context does not even start the source.
	done, stop := context.WithCancel(context.Background())
	stop()
	_, err = FromTokenSource(panicOnCall{}).Header(done)
	require.ErrorIs(t, err, context.Canceled)
}

type panicOnCall struct{}

func (panicOnCall) Token() (*oauth2.Token, error) { panic("called") }
