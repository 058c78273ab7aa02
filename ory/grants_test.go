package ory_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/ory"
)

// CheckGrant runs the writes' checks offline: no request, and the same answers.
func TestCheckGrantOffline(t *testing.T) {
	c, srv := setup(t)
	g := c.Grants()
	key := grantkit.GrantKey{Resource: srv.URL, ClientID: "svc"}
	require.NoError(t, g.CheckGrant(key, []string{"read:a", "openid"}))
	for name, tc := range map[string]struct {
		key    grantkit.GrantKey
		scopes []string
		want   string
	}{
		"another admin URL": {grantkit.GrantKey{Resource: "https://other.example", ClientID: "svc"}, nil, `key.resource: "https://other.example" is not this client's admin URL`},
		"no client id":      {grantkit.GrantKey{Resource: srv.URL}, nil, "key.client_id"},
		"subject type":      {grantkit.GrantKey{Resource: srv.URL, ClientID: "svc", SubjectType: "user"}, nil, "key.subject_type"},
		"a spaced scope":    {key, []string{"read:a", "read write"}, `scopes[1]: "read write" contains ' '`},
		"an empty scope":    {key, []string{""}, "scopes[0]: is empty"},
		"a newline":         {key, []string{"a\nb"}, `scopes[0]`},
	} {
		t.Run(name, func(t *testing.T) {
			err := g.CheckGrant(tc.key, tc.scopes)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "ory: Grants.CheckGrant: ")
		})
	}
	_, err := g.Get(context.Background(), grantkit.GrantKey{Resource: srv.URL})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Empty(t, srv.Requests(), "nothing was sent")

	var zero *ory.Client
	require.ErrorIs(t, zero.Grants().CheckGrant(key, nil), grantkit.ErrInvalidInput, "a nil client is a mistake, not a panic")
}

// The verbs never make or destroy a client or its secret.
func TestGrantsKeepClientsAndSecrets(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	g := c.Grants()
	key := grantkit.GrantKey{Resource: srv.URL, ClientID: "svc"}

	_, err := g.Create(ctx, key, []string{"read:a"})
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	assert.ErrorContains(t, err, `no OAuth 2.0 client "svc"`)
	assert.ErrorContains(t, err, "Clients.Create")
	_, err = c.Clients.Get(ctx, "svc")
	require.Error(t, err, "no client was made")

	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "svc", Secret: "kept-secret"})
	require.NoError(t, err)
	got, err := g.Get(ctx, key)
	require.NoError(t, err, "a client created without a scope has Hydra's default scope: a grant")
	assert.Equal(t, []string{"offline", "offline_access", "openid"}, got.Scopes)

	require.NoError(t, g.Delete(ctx, key))
	cl, err := c.Clients.Get(ctx, "svc")
	require.NoError(t, err, "revoking keeps the client")
	assert.Empty(t, cl.Scope)
	assert.JSONEq(t, `" "`, string(mustField(t, cl.Raw, "scope")), "no scope is written as one space")
	secret, ok := srv.SecretOf("svc")
	require.True(t, ok)
	assert.Equal(t, "kept-secret", secret, "and its secret")
	for gr, err := range g.List(ctx, grantkit.GrantListOptions{}) {
		require.NoError(t, err)
		assert.NotEqual(t, key, gr.Key, "a client without scope holds no grant")
	}
	_, err = g.Get(ctx, key)
	require.ErrorIs(t, err, grantkit.ErrGrantNotFound)
	assert.ErrorContains(t, err, "its scope is empty")

	_, err = c.Clients.Update(ctx, "svc", ory.OAuth2ClientUpdate{Scope: grantkit.Set[[]string]()})
	require.NoError(t, err)
	cl, err = c.Clients.Get(ctx, "svc")
	require.NoError(t, err)
	assert.Empty(t, cl.Scope, "an empty Scope stays empty, not Hydra's default")
}

func mustField(t *testing.T, raw json.RawMessage, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m))
	return m[name]
}

// Each client's Raw is its own copy: encoding it with a pooled encoder must not let a later
// answer change an earlier one, and the secrets stay out of it.
func TestRawIsOwnedByEachClient(t *testing.T) {
	c, _ := setup(t)
	ctx := context.Background()
	a, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "raw-a", Name: "first", Secret: "secret-a", Scope: []string{"read:a"}})
	require.NoError(t, err)
	rawA := string(a.Raw)
	assert.NotContains(t, rawA, "secret-a")
	assert.NotContains(t, rawA, "registration_access_token")
	b, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "raw-b", Name: "second-and-longer", Scope: []string{"write:b"}})
	require.NoError(t, err)
	_, err = c.Clients.Get(ctx, "raw-b")
	require.NoError(t, err)
	assert.Equal(t, rawA, string(a.Raw), "a later answer leaves an earlier Raw as it was")
	assert.JSONEq(t, `"first"`, string(mustField(t, a.Raw, "client_name")))
	assert.JSONEq(t, `"second-and-longer"`, string(mustField(t, b.Raw, "client_name")))
}
