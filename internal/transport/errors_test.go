package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ogen-go/ogen/ogenerrors"
	"github.com/ogen-go/ogen/validate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/auth"
)

// Concurrent calls of different operations share one token fetch that fails. Each caller
// must receive an error of its own, naming its own operation, and no error may be written
// after it is returned (run with -race).
func TestConcurrentCallersOnOneFailedTokenFetchGetTheirOwnErrors(t *testing.T) {
	release := make(chan struct{})
	var fetches atomic.Int32
	tokens := auth.New(func(context.Context) (*oauthToken, error) {
		fetches.Add(1)
		<-release
		return nil, &oauth2.RetrieveError{
			Response:  &http.Response{StatusCode: 401, Header: http.Header{"X-Request-Id": {"tok-req"}}},
			Body:      []byte(`{"code":"invalid_client"}`),
			ErrorCode: "invalid_client",
		}
	}, true)
	srv := newServer(t, status(200))
	c := newClient(t, &sleeper{}, tokens, grantkit.RetryPolicy{})

	ops := []string{"Things.Get", "Things.Delete", "Things.Update", "Things.List"}
	const perOp = 8
	errs := make([]error, len(ops)*perOp)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			ctx, call, err := Begin(context.Background(), "test", ops[i%len(ops)], true)
			if !assert.NoError(t, err) {
				return
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			if !assert.NoError(t, err) {
				return
			}
			_, err = c.Do(req)
			errs[i] = call.Err(err)
			// Read the error at once, as a caller would, while the others are still
			// being built: -race reports any write to a shared value.
			_ = errs[i].Error()
		})
	}
	time.Sleep(50 * time.Millisecond) // let every caller queue behind the one fetch
	close(release)
	wg.Wait()

	assert.EqualValues(t, 1, fetches.Load(), "one fetch for every caller")
	assert.EqualValues(t, 0, srv.calls.Load(), "nothing is sent without a token")
	seen := map[*grantkit.Error]bool{}
	for i, err := range errs {
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.False(t, seen[ge], "caller %d shares its error with another caller", i)
		seen[ge] = true
		assert.Equal(t, ops[i%len(ops)], ge.Operation, "the call's own operation")
		assert.True(t, ge.TokenRequest)
		assert.ErrorIs(t, err, grantkit.ErrToken)
		assert.Equal(t, "test", ge.Vendor)
		assert.Equal(t, 401, ge.StatusCode)
		assert.Equal(t, "invalid_client", ge.Code)
		assert.Equal(t, "tok-req", ge.RequestID)
		assert.Equal(t, 1, ge.Attempts, "invalid_client is not retried")
	}
}

// fakeDecode stands for a generated client: it sends req through c and then fails the way
// ogen fails on the answer it got, if fail is set.
func fakeDecode(t *testing.T, c *Client, ctx context.Context, method, url string, fail error) error {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("do request: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	if fail != nil {
		return fmt.Errorf("decode response: %w", fail)
	}
	return nil
}

func TestEveryTwoHundredOutcomeIsClassified(t *testing.T) {
	decodeErr := &ogenerrors.DecodeBodyError{ContentType: "application/json", Body: []byte(`{"clientSecret":"s3cr3t"`), Err: io.ErrUnexpectedEOF}
	const find = "the thing may now exist; find it with Things.List by name"
	cases := []struct {
		name     string
		method   string
		code     int
		creates  bool
		fail     error
		message  []string
		notInMsg []string
	}{
		{"DELETE answered 202, documented 204", http.MethodDelete, 202, false,
			&validate.UnexpectedStatusCodeError{StatusCode: 202},
			[]string{"HTTP 202 is not a documented answer", "the request may have taken effect"}, nil},
		{"DELETE answered 200 with an empty or \"\" body", http.MethodDelete, 200, false, errors.New("EOF"),
			[]string{"could not be read", "may have taken effect"}, nil},
		{"PATCH answered without a Content-Type", http.MethodPatch, 200, false, validate.InvalidContentType(""),
			[]string{"could not be read", "may have taken effect"}, nil},
		{"create answered with malformed JSON", http.MethodPost, 201, true, decodeErr,
			[]string{"could not be read", "may have taken effect", find}, nil},
		{"read answered with malformed JSON", http.MethodGet, 200, false, decodeErr,
			[]string{"could not be read"}, []string{"taken effect"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, status(tc.code, "X-Request-Id", "r-2xx"))
			c := newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{})
			ctx, call, err := Begin(context.Background(), "test", "Things.Op", true)
			require.NoError(t, err)
			if tc.creates {
				call.Creates(find)
			}
			err = call.Err(fakeDecode(t, c, ctx, tc.method, srv.URL, tc.fail))
			var ge *grantkit.Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, tc.code, ge.StatusCode)
			assert.Equal(t, 1, ge.Attempts)
			assert.Equal(t, "r-2xx", ge.RequestID)
			assert.Equal(t, "Things.Op", ge.Operation)
			for _, m := range tc.message {
				assert.Contains(t, ge.Message, m)
			}
			for _, m := range tc.notInMsg {
				assert.NotContains(t, ge.Message, m)
			}
			var dbe *ogenerrors.DecodeBodyError
			assert.False(t, errors.As(err, &dbe), "the generated client's error, which holds the body, is not kept")
			var use *validate.UnexpectedStatusCodeError
			assert.False(t, errors.As(err, &use), "nor the one holding the pooled response")
			assert.NotContains(t, fmt.Sprintf("%+v %#v", err, ge), "s3cr3t")
		})
	}
}

