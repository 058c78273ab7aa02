package pingone

import (
	"testing"

	"github.com/grantkit/grantkit/bench"
	"github.com/grantkit/grantkit/internal/codecbench"
	"github.com/grantkit/grantkit/pingone/internal/oas"
)

type stdID struct {
	ID string `json:"id"`
}

type stdGrant struct {
	Links map[string]struct {
		Href string `json:"href"`
	} `json:"_links"`
	ID          string  `json:"id"`
	Environment stdID   `json:"environment"`
	Resource    stdID   `json:"resource"`
	Application stdID   `json:"application"`
	Scopes      []stdID `json:"scopes"`
	CreatedAt   string  `json:"createdAt"`
	UpdatedAt   string  `json:"updatedAt"`
}

// BenchmarkCodec: PingOne's ApplicationResourceGrant with 20 scopes.
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ApplicationResourceGrant", func(b *testing.B) {
		codecbench.Run(b, []byte(bench.PingOneGrant), func() *oas.ApplicationResourceGrant { return new(oas.ApplicationResourceGrant) }, func() *stdGrant { return new(stdGrant) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(bench.PingOneGrant), new(oas.ApplicationResourceGrant), new(stdGrant)); err != nil {
		t.Error(err)
	}
}
