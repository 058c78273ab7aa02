package pingone

import (
	"testing"

	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/internal/testkit/codecbench"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// BenchmarkCodec: PingOne's ApplicationResourceGrant with 20 scopes.
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ApplicationResourceGrant", func(b *testing.B) {
		codecbench.Run(b, []byte(benchkit.PingOneGrant), func() *oas.ApplicationResourceGrant { return new(oas.ApplicationResourceGrant) }, func() *benchkit.StdPingOneGrant { return new(benchkit.StdPingOneGrant) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(benchkit.PingOneGrant), new(oas.ApplicationResourceGrant), new(benchkit.StdPingOneGrant)); err != nil {
		t.Error(err)
	}
}
