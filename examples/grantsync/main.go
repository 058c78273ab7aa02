// Command grantsync reconciles grants across vendors with a desired state: for each client on
// each resource, exactly the listed scopes. It prints a plan (the diff per grant) and changes
// nothing unless run with -apply.
//
//	go run ./examples/grantsync                          # plan, against in-memory fakes
//	go run ./examples/grantsync -apply                   # plan and apply, against the fakes
//	go run ./examples/grantsync -f state.json -apply     # your own desired state (YAML or JSON)
//
// By default every vendor is an in-memory fake seeded with a few grants, so the plan is not
// empty. A vendor runs against a real account when its environment variables are set (see the
// vendor's own example under examples/).
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-faster/yaml"

	"github.com/grantkit/grantkit"
)

//go:embed desired.yaml
var defaultState []byte

// State is the desired-state file.
type State struct {
	Grants []DesiredGrant `json:"grants" yaml:"grants"`
}

// DesiredGrant is one grant as it should be.
type DesiredGrant struct {
	Vendor   string   `json:"vendor" yaml:"vendor"`
	Resource string   `json:"resource" yaml:"resource"`
	Client   string   `json:"client" yaml:"client"`
	Scopes   []string `json:"scopes" yaml:"scopes"`
}

func main() {
	log.SetFlags(0)
	file := flag.String("f", "", "desired state file, YAML or JSON (default: the built-in example)")
	apply := flag.Bool("apply", false, "apply the plan (default: only print it)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	state, err := load(*file)
	if err != nil {
		log.Fatal(err)
	}
	vendors, closeAll, err := connect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer closeAll()
	if err := run(ctx, os.Stdout, state, vendors, *apply); err != nil {
		log.Fatal(err)
	}
}

func load(path string) (*State, error) {
	data, name := defaultState, "desired.yaml (built in)"
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		data, name = b, path
	}
	var s State
	var err error
	if strings.EqualFold(filepath.Ext(name), ".json") {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		err = dec.Decode(&s)
	} else {
		err = yaml.Unmarshal(data, &s)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, g := range s.Grants {
		if g.Vendor == "" || g.Resource == "" || g.Client == "" {
			return nil, fmt.Errorf("%s: grant %d: vendor, resource and client are required", name, i+1)
		}
	}
	return &s, nil
}

// run prints the plan for state and, with apply, carries it out.
func run(ctx context.Context, out io.Writer, state *State, vendors map[string]grantkit.Grants, apply bool) error {
	var changes, applied, failures int
	for _, want := range state.Grants {
		g, ok := vendors[want.Vendor]
		if !ok {
			return fmt.Errorf("unknown vendor %q (known: %s)", want.Vendor, strings.Join(names(vendors), ", "))
		}
		key := grantkit.GrantKey{Resource: want.Resource, ClientID: want.Client}
		cur, err := g.Get(ctx, key)
		if err != nil {
			failures++
			if errors.Is(err, grantkit.ErrGrantNotFound) {
				fmt.Fprintf(out, "%-8s %s: no such grant (grantsync changes scopes; it does not create grants)\n", want.Vendor, key)
				continue
			}
			fmt.Fprintf(out, "%-8s %s: %v\n", want.Vendor, key, err)
			continue
		}
		diff := grantkit.Diff(cur.Scopes, want.Scopes)
		if diff.IsEmpty() {
			fmt.Fprintf(out, "%-8s %s: up to date %q\n", want.Vendor, key, cur.Scopes)
			continue
		}
		changes++
		fmt.Fprintf(out, "%-8s %s: %s\n", want.Vendor, key, diff)
		if !apply {
			continue
		}
		got, err := g.SetScopes(ctx, key, want.Scopes)
		if err != nil {
			failures++
			fmt.Fprintf(out, "         apply failed: %v\n", err)
			continue
		}
		applied++
		fmt.Fprintf(out, "         applied: scopes are now %q\n", got.Scopes)
	}
	switch {
	case changes == 0:
		fmt.Fprintln(out, "\nNothing to change.")
	case !apply:
		fmt.Fprintf(out, "\n%d grant(s) would change. Run with -apply to apply.\n", changes)
	default:
		fmt.Fprintf(out, "\n%d of %d grant(s) changed.\n", applied, changes)
	}
	if failures > 0 {
		return fmt.Errorf("%d grant(s) could not be read or changed", failures)
	}
	return nil
}

func names(m map[string]grantkit.Grants) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
