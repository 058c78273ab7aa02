package auth0

import (
	"testing"

	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/internal/testkit/benchkit"
	"github.com/grantkit/grantkit/internal/testkit/codecbench"
)

// updateBody is the body ClientGrants.Update sends for the 20 scopes.
var updateBody = func() []byte {
	b, err := (&oas.UpdateClientGrantRequest{Scope: oas.NewOptNilStringArray(benchkit.Scopes)}).MarshalJSON()
	if err != nil {
		panic(err)
	}
	return b
}()

// BenchmarkCodec: Auth0's ClientGrant with 20 scopes (the response of every call), and the
// update request with 20 scopes (what ClientGrants.Update encodes).
func BenchmarkCodec(b *testing.B) {
	b.Run("type=ClientGrant", func(b *testing.B) {
		codecbench.Run(b, []byte(benchkit.Auth0Grant), func() *oas.ClientGrant { return new(oas.ClientGrant) }, func() *benchkit.StdAuth0Grant { return new(benchkit.StdAuth0Grant) })
	})
	b.Run("type=UpdateClientGrantRequest", func(b *testing.B) {
		codecbench.Run(b, updateBody, func() *oas.UpdateClientGrantRequest { return new(oas.UpdateClientGrantRequest) }, func() *benchkit.StdAuth0GrantUpdate { return new(benchkit.StdAuth0GrantUpdate) })
	})
}

func TestCodecBenchmarkComparesEquivalentTypes(t *testing.T) {
	if err := codecbench.Equivalent([]byte(benchkit.Auth0Grant), new(oas.ClientGrant), new(benchkit.StdAuth0Grant)); err != nil {
		t.Error(err)
	}
	if err := codecbench.Equivalent(updateBody, new(oas.UpdateClientGrantRequest), new(benchkit.StdAuth0GrantUpdate)); err != nil {
		t.Error(err)
	}
}
