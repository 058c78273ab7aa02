package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// schemaVersion names the JSON schema of Document. A change that could break a reader (a
// field removed or its meaning changed) gets a new version; fields may be added within one.
const schemaVersion = "grantsync/v1"

// Document is what -json prints and -out saves: the plan, and after -apply each change's
// outcome. Lists are never null.
type Document struct {
	Schema  string `json:"schema"`  // "grantsync/v1"
	Version string `json:"version"` // grantsync's version
	// Demo is true when the run was against grantsync's in-memory fakes, not real accounts.
	Demo bool `json:"demo"`
	// File is the desired-state file the plan was made from; Prune whether -prune was given.
	File  string `json:"file"`
	Prune bool   `json:"prune"`
	// Fingerprint hashes what the plan was made from (the grants and scope definitions it
	// read); -apply refuses the plan when the accounts no longer give the same.
	Fingerprint string   `json:"fingerprint"`
	Targets     []Target `json:"targets"`
	// Changes are in the order they are applied; after an apply each has its status.
	Changes []*Change `json:"changes"`
	// Kept are what -prune would revoke or remove, inside what the file manages.
	Kept    []*Change `json:"kept_without_prune"`
	Applied bool      `json:"applied"`
	Summary Summary   `json:"summary"`
	// Desired is the desired-state file's text, in a saved plan only.
	Desired string `json:"desired,omitempty"`
}

// Target is an account the plan acts on.
type Target struct {
	Vendor  string `json:"vendor"`
	Account string `json:"account"` // "tenant example.auth0.com", "environment <id> in region EU", ...
}

// Summary counts the changes: to add, change and remove, and after an apply how they went.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Remove  int `json:"remove"`
	Done    int `json:"done"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

func newDocument(o options) *Document {
	return &Document{Schema: schemaVersion, Version: version(), Demo: o.demo, Targets: []Target{}, Changes: []*Change{}, Kept: []*Change{}}
}

func (d *Document) summarize() {
	d.Summary = Summary{}
	for _, c := range d.Changes {
		switch c.Action {
		case actDefine, actCreate:
			d.Summary.Add++
		case actDescribe, actUpdate:
			d.Summary.Change++
		default:
			d.Summary.Remove++
		}
		switch c.Status {
		case statusDone:
			d.Summary.Done++
		case statusFailed:
			d.Summary.Failed++
		case statusSkipped:
			d.Summary.Skipped++
		}
	}
}

func (d *Document) MarshalJSON() ([]byte, error) {
	d.summarize()
	type plain Document
	return json.Marshal((*plain)(d))
}

func fingerprint(parts []string) string {
	slices.Sort(parts)
	h := sha256.Sum256([]byte(strings.Join(parts, "\n")))
	return "sha256:" + hex.EncodeToString(h[:])
}

func savePlan(path string, d *Document) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func loadPlan(path string) (*Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: not a plan grantsync saved: %v", path, err)
	}
	if d.Schema != schemaVersion || d.Desired == "" || d.Fingerprint == "" {
		return nil, fmt.Errorf("%s: not a plan grantsync saved with -out (schema %q)", path, d.Schema)
	}
	if d.Applied {
		return nil, errors.New(path + ": this is the outcome of an apply, not a plan")
	}
	return &d, nil
}

// sameChanges says whether two plans make the same changes.
func sameChanges(a, b []*Change) bool {
	return slices.EqualFunc(a, b, func(x, y *Change) bool {
		return x.String() == y.String() && x.Vendor == y.Vendor && slices.Equal(x.Scopes, y.Scopes)
	})
}

// writeText prints the document for a person: each target, then its changes as a diff (after
// an apply, each with its outcome), then the totals.
func writeText(w *bytes.Buffer, d *Document, o options) {
	d.summarize()
	if d.Demo {
		where := "state not kept"
		if o.demoState != "" {
			where = "state kept in " + o.demoState
		}
		fmt.Fprintf(w, "DEMO: in-memory fakes, not your accounts (%s).\n\n", where)
	}
	for _, t := range d.Targets {
		fmt.Fprintf(w, "%s: %s\n", t.Vendor, t.Account)
		n := 0
		for _, c := range d.Changes {
			if c.Vendor != t.Vendor {
				continue
			}
			n++
			fmt.Fprintf(w, "  %s", c)
			switch c.Status {
			case "":
			case statusFailed:
				fmt.Fprintf(w, ": FAILED: %s", c.Error)
			case statusSkipped:
				fmt.Fprintf(w, ": %s", c.Error)
			default:
				fmt.Fprintf(w, ": %s", c.Status)
			}
			fmt.Fprintln(w)
		}
		if n == 0 {
			fmt.Fprintln(w, "  no changes")
		}
	}
	fmt.Fprintln(w)
	s := d.Summary
	switch {
	case d.Applied && s.Failed+s.Skipped == 0:
		fmt.Fprintf(w, "Applied %d change(s).\n", s.Done)
	case d.Applied:
		fmt.Fprintf(w, "Applied %d of %d change(s): %d failed, %d not tried. Plan again and apply to finish.\n", s.Done, len(d.Changes), s.Failed, s.Skipped)
	case len(d.Changes) == 0:
		fmt.Fprintln(w, "No changes: the accounts match the file.")
	default:
		fmt.Fprintf(w, "Plan: %d to add, %d to change, %d to remove.\n", s.Add, s.Change, s.Remove)
	}
	if len(d.Kept) > 0 && !d.Applied {
		fmt.Fprintf(w, "\nNot in the file, kept (-prune would remove %d):\n", len(d.Kept))
		for _, c := range d.Kept {
			fmt.Fprintf(w, "  %s: %s\n", c.Vendor, c)
		}
	}
	if !d.Applied && len(d.Changes) > 0 && o.out != "" {
		fmt.Fprintf(w, "Saved to %s; apply it with: grantsync -apply %s\n", o.out, o.out)
	}
}
