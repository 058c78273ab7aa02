package construct

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
)

type ownA struct {
	ClientCredentials
	region string
}

func TestSetRefusesAContradictionOnly(t *testing.T) {
	var s Settings
	require.NoError(t, Set(&s, "x.WithRegion", &s.UserAgent, "eu"))
	require.NoError(t, Set(&s, "x.WithRegion", &s.UserAgent, "eu"))
	err := Set(&s, "x.WithRegion", &s.UserAgent, "ca")
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Equal(t, "eu", s.UserAgent, "the first value stays")
	assert.True(t, s.Given("x.WithRegion"))
	assert.False(t, s.Given("x.WithOther"))
}

func TestVendorOptionsStayWithTheirVendor(t *testing.T) {
	var s Settings
	own := &ownA{}
	s.begin("a", own)
	require.NoError(t, WithClientCredentials[ownA]("a", "id", "secret")(&s))
	assert.Equal(t, ClientCredentials{ClientID: "id", ClientSecret: "secret"}, own.ClientCredentials)
	assert.Equal(t, []string{"a.WithClientCredentials"}, s.Credentials())

	err := WithClientCredentials[ownA]("b", "id", "secret")(&s)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "b.WithClientCredentials: belongs to package b; it cannot configure a a client")

	err = WithClientCredentials[ownA]("a", "id", "")(&s)
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)

	// A vendor package passing Begin a struct other than its options' is a grantkit bug,
	// reported as an error rather than a panic.
	var wrong Settings
	wrong.begin("a", &struct{}{})
	err = VendorOption("a", "a.WithRegion", func(_ *Settings, o *ownA) error { o.region = "eu"; return nil })(&wrong)
	require.Error(t, err)
	assert.NotErrorIs(t, err, grantkit.ErrInvalidInput)
}

func TestGrant(t *testing.T) {
	g := ClientCredentials{ClientID: "id", ClientSecret: "s3cret"}.Grant("https://x/token", oauth2.AuthStyleInHeader)
	assert.Equal(t, "id", g.ClientID)
	assert.Equal(t, "s3cret", g.ClientSecret, "the token request needs the secret itself")
	assert.Equal(t, "https://x/token", g.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInHeader, g.AuthStyle)
}
