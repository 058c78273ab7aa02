package onelogin

import (
	"fmt"
	"strings"
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
	scopes := make([]string, len(bench.Scopes))
	for i, s := range bench.Scopes {
		scopes[i] = fmt.Sprintf(`{"id":%d,"value":%q,"description":"Access %s"}`, 1000+i, s, s)
	}
	data := `{"app_id":4242,"api_auth_id":1001,"name":"billing-service","scopes":[` + strings.Join(scopes, ",") + `]}`
	codecbench.Run(b, []byte(data), func() *oas.ClientApp { return new(oas.ClientApp) }, func() *stdClientApp { return new(stdClientApp) })
}
