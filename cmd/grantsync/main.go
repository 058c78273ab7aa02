// Command grantsync reconciles OAuth grants and scope definitions across identity vendors
// (Auth0, CPN, Okta, OneLogin, Ory, PingOne) with a desired-state file kept in your repository. It reads
// each vendor's state once, prints the plan, and changes nothing unless given a saved plan to
// apply:
//
//	go install github.com/grantkit/grantkit/cmd/grantsync@latest
//	grantsync -export grants.yaml               # start from what the accounts hold now
//	grantsync -f grants.yaml -out plan.json     # plan, and save it for review
//	grantsync -apply plan.json                  # apply exactly that plan
//	grantsync -f grants.yaml -detect-drift      # exit 2 when the accounts differ from the file
//	grantsync -demo -demo-state .demo -f grants.yaml -out plan.json   # try it on in-memory fakes
//
// Credentials come from the environment, per vendor (all of a vendor's variables are needed
// when the file names it): AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET; CPN_ORG_ID,
// CPN_API_TOKEN; OKTA_DOMAIN and either OKTA_API_TOKEN or OKTA_CLIENT_ID with
// OKTA_PRIVATE_KEY_FILE (a PEM private key; optionally OKTA_KEY_ID, its kid); ONELOGIN_SUBDOMAIN,
// ONELOGIN_CLIENT_ID, ONELOGIN_CLIENT_SECRET; ORY_ADMIN_URL (optionally ORY_API_KEY);
// PINGONE_ENVIRONMENT_ID, PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET (and optionally
// PINGONE_REGION, the top-level domain of the environment's hosts: com, eu, ca, asia, sg,
// com.au; com when unset).
//
// Exit status: 0 when the accounts match the file or the plan was applied; 2 with
// -detect-drift when they do not match; 1 on any error (a bad file, missing credentials, a
// plan over a limit, a stale saved plan, any change that failed). A bad file is never drift.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/option"
)

const (
	exitOK    = 0
	exitError = 1
	exitDrift = 2
)

func main() {
	c := &cli{getenv: os.Getenv, onFake: demoHook}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		c.progress = os.Stderr // a progress line only where a person watches
	}
	os.Exit(c.run(os.Args[1:], os.Stdout, os.Stderr))
}

// demoHook is shown each -demo fake before it serves when the command runs as main: nil,
// except in the tests that run the command as processes (they seed their clients).
var demoHook func(vendor string, h http.Handler)

// cli is the command with what it reaches outside itself made replaceable, for tests.
type cli struct {
	getenv   func(string) string
	progress io.Writer // nil: no progress line
	// With -demo, onFake is shown each vendor's fake before it serves, and onReady is
	// called once the fakes hold the saved state (tests count requests and inject faults).
	onFake  func(vendor string, h http.Handler)
	onReady func()
	// world, when set, is the demo every -demo run of this cli uses (and leaves running).
	world *demo
}

type options struct {
	file, out, applyFile, export, vendors, demoState string
	rateLimit                                        string
	prune, detectDrift, json, force, demo, version   bool
	maxChanges, maxDeletes, maxFailures, concurrency int
	timeout                                          time.Duration
}

