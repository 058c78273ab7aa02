package pingone_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

func TestBulkJobs(t *testing.T) {
	grantstest.RunBulk(t, func(t *testing.T) grantstest.BulkEnv {
		srv := pingonefake.NewServer()
		t.Cleanup(srv.Close)
		res := srv.AddResource("API", "https://api.example.com")
		ids := map[string]string{}
		for _, s := range grantstest.Scopes {
			ids[s] = srv.AddScope(res, s)
		}
		d := grantstest.NewDropper(nil)
		c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())),
			option.WithHTTPClient(d.Client()))
		require.NoError(t, err)
		return grantstest.BulkEnv{
			Env: grantstest.Env{
				Grants: c.Grants(),
				Vendor: "pingone",
				Drop:   func(scope string) { d.Drop(ids[scope]) },
				Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
					app := srv.AddApplication("app")
					var sids []string
					for _, s := range scopes {
						sids = append(sids, ids[s])
					}
					_, err := c.ApplicationGrants.Create(context.Background(), app, pingone.ApplicationGrantCreate{ResourceID: res, ScopeIDs: sids})
					require.NoError(t, err)
					return grantkit.GrantKey{Resource: res, ClientID: app}
				},
				Missing: func(k grantkit.GrantKey) grantkit.GrantKey { k.ClientID = srv.AddApplication("no grants"); return k },
			},
			Sent:        func() (int, int) { return grantstest.Count(srv.Requests()) },
			BeforeWrite: d.BeforeNextWrite,
			DeltaReads:  2,
		}
	})
}
