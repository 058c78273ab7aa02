package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
)

func TestID(t *testing.T) {
	for _, ok := range []string{"cgr_abc123", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", "42", "a.b", "a-b_c", "..a", strings.Repeat("x", 256)} {
		assert.NoError(t, ID("id", ok), ok)
	}
	for _, bad := range []string{"", ".", "..", "../x", "a/b", "/", "%2F", "a%2Fb", `a\b`, "a?b", "a#b", "a b", "a\nb", "\x00", "\xff", strings.Repeat("x", 257)} {
		err := ID("grantID", bad)
		require.Error(t, err, "%q", bad)
		assert.ErrorIs(t, err, grantkit.ErrInvalidInput)
		assert.Contains(t, err.Error(), "grantID")
	}
}

func TestEscapedSegment(t *testing.T) {
	for _, ok := range []string{
		"64aecaae384ccb6ed4d19fa7", "https://api.example.com/", "https://tenant.eu.auth0.com/api/v2/",
		"urn:my-api", "my api", "a?b#c", "100%", "https://x/a..b/.c/", "é" + strings.Repeat("x", 599),
	} {
		assert.NoError(t, EscapedSegment("id", ok, 600), ok)
	}
	for _, bad := range []string{
		"", ".", "..", "../clients", "https://x/../clients", "https://x/./y", `https:\\x\..\y`, "a/..",
		"a\nb", "\x00", "\xff", strings.Repeat("x", 601),
	} {
		err := EscapedSegment("id", bad, 600)
		require.Error(t, err, "%q", bad)
		assert.ErrorIs(t, err, grantkit.ErrInvalidInput)
		assert.Contains(t, err.Error(), "id")
	}
}

func TestLengthEachOneOf(t *testing.T) {
	assert.NoError(t, Length("s", strings.Repeat("é", 280), 1, 280), "runes, not bytes")
	assert.ErrorContains(t, Length("s", strings.Repeat("é", 281), 1, 280), "length 281, want 1 to 280")
	assert.ErrorContains(t, Length("s", "", 1, -1), "at least 1")
	err := Each("scope", []string{"a", "b", ""}, func(f, s string) error { return Length(f, s, 1, 5) })
	assert.ErrorContains(t, err, "scope[2]")
	type usage string
	assert.NoError(t, OneOf("u", usage("deny"), "deny", "allow"))
	assert.ErrorIs(t, OneOf("u", usage("maybe"), "deny", "allow"), grantkit.ErrInvalidInput)
}

func TestBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://x.example.com/":      "https://x.example.com",
		"https://x.example.com/base/": "https://x.example.com/base",
		"http://127.0.0.1:8080":       "http://127.0.0.1:8080",
		"http://localhost":            "http://localhost",
		"http://[::1]:9":              "http://[::1]:9",
	} {
		u, err := BaseURL("base", raw)
		require.NoError(t, err, raw)
		assert.Equal(t, want, u.String())
	}
	for _, bad := range []string{"http://example.com", "http://10.0.0.1", "ftp://x.com", "/relative", "https://user:pw@x.com", "x.com",
		"https://x.com?a=b", "https://x.com/?", "https://x.com/#top", "https://x.com#", "https://x.com//a", "https://x.com/a//b",
		"https://x.com/./a", "https://x.com/a/..", "https://x.com/a%2Fb", "https://x.com/a b"} {
		_, err := BaseURL("base", bad)
		assert.ErrorIs(t, err, grantkit.ErrInvalidInput, bad)
	}
}

func TestHostname(t *testing.T) {
	assert.NoError(t, Hostname("domain", "example.eu.auth0.com"))
	for _, bad := range []string{"", "https://x.com", "x.com/path", "x.com:443", "a..b", strings.Repeat("a", 64) + ".com", "a_b.com"} {
		assert.ErrorIs(t, Hostname("domain", bad), grantkit.ErrInvalidInput, bad)
	}
}

func TestQuoteBoundsAndEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"read:grants", `"read:grants"`},
		{"a\nb\r\x00", `"a\nb\r\x00"`},
		{"x\u202ey\u2066z\u200f", `"x\u202ey\u2066z\u200f"`},
		{"\xff", `"\xff"`},
		{"é" + strings.Repeat("x", 63), `"é` + strings.Repeat("x", 63) + `"`},
		{strings.Repeat("é", 10000), `"` + strings.Repeat("é", QuoteRunes) + `"… (10000 characters)`},
	} {
		assert.Equal(t, tc.want, Quote(tc.in), "%q", tc.in)
	}
}

func TestErrorsQuoteABoundedEscapedPrefix(t *testing.T) {
	long := "\u202e" + strings.Repeat("a", 10000) + "\n"
	for name, err := range map[string]error{
		"Segment":    EscapedSegment("id", "\u202e/../"+strings.Repeat("b", 100), 20000),
		"OneOf":      OneOf("kind", long, "a", "b"),
		"BaseURL":    func() error { _, err := BaseURL("option.WithBaseURL", "https://x/?"+long); return err }(),
		"Hostname":   Hostname("domain", "a/"+long),
		"ScopeToken": ScopeToken("scope[0]", "a b"+long),
	} {
		require.Error(t, err, name)
		msg := err.Error()
		assert.Less(t, len(msg), 400, "%s: %s", name, msg)
		assert.NotContains(t, msg, "\u202e", name)
		assert.NotContains(t, msg, "\n", name)
		assert.Contains(t, msg, "characters)", name)
	}
}
