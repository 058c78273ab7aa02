package cpn

import (
	"testing"

	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/codecbench"
)

type stdRole struct {
	Name string `json:"name"`
}

type stdApp struct {
	AccessTokenTTL int32 `json:"accessTokenTTL"`
	AllowedScopes  struct {
		GeneralScopes      []string `json:"generalScopes"`
		OrganizationScopes struct {
			Roles []stdRole `json:"roles"`
		} `json:"organizationScopes"`
		ServicesScopes []struct {
			AllRoles            bool      `json:"allRoles"`
			Roles               []stdRole `json:"roles"`
			ServiceDefinitionID string    `json:"serviceDefinitionId"`
		} `json:"servicesScopes"`
	} `json:"allowedScopes"`
	CreatedAt                         int64    `json:"createdAt"`
	Description                       string   `json:"description"`
	DisplayName                       string   `json:"displayName"`
	GrantTypes                        []string `json:"grantTypes"`
	ID                                string   `json:"id"`
	LastUpdatedAt                     int64    `json:"lastUpdatedAt"`
	OwnerOnlySecretRotation           bool     `json:"ownerOnlySecretRotation"`
	SecretRotationExpirationInSeconds int32    `json:"secretRotationExpirationInSeconds"`
}

// BenchmarkCodec: CPN's CpnOrgOauthAppResponse with 20 general scopes.
func BenchmarkCodec(b *testing.B) {
	b.Run("type=CpnOrgOauthAppResponse", func(b *testing.B) {
		codecbench.Run(b, []byte(bench.CPNApp), func() *oas.CpnOrgOauthAppResponse { return new(oas.CpnOrgOauthAppResponse) }, func() *stdApp { return new(stdApp) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(bench.CPNApp), new(oas.CpnOrgOauthAppResponse), new(stdApp)); err != nil {
		t.Error(err)
	}
}
