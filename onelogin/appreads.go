package onelogin

import (
	"context"
	"errors"
	"sync"
)

// OneLogin has no request for one client app: reading one means listing its authorization
// server's client apps, the whole list in one answer. So that many concurrent grant writes
// do not each list the server once or twice (10,000 creates would read 10,000 × 10,000 apps),
// the grant adapter's reads of single apps share listings, as a group commit does: the reads
// asked for while a listing of the server is under way wait for it to end, then one listing
// serves them all. Every read is still served by a listing that started after it was asked
// for, so it sees every write that finished before it: a read just before a write, or just
// after one (the read-back CheckStored compares), is as fresh as a listing of its own.

// appReads holds the shared listings of each authorization server.
type appReads struct {
	mu      sync.Mutex
	servers map[int64]*serverReads
}

// serverReads is one server's listings: at most one under way (turn), and the batch of reads
// that will be served by the next one.
type serverReads struct {
	turn chan struct{}
	next *appBatch
}

// appBatch is the reads one listing serves: the apps they want (fixed when the listing
// starts) and, once done is closed, what the listing found of them, or its error.
type appBatch struct {
	want map[int64][]*ClientApp
	done chan struct{}
	err  error
}

func newAppReads() *appReads { return &appReads{servers: map[int64]*serverReads{}} }

// clientApps returns the entries of app appID in authorization server authID's client-app
// list, read by a listing that started after the call (none: an empty slice). The listing
// runs with the context of the call that sends it; a call whose shared listing ended with
// that other call's context error reads again.
func (c *Client) clientApps(ctx context.Context, authID, appID int64) ([]*ClientApp, error) {
	for {
		apps, err := c.reads.read(ctx, c, authID, appID)
		if err != nil && ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			continue // the listing was sent under another call's context, which ended
		}
		return apps, err
	}
}

func (r *appReads) read(ctx context.Context, c *Client, authID, appID int64) ([]*ClientApp, error) {
	r.mu.Lock()
	s := r.servers[authID]
	if s == nil {
		s = &serverReads{turn: make(chan struct{}, 1)}
		r.servers[authID] = s
	}
	b := s.next
	if b == nil {
		b = &appBatch{want: map[int64][]*ClientApp{}, done: make(chan struct{})}
		s.next = b
	}
	b.want[appID] = nil
	r.mu.Unlock()

	select {
	case s.turn <- struct{}{}: // this call sends the next listing, unless b was served meanwhile
	case <-b.done:
		return b.want[appID], b.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.turn }()
	select {
	case <-b.done:
		return b.want[appID], b.err
	default:
	}
	r.mu.Lock()
	if s.next == b {
		s.next = nil // b is closed: later reads wait for the listing after this one
	}
	r.mu.Unlock()
	for app, err := range c.ClientApps.List(ctx, authID, ClientAppListOptions{}) {
		if err != nil {
			b.err = err
			break
		}
		if found, ok := b.want[app.AppID]; ok {
			b.want[app.AppID] = append(found, app)
		}
	}
	if b.err != nil {
		for id := range b.want {
			b.want[id] = nil
		}
	}
	close(b.done)
	return b.want[appID], b.err
}
