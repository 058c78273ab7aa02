package option_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/option"
)

// limited is what every vendor's fake offers for rate limits.
type limited interface {
	http.Handler
	SetRateLimit(rps float64, burst int)
	RateLimited() int
	IssueToken() grantkit.Secret
	TokenRequests() int
	WithholdRateLimitHeaders(retryAfter bool)
}

// limitedFake starts v's fake and returns it with its base URL.
func limitedFake(t *testing.T, v vendor) (limited, string) {
	t.Helper()
	f, ok := v.fake().(limited)
	require.True(t, ok, "%s's fake has SetRateLimit and RateLimited", v.name)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func TestWithRateLimitRejectsAnImpossibleBudget(t *testing.T) {
	for name, tc := range map[string]struct {
		opts []option.Option
		msg  string
	}{
		"zero rps":       {[]option.Option{option.WithRateLimit(0, 1)}, "rps 0 must be a positive"},
		"negative rps":   {[]option.Option{option.WithRateLimit(-1, 1)}, "positive"},
		"NaN rps":        {[]option.Option{option.WithRateLimit(math.NaN(), 1)}, "positive"},
		"infinite rps":   {[]option.Option{option.WithRateLimit(math.Inf(1), 1)}, "finite"},
		"zero burst":     {[]option.Option{option.WithRateLimit(10, 0)}, "burst 0 must be at least 1"},
		"two budgets":    {[]option.Option{option.WithRateLimit(10, 1), option.WithRateLimit(20, 1)}, "option.WithRateLimit: given twice"},
		"the same twice": {[]option.Option{option.WithRateLimit(10, 1), option.WithRateLimit(10, 1)}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			for _, v := range vendors() {
				_, err := v.new(append(tc.opts, v.own, option.WithoutAdaptivePacing(), option.WithoutAdaptivePacing())...)
				if tc.msg == "" {
					assert.NoError(t, err, v.name)
					continue
				}
				require.ErrorIs(t, err, grantkit.ErrInvalidInput, v.name)
				assert.Contains(t, err.Error(), tc.msg, v.name)
			}
		})
	}
}

// over429 is what each vendor's 429 carries, as its fake answers it.
var over429 = map[string]struct {
	code       string
	retryAfter bool // the answer says how long to wait (Retry-After or a reset header)
}{
	"auth0":    {"too_many_requests", true},
	"cpn":      {"429.1", false},
	"onelogin": {"Error", true},
	"pingone":  {"REQUEST_LIMITED", true},
	"okta":     {"E0000047", true},
	"ory":      {"Too Many Requests", false},
}

func TestFakesEnforceRateLimitsAsTheirVendorDoes(t *testing.T) {
	ctx := context.Background()
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			f, url := limitedFake(t, v)
			// A refill of one request every two seconds: nothing comes back during the test.
			f.SetRateLimit(0.5, 2)
			call := v.client(t, option.WithBaseURL(url), option.WithToken(grantkit.Secret(f.IssueToken())),
				option.WithoutAdaptivePacing(), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, call(ctx))
			require.NoError(t, call(ctx), "the burst is two")
			err := call(ctx)
			var ge *grantkit.Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, http.StatusTooManyRequests, ge.StatusCode)
			assert.Equal(t, over429[v.name].code, ge.Code)
			if over429[v.name].retryAfter {
				assert.Positive(t, ge.RetryAfter, "the vendor says how long to wait")
			} else {
				assert.Zero(t, ge.RetryAfter, "CPN and Ory document no wait")
			}
			assert.Equal(t, 1, f.RateLimited())

			f.SetRateLimit(0, 0)
			require.NoError(t, call(ctx), "no limit any more")
			assert.Equal(t, 0, f.RateLimited())
		})
	}
}

func TestFakesCountTokenRequestsWhereTheVendorDoes(t *testing.T) {
	ctx := context.Background()
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			f, url := limitedFake(t, v)
			f.SetRateLimit(0.5, 1)
			call := v.client(t, option.WithBaseURL(url), v.own,
				option.WithoutAdaptivePacing(), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
			err := call(ctx)
			if v.tokenless {
				assert.Zero(t, f.TokenRequests(), "the key is sent as it is")
				assert.NoError(t, err, "the call took the only request of the burst")
				return
			}
			assert.Equal(t, 1, f.TokenRequests())
			if v.name == "auth0" {
				assert.NoError(t, err, "Auth0's token endpoint is limited apart from the Management API")
				return
			}
			var ge *grantkit.Error
			require.ErrorAs(t, err, &ge, "the token request took the only request of the burst")
			assert.Equal(t, http.StatusTooManyRequests, ge.StatusCode)
		})
	}
}

