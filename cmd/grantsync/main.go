// Command grantsync reconciles OAuth grants and scope definitions across vendors with a
// desired-state file. It reads each vendor's state once, prints the plan as a diff and
// changes nothing unless run with -apply.
//
//	go run ./examples/grantsync                          # plan, against in-memory fakes
//	go run ./examples/grantsync -apply                   # plan and apply, against the fakes
//	go run ./examples/grantsync -f state.yaml -apply     # your own desired state (YAML or JSON)
//	go run ./examples/grantsync -f state.yaml -prune     # also revoke and remove what the file does not list
//	go run ./examples/grantsync -f state.yaml -detect-drift   # for CI: exit 2 when there is drift
//	go run ./examples/grantsync -export state.yaml       # write the accounts' state as a desired-state file
//
// The file names, per vendor, the scopes each resource defines and the grants (see State and
// desired.yaml, the built-in example). Only the vendors the file names are connected. A vendor
// runs against a real account when its environment variables are all set (AUTH0_DOMAIN,
// AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET; CPN_ORG_ID, CPN_API_TOKEN; ONELOGIN_SUBDOMAIN,
// ONELOGIN_CLIENT_ID, ONELOGIN_CLIENT_SECRET; PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID,
// PINGONE_CLIENT_SECRET and optionally PINGONE_REGION), against an in-memory fake seeded with a
// few grants when none is set, and not at all when only some are.
//
// Exit status: 0 on success (with -detect-drift: no drift), 1 on any error (bad input, a
// change that failed), 2 with -detect-drift when the plan is not empty.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grantkit/grantkit"
)

//go:embed desired.yaml
var defaultState []byte

const (
	exitOK    = 0
	exitError = 1
	exitDrift = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command: it parses args, connects the vendors and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	return (&cli{getenv: os.Getenv, open: openVendor}).run(args, stdout, stderr)
}

// cli is the command with what it reaches outside itself made replaceable, for tests.
type cli struct {
	getenv func(string) string
	// open connects to one vendor: a real account or a seeded fake (see openVendor). It is
	// called only after credentials has accepted the vendor's environment.
	open func(ctx context.Context, vendor string, getenv func(string) string) (*account, func(), error)
}

type options struct {
	file, export, vendors           string
	apply, prune, detectDrift, json bool
	concurrency                     int
	timeout                         time.Duration
	set                             []string // the flags given
}

func (c *cli) run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("grantsync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.file, "f", "", "desired-state `file`, YAML or JSON (default: the built-in example)")
	fs.BoolVar(&o.apply, "apply", false, "apply the plan (default: only print it)")
	fs.BoolVar(&o.prune, "prune", false, "also revoke the grants and remove the scopes the file does not list")
	fs.BoolVar(&o.detectDrift, "detect-drift", false, "change nothing; exit 2 when the plan is not empty, 0 when it is (for CI)")
	fs.BoolVar(&o.json, "json", false, "print the plan (and, with -apply, each change's outcome) as JSON")
	fs.StringVar(&o.export, "export", "", "write the accounts' current state as a desired-state `file` (- for stdout) and change nothing")
	fs.StringVar(&o.vendors, "vendors", strings.Join(vendorNames, ","), "with -export: the `vendors` to export, comma-separated")
	fs.IntVar(&o.concurrency, "concurrency", 4, "changes applied at the same time, at most")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		// The flag package has already said what is wrong. Exit status 2 means drift here,
		// so a usage error is 1 like any other.
		return exitError
	}
	fs.Visit(func(f *flag.Flag) { o.set = append(o.set, f.Name) })
	if err := o.check(fs); err != nil {
		say(stderr, "grantsync: %v\n", err)
		return exitError
	}

	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	if o.export != "" {
		if err := c.exportState(ctx, o, stdout); err != nil {
			say(stderr, "grantsync: %v\n", err)
			return exitError
		}
		return exitOK
	}
	return c.reconcile(ctx, o, stdout, stderr)
}

