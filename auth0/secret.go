package auth0

import (
	"fmt"
	"io"
	"log/slog"
)

// Secret is a resource server's signing secret (the HS256 key Auth0 signs its access tokens
// with). It redacts itself wherever it could be printed: fmt (every verb, %#v included), slog
// and encoding/json all show "[REDACTED]". Reveal returns the value.
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns a redacted Go form.
func (Secret) GoString() string { return "auth0.Secret(" + redacted + ")" }

// Format prints "[REDACTED]" for every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue keeps the secret out of slog records.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON keeps the secret out of JSON written by encoding/json; grantkit sends the secret
// through its generated client, not through this method.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