func TestCreateCutOffMidBodyIsNotResentAndSaysWhatMayExist(t *testing.T) {
	var calls atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Length", "100")
		w.Header().Set("X-Request-Id", "r-cut")
		w.WriteHeader(201)
		_, _ = w.Write([]byte(`{"clientId":"a","clientSecret":"s3c`))
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
	ctx, call, err := Begin(context.Background(), "test", "Things.Create", true)
	require.NoError(t, err)
	call.Creates("find it with Things.List; its secret was lost, set a new one")
	err = call.Err(fakeDecode(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodPost, srv.URL, nil))
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 201, ge.StatusCode, "a 2xx status was received")
	assert.Equal(t, 1, ge.Attempts)
	assert.EqualValues(t, 1, calls.Load(), "a create is never resent")
	assert.Equal(t, "r-cut", ge.RequestID)
	assert.Contains(t, ge.Message, "cut off")
	assert.Contains(t, ge.Message, "may have taken effect: find it with Things.List; its secret was lost")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotContains(t, err.Error(), "s3c")
}

func TestCallErr(t *testing.T) {
	ctx, call, err := Begin(context.Background(), "v", "Things.Update", true)
	require.NoError(t, err)

	// Rejected by the generated validator before anything was sent.
	err = call.Err(fmt.Errorf("validate: %w", &validate.Error{Fields: []validate.FieldError{{Name: "scope", Error: errors.New("too long")}}}))
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "v: Things.Update: invalid input")

	// grantkit's own checks.
	assert.EqualError(t, call.Err(errors.New("id: empty")), "v: Things.Update: id: empty")
	assert.NoError(t, call.Err(nil))

	// An error the transport built is returned as itself, without the generated wrapping.
	srv := newServer(t, status(404))
	err = fakeDecode(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodPatch, srv.URL, nil)
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Same(t, ge, call.Err(err))
	assert.Equal(t, "Things.Update", ge.Operation, "named when it was built, never afterwards")

	// A later request of the call starts clean: an earlier 2xx is forgotten.
	ok := newServer(t, status(200))
	require.NoError(t, fakeDecode(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodGet, ok.URL, nil))
	_ = fakeDecode(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodPatch, srv.URL, nil)
	assert.NotErrorIs(t, call.Err(errors.New("encode request: x")), grantkit.ErrInvalidInput)
	assert.EqualError(t, call.Err(errors.New("encode request: x")), "v: Things.Update: encode request: x")
}

func TestCallFailedCarriesTheAnswer(t *testing.T) {
	srv := newServer(t, status(200, "X-Request-Id", "r-bulk"))
	ctx, call, err := Begin(context.Background(), "v", "Things.Delete", true)
	require.NoError(t, err)
	require.NoError(t, fakeDecode(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodDelete, srv.URL, nil))
	err = call.Failed("1 of 2 things not deleted")
	var ge *grantkit.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 200, ge.StatusCode)
	assert.Equal(t, "r-bulk", ge.RequestID)
	assert.Equal(t, "v: Things.Delete: 200 OK: 1 of 2 things not deleted [request id r-bulk]", err.Error())
}

