package onelogin

import (
	"testing"

	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/internal/codecbench"
	"github.com/grantkit/grantkit/onelogin/internal/oas"
)

type stdScope struct {
	ID          int64  `json:"id"`
	Value       string `json:"value"`
	Description string `json:"description"`
}

type stdClientApp struct {
	AppID     int64      `json:"app_id"`
	APIAuthID int64      `json:"api_auth_id"`
	Name      string     `json:"name"`
	Scopes    []stdScope `json:"scopes"`
}

// BenchmarkCodec: a OneLogin client app with its 20 scopes (OneLogin's grant object; the
// seed's own response is only {"id":...}).
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ClientApp", func(b *testing.B) {
		codecbench.Run(b, []byte(bench.OneLoginClientApp), func() *oas.ClientApp { return new(oas.ClientApp) }, func() *stdClientApp { return new(stdClientApp) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(bench.OneLoginClientApp), new(oas.ClientApp), new(stdClientApp)); err != nil {
		t.Error(err)
	}
}