func TestABudgetUnderTheVendorsLimitDrawsNo429s(t *testing.T) {
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			f, url := limitedFake(t, v)
			f.SetRateLimit(40, 4)
			// Half the vendor's rate, a burst of one: whatever the vendor's way of counting (a
			// window allows 4 per 100ms), the budget stays inside it, token request included.
			call := v.client(t, option.WithBaseURL(url), v.own, option.WithRateLimit(20, 1),
				option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
			var wg sync.WaitGroup
			for range 5 {
				wg.Go(func() {
					for range 4 {
						assert.NoError(t, call(context.Background()))
					}
				})
			}
			wg.Wait()
			assert.Zero(t, f.RateLimited())
		})
	}
}

func TestAdaptivePacingAloneDrawsNo429s(t *testing.T) {
	// Auth0 and OneLogin report their budget on every answer; without a budget of its own the
	// client waits when the vendor's runs out instead of being refused.
	for _, v := range vendors() {
		if v.name != "auth0" && v.name != "onelogin" {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			f, url := limitedFake(t, v)
			f.SetRateLimit(20, 5)
			call := v.client(t, option.WithBaseURL(url), option.WithToken(grantkit.Secret(f.IssueToken())),
				option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
			for range 12 {
				require.NoError(t, call(context.Background()))
			}
			assert.Zero(t, f.RateLimited())
		})
	}
}

func TestWithoutAdaptivePacingTheSameCallsDraw429s(t *testing.T) {
	// The control for TestAdaptivePacingAloneDrawsNo429s: the same calls, headers ignored.
	for _, v := range vendors() {
		if v.name != "auth0" && v.name != "onelogin" {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			f, url := limitedFake(t, v)
			f.SetRateLimit(0.5, 5)
			call := v.client(t, option.WithBaseURL(url), option.WithToken(grantkit.Secret(f.IssueToken())), option.WithoutAdaptivePacing(),
				option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
			var refused int
			for range 8 {
				if call(context.Background()) != nil {
					refused++
				}
			}
			assert.Equal(t, 3, refused)
			assert.Equal(t, 3, f.RateLimited())
		})
	}
}

func TestABudgetAboveAHeaderlessVendorsLimitIsLearnedDown(t *testing.T) {
	// The caller's budget is twice what the vendor really allows, and the vendor says nothing
	// of its limit but a bare 429: the client learns the rate from the 429s, so no call fails
	// and few requests are refused. The control, with adaptive pacing off, draws a 429 for
	// most requests over the vendor's rate.
	for _, v := range vendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			run := func(opts ...option.Option) (refused, failed int) {
				f, url := limitedFake(t, v)
				f.WithholdRateLimitHeaders(false)
				f.SetRateLimit(100, 5)
				call := v.client(t, append([]option.Option{option.WithBaseURL(url), option.WithToken(f.IssueToken()),
					option.WithRateLimit(200, 10)}, opts...)...)
				var mu sync.Mutex
				var wg sync.WaitGroup
				for range 8 {
					wg.Go(func() {
						for range 12 {
							if call(context.Background()) != nil {
								mu.Lock()
								failed++
								mu.Unlock()
							}
						}
					})
				}
				wg.Wait()
				return f.RateLimited(), failed
			}
			refused, failed := run()
			assert.Zero(t, failed)
			assert.LessOrEqual(t, refused, 20, "429s for 96 calls")
			control, _ := run(option.WithoutAdaptivePacing())
			// (On a fast machine the control draws about 35; a slow one, under -race, may not
			// send faster than the vendor allows, so the control is only asked to draw more.)
			assert.Greater(t, control, refused, "without learning, the budget alone overspends the vendor's limit")
			t.Logf("429s for 96 calls: %d learning, %d without", refused, control)
		})
	}
}