func TestTokenRequestsAreRetriedOnTransientFailures(t *testing.T) {
	refusal := func(code int, hdr ...string) error {
		h := http.Header{}
		for i := 0; i+1 < len(hdr); i += 2 {
			h.Set(hdr[i], hdr[i+1])
		}
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: code, Header: h}, ErrorCode: "e" + strconv.Itoa(code)}
	}
	cases := []struct {
		name    string
		failure error
		retried bool
		wait    time.Duration
	}{
		{"503 with Retry-After", refusal(503, "Retry-After", "1"), true, time.Second},
		{"429 with Retry-After", refusal(429, "Retry-After", "2"), true, 2 * time.Second},
		{"502", refusal(502), true, 0},
		{"504", refusal(504), true, 0},
		{"500 (a token request creates nothing)", refusal(500), true, 0},
		{"connection refused", fmt.Errorf("Post %q: %w", "https://x/token", connRefused()), true, 0},
		{"invalid_client", refusal(401), false, 0},
		{"other 4xx", refusal(400), false, 0},
		{"malformed answer", errors.New("oauth2: cannot parse json"), false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var fetches atomic.Int32
			tokens := auth.New(func(context.Context) (*oauthToken, error) {
				if fetches.Add(1) == 1 {
					return nil, tc.failure
				}
				return token("t"), nil
			}, true)
			s := &sleeper{}
			srv := newServer(t, status(200))
			_, err := send(t, newClient(t, s, tokens, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, srv.URL, "")
			if !tc.retried {
				var ge *grantkit.Error
				require.ErrorAs(t, err, &ge)
				assert.EqualValues(t, 1, fetches.Load())
				assert.Equal(t, 1, ge.Attempts)
				assert.Empty(t, s.waits())
				return
			}
			require.NoError(t, err)
			assert.EqualValues(t, 2, fetches.Load())
			w := s.waits()
			require.Len(t, w, 1)
			if tc.wait > 0 {
				assert.Equal(t, tc.wait, w[0], "the endpoint's Retry-After is honoured")
			}
		})
	}

	t.Run("the last failure is reported with its attempts", func(t *testing.T) {
		tokens := auth.New(func(context.Context) (*oauthToken, error) { return nil, refusal(503, "Retry-After", "1") }, true)
		_, err := send(t, newClient(t, &sleeper{}, tokens, grantkit.RetryPolicy{MaxAttempts: 3}), context.Background(), http.MethodGet, newServer(t, status(200)).URL, "")
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 503, ge.StatusCode)
		assert.Equal(t, 3, ge.Attempts)
		assert.Equal(t, time.Second, ge.RetryAfter)
		assert.Empty(t, ge.Operation, "no call was begun")
		assert.True(t, ge.TokenRequest)
	})

	t.Run("through a real token endpoint", func(t *testing.T) {
		var hits atomic.Int32
		tokenSrv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(503)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"cc","token_type":"Bearer","expires_in":3600}`)
		})
		var authz string
		api := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			authz = r.Header.Get("Authorization")
			status(200)(w, r)
		})
		tokens := auth.ClientCredentials(&oauth2ClientCredentials{ClientID: "id", ClientSecret: "secret", TokenURL: tokenSrv.URL, AuthStyle: oauth2.AuthStyleInParams}, nil)
		s := &sleeper{}
		_, err := send(t, newClient(t, s, tokens, grantkit.RetryPolicy{}), context.Background(), http.MethodGet, api.URL, "")
		require.NoError(t, err)
		assert.EqualValues(t, 2, hits.Load())
		assert.Equal(t, []time.Duration{time.Second}, s.waits())
		assert.Equal(t, "Bearer cc", authz)
	})

	t.Run("cancelled during the wait", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		tokens := auth.New(func(context.Context) (*oauthToken, error) { return nil, refusal(503) }, true)
		_, err := send(t, newClient(t, &sleeper{cancel: cancel}, tokens, grantkit.RetryPolicy{}), ctx, http.MethodGet, newServer(t, status(200)).URL, "")
		require.ErrorIs(t, err, context.Canceled)
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 503, ge.StatusCode, "the endpoint's last answer stays reachable")
	})
}

func TestBeginRefusesMistakesAndNamesTheOuterCall(t *testing.T) {
	var nilCtx context.Context // the mistake under test
	_, call, err := Begin(nilCtx, "v", "Things.Get", true)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Nil(t, call)
	assert.EqualError(t, err, "v: Things.Get: invalid input: ctx: is nil; pass a context such as context.Background()")

	_, _, err = Begin(context.Background(), "v", "Things.Get", false)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "v: Things.Get: invalid input: client: not made by v.New")

	// A call begun inside another takes the outer call's name, and so do the errors built
	// for it; so does a call inside a function that named itself (grantkit.AddScopes).
	outer, _, err := Begin(context.Background(), "v", "Things.Sync", true)
	require.NoError(t, err)
	ctx, inner, err := Begin(outer, "v", "Things.List", true)
	require.NoError(t, err)
	srv := newServer(t, status(404))
	var ge *grantkit.Error
	require.ErrorAs(t, inner.Err(fakeDecode(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodGet, srv.URL, nil)), &ge)
	assert.Equal(t, "Things.Sync", ge.Operation)
	assert.EqualError(t, inner.Err(errors.New("bad")), "v: Things.Sync: bad")

	// A helper of package grantkit names itself through the context it passes down.
	_, err = grantkit.AddScopes(context.Background(), namingGrants{}, grantkit.GrantKey{ClientID: "c", Resource: "r"}, "x")
	assert.EqualError(t, err, "v: AddScopes: bad")
	assert.Equal(t, "AddScopes", Op(context.Background(), "AddScopes"))
	assert.Equal(t, "Things.Update", Op(context.Background(), "Things.Update"), "no outer name: the method's own")
}

// namingGrants is a grantkit.Grants whose Get starts a call, as a vendor adapter does, and
// fails it: the only method grantkit.AddScopes reaches here.
type namingGrants struct{ grantkit.Grants }

func (namingGrants) Vendor() string { return "v" }

func (namingGrants) CheckGrant(grantkit.GrantKey, []string) error { return nil }

func (namingGrants) Get(ctx context.Context, _ grantkit.GrantKey) (*grantkit.Grant, error) {
	_, call, err := Begin(ctx, "v", "Things.Update", true)
	if err != nil {
		return nil, err
	}
	if Op(ctx, "Things.Update") != "AddScopes" {
		return nil, errors.New("the helper's name did not reach the adapter")
	}
	return nil, call.Err(errors.New("bad"))
}
