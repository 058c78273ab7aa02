package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/grantkit/grantkit/option"
)

// demoStateFile is the file in the -demo-state directory that holds the fakes' grants and
// scope definitions, as a desired-state file.
const demoStateFile = "demo-state.yaml"

// demo runs every vendor's fake for -demo. With a state directory, the fakes start from the
// state saved there, and every write a fake serves is saved before it answers, as a real
// account keeps what it acknowledged: a run killed at any point leaves the state a real
// account would have.
type demo struct {
	dir      string
	servers  []*httptest.Server
	accounts map[string]*account

	mu      sync.Mutex // one write and its save at a time
	persist atomic.Bool
	saved   State
}

// openDemo starts the fakes, seeded with the demo's first state or restored from dir.
// onFake, when set, is shown each fake before it starts serving (tests inject faults);
// pacing gives each vendor's -rate-limit option.
func openDemo(ctx context.Context, dir string, onFake func(string, http.Handler), pacing func(vendor string) []option.Option) (*demo, error) {
	d := &demo{dir: dir, accounts: map[string]*account{}, saved: State{}}
	var saved State
	if dir != "" {
		data, err := os.ReadFile(filepath.Join(dir, demoStateFile))
		switch {
		case err == nil:
			if saved, err = parseState(filepath.Join(dir, demoStateFile), data); err != nil {
				return nil, fmt.Errorf("-demo-state: %w", err)
			}
		case errors.Is(err, fs.ErrNotExist):
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("-demo-state: %w", err)
			}
		default:
			return nil, fmt.Errorf("-demo-state: %w", err)
		}
	}
	for i := range vendors {
		v := &vendors[i]
		f := v.demo()
		if onFake != nil {
			onFake(v.name, f.handler)
		}
		srv := httptest.NewServer(d.wrap(v.name, f.handler))
		d.servers = append(d.servers, srv)
		get := func(k string) string { return f.env[k] }
		opts := []option.Option{option.WithBaseURL(srv.URL), option.WithToken(f.token), userAgent}
		if f.setup != nil {
			if err := f.setup(ctx, get, opts); err != nil {
				d.Close()
				return nil, fmt.Errorf("%s: starting the demo fake: %w", v.name, err)
			}
		}
		acct, err := v.connect(get, append(opts, pacing(v.name)...))
		if err != nil {
			d.Close()
			return nil, err
		}
		acct.vendor, acct.target = v, v.target(get)+" (demo fake)"
		d.accounts[v.name] = acct
		if err := d.seed(ctx, acct, f, saved); err != nil {
			d.Close()
			return nil, fmt.Errorf("%s: starting the demo fake: %w", v.name, err)
		}
	}
	if dir != "" {
		// Saved once every fake holds its state: a run killed while starting leaves the
		// saved state as it was.
		for _, v := range vendors {
			if err := d.refresh(ctx, v.name); err != nil {
				d.Close()
				return nil, err
			}
		}
		if err := d.save(); err != nil {
			d.Close()
			return nil, err
		}
	}
	d.persist.Store(dir != "")
	return d, nil
}

// seed gives a new fake the demo's first grants and scopes, or the saved state (applied
// with -prune, as grantsync applies any file).
func (d *demo) seed(ctx context.Context, acct *account, f demoFake, saved State) error {
	vs := saved[acct.vendor.name]
	if saved == nil {
		vs = &VendorState{Grants: f.grants, Scopes: map[string][]ScopeSpec{}}
		for r, names := range f.scopes {
			for _, n := range names {
				vs.Scopes[r] = append(vs.Scopes[r], ScopeSpec{Name: n, Description: &n})
			}
		}
	}
	if vs == nil {
		return nil
	}
	cur, err := read(ctx, acct, nil)
	if err != nil {
		return err
	}
	changes, _, err := planVendor(demoStateFile, acct.vendor, vs, cur, true)
	if err != nil {
		return err
	}
	apply(ctx, map[string]*account{acct.vendor.name: acct}, changes, 4, 0, nil)
	for _, c := range changes {
		if c.Status != statusDone {
			return fmt.Errorf("%s: %s", c, c.Error)
		}
	}
	return nil
}

// wrap saves the vendor's state after each write the fake serves, before its answer leaves.
func (d *demo) wrap(vendor string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || !d.persist.Load() {
			h.ServeHTTP(w, r)
			return
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := d.snapshot(r.Context(), vendor); err != nil {
			http.Error(w, "grantsync demo: saving the fake's state: "+err.Error(), http.StatusInternalServerError)
			return
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// snapshot saves the state after a write to vendor's fake.
func (d *demo) snapshot(ctx context.Context, vendor string) error {
	if err := d.refresh(ctx, vendor); err != nil {
		return err
	}
	return d.save()
}

// refresh reads vendor's fake through the library, as -export does.
func (d *demo) refresh(ctx context.Context, vendor string) error {
	cur, err := read(context.WithoutCancel(ctx), d.accounts[vendor], nil)
	if err != nil {
		return fmt.Errorf("-demo-state: reading %s's fake: %w", vendor, err)
	}
	d.saved[vendor] = exportVendor(cur)
	return nil
}

// save writes every vendor's state to the directory: to a temporary file, then renamed over
// the old one, so that the saved state is always whole.
func (d *demo) save() error {
	var buf bytes.Buffer
	if err := writeState(&buf, d.saved, "The grants and scopes of grantsync's demo fakes (-demo-state). Not a real account."); err != nil {
		return err
	}
	tmp := filepath.Join(d.dir, demoStateFile+".tmp")
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("-demo-state: %w", err)
	}
	return os.Rename(tmp, filepath.Join(d.dir, demoStateFile))
}

// Close stops the fakes.
func (d *demo) Close() {
	for _, s := range d.servers {
		s.Close()
	}
}
