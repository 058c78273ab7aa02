package construct

import (
	"fmt"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

// Settings are the one struct every client option writes: the shared options of package
// option and each vendor's own options write into it, New checks it, and the transport reads
// the part it embeds (transport.Settings) as the options left it. The exported fields are the
// settings every vendor shares; a vendor's own settings live in a struct of its own, reached
// with Own.
type Settings struct {
	transport.Settings
	BaseURL     string // checked and without a trailing slash; empty means the vendor's default
	Token       grantkit.Secret
	TokenSource oauth2.TokenSource

	vendor      string          // the vendor whose New applies the options
	own         any             // that vendor's own settings, a *T (see Own)
	given       map[string]bool // the options applied so far, by name
	credentials []string        // the credential options applied, by name, in order
}

// begin prepares s for the options of vendor's New; own points to the vendor's own settings
// struct, already holding its defaults.
func (s *Settings) begin(vendor string, own any) {
	s.vendor, s.own = vendor, own
}

// Set stores v in *dst for the option named option. Giving the same option twice with the
// same value is harmless; with different values it is a contradiction, reported rather than
// letting the last one silently win.
func Set[T comparable](s *Settings, option string, dst *T, v T) error {
	if s.given[option] && *dst != v {
		return validate.Errorf(option, "given twice with different values")
	}
	s.Mark(option)
	*dst = v
	return nil
}

// Mark records that the option named option was given.
func (s *Settings) Mark(option string) {
	if s.given == nil {
		s.given = map[string]bool{}
	}
	s.given[option] = true
}

// Given reports whether the option named option was given.
func (s *Settings) Given(option string) bool { return s.given[option] }

// AddCredential records that the credential option named option was given. A client needs
// exactly one; the skeleton counts them.
func (s *Settings) AddCredential(option string) {
	s.credentials = append(s.credentials, option)
}

// Credentials returns the credential options given, in order.
func (s *Settings) Credentials() []string { return s.credentials }

// Own returns the settings of the vendor option (named option) belongs to, as *T. A vendor's
// options have the same type as the shared ones, so one meant for another vendor compiles;
// it is refused here instead of being ignored.
func Own[T any](s *Settings, vendor, option string) (*T, error) {
	if s.vendor != vendor {
		return nil, validate.Errorf(option, "belongs to package %s; it cannot configure a %s client", vendor, s.vendor)
	}
	own, ok := s.own.(*T)
	if !ok {
		// Only a vendor package whose New passes the wrong struct to Begin gets here: a bug in
		// grantkit, reported as an error rather than a panic in the caller's program.
		return nil, fmt.Errorf("grantkit: %s keeps its own settings in %T, not %T", vendor, s.own, own)
	}
	return own, nil
}

// VendorOption returns an option of vendor, named option, that runs f on the vendor's own
// settings. Its result converts to option.Option, whose underlying type it has (this package
// does not import the public option package: the arrow points from option to here).
func VendorOption[T any](vendor, option string, f func(s *Settings, own *T) error) func(*Settings) error {
	return func(s *Settings) error {
		own, err := Own[T](s, vendor, option)
		if err != nil {
			return err
		}
		return f(s, own)
	}
}

// ClientCredentials are a client id and secret, as every vendor's WithClientCredentials takes
// them. A vendor's own settings struct embeds it.
type ClientCredentials struct {
	ClientID     string
	ClientSecret grantkit.Secret
}

func (c *ClientCredentials) clientCredentials() *ClientCredentials { return c }

// Grant returns the standard OAuth 2.0 client-credentials grant of c at tokenURL, with the
// secret sent as style says.
func (c ClientCredentials) Grant(tokenURL string, style oauth2.AuthStyle) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret.Reveal(),
		TokenURL:     tokenURL,
		AuthStyle:    style,
	}
}

// WithClientCredentials returns vendor's WithClientCredentials option: one of the credential
// options, storing id and secret in the vendor's own settings T (which embeds
// ClientCredentials).
func WithClientCredentials[T any, PT interface {
	*T
	clientCredentials() *ClientCredentials
}](vendor, id string, secret grantkit.Secret) func(*Settings) error {
	name := vendor + ".WithClientCredentials"
	return VendorOption(vendor, name, func(s *Settings, own *T) error {
		s.AddCredential(name)
		if id == "" || secret == "" {
			return validate.Errorf(name, "client id and secret must not be empty")
		}
		*PT(own).clientCredentials() = ClientCredentials{ClientID: id, ClientSecret: secret}
		return nil
	})
}
