package auth0

import (
	"testing"

	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/internal/codecbench"
)

type stdClientGrant struct {
	ID                        string   `json:"id"`
	ClientID                  string   `json:"client_id"`
	Audience                  string   `json:"audience"`
	Scope                     []string `json:"scope"`
	OrganizationUsage         string   `json:"organization_usage"`
	AllowAnyOrganization      bool     `json:"allow_any_organization"`
	IsSystem                  bool     `json:"is_system"`
	SubjectType               string   `json:"subject_type"`
	AuthorizationDetailsTypes []string `json:"authorization_details_types"`
	AllowAllScopes            bool     `json:"allow_all_scopes"`
}

// BenchmarkCodec: Auth0's ClientGrant with 20 scopes.
func BenchmarkCodec(b *testing.B) {
	codecbench.Run(b, []byte(bench.Auth0Grant), func() *oas.ClientGrant { return new(oas.ClientGrant) }, func() *stdClientGrant { return new(stdClientGrant) })
}