func (o options) check(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (the desired state is given with -f)", fs.Args())
	}
	if o.concurrency < 1 {
		return errors.New("-concurrency must be at least 1")
	}
	if o.export != "" && (o.apply || o.prune || o.detectDrift || o.json || o.file != "") {
		return errors.New("-export writes the current state and changes nothing: it takes no -f, -apply, -prune, -detect-drift or -json")
	}
	if o.export == "" && slices.Contains(o.set, "vendors") {
		return errors.New("-vendors is for -export (a plan connects the vendors the file names)")
	}
	if o.detectDrift && o.apply {
		return errors.New("-detect-drift changes nothing: it cannot be combined with -apply")
	}
	return nil
}

// reconcile loads the file, reads every vendor it names, plans, prints and, with -apply,
// applies.
func (c *cli) reconcile(ctx context.Context, o options, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		say(stderr, "grantsync: %v\n", err)
		return exitError
	}
	name, data := "desired.yaml (built in)", defaultState
	if o.file != "" {
		b, err := os.ReadFile(o.file)
		if err != nil {
			return fail(err)
		}
		name, data = o.file, b
	}
	state, err := parseState(name, data)
	if err != nil {
		return fail(err)
	}
	accounts, closeAll, err := c.connect(ctx, state.vendors())
	if err != nil {
		return fail(err)
	}
	defer closeAll()

	// Read every vendor (one listing of its grants, one of its catalog), then check and
	// plan all of them: nothing is sent unless the whole file is valid.
	currents, err := readAll(ctx, accounts, o.concurrency, func(vendor string) map[string]bool {
		return resourcesToRead(state[vendor])
	})
	if err != nil {
		return fail(err)
	}
	var plan Plan
	var problems []string
	for _, vendor := range state.vendors() {
		changes, kept, err := planVendor(name, vendor, state[vendor], currents[vendor], o.prune)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		plan.Changes = append(plan.Changes, changes...)
		plan.Kept = append(plan.Kept, kept...)
	}
	if len(problems) > 0 {
		return fail(fmt.Errorf("nothing was changed:\n  %s", strings.Join(problems, "\n  ")))
	}

	if !o.apply || len(plan.Changes) == 0 {
		if err := printPlan(stdout, &plan, o, false); err != nil {
			return fail(err)
		}
		if o.detectDrift && len(plan.Changes) > 0 {
			return exitDrift
		}
		return exitOK
	}
	if !o.json {
		// The plan first, then the outcome; with -json only the outcome, one document.
		if err := printPlan(stdout, &plan, o, false); err != nil {
			return fail(err)
		}
	}
	apply(ctx, accounts, plan.Changes, o.concurrency, stderr)
	if err := printPlan(stdout, &plan, o, true); err != nil {
		return fail(err)
	}
	for _, ch := range plan.Changes {
		if ch.Status != statusDone {
			return exitError
		}
	}
	return exitOK
}

// exportState writes the current state of the vendors -vendors names.
func (c *cli) exportState(ctx context.Context, o options, stdout io.Writer) error {
	var vendors []string
	for _, v := range strings.Split(o.vendors, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(vendorNames, v) {
			return fmt.Errorf("-vendors: %w: unknown vendor %q (known: %s)", grantkit.ErrInvalidInput, v, strings.Join(vendorNames, ", "))
		}
		if !slices.Contains(vendors, v) {
			vendors = append(vendors, v)
		}
	}
	accounts, closeAll, err := c.connect(ctx, vendors)
	if err != nil {
		return err
	}
	defer closeAll()
	currents, err := readAll(ctx, accounts, o.concurrency, func(string) map[string]bool { return nil })
	if err != nil {
		return err
	}
	state := State{}
	for v, cur := range currents {
		state[v] = exportVendor(cur)
	}
	// No date in the header: exporting unchanged accounts again gives the same bytes, so a
	// committed export only shows a diff when something changed.
	header := fmt.Sprintf("The state of %s as grantsync exported it.\nPlanning with this file shows no change until the accounts change.",
		strings.Join(state.vendors(), ", "))
	if o.export == "-" {
		return writeState(stdout, state, header)
	}
	f, err := os.Create(o.export)
	if err != nil {
		return err
	}
	if err := writeState(f, state, header); err != nil {
		return errors.Join(err, f.Close())
	}
	return f.Close()
}

