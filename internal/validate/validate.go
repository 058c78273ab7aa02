// Package validate holds the input checks every vendor client runs before sending anything.
// Every error wraps grantkit.ErrInvalidInput and names the offending field.
package validate

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"

	"github.com/grantkit/grantkit"
)

// Errorf returns an error wrapping grantkit.ErrInvalidInput for field.
func Errorf(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", grantkit.ErrInvalidInput, field, fmt.Sprintf(format, args...))
}

// QuoteRunes is how many characters of a caller's input an error message quotes at most.
const QuoteRunes = 64

// Quote is how every error message quotes what the caller wrote: a Go-syntax quoted string of
// at most QuoteRunes characters, with control characters, bidirectional-text controls and
// other invisible or invalid bytes escaped (\n, \u202e, \xff), so that the message can neither
// flood a log nor reorder or hide what surrounds it. A longer input is cut, marked with "…",
// and its length in characters is given: "abc…" (281 characters).
func Quote(s string) string {
	n, cut := 0, len(s)
	for i := range s {
		if n == QuoteRunes {
			cut = i
			break
		}
		n++
	}
	if cut == len(s) {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(utf8.RuneCountInString(s)) + " characters)"
}

// maxIDLen bounds ids; no vendor's ids come near it.
const maxIDLen = 256

// ID checks an identifier that becomes a path segment: not empty, not "." or "..", and free of
// '/', '\\', '%', '?', '#', whitespace and control characters. Such an id can never reach a
// path other than the one intended, however the URL is later escaped or normalised.
func ID(field, id string) error {
	switch {
	case id == "":
		return Errorf(field, "must not be empty")
	case len(id) > maxIDLen:
		return Errorf(field, "longer than %d bytes", maxIDLen)
	case id == "." || id == "..":
		return Errorf(field, "%s is not an id", Quote(id))
	case !utf8.ValidString(id):
		return Errorf(field, "not valid UTF-8")
	}
	for _, r := range id {
		if strings.ContainsRune(`/\%?#`, r) || unicode.IsSpace(r) || unicode.IsControl(r) {
			return Errorf(field, "contains %q, which is not allowed in an id", r)
		}
	}
	return nil
}

// EscapedSegment checks a value that the generated client percent-encodes into one path
// segment (url.PathEscape), such as an Auth0 resource server's identifier (an audience URL)
// used in place of its id. Encoding keeps '/', '?', '#', '%' and spaces inside the segment, so
// they are allowed; what is refused is what could still leave it or what no vendor stores: an
// empty value, more than maxRunes characters, invalid UTF-8, control characters, and a "." or
// ".." part between slashes or backslashes, which a proxy that decodes %2F before normalising
// the path would turn into a step up the tree.
func EscapedSegment(field, s string, maxRunes int) error {
	switch {
	case s == "":
		return Errorf(field, "must not be empty")
	case !utf8.ValidString(s):
		return Errorf(field, "not valid UTF-8")
	case utf8.RuneCountInString(s) > maxRunes:
		return Errorf(field, "longer than %d characters", maxRunes)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return Errorf(field, "contains the control character %q", r)
		}
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == "." || part == ".." {
			return Errorf(field, "%s has a %q path part, which is not allowed in a path segment", Quote(s), part)
		}
	}
	return nil
}

// Length checks that s has between lo and hi characters (hi < 0: no upper bound).
func Length(field, s string, lo, hi int) error {
	n := utf8.RuneCountInString(s)
	if n < lo || (hi >= 0 && n > hi) {
		if hi < 0 {
			return Errorf(field, "length %d, want at least %d", n, lo)
		}
		return Errorf(field, "length %d, want %d to %d", n, lo, hi)
	}
	return nil
}

// Each runs check on every element. An element that fails is checked again under its indexed
// name, field[i], for the error: naming every element up front would cost an allocation each on
// the success path. check must be deterministic.
func Each[T any](field string, list []T, check func(field string, v T) error) error {
	for i, v := range list {
		if check(field, v) != nil {
			return check(fmt.Sprintf("%s[%d]", field, i), v)
		}
	}
	return nil
}

// OneOf checks that v is one of the allowed values.
func OneOf[T ~string](field string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return Errorf(field, "%s is not one of %v", Quote(string(v)), allowed)
}

