package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/grantkit/grantkit"
)

// This file holds the lost-answer rules: what a call knows about attempts whose outcome is
// unknown (Call.MayHaveLanded), a DELETE that finds nothing after one (Call.Deleted), and a
// create that looks for what it may have made before it sends again (Create).

// outcomes is what the attempts of one call left unknown.
type outcomes struct {
	landed   bool // an attempt was sent and its outcome is unknown
	last     bool // the latest attempt's outcome is unknown
	attempts int  // attempts sent, over every request of the call
	limit    int  // the retry policy's MaxAttempts
}

// attempted records one attempt of the call: unknown says it was sent and its outcome is
// unknown (no answer after it was sent, a 500, 502, 503 or 504, an attempt timeout, a 2xx
// answer cut off).
func (c *Call) attempted(unknown bool, limit int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.out.landed = c.out.landed || unknown
	c.out.last = unknown
	c.out.attempts++
	c.out.limit = limit
	c.mu.Unlock()
}

func (c *Call) outcomes() outcomes {
	if c == nil {
		return outcomes{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out
}

// MayHaveLanded reports whether an attempt of this call was sent and its outcome is unknown:
// no answer came after the request was sent, the answer was a 500, 502, 503 or 504 (a 503
// from a proxy can come after the vendor acted), the attempt timed out, or a 2xx answer was
// cut off. The vendor may have carried that attempt out.
func (c *Call) MayHaveLanded() bool { return c.outcomes().landed }

// Deleted is the error of a DELETE call: err as Err returns it, except that a 404 after an
// attempt that may have landed is success (nil), since the object is gone as asked. A 404
// without such an attempt stays an error: the object was not there to delete.
func (c *Call) Deleted(err error) error {
	err = c.Err(err)
	var ge *grantkit.Error
	if errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound && !ge.TokenRequest && c.MayHaveLanded() {
		return nil
	}
	return err
}

// Lookup is how a create finds, by its natural key, what it may have made when an answer was
// lost.
type Lookup[T any] struct {
	// Find looks the object up: nil when there is none. When there is one, differs says how it
	// is not what the create asked for ("" when it is). A nil Find says the object has no
	// natural key: a lost answer is then an error saying it may exist.
	Find func(ctx context.Context) (found *T, differs string, err error)
	// Unique says the vendor refuses a second object with the same natural key, so sending the
	// create again after Find saw none cannot make a duplicate (a late landing of the lost
	// attempt makes the resend fail as Exists says). Without it nothing is resent.
	Unique bool
	// Exists reports the vendor's answer that the object exists already; nil means a 409.
	Exists func(e *grantkit.Error) bool
}

// Create runs send, a create request of call (returning its errors through Call.Err), under the lost-answer rule: a create is never
// resent blindly. When an attempt's outcome is unknown (Call.MayHaveLanded), the object is
// looked up by its natural key (lk.Find) and returned if it is what was asked; the create is
// sent again only after the lookup shows none and only where the vendor enforces the key's
// uniqueness (lk.Unique), within the retry policy's attempts. A "exists" answer (lk.Exists)
// after an attempt that may have landed is the lost attempt having landed: the object is
// looked up again and returned. Otherwise the error says the object may exist and how to find
// it (Call.Creates).
func Create[T any](ctx context.Context, call *Call, send func() (*T, error), lk Lookup[T]) (*T, error) {
	exists := lk.Exists
	if exists == nil {
		exists = func(e *grantkit.Error) bool { return e.StatusCode == http.StatusConflict }
	}
	for {
		before := call.outcomes().attempts
		v, err := send()
		if err == nil {
			return v, nil
		}
		var ge *grantkit.Error
		o := call.outcomes()
		if !errors.As(err, &ge) || ge.TokenRequest || ctx.Err() != nil || o.attempts == before {
			return nil, err // nothing was sent this time: the error is about this side
		}
		conflict := o.landed && !o.last && exists(ge)
		if !o.last && !conflict {
			return nil, err // the vendor's own answer, about a request that did not land
		}
		if lk.Find == nil {
			return nil, call.unresolved(ge, "it has no key of its own to be looked up by")
		}
		found, differs, lerr := lk.Find(ctx)
		switch {
		case lerr != nil:
			return nil, call.unresolved(ge, fmt.Sprintf("looking for it failed: %v", lerr))
		case found != nil && differs == "":
			return found, nil
		case found != nil:
			return nil, call.unresolved(ge, "one exists now but is not what was asked ("+differs+")")
		case conflict:
			return nil, call.unresolved(ge, "the vendor says it exists, but it was not found")
		case !lk.Unique:
			return nil, call.unresolved(ge, "it was not found yet, and sending it again could make a second one")
		case o.attempts >= o.limit:
			return nil, call.unresolved(ge, "it was not found, and the retry policy's attempts are spent")
		}
		// Not there, and the vendor refuses a duplicate: send it again.
	}
}

// unresolved completes the error of a create whose outcome stays unknown: that it may have
// taken effect, how to find what it may have made, and what the lookup found (why).
func (c *Call) unresolved(e *grantkit.Error, why string) *grantkit.Error {
	msg := e.Message
	effect := trimEffect(c.effect(http.MethodPost))
	if msg == "" {
		msg = effect
	} else if !strings.Contains(msg, "the request may have taken effect") {
		msg += "; " + effect
	}
	e.Message = msg + " (" + why + ")"
	return e
}
