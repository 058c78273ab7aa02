package onelogin

import (
	"testing"

	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/internal/testkit/codecbench"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

// BenchmarkCodec: a OneLogin client app with its 20 scopes (OneLogin's grant object; the
// seed's own response is only {"id":...}).
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ClientApp", func(b *testing.B) {
		codecbench.Run(b, []byte(benchkit.OneLoginClientApp), func() *oas.ClientApp { return new(oas.ClientApp) }, func() *benchkit.StdOneLoginClientApp { return new(benchkit.StdOneLoginClientApp) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(benchkit.OneLoginClientApp), new(oas.ClientApp), new(benchkit.StdOneLoginClientApp)); err != nil {
		t.Error(err)
	}
}
