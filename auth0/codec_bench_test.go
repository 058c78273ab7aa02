package auth0

import (
	"testing"

	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/internal/codecbench"
)

// stdClientGrant is oas.ClientGrant written by hand for encoding/json.
type stdClientGrant struct {
	ID                        string   `json:"id,omitempty"`
	ClientID                  string   `json:"client_id,omitempty"`
	Audience                  string   `json:"audience,omitempty"`
	Scope                     []string `json:"scope"`
	OrganizationUsage         string   `json:"organization_usage,omitempty"`
	AllowAnyOrganization      bool     `json:"allow_any_organization"`
	DefaultFor                string   `json:"default_for,omitempty"`
	IsSystem                  bool     `json:"is_system"`
	SubjectType               string   `json:"subject_type,omitempty"`
	AuthorizationDetailsTypes []string `json:"authorization_details_types,omitempty"`
	AllowAllScopes            bool     `json:"allow_all_scopes"`
}

// stdUpdate is oas.UpdateClientGrantRequest with only a scope, the body of the seed update.
type stdUpdate struct {
	Scope []string `json:"scope"`
}

// updateBody is the body ClientGrants.Update sends for the 20 scopes.
var updateBody = func() []byte {
	b, err := (&oas.UpdateClientGrantRequest{Scope: oas.NewOptNilStringArray(bench.Scopes)}).MarshalJSON()
	if err != nil {
		panic(err)
	}
	return b
}()

// BenchmarkCodec: Auth0's ClientGrant with 20 scopes (the response of every call), and the
// update request with 20 scopes (what ClientGrants.Update encodes).
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ClientGrant", func(b *testing.B) {
		codecbench.Run(b, []byte(bench.Auth0Grant), func() *oas.ClientGrant { return new(oas.ClientGrant) }, func() *stdClientGrant { return new(stdClientGrant) })
	})
	b.Run("type=UpdateClientGrantRequest", func(b *testing.B) {
		codecbench.Run(b, updateBody, func() *oas.UpdateClientGrantRequest { return new(oas.UpdateClientGrantRequest) }, func() *stdUpdate { return new(stdUpdate) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(bench.Auth0Grant), new(oas.ClientGrant), new(stdClientGrant)); err != nil {
		t.Error(err)
	}
	if err := codecbench.Equivalent(updateBody, new(oas.UpdateClientGrantRequest), new(stdUpdate)); err != nil {
		t.Error(err)
	}
}
