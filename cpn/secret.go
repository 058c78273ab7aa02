package cpn

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode"

	"github.com/grantkit/grantkit/internal/validate"
)

// Secret is an OAuth app's client secret. It redacts itself wherever it could be printed: fmt
// (every verb, %#v included), slog and encoding/json all show "[REDACTED]". Reveal returns
// the value.
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns a redacted Go form.
func (Secret) GoString() string { return "cpn.Secret(" + redacted + ")" }

// Format prints "[REDACTED]" for every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue keeps the secret out of slog records.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON keeps the secret out of JSON written by encoding/json; grantkit sends secrets
// through its generated client, not through this method.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// secretSpecials are the special characters CPN's secret pattern intends. (The documented
// pattern's class also contains the range \]-{, which by accident admits lower-case letters
// and a few more; grantkit asks for a real special character.)
const secretSpecials = "!@#$%^&*()_+=[]-{|}',./:;<>?`~"

// Check reports whether s meets CPN's secret rules: at least 8 characters, with a lower-case
// letter, an upper-case letter, a digit and a special character. The error never contains
// the secret.
func (s Secret) Check() error {
	v := string(s)
	var lower, upper, digit, special bool
	for _, r := range v {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		}
		if strings.ContainsRune(secretSpecials, r) {
			special = true
		}
	}
	var missing []string
	if len([]rune(v)) < 8 {
		missing = append(missing, "at least 8 characters")
	}
	if !lower {
		missing = append(missing, "a lower-case letter")
	}
	if !upper {
		missing = append(missing, "an upper-case letter")
	}
	if !digit {
		missing = append(missing, "a digit")
	}
	if !special {
		missing = append(missing, "one of "+secretSpecials)
	}
	if len(missing) > 0 {
		return validate.Errorf("Secret", "needs %s", strings.Join(missing, ", "))
	}
	return nil
}
