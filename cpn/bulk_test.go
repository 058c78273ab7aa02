package cpn_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/cpn/cpnfake"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/option"
)

func TestBulkJobs(t *testing.T) {
	grantstest.RunBulk(t, func(t *testing.T) grantstest.BulkEnv {
		d := grantstest.NewDropper(nil)
		c, srv := setup(t, option.WithHTTPClient(d.Client()))
		n := 0
		return grantstest.BulkEnv{
			Env: grantstest.Env{
				Grants:           c.Grants(),
				Vendor:           "cpn",
				GrantNeedsScopes: true,
				Drop:             func(scope string) { d.Drop(scope) },
				Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
					n++
					id := "app-" + strconv.Itoa(n)
					_, err := c.OAuthApps.Create(context.Background(), cpn.OAuthAppCreate{ID: id, AllowedScopes: cpn.AllowedScopes{GeneralScopes: scopes}})
					require.NoError(t, err)
					return grantkit.GrantKey{Resource: cpnfake.OrgID, ClientID: id}
				},
			},
			Sent:        func() (int, int) { return grantstest.Count(srv.Requests()) },
			BeforeWrite: d.BeforeNextWrite,
			DeltaReads:  1,
		}
	})
}
