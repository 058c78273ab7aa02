package cpn

import (
	"testing"

	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/cpn/internal/oas"
	"github.com/grantkit/grantkit/internal/codecbench"
)

// BenchmarkCodec: CPN's CpnOrgOauthAppResponse with 20 general scopes.
func BenchmarkCodec(b *testing.B) {
	b.Run("type=CpnOrgOauthAppResponse", func(b *testing.B) {
		codecbench.Run(b, []byte(bench.CPNApp), func() *oas.CpnOrgOauthAppResponse { return new(oas.CpnOrgOauthAppResponse) }, func() *bench.StdCPNApp { return new(bench.StdCPNApp) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(bench.CPNApp), new(oas.CpnOrgOauthAppResponse), new(bench.StdCPNApp)); err != nil {
		t.Error(err)
	}
}
