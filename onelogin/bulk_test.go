package onelogin_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
)

func TestBulkJobs(t *testing.T) {
	grantstest.RunBulk(t, func(t *testing.T) grantstest.BulkEnv {
		d := grantstest.NewDropper(nil)
		c, srv := setup(t, option.WithHTTPClient(d.Client()))
		ctx := context.Background()
		authID := srv.AddAuthorization("API", "https://api.example.com/")
		ids := map[string]int64{}
		for _, s := range grantstest.Scopes {
			sc, err := c.Authorizations.CreateScope(ctx, authID, onelogin.ScopeCreate{Value: s, Description: s})
			require.NoError(t, err)
			ids[s] = sc.ID
		}
		next := int64(100)
		return grantstest.BulkEnv{
			Env: grantstest.Env{
				Grants:  c.Grants(),
				Vendor:  "onelogin",
				Missing: func(k grantkit.GrantKey) grantkit.GrantKey { k.ClientID = "999999"; return k },
				Drop:    func(scope string) { d.Drop(strconv.FormatInt(ids[scope], 10)) },
				Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
					next++
					srv.AddApp(next)
					var sids []int64
					for _, s := range scopes {
						sids = append(sids, ids[s])
					}
					_, err := c.ClientApps.Create(ctx, authID, onelogin.ClientAppCreate{AppID: next, ScopeIDs: sids})
					require.NoError(t, err)
					return grantkit.GrantKey{Resource: strconv.FormatInt(authID, 10), ClientID: strconv.FormatInt(next, 10)}
				},
			},
			Sent:        func() (int, int) { return grantstest.Count(srv.Requests()) },
			BeforeWrite: d.BeforeNextWrite,
			DeltaReads:  2,
		}
	})
}
