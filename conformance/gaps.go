package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Gap is a known fault of a vendor's official document: the violations it explains are the
// document's, not grantkit's. Gaps are listed in gaps.yaml.
type Gap struct {
	Vendor    string `yaml:"vendor"`
	Operation string `yaml:"operation"` // as in Violation.Operation
	Side      string `yaml:"side"`      // request or response
	Status    int    `yaml:"status"`    // the answer's status; 0 for any
	Match     string `yaml:"match"`     // a piece of the violation's message
	Reason    string `yaml:"reason"`    // why the document, not grantkit, is wrong
}

func (g Gap) String() string {
	return fmt.Sprintf("%s %s %s %d %q", g.Vendor, g.Operation, g.Side, g.Status, g.Match)
}

// Explains reports whether the gap accounts for v.
func (g Gap) Explains(v Violation) bool {
	return g.Vendor == v.Vendor && g.Operation == v.Operation && g.Side == v.Side &&
		(g.Status == 0 || g.Status == v.Status) && strings.Contains(v.Message, g.Match)
}

// ReadGaps reads and checks a gaps file: every entry names what it explains and why.
func ReadGaps(path string) ([]Gap, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Gaps []Gap `yaml:"gaps"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var errs []error
	for i, g := range file.Gaps {
		if g.Vendor == "" || g.Operation == "" || g.Match == "" || strings.TrimSpace(g.Reason) == "" ||
			(g.Side != "request" && g.Side != "response") {
			errs = append(errs, fmt.Errorf("%s: gap %d (%v): vendor, operation, side (request or response), match and reason are required", path, i+1, g))
		}
	}
	return file.Gaps, errors.Join(errs...)
}

// Explain splits violations into those no gap explains and reports the gaps that explain
// none, so that the list cannot outlive the faults it describes.
func Explain(gaps []Gap, vs []Violation) (unexplained []Violation, unused []Gap) {
	used := make([]bool, len(gaps))
	for _, v := range vs {
		explained := false
		for i, g := range gaps {
			if g.Explains(v) {
				used[i], explained = true, true
			}
		}
		if !explained {
			unexplained = append(unexplained, v)
		}
	}
	for i, g := range gaps {
		if !used[i] {
			unused = append(unused, g)
		}
	}
	return unexplained, unused
}
