package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/go-faster/yaml"

	"github.com/grantkit/grantkit"
)

// State is a desired-state file: for each vendor it names, the scopes its resources define
// and the grants it keeps. YAML (or JSON, which YAML reads too):
//
//	auth0:
//	  scopes:
//	    https://api.example.com/:
//	      - name: read:invoices
//	        description: Read invoices
//	  grants:
//	    - resource: https://api.example.com/
//	      client: billing-service
//	      scopes: [read:invoices]
//
//	  manage:
//	    resources: [https://api.example.com/]
//
// The file owns only what a vendor's manage entry names: with -prune, a grant the file does
// not list is revoked only when its resource is under manage.resources or its client under
// manage.clients, and a scope a resource does not list is removed only when the resource is
// under manage.resources and listed under scopes. Everything else at the vendor is left alone.
type State map[string]*VendorState

// VendorState is what one vendor should hold.
type VendorState struct {
	// Scopes maps a resource (as a GrantKey.Resource names it at this vendor) to the scopes
	// it defines.
	Scopes map[string][]ScopeSpec `json:"scopes,omitempty" yaml:"scopes,omitempty"`
	// Grants is written even when empty: an exported vendor without grants says it has none.
	Grants []GrantSpec `json:"grants" yaml:"grants"`
	// Manage is what the file owns at the vendor (see State).
	Manage *Manage `json:"manage,omitempty" yaml:"manage,omitempty"`

	line          int
	resourceLines map[string]int
}

// Manage names what a file owns at a vendor: every grant on these resources (and their scope
// definitions, for a resource listed under scopes), and every grant of these clients.
type Manage struct {
	Resources []string `json:"resources,omitempty" yaml:"resources,omitempty"`
	Clients   []string `json:"clients,omitempty" yaml:"clients,omitempty"`
}

// manages says whether -prune may revoke a grant with key k.
func (v *VendorState) manages(k grantkit.GrantKey) bool {
	return v.Manage != nil && (slices.Contains(v.Manage.Resources, k.Resource) || slices.Contains(v.Manage.Clients, k.ClientID))
}

// managesScopes says whether -prune may remove scopes resource defines that the file leaves out.
func (v *VendorState) managesScopes(resource string) bool {
	_, listed := v.Scopes[resource]
	return listed && v.Manage != nil && slices.Contains(v.Manage.Resources, resource)
}

// ScopeSpec is a scope a resource should define.
type ScopeSpec struct {
	Name string `json:"name" yaml:"name"`
	// Description is the scope's description. Left out, the description the vendor has is
	// kept (a scope grantsync defines then gets none); given, even empty, it is managed.
	Description *string `json:"description,omitempty" yaml:"description,omitempty"`

	line int
}

// GrantSpec is a grant as it should be: the client has exactly these scopes on the resource.
type GrantSpec struct {
	Resource string `json:"resource" yaml:"resource"`
	Client   string `json:"client" yaml:"client"`
	// SubjectType is Auth0's subject_type: left out (or "client") the client-access grant,
	// "user" the user-access one; any other value is passed to Auth0 as it is.
	SubjectType string `json:"subject_type,omitempty" yaml:"subject_type,omitempty"`
	// Scopes are written one per line, so that a change to an exported file diffs by scope.
	Scopes []string `json:"scopes" yaml:"scopes"`

	line int
}

// key is the grant's vendor-neutral key. Auth0's "client" subject type is the key's zero
// value, as the adapter reports it, so the two spellings are one grant.
func (g GrantSpec) key() grantkit.GrantKey {
	k := grantkit.GrantKey{Resource: g.Resource, ClientID: g.Client, SubjectType: g.SubjectType}
	if k.SubjectType == "client" {
		k.SubjectType = ""
	}
	return k
}

