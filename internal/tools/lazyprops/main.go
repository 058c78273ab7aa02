// Command lazyprops makes the generated decoders of the client half (*/internal/oas) create
// an object's AdditionalProps map only when the object carries a property its schema does not
// name. ogen's decoder makes an empty map for every such object it decodes, present or not:
// PingOne's grant answer alone holds 23 {"id": …} objects, so 23 allocations per call for maps
// that stay empty. After the rewrite a decode that finds no unknown property leaves the map nil
// (ranging over it, len and encoding are the same), and one that finds some keeps them all.
//
//	go run ./internal/tools/lazyprops auth0/internal/oas cpn/internal/oas ...
//
// It is run by `go generate` after ogen (see generate.go). It fails, and changes nothing, when
// a decoder's shape is not the one it knows (an ogen upgrade then shows as a generation error).
package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: lazyprops DIR...")
		os.Exit(2)
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "lazyprops:", err)
		os.Exit(1)
	}
}

// eager is the first statement of a Decode method of an object with additional properties;
// store is where its decoder keeps one unknown property.
var (
	eager = regexp.MustCompile(`(?m)^\ts\.AdditionalProps = map\[string\]jx\.Raw\{\}\n`)
	store = regexp.MustCompile(`(?m)^(\t+)s\.AdditionalProps\[string\(k\)\] = elem\n`)
)

func run(dirs []string) error {
	type edit struct {
		path string
		src  []byte
	}
	var edits []edit
	for _, dir := range dirs {
		path := filepath.Join(dir, "oas_json_gen.go")
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, err := rewrite(src)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if out != nil {
			edits = append(edits, edit{path, out})
		}
	}
	for _, e := range edits {
		if err := os.WriteFile(e.path, e.src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rewrite returns src with every eager map made lazy, or nil when there is none (already
// rewritten, or no object with additional properties).
func rewrite(src []byte) ([]byte, error) {
	inits, stores := len(eager.FindAll(src, -1)), len(store.FindAll(src, -1))
	if inits == 0 {
		return nil, nil
	}
	if inits != stores {
		return nil, fmt.Errorf("%d decoders make an AdditionalProps map but %d store into one: not the shape lazyprops knows", inits, stores)
	}
	out := eager.ReplaceAll(src, []byte("\ts.AdditionalProps = nil\n"))
	out = store.ReplaceAllFunc(out, func(m []byte) []byte {
		ind := string(store.FindSubmatch(m)[1])
		return append([]byte(ind+"if s.AdditionalProps == nil {\n"+ind+"\ts.AdditionalProps = map[string]jx.Raw{}\n"+ind+"}\n"), m...)
	})
	return format.Source(out)
}
