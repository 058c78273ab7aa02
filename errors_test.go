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

	// A call whose context ended after an answer: the answer and the cause both show.
	ended := &grantkit.Error{Vendor: "auth0", Operation: "ClientGrants.Get", StatusCode: 503, Message: "busy", Attempts: 2, Err: context.Canceled}
	assert.Equal(t, "auth0: ClientGrants.Get: 503 Service Unavailable: busy: context canceled [2 attempts]", ended.Error())
	assert.ErrorIs(t, ended, context.Canceled)

	// A network failure with grantkit's own account of what it means.
	lost := &grantkit.Error{Vendor: "cpn", Operation: "OAuthApps.Create", Message: "the request may have taken effect", Err: errors.New("EOF")}
	assert.Equal(t, "cpn: OAuthApps.Create: the request may have taken effect: EOF", lost.Error())
}
