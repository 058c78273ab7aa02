package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"gopkg.in/yaml.v3"
)

// Document is a vendor's official API document, cut down to the paths grantkit's own spec
// for that vendor covers, ready to validate exchanges.
type Document struct {
	Vendor string
	// BasePath is the path of the document's server URL ("/api/v2"): a fake serves the API
	// under it.
	BasePath string
	// Under is the path every request of grantkit's spec starts with: BasePath, and where the
	// spec's server URL goes deeper than the document's (Okta: the document's base is the
	// org's root, the spec's /api/v1), that part too. Exchanges are assigned to documents by it.
	Under string
	// Operations are the operations of grantkit's spec, as "METHOD /path/{}" (parameter
	// names blanked, since the two documents name them differently).
	Operations []string

	v     validator.Validator
	model *v3.Document
	paths []route // the official document's kept paths
}

type route struct {
	template string
	re       *regexp.Regexp
	literal  int // characters outside parameters: the most specific template wins
	methods  []string
}

var param = regexp.MustCompile(`\{[^}/]*\}`)

// normalize blanks the parameter names of a path template.
func normalize(template string) string { return param.ReplaceAllString(template, "{}") }

// LoadDocument reads the vendor's official document and grantkit's spec, keeps the
// official paths that grantkit's spec also has (which keeps the validator's start-up short:
// the Auth0 document has some 250 paths), and builds the validator.
func LoadDocument(vendor, officialPath, oursPath string) (*Document, error) {
	ours, err := readYAML(oursPath)
	if err != nil {
		return nil, err
	}
	official, err := readYAML(officialPath)
	if err != nil {
		return nil, err
	}
	d := &Document{Vendor: vendor}
	// Where grantkit's spec sits deeper than the official document's base (Okta's: the
	// document's paths start at /api/v1, the spec's server URL ends there), the difference
	// prefixes the spec's paths.
	prefix := ""
	if oursBase, err := basePath(ours); err == nil {
		if officialBase, err := basePath(official); err == nil {
			if rest, ok := strings.CutPrefix(oursBase, strings.TrimSuffix(officialBase, "/")); ok && rest != "/" {
				prefix = rest
			}
		}
	}
	want := map[string]bool{}
	for path, item := range pairs(mapping(ours, "paths")) {
		want[normalize(prefix+path.Value)] = true
		for method := range pairs(item) {
			if m := strings.ToUpper(method.Value); slices.Contains(httpMethods, m) {
				d.Operations = append(d.Operations, m+" "+normalize(prefix+path.Value))
			}
		}
	}
	slices.Sort(d.Operations)

	paths := mapping(official, "paths")
	if paths == nil {
		return nil, fmt.Errorf("%s: no paths", officialPath)
	}
	var kept []*yaml.Node
	for path, item := range pairs(paths) {
		if !want[normalize(path.Value)] {
			continue
		}
		kept = append(kept, path, item)
		r := route{template: path.Value, literal: len(param.ReplaceAllString(path.Value, ""))}
		literals := param.Split(path.Value, -1)
		for i := range literals {
			literals[i] = regexp.QuoteMeta(literals[i])
		}
		r.re = regexp.MustCompile("^" + strings.Join(literals, "[^/]+") + "$")
		for method := range pairs(item) {
			if m := strings.ToUpper(method.Value); slices.Contains(httpMethods, m) {
				r.methods = append(r.methods, m)
			}
		}
		d.paths = append(d.paths, r)
	}
	paths.Content = kept
	// Most specific first, so that a literal segment beats a parameter.
	slices.SortStableFunc(d.paths, func(a, b route) int { return b.literal - a.literal })

	if v := scalar(official, "openapi"); strings.HasPrefix(v, "3.0") {
		// OpenAPI 3.0 ignores every sibling of a $ref ("SHALL be ignored"); PingOne's document
		// puts examples there, which the validator cannot compile. Dropping them changes nothing.
		dropRefSiblings(official)
	}
	// Examples play no part in validation, and Okta's document refers to examples it does not
	// define (#/components/examples/LogTargetChangeDetails, LogDeviceObject, the second from
	// a schema's example), which the validator cannot resolve: they are dropped, from every
	// document alike.
	dropExamples(official, "")
	if d.BasePath, err = basePath(official); err != nil {
		return nil, fmt.Errorf("%s: %w", officialPath, err)
	}
	d.Under = d.BasePath + prefix

	// Back to JSON: yaml.v3 would write a document read from JSON in flow style, with YAML
	// escapes that the validator's JSON detection refuses.
	var tree any
	if err := official.Decode(&tree); err != nil {
		return nil, fmt.Errorf("%s: %w", officialPath, err)
	}
	src, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", officialPath, err)
	}
	doc, err := libopenapi.NewDocument(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", officialPath, err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", officialPath, err)
	}
	d.model = &model.Model
	d.v = validator.NewValidatorFromV3Model(d.model, config.WithFormatAssertions(), config.WithAuthenticationFunc(authenticate))
	return d, nil
}