func (c *cli) run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("grantsync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.file, "f", "", "the desired-state `file` (YAML or JSON)")
	fs.StringVar(&o.out, "out", "", "save the plan to `plan.json` for -apply")
	fs.StringVar(&o.applyFile, "apply", "", "apply the saved plan in `plan.json` (refused if the accounts changed since it was made)")
	fs.BoolVar(&o.prune, "prune", false, "also revoke grants and remove scopes the file leaves out, inside what its manage entries own")
	fs.BoolVar(&o.detectDrift, "detect-drift", false, "exit 2 when the accounts differ from the file, 0 when they match")
	fs.BoolVar(&o.json, "json", false, "print the plan (or the outcome) as one JSON document")
	fs.StringVar(&o.export, "export", "", "write the accounts' state as a desired-state `file` (- for stdout)")
	fs.BoolVar(&o.force, "force", false, "with -export: overwrite the file if it exists")
	fs.StringVar(&o.vendors, "vendors", "", "with -export: the `vendors` to export, comma-separated (default: every vendor with credentials; with -demo, all)")
	fs.BoolVar(&o.demo, "demo", false, "run against in-memory fakes, not your accounts")
	fs.StringVar(&o.demoState, "demo-state", "", "with -demo: keep the fakes' state in `dir` between runs")
	fs.IntVar(&o.maxChanges, "max-changes", 1000, "refuse a plan with more changes than this (0: no limit)")
	fs.IntVar(&o.maxDeletes, "max-deletes", 100, "refuse a plan with more revokes and scope removals than this (0: no limit)")
	fs.IntVar(&o.maxFailures, "max-failures", 10, "stop starting changes once this many have failed (0: no limit)")
	fs.IntVar(&o.concurrency, "concurrency", 4, "changes under way at once, at most")
	fs.StringVar(&o.rateLimit, "rate-limit", "", "requests per second at most, per vendor: `rps` for each, or vendor=rps,... (default: paced by the vendors' rate-limit headers only)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError // the flag package has said what is wrong; 2 means drift here
	}
	if o.version {
		say(stdout, "grantsync %s\n", version())
		return exitOK
	}
	fail := func(err error) int {
		prefix := "grantsync"
		if o.demo {
			prefix += " (demo: in-memory fakes)"
		}
		say(stderr, "%s: %v\n", prefix, err)
		return exitError
	}
	if err := o.check(fs); err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	if o.export != "" {
		return c.exportState(ctx, o, stdout, fail)
	}

	var saved *Document
	name, data := o.file, []byte(nil)
	if o.applyFile != "" {
		var err error
		if saved, err = loadPlan(o.applyFile); err != nil {
			return fail(err)
		}
		if saved.Demo != o.demo {
			return fail(fmt.Errorf("%s was made with%s -demo; apply it the same way", o.applyFile, map[bool]string{true: "", false: "out"}[saved.Demo]))
		}
		name, data, o.prune = saved.File, []byte(saved.Desired), saved.Prune
	} else {
		b, err := os.ReadFile(o.file)
		if err != nil {
			return fail(err)
		}
		data = b
	}
	state, err := parseState(name, data)
	if err != nil {
		return fail(err)
	}
	accounts, closeAll, err := c.connect(ctx, o, state.vendors())
	if err != nil {
		return fail(err)
	}
	defer closeAll()
	doc, err := makePlan(ctx, name, state, accounts, o)
	if err != nil {
		return fail(err)
	}
	doc.Desired = string(data)
	if saved != nil && (saved.Fingerprint != doc.Fingerprint || !sameChanges(saved.Changes, doc.Changes)) {
		return fail(fmt.Errorf("%s: the accounts changed since this plan was made (fingerprint %.12s, now %.12s): nothing was applied; make a new plan",
			o.applyFile, saved.Fingerprint, doc.Fingerprint))
	}
	limitErr := o.limits(doc.Changes)
	if saved == nil {
		if limitErr == nil && o.out != "" {
			if err := savePlan(o.out, doc); err != nil {
				return fail(err)
			}
		}
		if err := printDoc(stdout, doc, o); err != nil {
			return fail(err)
		}
		if limitErr != nil {
			return fail(limitErr)
		}
		if o.detectDrift && len(doc.Changes) > 0 {
			return exitDrift
		}
		return exitOK
	}
	if limitErr != nil {
		return fail(limitErr)
	}
	progress := c.progress
	if progress != nil && o.demo {
		progress = prefixed{"DEMO ", progress}
	}
	apply(ctx, accounts, doc.Changes, o.concurrency, o.maxFailures, progress)
	doc.Applied = true
	if err := printDoc(stdout, doc, o); err != nil {
		return fail(err)
	}
	for _, ch := range doc.Changes {
		if ch.Status != statusDone {
			return exitError
		}
	}
	return exitOK
}

func (o options) check(fs *flag.FlagSet) error {
	modes := 0
	for _, set := range []bool{o.file != "" && o.applyFile == "", o.applyFile != "", o.export != ""} {
		if set {
			modes++
		}
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected arguments %q (the desired state is given with -f)", fs.Args())
	case o.file != "" && o.applyFile != "":
		return errors.New("-apply takes the file from the saved plan: give no -f")
	case modes == 0:
		return errors.New("give -f grants.yaml to plan, -apply plan.json to apply a saved plan, or -export file")
	case modes > 1:
		return errors.New("-export changes nothing: give no -f or -apply with it")
	case o.concurrency < 1:
		return errors.New("-concurrency must be at least 1")
	case o.rateLimit != "":
		_, err := o.rates()
		return err
	case o.demoState != "" && !o.demo:
		return errors.New("-demo-state is for -demo")
	case o.export == "" && (o.force || o.vendors != ""):
		return errors.New("-force and -vendors are for -export")
	case o.export != "" && (o.prune || o.detectDrift || o.json || o.out != ""):
		return errors.New("-export writes the accounts' state: it takes no -prune, -detect-drift, -json or -out")
	case o.applyFile != "" && (o.out != "" || o.detectDrift || o.prune):
		return errors.New("-apply applies the saved plan as it is: it takes no -out, -detect-drift or -prune")
	}
	return nil
}

