package pingone_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/go-faster/yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// officialSpec is PingOne's own management spec, kept beside the repository as reference data.
const officialSpec = "../../shared/vendor-specs/pingone-management.yml"

// extraFields are response fields our spec has and the official spec lacks, keyed by a path
// fragment and the field name, each with the public source that documents it.
var extraFields = map[[2]string]string{
	{"/grants", "environment"}: "the UPDATE Grant doc page's example response (../shared/seeds/pingone-update-application-grant.txt)",
}

func allowedExtra(where, name string) bool {
	for k := range extraFields {
		if strings.Contains(where, k[0]) && name == k[1] && strings.Contains(where, "response") {
			return true
		}
	}
	return false
}

type doc struct {
	Paths      map[string]map[string]any `yaml:"paths"`
	Components struct {
		Schemas    map[string]any `yaml:"schemas"`
		Parameters map[string]any `yaml:"parameters"`
	} `yaml:"components"`
}

func load(t *testing.T, path string) *doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s is not here (it sits beside the repository in CI)", path)
	}
	require.NoError(t, err)
	var d doc
	require.NoError(t, yaml.Unmarshal(b, &d))
	return &d
}

// resolve follows a local $ref.
func (d *doc) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for m != nil {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		name := ref[strings.LastIndex(ref, "/")+1:]
		switch {
		case strings.Contains(ref, "/schemas/"):
			m, _ = d.Components.Schemas[name].(map[string]any)
		case strings.Contains(ref, "/parameters/"):
			m, _ = d.Components.Parameters[name].(map[string]any)
		default:
			return nil
		}
	}
	return m
}

// properties returns a schema's properties, merged over allOf, oneOf and anyOf.
func (d *doc) properties(schema any) map[string]any {
	s := d.resolve(schema)
	out := map[string]any{}
	if s == nil {
		return out
	}
	if p, ok := s["properties"].(map[string]any); ok {
		for k, v := range p {
			out[k] = v
		}
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		list, _ := s[key].([]any)
		for _, sub := range list {
			for k, v := range d.properties(sub) {
				out[k] = v
			}
		}
	}
	return out
}

// compareSchema checks that every property of ours, recursively, exists in theirs.
func compareSchema(t *testing.T, ours, theirs *doc, o, th any, where string) {
	op, tp := ours.properties(o), theirs.properties(th)
	for name, sub := range op {
		field := where + "." + name
		tsub, ok := tp[name]
		if !ok {
			if !allowedExtra(where, name) {
				t.Errorf("%s: field not in the official spec", field)
			}
			continue
		}
		osub, tsubR := ours.resolve(sub), theirs.resolve(tsub)
		if osub == nil || tsubR == nil {
			continue
		}
		if items, ok := osub["items"]; ok {
			if titems, ok := tsubR["items"]; ok {
				compareSchema(t, ours, theirs, items, titems, field+"[]")
			}
			continue
		}
		compareSchema(t, ours, theirs, sub, tsub, field)
	}
}

func paramNames(d *doc, op map[string]any, pathItem map[string]any) []string {
	var names []string
	for _, src := range []any{pathItem["parameters"], op["parameters"]} {
		list, _ := src.([]any)
		for _, p := range list {
			pm := d.resolve(p)
			if pm == nil || strings.HasPrefix(pm["name"].(string), "X-Ping-") {
				continue // optional telemetry headers, which grantkit does not send
			}
			names = append(names, pm["in"].(string)+":"+pm["name"].(string))
		}
	}
	sort.Strings(names)
	return names
}

func body(d *doc, op map[string]any) any {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	return js["schema"]
}

func success(d *doc, op map[string]any) any {
	responses, _ := op["responses"].(map[string]any)
	for _, code := range []string{"200", "201"} {
		if r, ok := responses[code].(map[string]any); ok {
			content, _ := r["content"].(map[string]any)
			js, _ := content["application/json"].(map[string]any)
			return js["schema"]
		}
	}
	return nil
}

// Our spec must agree with PingOne's official one for every operation it covers: same paths,
// methods, operation ids, parameter names, and field names in request and response bodies
// (responses may also carry the extraFields). Lists: the official spec answers with its
// generic EntityArray, whose _embedded.<collection> we compare.
func TestSpecAgreesWithOfficialPingOneSpec(t *testing.T) {
	ours := load(t, "../specs/pingone.yaml")
	theirs := load(t, officialSpec)
	require.NotEmpty(t, ours.Paths)
	methods := []string{"get", "put", "post", "delete", "patch"}
	for path, item := range ours.Paths {
		titem, ok := theirs.Paths[path]
		if !assert.True(t, ok, "path %s is not in the official spec", path) {
			continue
		}
		for _, m := range methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			where := strings.ToUpper(m) + " " + path
			top, ok := titem[m].(map[string]any)
			if !assert.True(t, ok, "%s is not in the official spec", where) {
				continue
			}
			assert.Equal(t, top["operationId"], op["operationId"], "%s: operationId", where)
			assert.Equal(t, paramNames(theirs, top, titem), paramNames(ours, op, item), "%s: parameters", where)
			if b := body(ours, op); b != nil {
				compareSchema(t, ours, theirs, b, body(theirs, top), where+" request")
			}
			if r := success(ours, op); r != nil {
				compareSchema(t, ours, theirs, r, success(theirs, top), where+" response")
			}
		}
	}
	// Every operation of ours was looked at.
	n := 0
	for _, item := range ours.Paths {
		for _, m := range methods {
			if _, ok := item[m]; ok {
				n++
			}
		}
	}
	assert.Equal(t, 13, n)
}