// BaseURL parses a vendor base URL given by the caller. It must be absolute https, or plain
// http only on a loopback host (a local fake or test server): a token must never cross a
// network in clear text. A path prefix (for a proxy) is kept, without its trailing slash; a
// query, a fragment, credentials, empty, "." or ".." segments and percent-encoded paths are
// refused, because grantkit appends paths to the base URL and any of them would be dropped,
// doubled or resolved elsewhere.
func BaseURL(field, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, Errorf(field, "%s is not an absolute URL", Quote(raw))
	}
	if u.User != nil {
		return nil, Errorf(field, "must not carry credentials")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, Errorf(field, "plain http is allowed only for a loopback host, got %s", Quote(u.Host))
		}
	default:
		return nil, Errorf(field, "scheme %s, want https", Quote(u.Scheme))
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, Errorf(field, "%s has a query, which requests would drop", Quote(raw))
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, Errorf(field, "%s has a fragment, which requests would drop", Quote(raw))
	}
	if u.RawPath != "" || u.EscapedPath() != u.Path {
		return nil, Errorf(field, "%s has a path that needs percent-encoding; give a plain path prefix", Quote(raw))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if u.Path != "" {
		for _, seg := range strings.Split(u.Path[1:], "/") {
			if seg == "" || seg == "." || seg == ".." {
				return nil, Errorf(field, "%s has an empty, \".\" or \"..\" path segment", Quote(raw))
			}
		}
	}
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Hostname checks a bare DNS name such as an Auth0 tenant domain: no scheme, path or port.
func Hostname(field, host string) error {
	if host == "" {
		return Errorf(field, "must not be empty")
	}
	if len(host) > 253 || strings.ContainsAny(host, "/:@?#% ") {
		return Errorf(field, "%s is not a host name (give the name only, without scheme or path)", Quote(host))
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return Errorf(field, "%s is not a host name", Quote(host))
		}
		for _, r := range label {
			if allowed := r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'; !allowed {
				return Errorf(field, "%s is not a host name", Quote(host))
			}
		}
	}
	return nil
}

// NilContext is the error of a call given a nil context.Context. Calls check it first, so
// that it is reported, not a panic deep in net/http or the generated client.
func NilContext() error {
	return Errorf("ctx", "is nil; pass a context such as context.Background()")
}

// NotMade is the error of a call on a vendor client that vendor's New did not make: a zero
// value of its Client or of one of its services, or a nil pointer to one.
func NotMade(vendor string) error {
	return Errorf("client", "not made by %[1]s.New (a zero %[1]s.Client or service, or a nil pointer); create the client with %[1]s.New and call its services through it", vendor)
}

// ScopeToken checks a scope's name as OAuth 2.0 carries it: one token of the space-separated
// scope list of a token request and of a token's scope (RFC 6749, section 3.3, which the
// vendors' token endpoints follow), so it holds no space, no other whitespace (a newline, a
// tab) and no control character. Such a scope could never be requested or issued on its own:
// "read:a write:a" would be read as two scopes.
func ScopeToken(field, s string) error {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return Errorf(field, "%s contains %q; a scope is one token of a space-separated list, so it holds no whitespace or control character", Quote(s), r)
		}
	}
	return nil
}

// HeaderValue checks a value that grantkit sends in a request header (a User-Agent product
// token): net/http would refuse to send one holding CR, LF or another control character, and
// a value that could split a header must never get as far as a request.
func HeaderValue(field, v string) error {
	if i := badHeaderByte(v); i >= 0 {
		return Errorf(field, "%s holds %q at byte %d, which is not allowed in a header value", Quote(v), v[i], i)
	}
	return nil
}

// HeaderSecret is HeaderValue for a credential that becomes a header (a token): the error names
// the offending byte and where it is, never the value.
func HeaderSecret(field, v string) error {
	if i := badHeaderByte(v); i >= 0 {
		return Errorf(field, "holds %q at byte %d, which is not allowed in a header value (CR, LF and other control characters are refused)", v[i], i)
	}
	return nil
}

// badHeaderByte returns the index of the first byte of v that a header value cannot carry, or
// -1 if there is none.
func badHeaderByte(v string) int {
	if httpguts.ValidHeaderFieldValue(v) {
		return -1
	}
	for i := 0; i < len(v); i++ {
		if !httpguts.ValidHeaderFieldValue(v[i : i+1]) {
			return i
		}
	}
	return 0
}