// rates parses -rate-limit: the pacing option of each vendor named (key "" for all).
func (o options) rates() (map[string]option.Option, error) {
	out := map[string]option.Option{}
	for _, item := range strings.Split(o.rateLimit, ",") {
		name, num, found := strings.Cut(strings.TrimSpace(item), "=")
		if !found {
			name, num = "", name
		} else if vendorNamed(name) == nil {
			return nil, fmt.Errorf("-rate-limit: unknown vendor %q (known: %s)", name, strings.Join(vendorNames(), ", "))
		}
		rps, err := strconv.ParseFloat(num, 64)
		if err != nil || !(rps > 0) || math.IsInf(rps, 0) {
			return nil, fmt.Errorf("-rate-limit: %q is not a number of requests per second above 0", num)
		}
		out[name] = option.WithRateLimit(rps, max(1, int(rps/10)))
	}
	return out, nil
}

// pacing is the -rate-limit option for vendor, if any.
func (o options) pacing(vendor string) []option.Option {
	if o.rateLimit == "" {
		return nil
	}
	r, _ := o.rates() // checked by check
	if p, ok := r[vendor]; ok {
		return []option.Option{p}
	}
	if p, ok := r[""]; ok {
		return []option.Option{p}
	}
	return nil
}

// limits refuses a plan larger than -max-changes or with more deletes than -max-deletes.
func (o options) limits(changes []*Change) error {
	deletes := 0
	for _, c := range changes {
		if c.Action == actRevoke || c.Action == actRemove {
			deletes++
		}
	}
	switch {
	case o.maxChanges > 0 && len(changes) > o.maxChanges:
		return fmt.Errorf("the plan has %d changes, more than -max-changes %d allows: nothing was changed (raise the limit if this is meant)", len(changes), o.maxChanges)
	case o.maxDeletes > 0 && deletes > o.maxDeletes:
		return fmt.Errorf("the plan revokes or removes %d, more than -max-deletes %d allows: nothing was changed (raise the limit if this is meant)", deletes, o.maxDeletes)
	}
	return nil
}

// connect checks that every vendor has its credentials (naming every missing variable at
// once, before anything is sent), then builds each client. With -demo it starts the fakes.
func (c *cli) connect(ctx context.Context, o options, names []string) (map[string]*account, func(), error) {
	if o.demo {
		d, closeFn := c.world, func() {}
		if d == nil {
			var err error
			if d, err = openDemo(ctx, o.demoState, c.onFake, o.pacing); err != nil {
				return nil, nil, err
			}
			closeFn = d.Close
		}
		accounts := map[string]*account{}
		for _, n := range names {
			accounts[n] = d.accounts[n]
		}
		if c.onReady != nil {
			c.onReady()
		}
		return accounts, closeFn, nil
	}
	var problems []string
	for _, n := range names {
		if err := missingCredentials(vendorNamed(n), c.getenv); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("nothing was sent:\n  %s", strings.Join(problems, "\n  "))
	}
	accounts := map[string]*account{}
	for _, n := range names {
		v := vendorNamed(n)
		creds, err := v.creds(c.getenv)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w: nothing was sent", n, err)
		}
		acct, err := v.connect(c.getenv, append(append(creds, userAgent), o.pacing(n)...))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", n, err)
		}
		acct.vendor, acct.target = v, v.target(c.getenv)
		accounts[n] = acct
	}
	return accounts, func() {}, nil
}

// makePlan checks the whole file against every vendor's rules, offline, then reads every
// vendor once and plans: nothing is sent before the whole file is known to be valid, and
// nothing is written by a plan.
func makePlan(ctx context.Context, name string, state State, accounts map[string]*account, o options) (*Document, error) {
	if err := checkOffline(name, state, accounts); err != nil {
		return nil, err
	}
	currents, err := readAll(ctx, accounts, o.concurrency, func(v string) *VendorState { return state[v] })
	if err != nil {
		return nil, err
	}
	doc := newDocument(o)
	doc.File, doc.Prune = name, o.prune
	var problems []string
	var prints []string
	for _, v := range state.vendors() {
		acct := accounts[v]
		doc.Targets = append(doc.Targets, Target{Vendor: v, Account: acct.target})
		changes, kept, err := planVendor(name, acct.vendor, state[v], currents[v], o.prune)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		doc.Changes = append(doc.Changes, changes...)
		doc.Kept = append(doc.Kept, kept...)
		prints = append(prints, v+":"+acct.target+":"+currents[v].fingerprint)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("nothing was changed:\n  %s", strings.Join(problems, "\n  "))
	}
	doc.Fingerprint = fingerprint(prints)
	return doc, nil
}

