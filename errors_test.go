package grantkit_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/grantkit/grantkit"
)

func TestErrorText(t *testing.T) {
	e := &grantkit.Error{Vendor: "auth0", Operation: "ClientGrants.Update", StatusCode: 429, Code: "too_many_requests",
		Message: "Global limit has been reached", RequestID: "r-1", Attempts: 4, RetryAfter: 2 * time.Second}
	assert.Equal(t, "auth0: ClientGrants.Update: 429 Too Many Requests (too_many_requests): Global limit has been reached [request id r-1, 4 attempts, retry after 2s]", e.Error())

	n := &grantkit.Error{Vendor: "pingone", Operation: "Resources.Get", Attempts: 3, Err: context.DeadlineExceeded}
	assert.Equal(t, "pingone: Resources.Get: context deadline exceeded [3 attempts]", n.Error())
	assert.ErrorIs(t, fmt.Errorf("wrapped: %w", n), context.DeadlineExceeded)

	var got *grantkit.Error
	assert.True(t, errors.As(fmt.Errorf("outer: %w", e), &got))
	assert.Same(t, e, got)
	assert.Equal(t, "cpn: request failed", (&grantkit.Error{Vendor: "cpn"}).Error())
}

func TestRetryPolicyDefaults(t *testing.T) {
	assert.Equal(t, grantkit.RetryPolicy{MaxAttempts: 4, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second, MaxRetryAfter: time.Minute},
		grantkit.RetryPolicy{}.WithDefaults())
	p := grantkit.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Second, MaxDelay: 2 * time.Second, MaxRetryAfter: 5 * time.Second}
	assert.Equal(t, p, p.WithDefaults())
}
