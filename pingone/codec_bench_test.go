package pingone

import (
	"testing"

	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/internal/codecbench"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

// BenchmarkCodec: PingOne's ApplicationResourceGrant with 20 scopes.
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ApplicationResourceGrant", func(b *testing.B) {
		codecbench.Run(b, []byte(bench.PingOneGrant), func() *oas.ApplicationResourceGrant { return new(oas.ApplicationResourceGrant) }, func() *bench.StdPingOneGrant { return new(bench.StdPingOneGrant) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(bench.PingOneGrant), new(oas.ApplicationResourceGrant), new(bench.StdPingOneGrant)); err != nil {
		t.Error(err)
	}
}
