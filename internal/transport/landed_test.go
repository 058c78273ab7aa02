package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

// dropAfterRead closes the connection once the request is read: sent, never answered.
func dropAfterRead(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// cutBody sends a 200 whose body breaks off.
func cutBody(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(200)
	_, _ = w.Write([]byte(`{"id":`))
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

func stall(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func TestMayHaveLanded(t *testing.T) {
	cases := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		landed bool
	}{
		{"no answer after sending", dropAfterRead, true},
		{"500", status(500), true},
		{"502", status(502), true},
		{"503", status(503), true},
		{"504", status(504), true},
		{"attempt timeout", stall, true},
		{"2xx cut off", cutBody, true},
		{"429", status(429), false},
		{"400", status(400), false},
		{"404", status(404), false},
		{"409", status(409), false},
		{"201", status(201), false},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodPost, http.MethodDelete} {
			t.Run(method+" "+tc.name, func(t *testing.T) {
				srv := newServer(t, tc.answer)
				c := newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{MaxAttempts: 2, AttemptTimeout: 200 * time.Millisecond})
				c.hc = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
				ctx, call, err := Begin(context.Background(), "test", "Things.X", true)
				require.NoError(t, err)
				_, _ = send(t, c, ctx, method, srv.URL, `{}`)
				assert.Equal(t, tc.landed, call.MayHaveLanded())
				if method == http.MethodPost && tc.landed {
					assert.EqualValues(t, 1, srv.calls.Load(), "a create whose outcome is unknown is never resent blindly")
				}
			})
		}
	}
	t.Run("a connection never made", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		ctx, call, err := Begin(context.Background(), "test", "Things.Create", true)
		require.NoError(t, err)
		_, err = send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{MaxAttempts: 2}), ctx, http.MethodPost, url, `{}`)
		require.Error(t, err)
		assert.False(t, call.MayHaveLanded())
	})
}

func TestDeleteFindingNothingAfterALostAnswerIsSuccess(t *testing.T) {
	for _, first := range []func(http.ResponseWriter, *http.Request){dropAfterRead, status(500), status(503), status(504)} {
		srv := newServer(t, first, status(404))
		c := newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{})
		c.hc = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		ctx, call, err := Begin(context.Background(), "test", "Things.Delete", true)
		require.NoError(t, err)
		_, err = send(t, c, ctx, http.MethodDelete, srv.URL, "")
		require.Error(t, err, "the transport reports the 404 as it is")
		assert.NoError(t, call.Deleted(err))
		assert.EqualValues(t, 2, srv.calls.Load())
	}
	// A 404 with no attempt before it that may have landed: nothing was there to delete.
	for _, first := range []func(http.ResponseWriter, *http.Request){status(429), status(404)} {
		srv := newServer(t, first, status(404))
		ctx, call, err := Begin(context.Background(), "test", "Things.Delete", true)
		require.NoError(t, err)
		_, err = send(t, newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{}), ctx, http.MethodDelete, srv.URL, "")
		var ge *grantkit.Error
		require.ErrorAs(t, call.Deleted(err), &ge)
		assert.Equal(t, 404, ge.StatusCode)
	}
}

// thing is what the Create tests make.
type thing struct{ name string }

