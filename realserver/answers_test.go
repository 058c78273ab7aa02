package realserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit/ory/oryfake"
)

// TestSameAnswers sends the same raw requests to Hydra and to oryfake and compares the answers
// field by field: status, error body, and every field of a client (values that cannot match,
// such as times and generated secrets, are compared by kind only).
func TestSameAnswers(t *testing.T) {
	srv := oryfake.NewServer()
	t.Cleanup(srv.Close)
	srv.Open()
	id := newID("same")
	type step struct {
		name, method, path, body string
	}
	steps := []step{
		{"create", http.MethodPost, "/admin/clients", `{"client_id":"ID","client_secret":"secret-123456","grant_types":["client_credentials"],"scope":"read:a write:a"}`},
		{"create again", http.MethodPost, "/admin/clients", `{"client_id":"ID"}`},
		{"create with a short secret", http.MethodPost, "/admin/clients", `{"client_secret":"abc"}`},
		{"get", http.MethodGet, "/admin/clients/ID", ``},
		{"get a missing client", http.MethodGet, "/admin/clients/ID-missing", ``},
		{"patch the scope", http.MethodPatch, "/admin/clients/ID", `[{"op":"replace","path":"/scope","value":"admin"}]`},
		{"patch the scope empty", http.MethodPatch, "/admin/clients/ID", `[{"op":"replace","path":"/scope","value":""}]`},
		{"patch the scope to one space", http.MethodPatch, "/admin/clients/ID", `[{"op":"replace","path":"/scope","value":" "}]`},
		{"patch with a failing test", http.MethodPatch, "/admin/clients/ID", `[{"op":"test","path":"/scope","value":"nope"},{"op":"replace","path":"/scope","value":"x"}]`},
		{"patch a missing client", http.MethodPatch, "/admin/clients/ID-missing", `[{"op":"replace","path":"/scope","value":"x"}]`},
		{"patch the secret", http.MethodPatch, "/admin/clients/ID", `[{"op":"replace","path":"/client_secret","value":"another-secret"}]`},
		{"delete", http.MethodDelete, "/admin/clients/ID", ``},
		{"delete again", http.MethodDelete, "/admin/clients/ID", ``},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			path, body := strings.ReplaceAll(s.path, "ID", id), strings.ReplaceAll(s.body, "ID", id)
			hs, hb := send(t, s.method, hydra.admin+path, body)
			fs, fb := send(t, s.method, srv.URL+path, body)
			assert.Equal(t, hs, fs, "status")
			assert.Equal(t, shape(hb), shape(fb), "answer (Hydra, then the fake)")
		})
	}
}

func send(t *testing.T, method, url, body string) (int, any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var v any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	}
	return resp.StatusCode, v
}

// varying are the fields whose values differ between two servers by nature: only their kind
// is compared.
var varying = map[string]bool{
	"client_id": true, "client_secret": true, "created_at": true, "updated_at": true,
	"registration_access_token": true, "registration_client_uri": true,
}

func shape(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		if varying[k] {
			out[k] = kind(x)
			continue
		}
		out[k] = x
	}
	return out
}

func kind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		if v == "" {
			return "empty string"
		}
		return "string"
	}
	return "other"
}
