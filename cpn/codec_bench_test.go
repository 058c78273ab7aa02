package cpn

import (
	"testing"

	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/internal/testkit/codecbench"
)

// BenchmarkCodec: CPN's CpnOrgOauthAppResponse with 20 general scopes.
func BenchmarkCodec(b *testing.B) {
	b.Run("type=CpnOrgOauthAppResponse", func(b *testing.B) {
		codecbench.Run(b, []byte(benchkit.CPNApp), func() *oas.CpnOrgOauthAppResponse { return new(oas.CpnOrgOauthAppResponse) }, func() *benchkit.StdCPNApp { return new(benchkit.StdCPNApp) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(benchkit.CPNApp), new(oas.CpnOrgOauthAppResponse), new(benchkit.StdCPNApp)); err != nil {
		t.Error(err)
	}
}