func TestCreateLooksUpBeforeSendingAgain(t *testing.T) {
	run := func(t *testing.T, answers []func(http.ResponseWriter, *http.Request), lk func(n *int) Lookup[thing]) (*thing, *testServer, int, error) {
		srv := newServer(t, answers...)
		c := newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{})
		c.hc = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		ctx, call, err := Begin(context.Background(), "test", "Things.Create", true)
		require.NoError(t, err)
		call.Creates("the thing may now exist; find it with Things.List by its name")
		lookups := 0
		v, err := Create(ctx, call, func() (*thing, error) {
			_, err := send(t, c, ctx, http.MethodPost, srv.URL, `{"name":"a"}`)
			if err != nil {
				return nil, call.Err(err)
			}
			return &thing{"a"}, nil
		}, lk(&lookups))
		return v, srv, lookups, err
	}
	found := func(v *thing, differs string) func(n *int) Lookup[thing] {
		return func(n *int) Lookup[thing] {
			return Lookup[thing]{Unique: true, Find: func(context.Context) (*thing, string, error) { *n++; return v, differs, nil }}
		}
	}

	t.Run("found after a lost answer: returned, not resent", func(t *testing.T) {
		v, srv, lookups, err := run(t, []func(http.ResponseWriter, *http.Request){status(503), status(201)}, found(&thing{"a"}, ""))
		require.NoError(t, err)
		assert.Equal(t, "a", v.name)
		assert.EqualValues(t, 1, srv.calls.Load())
		assert.Equal(t, 1, lookups)
	})
	t.Run("absent after a lost answer: resent once the lookup shows it absent", func(t *testing.T) {
		v, srv, lookups, err := run(t, []func(http.ResponseWriter, *http.Request){dropAfterRead, status(201)}, found(nil, ""))
		require.NoError(t, err)
		assert.Equal(t, "a", v.name)
		assert.EqualValues(t, 2, srv.calls.Load())
		assert.Equal(t, 1, lookups)
	})
	t.Run("409 on the resend: the lost attempt landed, looked up again", func(t *testing.T) {
		calls := 0
		lk := func(n *int) Lookup[thing] {
			return Lookup[thing]{Unique: true, Find: func(context.Context) (*thing, string, error) {
				*n++
				calls++
				if calls == 1 {
					return nil, "", nil // it lands only after the first lookup
				}
				return &thing{"a"}, "", nil
			}}
		}
		v, srv, lookups, err := run(t, []func(http.ResponseWriter, *http.Request){status(504), status(409)}, lk)
		require.NoError(t, err)
		assert.Equal(t, "a", v.name)
		assert.EqualValues(t, 2, srv.calls.Load())
		assert.Equal(t, 2, lookups)
	})
	t.Run("409 without a lost answer is the vendor's answer", func(t *testing.T) {
		_, srv, lookups, err := run(t, []func(http.ResponseWriter, *http.Request){status(409)}, found(&thing{"a"}, ""))
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 409, ge.StatusCode)
		assert.EqualValues(t, 1, srv.calls.Load())
		assert.Zero(t, lookups)
	})
	t.Run("a different object under the key: an error saying it may exist", func(t *testing.T) {
		_, srv, _, err := run(t, []func(http.ResponseWriter, *http.Request){status(500)}, found(&thing{"b"}, "scopes [x], asked [a]"))
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 500, ge.StatusCode)
		assert.Contains(t, ge.Message, "the request may have taken effect: the thing may now exist; find it with Things.List by its name")
		assert.Contains(t, ge.Message, "scopes [x], asked [a]")
		assert.EqualValues(t, 1, srv.calls.Load())
	})
	t.Run("no uniqueness at the vendor: never resent", func(t *testing.T) {
		lk := func(n *int) Lookup[thing] {
			return Lookup[thing]{Find: func(context.Context) (*thing, string, error) { *n++; return nil, "", nil }}
		}
		_, srv, _, err := run(t, []func(http.ResponseWriter, *http.Request){dropAfterRead, status(201)}, lk)
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Contains(t, ge.Message, "may have taken effect")
		assert.Contains(t, ge.Message, "could make a second one")
		assert.EqualValues(t, 1, srv.calls.Load())
	})
	t.Run("a failed lookup: an error saying it may exist", func(t *testing.T) {
		lk := func(n *int) Lookup[thing] {
			return Lookup[thing]{Unique: true, Find: func(context.Context) (*thing, string, error) { return nil, "", errors.New("list: 500") }}
		}
		_, srv, _, err := run(t, []func(http.ResponseWriter, *http.Request){status(502)}, lk)
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Contains(t, ge.Message, "find it with Things.List")
		assert.Contains(t, ge.Message, "looking for it failed: list: 500")
		assert.EqualValues(t, 1, srv.calls.Load())
	})
	t.Run("resends stop with the policy's attempts", func(t *testing.T) {
		_, srv, lookups, err := run(t, []func(http.ResponseWriter, *http.Request){status(503)}, found(nil, ""))
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 503, ge.StatusCode)
		assert.EqualValues(t, 4, srv.calls.Load())
		assert.Equal(t, 4, lookups)
		assert.Contains(t, ge.Message, "attempts are spent")
	})
	t.Run("a resend that sends nothing ends the loop", func(t *testing.T) {
		srv := newServer(t, status(503))
		c := newClient(t, &sleeper{}, nil, grantkit.RetryPolicy{})
		ctx, call, err := Begin(context.Background(), "test", "Things.Create", true)
		require.NoError(t, err)
		sends := 0
		_, err = Create(ctx, call, func() (*thing, error) {
			sends++
			if sends > 1 {
				// Refused before sending (a wait for the vendor's budget longer than the
				// policy allows, say): no attempt is made.
				return nil, &grantkit.Error{Vendor: "test", Message: "not sent"}
			}
			_, err := send(t, c, ctx, http.MethodPost, srv.URL, `{}`)
			return nil, call.Err(err)
		}, Lookup[thing]{Unique: true, Find: func(context.Context) (*thing, string, error) { return nil, "", nil }})
		var ge *grantkit.Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, "not sent", ge.Message)
		assert.Equal(t, 2, sends)
	})
}
