package oryfake

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/grantkit/grantkit/ory/oryfake/internal/oas"
)

// apply carries out one JSON Patch operation (RFC 6902) on doc, which it may change, and
// returns the new document.
func apply(doc any, op oas.JsonPatch) (any, error) {
	var value any
	if len(op.Value) > 0 {
		if err := json.Unmarshal(op.Value, &value); err != nil {
			return nil, fmt.Errorf("the value of %s %s is not JSON", op.Op, op.Path)
		}
	}
	switch op.Op {
	case "add":
		return put(doc, op.Path, value, true)
	case "replace":
		if _, err := get(doc, op.Path); err != nil {
			return nil, err
		}
		return put(doc, op.Path, value, false)
	case "remove":
		return remove(doc, op.Path)
	case "test":
		cur, err := get(doc, op.Path)
		if err != nil {
			return nil, err
		}
		if !reflect.DeepEqual(cur, value) {
			return nil, fmt.Errorf("testing value %s failed: test failed", op.Path)
		}
		return doc, nil
	case "copy", "move":
		v, err := get(doc, op.From.Or(""))
		if err != nil {
			return nil, err
		}
		if op.Op == "move" {
			if doc, err = remove(doc, op.From.Or("")); err != nil {
				return nil, err
			}
		}
		b, _ := json.Marshal(v)
		var c any
		_ = json.Unmarshal(b, &c)
		return put(doc, op.Path, c, true)
	}
	return nil, fmt.Errorf("unexpected kind of operation %q", op.Op)
}

func tokens(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("JSON pointer %q must start with /", path)
	}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

func get(doc any, path string) (any, error) {
	parts, err := tokens(path)
	if err != nil {
		return nil, err
	}
	cur := doc
	for _, p := range parts {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[p]
			if !ok {
				return nil, fmt.Errorf("unable to get nonexistent key %q: missing value", p)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("unable to access invalid index %q", p)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("path %s does not exist", path)
		}
	}
	return cur, nil
}

// put sets path to v (add, replace); with insert, an array index inserts.
func put(doc any, path string, v any, insert bool) (any, error) {
	parts, err := tokens(path)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return v, nil
	}
	parent, err := get(doc, "/"+strings.Join(escape(parts[:len(parts)-1]), "/"))
	if len(parts) == 1 {
		parent, err = doc, nil
	}
	if err != nil {
		return nil, err
	}
	last := parts[len(parts)-1]
	switch c := parent.(type) {
	case map[string]any:
		c[last] = v
	case []any:
		i := len(c)
		if last != "-" {
			if i, err = strconv.Atoi(last); err != nil || i < 0 || i > len(c) || (!insert && i == len(c)) {
				return nil, fmt.Errorf("unable to access invalid index %q", last)
			}
		}
		var next []any
		if insert {
			next = append(append(append([]any{}, c[:i]...), v), c[i:]...)
		} else {
			next = append([]any{}, c...)
			next[i] = v
		}
		return put(doc, "/"+strings.Join(escape(parts[:len(parts)-1]), "/"), next, false)
	default:
		return nil, fmt.Errorf("path %s does not exist", path)
	}
	return doc, nil
}

func remove(doc any, path string) (any, error) {
	parts, err := tokens(path)
	if err != nil || len(parts) == 0 {
		return nil, fmt.Errorf("unable to remove %q", path)
	}
	if _, err := get(doc, path); err != nil {
		return nil, err
	}
	parentPath := "/" + strings.Join(escape(parts[:len(parts)-1]), "/")
	parent := doc
	if len(parts) > 1 {
		parent, _ = get(doc, parentPath)
	}
	last := parts[len(parts)-1]
	switch c := parent.(type) {
	case map[string]any:
		delete(c, last)
	case []any:
		i, _ := strconv.Atoi(last)
		next := append(append([]any{}, c[:i]...), c[i+1:]...)
		if len(parts) == 1 {
			return next, nil
		}
		return put(doc, parentPath, next, false)
	}
	return doc, nil
}

func escape(parts []string) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
	}
	return out
}