// authenticate checks that a request carries the credential a security scheme asks for. The
// validator alone passes any oauth2 scheme, and Auth0 offers bearerAuth or
// oAuth2ClientCredentials on every operation, so a request without a token would pass.
// An OAuth 2.0 access token travels as a Bearer Authorization header (RFC 6750).
func authenticate(_ context.Context, in *config.AuthenticationInput) error {
	s, r := in.SecurityScheme, in.Request
	switch strings.ToLower(s.Type) {
	case "http", "oauth2", "openidconnect":
		want := "bearer"
		if strings.EqualFold(s.Type, "http") {
			want = strings.ToLower(s.Scheme)
		}
		scheme, credentials, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, want) || strings.TrimSpace(credentials) == "" {
			return fmt.Errorf("no %s credentials in the Authorization header", want)
		}
	case "apikey":
		var v string
		switch strings.ToLower(s.In) {
		case "header":
			v = r.Header.Get(s.Name)
		case "query":
			v = r.URL.Query().Get(s.Name)
		case "cookie":
			if c, err := r.Cookie(s.Name); err == nil {
				v = c.Value
			}
		}
		if v == "" {
			return fmt.Errorf("no API key in %s %q", s.In, s.Name)
		}
	default:
		return fmt.Errorf("security scheme type %q is not checked", s.Type)
	}
	return nil
}

var httpMethods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// Route returns the official path template that serves an API path (the base path already
// removed) and whether the document has the method there.
func (d *Document) Route(method, path string) (template string, hasMethod bool) {
	for _, r := range d.paths {
		if r.re.MatchString(path) {
			return r.template, slices.Contains(r.methods, method)
		}
	}
	return "", false
}

// ValidateRequest validates a request to the official path template against the document.
func (d *Document) ValidateRequest(r *http.Request, template string) []Problem {
	_, errs := d.v.ValidateHttpRequestSync(r)
	return append(problems(errs), d.queryProblems(r, template)...)
}

// queryProblems checks what the validator leaves out for query parameters: a parameter the
// operation does not declare, and a boolean outside the values its schema allows (the
// validator checks only that a boolean parses; Auth0's allow_any_organization filter
// allows only true).
func (d *Document) queryProblems(r *http.Request, template string) []Problem {
	item, ok := d.model.Paths.PathItems.Get(template)
	if !ok {
		return nil
	}
	op, ok := item.GetOperations().Get(strings.ToLower(r.Method))
	if !ok {
		return nil
	}
	declared := map[string]*v3.Parameter{}
	for _, p := range slices.Concat(item.Parameters, op.Parameters) {
		if p.In == "query" {
			declared[p.Name] = p
		}
	}
	var ps []Problem
	for name, values := range r.URL.Query() {
		p, ok := declared[name]
		if !ok {
			ps = append(ps, Problem{Kind: "parameter/undeclared", Message: fmt.Sprintf("query parameter %q is not declared for this operation", name)})
			continue
		}
		if p.Schema == nil {
			continue
		}
		s := p.Schema.Schema()
		if s == nil || !slices.Contains(s.Type, "boolean") {
			continue
		}
		var allowed []string
		for _, n := range s.Enum {
			allowed = append(allowed, n.Value)
		}
		if s.Const != nil {
			allowed = append(allowed, s.Const.Value)
		}
		if allowed == nil {
			continue
		}
		for _, v := range values {
			if b, err := strconv.ParseBool(v); err == nil && !slices.Contains(allowed, strconv.FormatBool(b)) {
				ps = append(ps, Problem{Kind: "parameter/query", Message: fmt.Sprintf("query parameter %s=%s: the document allows only %v", name, v, allowed)})
			}
		}
	}
	slices.SortFunc(ps, func(a, b Problem) int { return strings.Compare(a.Message, b.Message) })
	return ps
}

// ValidateResponse validates the answer to r against the document.
func (d *Document) ValidateResponse(r *http.Request, resp *http.Response) []Problem {
	_, errs := d.v.ValidateHttpResponse(r, resp)
	return problems(errs)
}

func readYAML(path string) (*yaml.Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var n yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&n); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not an object", path)
	}
	return n.Content[0], nil
}

// pairs yields the keys and values of a mapping node (none for nil).
func pairs(m *yaml.Node) func(yield func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		if m == nil || m.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if !yield(m.Content[i], m.Content[i+1]) {
				return
			}
		}
	}
}

func field(m *yaml.Node, key string) *yaml.Node {
	for k, v := range pairs(m) {
		if k.Value == key {
			return v
		}
	}
	return nil
}

func mapping(m *yaml.Node, key string) *yaml.Node {
	if v := field(m, key); v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	return nil
}

func scalar(m *yaml.Node, key string) string {
	if v := field(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func dropRefSiblings(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "$ref" && n.Content[i+1].Kind == yaml.ScalarNode {
				n.Content = n.Content[i : i+2]
				return
			}
		}
	}
	for _, c := range n.Content {
		dropRefSiblings(c)
	}
}

// dropExamples removes every "examples" and "example" member of n (a media type's, a
// parameter's, a schema's, the components' own), except a property of that name in a schema's
// properties.
func dropExamples(n *yaml.Node, key string) {
	if n.Kind == yaml.MappingNode && key != "properties" {
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i].Value; k != "examples" && k != "example" {
				kept = append(kept, n.Content[i], n.Content[i+1])
			}
		}
		n.Content = kept
	}
	for i, c := range n.Content {
		k := ""
		if n.Kind == yaml.MappingNode && i%2 == 1 {
			k = n.Content[i-1].Value
		}
		dropExamples(c, k)
	}
}

// basePath is the path of the first server URL, whose host is a template such as
// https://{tenantDomain}/api/v2.
func basePath(root *yaml.Node) (string, error) {
	servers := field(root, "servers")
	if servers == nil || servers.Kind != yaml.SequenceNode || len(servers.Content) == 0 {
		return "", errors.New("no servers")
	}
	raw := scalar(servers.Content[0], "url")
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", fmt.Errorf("server URL %q has no scheme", raw)
	}
	_, path, _ := strings.Cut(rest, "/")
	if _, err := url.Parse("/" + path); err != nil {
		return "", fmt.Errorf("server URL %q: %w", raw, err)
	}
	return strings.TrimSuffix("/"+path, "/"), nil
}