// vendors returns the vendors the file names, sorted.
func (s State) vendors() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// parseState reads a desired-state file and checks everything that can be checked without
// asking a vendor. Every error wraps grantkit.ErrInvalidInput, starts with name and, where
// the file has one, the line.
func parseState(name string, data []byte) (State, error) {
	fail := func(line int, format string, args ...any) error {
		at := name
		if line > 0 {
			at = fmt.Sprintf("%s:%d", name, line)
		}
		return fmt.Errorf("%s: %w: %s", at, grantkit.ErrInvalidInput, fmt.Sprintf(format, args...))
	}

	var s State
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fail(0, "the file is empty: name at least one vendor (%s)", strings.Join(vendorNames(), ", "))
		}
		return nil, yamlError(name, data, err)
	}
	// The typed decoding above is strict (unknown fields are errors) but keeps no positions;
	// the node tree, read separately, gives each entry its line for the checks below.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, data, err)
	}
	recordLines(s, &root)

	if len(s) == 0 {
		return nil, fail(0, "the file names no vendor (%s)", strings.Join(vendorNames(), ", "))
	}
	for _, vendor := range s.vendors() {
		vs := s[vendor]
		if vendorNamed(vendor) == nil {
			return nil, fail(vs.lineOr(0), "unknown vendor %q (known: %s)", vendor, strings.Join(vendorNames(), ", "))
		}
		if vs == nil {
			// "auth0:" with nothing under it: the vendor is named, nothing is managed.
			s[vendor] = &VendorState{}
			continue
		}
		if why := vendorNamed(vendor).noCatalog; len(vs.Scopes) > 0 && why != "" {
			return nil, fail(vs.line, "%s: scopes: %s; a file cannot define them", vendor, why)
		}
		for _, res := range sortedKeys(vs.Scopes) {
			line := vs.resourceLines[res]
			if strings.TrimSpace(res) == "" {
				return nil, fail(line, "%s: scopes: a resource needs a name", vendor)
			}
			seen := map[string]int{}
			for _, sc := range vs.Scopes[res] {
				if strings.TrimSpace(sc.Name) == "" {
					return nil, fail(sc.lineOr(line), "%s: scopes of %s: a scope needs a name", vendor, res)
				}
				if first, dup := seen[sc.Name]; dup {
					return nil, fail(sc.lineOr(line), "%s: scope %q of %s is listed twice (first at line %d)", vendor, sc.Name, res, first)
				}
				seen[sc.Name] = sc.line
			}
		}
		seen := map[grantkit.GrantKey]int{}
		for _, g := range vs.Grants {
			line := g.lineOr(vs.line)
			if g.Resource == "" || g.Client == "" {
				return nil, fail(line, "%s: a grant needs resource and client", vendor)
			}
			if g.SubjectType != "" && !vendorNamed(vendor).subjectTypes {
				return nil, fail(line, "%s: subject_type %q: %s keeps one grant per client and resource, so a grant names no subject type", vendor, g.SubjectType, vendor)
			}
			if slices.Contains(g.Scopes, "") {
				return nil, fail(line, "%s: grant %s: an empty scope name", vendor, g.key())
			}
			k := g.key()
			if first, dup := seen[k]; dup {
				return nil, fail(line, "%s: grant %s is listed twice (first at line %d); list each grant once with all its scopes", vendor, k, first)
			}
			seen[k] = g.line
		}
	}
	return s, nil
}

func (v *VendorState) lineOr(def int) int {
	if v == nil || v.line == 0 {
		return def
	}
	return v.line
}

func (s ScopeSpec) lineOr(def int) int {
	if s.line == 0 {
		return def
	}
	return s.line
}

func (g GrantSpec) lineOr(def int) int {
	if g.line == 0 {
		return def
	}
	return g.line
}

// recordLines walks the node tree alongside the decoded state and notes where each vendor,
// resource, scope and grant is, and whether a vendor has a grants key. Anything the walk
// does not recognise (an alias, a merge key) keeps line 0: its messages then name no line.
func recordLines(s State, root *yaml.Node) {
	top := mapping(root)
	if top == nil {
		return
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		vs := s[k.Value]
		if vs == nil {
			// A vendor with nothing under it is kept as a nil entry; its line still
			// helps the message about an unknown vendor.
			if _, named := s[k.Value]; named {
				vs = &VendorState{}
				s[k.Value] = vs
			} else {
				continue
			}
		}
		vs.line = k.Line
		body := mapping(v)
		if body == nil {
			continue
		}
		for j := 0; j+1 < len(body.Content); j += 2 {
			field, val := body.Content[j], body.Content[j+1]
			switch field.Value {
			case "grants":
				if seq := deref(val); seq != nil && seq.Kind == yaml.SequenceNode && len(seq.Content) == len(vs.Grants) {
					for n, item := range seq.Content {
						vs.Grants[n].line = item.Line
					}
				}
			case "scopes":
				res := mapping(val)
				if res == nil {
					continue
				}
				vs.resourceLines = map[string]int{}
				for r := 0; r+1 < len(res.Content); r += 2 {
					name, list := res.Content[r], deref(res.Content[r+1])
					vs.resourceLines[name.Value] = name.Line
					specs := vs.Scopes[name.Value]
					if list != nil && list.Kind == yaml.SequenceNode && len(list.Content) == len(specs) {
						for n, item := range list.Content {
							specs[n].line = item.Line
						}
					}
				}
			}
		}
	}
}

