package grantkit

import (
	"fmt"
	"io"
	"log/slog"
)

// Secret is a client secret: the secret of every vendor's WithClientCredentials, and the
// secrets of CPN's OAuth apps. It redacts itself wherever it could be printed: fmt (every verb,
// %#v included), slog and encoding/json all show "[REDACTED]". Reveal returns the value.
//
// A string constant converts to a Secret implicitly; convert a string variable explicitly,
// as in grantkit.Secret(os.Getenv("CLIENT_SECRET")).
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns a redacted Go form.
func (Secret) GoString() string { return "grantkit.Secret(" + redacted + ")" }

// Format prints "[REDACTED]" for every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue keeps the secret out of slog records.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON keeps the secret out of JSON written by encoding/json; grantkit sends secrets
// through its generated clients and token flows, never through this method.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
