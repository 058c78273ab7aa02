package auth0_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/option"
)

func TestBulkJobs(t *testing.T) {
	grantstest.RunBulk(t, func(t *testing.T) grantstest.BulkEnv {
		d := grantstest.NewDropper(nil)
		c, srv, _ := setup(t, option.WithHTTPClient(d.Client()))
		n := 0
		return grantstest.BulkEnv{
			Env: grantstest.Env{
				Grants: c.Grants(),
				Vendor: "auth0",
				Seed: func(t *testing.T, scopes ...string) grantkit.GrantKey {
					n++
					key := grantkit.GrantKey{Resource: testAudience, ClientID: "client-" + strconv.Itoa(n)}
					srv.AddClient(key.ClientID)
					_, err := c.ClientGrants.Create(context.Background(), auth0.ClientGrantCreate{ClientID: key.ClientID, Audience: key.Resource, Scope: scopes})
					require.NoError(t, err)
					return key
				},
				Subjects:    true,
				Drop:        func(scope string) { d.Drop(scope) },
				MaxScopeLen: 280,
			},
			Sent:        func() (int, int) { return grantstest.Count(srv.Requests()) },
			BeforeWrite: d.BeforeNextWrite,
			DeltaReads:  1,
		}
	})
}

func TestBulkKeyForClientAccessMayNameItsSubjectType(t *testing.T) {
	c, _, _ := setup(t)
	ctx := context.Background()
	_, err := c.ClientGrants.Create(ctx, auth0.ClientGrantCreate{ClientID: "c1", Audience: testAudience, Scope: []string{"read:a"}})
	require.NoError(t, err)
	res, err := grantkit.ApplyScopes(ctx, c.Grants(), []grantkit.ScopeChangeRequest{
		{Key: grantkit.GrantKey{Resource: testAudience, ClientID: "c1", SubjectType: "client"}, Add: []string{"admin"}},
	}, 1)
	require.NoError(t, err)
	require.True(t, res[0].Written)
	require.Equal(t, []string{"admin", "read:a"}, res[0].Stored.Scopes)
}