// mapping returns n (or the document's content, or an alias's target) when it is a mapping.
func mapping(n *yaml.Node) *yaml.Node {
	n = deref(n)
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = deref(n.Content[0])
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// yamlError turns the YAML library's error into what a person reads: each problem with the
// file and line, and "unknown field" rather than the Go type the file was decoded into.
func yamlError(name string, data []byte, err error) error {
	type problem struct {
		line int
		msg  string
	}
	var problems []problem
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case *yaml.SyntaxError:
			// The library's Line is where the enclosing construct starts, counted from 0
			// or 1 depending on the kind of error; Offset is where the problem was found,
			// always. The line is counted from it.
			problems = append(problems, problem{lineAt(data, e.Offset), e.Msg})
		case *yaml.UnmarshalError:
			msg := fileWords(e.Err.Error())
			var unknown *yaml.UnknownFieldError
			if errors.As(e.Err, &unknown) {
				msg = fmt.Sprintf("unknown field %q", unknown.Field)
			}
			line := 0
			if e.Node != nil {
				line = e.Node.Line
			}
			problems = append(problems, problem{line, msg})
		case interface{ Unwrap() []error }: // the library's group of several problems
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			if inner := e.Unwrap(); inner != nil {
				walk(inner)
			} else {
				problems = append(problems, problem{0, err.Error()})
			}
		default:
			problems = append(problems, problem{0, err.Error()})
		}
	}
	walk(err)
	at := func(line int) string {
		if line > 0 {
			return fmt.Sprintf("%s:%d", name, line)
		}
		return name
	}
	if len(problems) == 1 {
		return fmt.Errorf("%s: %w: %s", at(problems[0].line), grantkit.ErrInvalidInput, problems[0].msg)
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = at(p.line) + ": " + p.msg
	}
	return fmt.Errorf("%s: %w:\n  %s", name, grantkit.ErrInvalidInput, strings.Join(lines, "\n  "))
}

var cannotUnmarshal = regexp.MustCompile("^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (\\S+)$")

// fileWords says what the YAML library's "cannot unmarshal !!str `x` into []main.T" means in
// the file's words: what was expected there and what was found.
func fileWords(msg string) string {
	m := cannotUnmarshal.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	found := map[string]string{"!!str": "a string", "!!int": "a number", "!!float": "a number", "!!bool": "true or false",
		"!!seq": "a list", "!!map": "a mapping", "!!null": "nothing"}[m[1]]
	if found == "" {
		found = "a " + strings.TrimPrefix(m[1], "!!")
	}
	if m[2] != "" {
		found += fmt.Sprintf(" (%s)", m[2])
	}
	want := "a mapping of names to values"
	switch into := m[3]; {
	case strings.HasPrefix(into, "[]"):
		want = "a list"
	case into == "string":
		want = "a string"
	case into == "bool":
		want = "true or false"
	}
	return fmt.Sprintf("expected %s here, found %s", want, found)
}

// lineAt is the line (from 1) of the byte at offset; the end of the input counts as its last line.
func lineAt(data []byte, offset int) int {
	offset = min(max(offset, 0), len(data))
	head := bytes.TrimRight(data[:offset], "\n")
	if offset < len(data) {
		head = data[:offset]
	}
	return 1 + bytes.Count(head, []byte("\n"))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// writeState writes s as a desired-state file, vendors and resources in name order and
// grants in key order, so the same accounts always export the same bytes.
func writeState(w io.Writer, s State, header string) error {
	var buf bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		fmt.Fprintf(&buf, "# %s\n", line)
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