// connect checks every vendor's credentials first, so that a missing one is reported before
// any vendor is reached, then connects each.
func (c *cli) connect(ctx context.Context, vendors []string) (map[string]*account, func(), error) {
	var problems []string
	for _, v := range vendors {
		if _, err := credentials(v, c.getenv); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("nothing was changed: %s", strings.Join(problems, "; "))
	}
	var closers []func()
	closeAll := func() {
		for _, f := range closers {
			f()
		}
	}
	accounts := map[string]*account{}
	for _, v := range vendors {
		acct, closeFn, err := c.open(ctx, v, c.getenv)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s: connecting: %w", v, err)
		}
		if closeFn != nil {
			closers = append(closers, closeFn)
		}
		accounts[v] = acct
	}
	return accounts, closeAll, nil
}

// readAll reads the vendors' state, up to workers vendors at once. want says which
// resources' scopes to read at a vendor (nil: all).
func readAll(ctx context.Context, accounts map[string]*account, workers int, want func(vendor string) map[string]bool) (map[string]*current, error) {
	var (
		mu   sync.Mutex
		out  = map[string]*current{}
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, workers)
	)
	for v, acct := range accounts {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			cur, err := read(ctx, acct, want(v))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: reading the current state: %w", v, err))
				return
			}
			out[v] = cur
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// printPlan prints the plan, or after an apply the outcome, as a diff grouped by vendor or
// (with -json) as one JSON document.
func printPlan(out io.Writer, p *Plan, o options, applied bool) error {
	// Written to a buffer and then out at once, so that one error check covers it all.
	var w bytes.Buffer
	if o.json {
		enc := json.NewEncoder(&w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			return err
		}
	} else {
		writePlan(&w, p, o, applied)
	}
	_, err := out.Write(w.Bytes())
	return err
}

func writePlan(w *bytes.Buffer, p *Plan, o options, applied bool) {
	if applied {
		var failed, skipped []*Change
		for _, c := range p.Changes {
			switch c.Status {
			case statusFailed:
				failed = append(failed, c)
			case statusSkipped:
				skipped = append(skipped, c)
			}
		}
		if len(failed)+len(skipped) == 0 {
			fmt.Fprintf(w, "\nApplied %d change(s).\n", len(p.Changes))
			return
		}
		fmt.Fprintf(w, "\nApplied %d of %d change(s). %d failed, %d not tried; run again to finish:\n",
			len(p.Changes)-len(failed)-len(skipped), len(p.Changes), len(failed), len(skipped))
		for _, c := range failed {
			fmt.Fprintf(w, "  %s: %s: FAILED: %s\n", c.Vendor, c, c.Error)
		}
		for _, c := range skipped {
			fmt.Fprintf(w, "  %s: %s: not tried\n", c.Vendor, c)
		}
		return
	}

	printGroups(w, p.Changes)
	var add, change, remove int
	for _, c := range p.Changes {
		switch c.Action {
		case actDefine, actCreate:
			add++
		case actDescribe, actUpdate:
			change++
		default:
			remove++
		}
	}
	if len(p.Changes) == 0 {
		fmt.Fprintln(w, "No changes: the accounts match the file.")
	} else {
		fmt.Fprintf(w, "Plan: %d to add, %d to change, %d to remove.\n", add, change, remove)
	}
	if len(p.Kept) > 0 {
		fmt.Fprintf(w, "\nNot in the file, kept (-prune would remove %d):\n", len(p.Kept))
		printGroups(w, p.Kept)
	}
	if len(p.Changes) > 0 && !o.apply && !o.detectDrift {
		fmt.Fprintln(w, "Run with -apply to apply it.")
	}
}

// printGroups prints changes (sorted by vendor) under a line naming each vendor.
func printGroups(w *bytes.Buffer, cs []*Change) {
	for i, c := range cs {
		if i == 0 || cs[i-1].Vendor != c.Vendor {
			fmt.Fprintf(w, "%s\n", c.Vendor)
		}
		fmt.Fprintf(w, "  %s\n", c)
	}
	if len(cs) > 0 {
		fmt.Fprintln(w)
	}
}

// say writes a message for a person (an error, progress). Its write error is dropped on
// purpose: when stderr cannot be written there is nobody to tell, and the exit status still
// says how the run went.
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
