package cpn

import (
	"strings"
	"unicode"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/validate"
)

// secretSpecials are the special characters CPN's secret pattern intends. (The documented
// pattern's class also contains the range \]-{, which by accident admits lower-case letters
// and a few more; grantkit asks for a real special character.)
const secretSpecials = "!@#$%^&*()_+=[]-{|}',./:;<>?`~"

// CheckSecret reports whether s meets CPN's rules for an OAuth app secret: at least 8
// characters, with a lower-case letter, an upper-case letter, a digit and a special
// character. Create and Update run it before sending; the error never contains the secret.
func CheckSecret(s grantkit.Secret) error {
	v := s.Reveal()
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
		return validate.Errorf("secret", "needs %s", strings.Join(missing, ", "))
	}
	return nil
}