// checkOffline checks every grant and scope definition of the file with the vendors' own
// offline checks (see vendors.go), and reports every problem with its line.
func checkOffline(name string, state State, accounts map[string]*account) error {
	var problems []string
	at := func(line int) string {
		if line > 0 {
			return fmt.Sprintf("%s:%d", name, line)
		}
		return name
	}
	for _, v := range state.vendors() {
		vs, acct := state[v], accounts[v]
		for _, r := range sortedKeys(vs.Scopes) {
			for _, s := range vs.Scopes[r] {
				if err := acct.checkScope(r, grantkit.ScopeDefinition{Name: s.Name, Description: deref0(s.Description)}); err != nil {
					problems = append(problems, fmt.Sprintf("%s: %s: scope %q of %s: %s", at(s.lineOr(vs.resourceLines[r])), v, s.Name, r, plain(err)))
				}
			}
		}
		for _, g := range vs.Grants {
			if err := acct.checkGrant(g.key(), g.Scopes); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %s: grant %s: %s", at(g.lineOr(vs.line)), v, g.key(), plain(err)))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: the file breaks the vendors' rules; nothing was sent:\n  %s", grantkit.ErrInvalidInput, strings.Join(problems, "\n  "))
	}
	return nil
}

// plain is err's message without the "invalid input: " the list's heading already says.
func plain(err error) string {
	return strings.Replace(err.Error(), grantkit.ErrInvalidInput.Error()+": ", "", 1)
}

// readAll reads the vendors' state, up to workers vendors at once. want gives the part of
// the file about a vendor (nil: read everything).
func readAll(ctx context.Context, accounts map[string]*account, workers int, want func(vendor string) *VendorState) (map[string]*current, error) {
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

// exportState writes the current state of the vendors -vendors names.
func (c *cli) exportState(ctx context.Context, o options, stdout io.Writer, fail func(error) int) int {
	var names []string
	for _, v := range strings.Split(o.vendors, ",") {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
		case vendorNamed(v) == nil:
			return fail(fmt.Errorf("-vendors: %w: unknown vendor %q (known: %s)", grantkit.ErrInvalidInput, v, strings.Join(vendorNames(), ", ")))
		case !slices.Contains(names, v):
			names = append(names, v)
		}
	}
	if len(names) == 0 {
		for _, v := range vendors {
			if o.demo || missingCredentials(&v, c.getenv) == nil {
				names = append(names, v.name)
			}
		}
		if len(names) == 0 {
			return fail(errors.New("no vendor has credentials in the environment: set them (see -help) or give -vendors"))
		}
	}
	var f *os.File
	if o.export != "-" {
		flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if o.force {
			flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		var err error
		if f, err = os.OpenFile(o.export, flags, 0o644); err != nil {
			if errors.Is(err, os.ErrExist) {
				return fail(fmt.Errorf("-export: %s exists: nothing was written (give -force to overwrite it)", o.export))
			}
			return fail(err)
		}
	}
	err := func() error {
		accounts, closeAll, err := c.connect(ctx, o, names)
		if err != nil {
			return err
		}
		defer closeAll()
		currents, err := readAll(ctx, accounts, o.concurrency, func(string) *VendorState { return nil })
		if err != nil {
			return err
		}
		state := State{}
		for v, cur := range currents {
			state[v] = exportVendor(cur)
		}
		// No date: exporting unchanged accounts again gives the same bytes.
		header := fmt.Sprintf("The state of %s as grantsync exported it.\nEach manage entry owns every resource exported: trim it to what this file should own.",
			strings.Join(state.vendors(), ", "))
		if o.demo {
			header = "DEMO: the state of grantsync's in-memory fakes, not of your accounts.\n" + header
		}
		if f == nil {
			return writeState(stdout, state, header)
		}
		return writeState(f, state, header)
	}()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(o.export) // a failed export leaves no partial file behind
		}
	}
	if err != nil {
		return fail(err)
	}
	return exitOK
}

// version is the module version the binary was built from (go install ...@vX.Y.Z), or the
// VCS revision of a build from a checkout.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && (v == "" || v == "(devel)") {
			v = "(devel) " + s.Value
		}
	}
	return v + " " + bi.GoVersion
}

// prefixed writes p after each carriage return of a progress line: "\rDEMO applying: ...".
type prefixed struct {
	p string
	w io.Writer
}

func (p prefixed) Write(b []byte) (int, error) {
	if _, err := p.w.Write(bytes.ReplaceAll(b, []byte("\r"), []byte("\r"+p.p))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// say writes a message for a person. Its write error is dropped on purpose: when stderr
// cannot be written there is nobody to tell, and the exit status still says how it went.
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

func printDoc(out io.Writer, doc *Document, o options) error {
	var w bytes.Buffer
	if o.json {
		enc := json.NewEncoder(&w)
		enc.SetIndent("", "  ")
		d := *doc
		d.Desired = "" // in the saved plan only
		if err := enc.Encode(&d); err != nil {
			return err
		}
	} else {
		writeText(&w, doc, o)
	}
	_, err := out.Write(w.Bytes())
	return err
}
