// Command compare reads `go test -json` output of the realserver tests on stdin and prints
// the outcome of every scenario on Hydra and on oryfake side by side (a Markdown table). A
// scenario is a test named <Test>/hydra/<scenario> or <Test>/fake/<scenario>. It exits 1 when
// a scenario's outcomes differ, or ran on one side only.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action string
	Test   string
	Output string
}

func main() {
	outcomes := map[string]map[string]string{} // scenario -> target -> outcome
	output := map[string]*strings.Builder{}    // test ("" for the package) -> its output
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if e.Action == "output" {
			if output[e.Test] == nil {
				output[e.Test] = &strings.Builder{}
			}
			output[e.Test].WriteString(e.Output)
		}
		if e.Action == "fail" {
			// What failed, readable, on stderr (the package's own output when no test ran:
			// Hydra could not be built or started).
			if o := output[e.Test]; o != nil {
				fmt.Fprint(os.Stderr, o.String())
			}
		}
		if e.Test == "" {
			continue
		}
		if e.Action != "pass" && e.Action != "fail" && e.Action != "skip" {
			continue
		}
		parts := strings.SplitN(e.Test, "/", 3)
		if len(parts) < 3 || (parts[1] != "hydra" && parts[1] != "fake") {
			continue
		}
		name := parts[0] + "/" + parts[2]
		if outcomes[name] == nil {
			outcomes[name] = map[string]string{}
		}
		outcomes[name][parts[1]] = e.Action
	}
	names := make([]string, 0, len(outcomes))
	for n := range outcomes {
		names = append(names, n)
	}
	slices.Sort(names)
	diff := 0
	fmt.Println("| scenario | Hydra v2.3.0 | oryfake | |")
	fmt.Println("|---|---|---|---|")
	for _, n := range names {
		h, f := outcomes[n]["hydra"], outcomes[n]["fake"]
		mark := "same"
		if h != f {
			mark, diff = "DIFFERENT", diff+1
		}
		fmt.Printf("| %s | %s | %s | %s |\n", strings.ReplaceAll(n, "_", " "), orNone(h), orNone(f), mark)
	}
	fmt.Printf("\n%d scenarios, %d with different outcomes\n", len(names), diff)
	if diff > 0 || len(names) == 0 {
		os.Exit(1)
	}
}

func orNone(s string) string {
	if s == "" {
		return "(not run)"
	}
	return s
}
