package ory_test

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/testkit/grantstest"
	"github.com/grantkit/grantkit/internal/testkit/reliabilitytest"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/ory/oryfake"
)

func setup(t *testing.T, opts ...option.Option) (*ory.Client, *oryfake.Server) {
	t.Helper()
	srv := oryfake.NewServer()
	t.Cleanup(srv.Close)
	c, err := ory.New(srv.URL, append([]option.Option{ory.WithAPIToken(oryfake.APIKey)}, opts...)...)
	require.NoError(t, err)
	return c, srv
}

func last(t *testing.T, srv *oryfake.Server) oryfake.Request {
	t.Helper()
	r := srv.Requests()
	require.NotEmpty(t, r)
	return r[len(r)-1]
}

// The seed operation on the wire: an update is one JSON Patch of "replace" operations, with
// the project API key as a bearer token.
func TestUpdateWire(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, option.WithUserAgent("svc/1.0"))
	_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "billing", Scope: []string{"read:a"}})
	require.NoError(t, err)
	cl, err := c.Clients.Update(ctx, "billing", ory.OAuth2ClientUpdate{
		Scope:    grantkit.Set("read:invoices", "write:invoices"),
		Audience: grantkit.Set[[]string](),
		Name:     grantkit.Value("Billing"),
		Metadata: grantkit.Value(json.RawMessage(`{"tier":"gold"}`)),
	})
	require.NoError(t, err)
	r := last(t, srv)
	assert.Equal(t, http.MethodPatch, r.Method)
	assert.Equal(t, "/admin/clients/billing", r.Path)
	assert.Empty(t, r.RawQuery)
	assert.JSONEq(t, `[{"op":"replace","path":"/scope","value":"read:invoices write:invoices"},
		{"op":"replace","path":"/audience","value":[]},
		{"op":"replace","path":"/client_name","value":"Billing"},
		{"op":"replace","path":"/metadata","value":{"tier":"gold"}}]`, string(r.Body))
	assert.Equal(t, "Bearer "+oryfake.APIKey, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Contains(t, r.Header.Get("User-Agent"), "svc/1.0")
	assert.Contains(t, r.Header.Get("User-Agent"), "grantkit/")
	assert.Equal(t, []string{"read:invoices", "write:invoices"}, cl.Scope)
	assert.Equal(t, "Billing", cl.Name)
	assert.JSONEq(t, `{"tier":"gold"}`, string(cl.Metadata))
	assert.Empty(t, cl.Secret, "an update that sets no secret answers none")
}

func TestWithoutAuthenticationSendsNoCredential(t *testing.T) {
	ctx := context.Background()
	srv := oryfake.NewServer()
	t.Cleanup(srv.Close)
	c, err := ory.New(srv.URL, ory.WithoutAuthentication())
	require.NoError(t, err)
	_, err = c.Clients.Get(ctx, "x")
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode, "the fake wants a credential unless Open")
	assert.Empty(t, last(t, srv).Header.Values("Authorization"), "no Authorization header at all, not an empty bearer")

	srv.Open()
	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "x"})
	require.NoError(t, err)
	assert.Empty(t, last(t, srv).Header.Values("Authorization"))
}

func TestNew(t *testing.T) {
	for name, c := range map[string]struct {
		url  string
		opts []option.Option
		want string
	}{
		"no credential":           {"https://p.projects.oryapis.com", nil, "give exactly one of ory.WithAPIToken, ory.WithoutAuthentication"},
		"two credentials":         {"https://p.projects.oryapis.com", []option.Option{ory.WithAPIToken("k"), ory.WithoutAuthentication()}, "got ory.WithAPIToken, ory.WithoutAuthentication"},
		"empty key":               {"https://p.projects.oryapis.com", []option.Option{ory.WithAPIToken("")}, "ory.WithAPIToken: must not be empty"},
		"key with CR LF":          {"https://p.projects.oryapis.com", []option.Option{ory.WithAPIToken("k\r\nX: 1")}, "CR or LF"},
		"path doubled":            {"https://p.projects.oryapis.com/admin", []option.Option{ory.WithAPIToken("k")}, "ends with /admin"},
		"query":                   {"https://p.projects.oryapis.com?x=1", []option.Option{ory.WithAPIToken("k")}, "has a query"},
		"not a URL":               {"p.projects.oryapis.com", []option.Option{ory.WithAPIToken("k")}, "not an absolute URL"},
		"http with a key":         {"http://hydra-admin:4445", []option.Option{ory.WithAPIToken("k")}, "only with ory.WithoutAuthentication"},
		"http with a token":       {"http://hydra-admin:4445", []option.Option{option.WithToken("t")}, "only with ory.WithoutAuthentication"},
		"another vendor's scheme": {"ftp://hydra", []option.Option{ory.WithoutAuthentication()}, "scheme"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ory.New(c.url, c.opts...)
			require.ErrorIs(t, err, grantkit.ErrInvalidInput)
			assert.ErrorContains(t, err, c.want)
			assert.NotContains(t, err.Error(), "X: 1")
		})
	}
	_, err := ory.New("http://hydra-admin:4445", ory.WithoutAuthentication())
	require.NoError(t, err, "an in-cluster admin listener over http, no credential sent")
	_, err = ory.New("http://127.0.0.1:4445", ory.WithAPIToken("k"))
	require.NoError(t, err, "loopback")
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t)
	created, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{
		ID: "svc-1", Name: "Service", Scope: []string{"read:a", "write:a"}, GrantTypes: []string{"client_credentials"},
		Secret: "s3cret-value", Audience: []string{"https://api.example.com"},
	})
	require.NoError(t, err)
	assert.Equal(t, "svc-1", created.ID)
	assert.Equal(t, grantkit.Secret("s3cret-value"), created.Secret)
	assert.NotContains(t, string(created.Raw), "s3cret-value", "Raw never holds the secret")
	assert.NotContains(t, fmt.Sprintf("%+v", created), "s3cret-value")
	generated, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{})
	require.NoError(t, err)
	assert.NotEmpty(t, generated.ID, "Hydra generates an id")
	assert.NotEmpty(t, generated.Secret.Reveal(), "and a secret, shown once")
	assert.Equal(t, oryfake.DefaultScope, generated.Scope, "and Hydra's default scope")

	got, err := c.Clients.Get(ctx, "svc-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"read:a", "write:a"}, got.Scope)
	assert.Equal(t, []string{"https://api.example.com"}, got.Audience)
	assert.Empty(t, got.Secret, "never returned by a read")
	assert.False(t, got.CreatedAt.IsZero())
	var raw map[string]any
	require.NoError(t, json.Unmarshal(got.Raw, &raw))
	assert.Contains(t, raw, "token_endpoint_auth_method", "Raw keeps every field Hydra returned")

	// Paging through Link.
	for i := range 5 {
		_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "page-" + strconv.Itoa(i)})
		require.NoError(t, err)
	}
	page, err := c.Clients.ListPage(ctx, ory.OAuth2ClientListOptions{PageSize: 3})
	require.NoError(t, err)
	assert.Len(t, page.Items, 3)
	require.NotEmpty(t, page.Next)
	var ids []string
	for cl, err := range c.Clients.List(ctx, ory.OAuth2ClientListOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, cl.ID)
	}
	assert.Len(t, ids, 7)
	assert.Contains(t, ids, "svc-1")
	assert.Contains(t, ids, generated.ID)

	// Patch with a test operation: refused when the value moved on, nothing changed. Hydra
	// answers a failed test with a 500 (measured), which is retried as any 500 is.
	once, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey), option.WithRetryPolicy(grantkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	_, err = once.Clients.Patch(ctx, "svc-1", []ory.PatchOperation{
		{Op: "test", Path: "/scope", Value: json.RawMessage(`"read:a"`)},
		{Op: "replace", Path: "/scope", Value: json.RawMessage(`"admin"`)},
	})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, "error", apiErr.Code)
	assert.Equal(t, "The error is unrecognizable", apiErr.Message)
	got, err = c.Clients.Get(ctx, "svc-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"read:a", "write:a"}, got.Scope)

	require.NoError(t, c.Clients.Delete(ctx, "svc-1"))
	_, err = c.Clients.Get(ctx, "svc-1")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Clients.Get", apiErr.Operation)
	assert.Equal(t, "ory", apiErr.Vendor)
	require.Error(t, c.Clients.Delete(ctx, "svc-1"), "Hydra answers 404 to a second delete")
	_, ok := srv.SecretOf("svc-1")
	assert.False(t, ok)
}

func TestErrorBody(t *testing.T) {
	c, srv := setup(t)
	srv.FailNext(1, oryfake.Fault{Status: 409, Answer: &oryfake.Answer{
		Body:        `{"error":"Unable to insert or update resource because a resource with that value exists already","error_description":"","error_hint":"","status_code":409}`,
		ContentType: "application/json",
	}})
	_, err := c.Clients.Create(context.Background(), ory.OAuth2ClientCreate{ID: "dup"})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 409, apiErr.StatusCode)
	assert.Equal(t, "Unable to insert or update resource because a resource with that value exists already", apiErr.Code)
	srv.FailNext(1, oryfake.Fault{Status: 404, Answer: &oryfake.Answer{
		Body:        `{"error":"Not Found","error_description":"Unable to locate the resource","error_hint":"check the id"}`,
		ContentType: "application/json",
	}})
	_, err = c.Clients.Get(context.Background(), "x")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Not Found", apiErr.Code)
	assert.Equal(t, "Unable to locate the resource check the id", apiErr.Message)
}

func TestGrantsAdapter(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grantstest.Env {
		return grantsEnv(t).Env
	})
}

func TestBulkJobs(t *testing.T) {
	grantstest.RunBulk(t, grantsEnv)
}

// grantsEnv is the tables' Env over a fresh fake: seeded clients are made with Clients.Create,
// and NewKey's clients exist with an empty scope (a client Hydra keeps, holding no grant).
func grantsEnv(t *testing.T) grantstest.BulkEnv {
	d := grantstest.NewDropper(nil)
	c, srv := setup(t, option.WithHTTPClient(d.Client()))
	ctx := context.Background()
	n := 0
	client := func(t *testing.T, scopes []string) grantkit.GrantKey {
		n++
		id := "client-" + strconv.Itoa(n)
		_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: id, GrantTypes: []string{"client_credentials"}})
		require.NoError(t, err)
		_, err = c.Clients.Update(ctx, id, ory.OAuth2ClientUpdate{Scope: grantkit.Set(scopes...)})
		require.NoError(t, err)
		return grantkit.GrantKey{Resource: srv.URL, ClientID: id}
	}
	return grantstest.BulkEnv{
		Env: grantstest.Env{
			Grants:           c.Grants(),
			Vendor:           "ory",
			Drop:             func(scope string) { d.Drop(scope) },
			Refuse:           d.Refuse,
			GrantNeedsScopes: true,
			Seed:             func(t *testing.T, scopes ...string) grantkit.GrantKey { return client(t, scopes) },
			NewKey:           func(t *testing.T) grantkit.GrantKey { return client(t, nil) },
		},
		Sent:        func() (int, int) { return grantstest.Count(srv.Requests()) },
		BeforeWrite: d.BeforeNextWrite,
		DeltaReads:  1, // the client's GET just before its PATCH
	}
}

func TestReliability(t *testing.T) {
	reliabilitytest.Run(t, func(t *testing.T, o reliabilitytest.Options) reliabilitytest.Env {
		srv := oryfake.NewServer()
		t.Cleanup(srv.Close)
		seed, err := ory.New(srv.URL, ory.WithAPIToken(oryfake.APIKey))
		require.NoError(t, err)
		return ReliabilityEnv(t, o, srv.URL, srv, seed)
	})
}

// ReliabilityEnv builds the reliability table's Env for a client of the admin API at base,
// whose bearer tokens come from base's /oauth2/token (a gateway's client credentials, through
// option.WithTokenSource). seed is a client that reaches the same clients without faults.
func ReliabilityEnv(t *testing.T, o reliabilitytest.Options, base string, fake reliabilityFake, seed *ory.Client) reliabilitytest.Env {
	ctx := context.Background()
	_, err := seed.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "app", Scope: []string{"read:a"}})
	require.NoError(t, err)
	secret := oryfake.ClientSecret
	if o.WrongSecret != "" {
		secret = o.WrongSecret
	}
	cc := clientcredentials.Config{ClientID: oryfake.ClientID, ClientSecret: secret, TokenURL: base + oryfake.TokenPath, AuthStyle: oauth2.AuthStyleInHeader}
	// Not cc.TokenSource, which keeps its token: grantkit's cache decides when to fetch.
	fetch := tokenSource(func() (*oauth2.Token, error) { return cc.Token(ctx) })
	c, err := ory.New(base, o.With(option.WithBaseURL(base), option.WithTokenSource(fetch))...)
	require.NoError(t, err)
	n := 0
	return reliabilitytest.Env{
		Read: func(ctx context.Context) error { _, err := c.Clients.Get(ctx, "app"); return err },
		Update: func(ctx context.Context) (func() bool, error) {
			n++
			want := "name-" + strconv.Itoa(n)
			_, err := c.Clients.Update(ctx, "app", ory.OAuth2ClientUpdate{Name: grantkit.Value(want)})
			return func() bool {
				a, err := seed.Clients.Get(context.Background(), "app")
				return err == nil && a.Name == want
			}, err
		},
		Create: func(ctx context.Context) error {
			n++
			_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "new-" + strconv.Itoa(n)})
			return err
		},
		Delete: func() func(ctx context.Context) error {
			n++
			id := "gone-" + strconv.Itoa(n)
			_, err := seed.Clients.Create(context.Background(), ory.OAuth2ClientCreate{ID: id})
			require.NoError(t, err)
			return func(ctx context.Context) error { return c.Clients.Delete(ctx, id) }
		},
		Created: func() int {
			if _, err := seed.Clients.Get(context.Background(), "new-"+strconv.Itoa(n)); err != nil {
				return 0
			}
			return 1
		},
		LostSecret: true,
		LostCreate: []string{"the client may now exist", "Clients.Get", "Clients.List", "secret", "was lost", "Clients.Patch", "cannot be recovered"},
		Fake:       fake,
		New: func(opts ...option.Option) error {
			_, err := ory.New(base, opts...)
			return err
		},
		List: func(ctx context.Context) iter.Seq2[string, error] {
			_, err := seed.Clients.Create(context.Background(), ory.OAuth2ClientCreate{ID: "listed"})
			require.NoError(t, err)
			return reliabilitytest.IDs(c.Clients.List(ctx, ory.OAuth2ClientListOptions{PageSize: 1}), func(a *ory.OAuth2Client) string { return a.ID })
		},
		Token: fake.IssueToken,
		BadInputs: map[string]func(ctx context.Context) error{
			"empty id": func(ctx context.Context) error { _, err := c.Clients.Get(ctx, ""); return err },
			"../ id":   func(ctx context.Context) error { _, err := c.Clients.Get(ctx, "../app"); return err },
			"%2F id":   func(ctx context.Context) error { _, err := c.Clients.Get(ctx, "a%2Fb"); return err },
			"negative page size": func(ctx context.Context) error {
				_, err := c.Clients.ListPage(ctx, ory.OAuth2ClientListOptions{PageSize: -1})
				return err
			},
			"scope with a space": func(ctx context.Context) error {
				_, err := c.Clients.Update(ctx, "app", ory.OAuth2ClientUpdate{Scope: grantkit.Set("read write")})
				return err
			},
			"short secret": func(ctx context.Context) error {
				_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{Secret: "abc"})
				return err
			},
			"empty scope": func(ctx context.Context) error {
				_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{Scope: []string{""}})
				return err
			},
			"null field": func(ctx context.Context) error {
				_, err := c.Clients.Update(ctx, "app", ory.OAuth2ClientUpdate{Name: grantkit.Null[string]()})
				return err
			},
			"empty update": func(ctx context.Context) error {
				_, err := c.Clients.Update(ctx, "app", ory.OAuth2ClientUpdate{})
				return err
			},
			"metadata not JSON": func(ctx context.Context) error {
				_, err := c.Clients.Update(ctx, "app", ory.OAuth2ClientUpdate{Metadata: grantkit.Value(json.RawMessage(`{`))})
				return err
			},
			"patch op unknown": func(ctx context.Context) error {
				_, err := c.Clients.Patch(ctx, "app", []ory.PatchOperation{{Op: "merge", Path: "/scope"}})
				return err
			},
			"patch without ops": func(ctx context.Context) error { _, err := c.Clients.Patch(ctx, "app", nil); return err },
			"grant key of another admin API": func(ctx context.Context) error {
				_, err := c.Grants().Get(ctx, grantkit.GrantKey{Resource: "https://other.example", ClientID: "app"})
				return err
			},
		},
		Client:  c,
		Secrets: []string{oryfake.ClientSecret},
	}
}

type tokenSource func() (*oauth2.Token, error)

func (f tokenSource) Token() (*oauth2.Token, error) { return f() }

// reliabilityFake is oryfake, or realserver's fault-injecting front before Hydra.
type reliabilityFake = interface {
	reliabilitytest.Fake
	IssueToken() grantkit.Secret
}

// Hydra refuses a write whose transaction met a concurrent one with a 400 (measured on
// v2.3.0's sqlite under ApplyScopes' concurrent writes); nothing was written, so it is sent
// again.
func TestConcurrentTransactionIsResent(t *testing.T) {
	ctx := context.Background()
	var waits []string
	c, srv := setup(t, construct.WithSleep(func(_ context.Context, d time.Duration) error {
		waits = append(waits, d.String())
		return nil
	}))
	_, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "busy", Scope: []string{"read:a"}})
	require.NoError(t, err)
	conflict := oryfake.Fault{Status: 400, Answer: &oryfake.Answer{
		Body:        `{"error":"Unable to serialize access due to a concurrent update in another session","error_description":""}`,
		ContentType: "application/json",
	}}
	srv.FailNext(2, conflict)
	before := len(srv.Requests())
	cl, err := c.Clients.Update(ctx, "busy", ory.OAuth2ClientUpdate{Scope: grantkit.Set("admin")})
	require.NoError(t, err)
	assert.Equal(t, []string{"admin"}, cl.Scope)
	assert.Equal(t, 3, len(srv.Requests())-before)
	assert.Len(t, waits, 2)

	srv.FailNext(1, conflict)
	require.NoError(t, c.Clients.Delete(ctx, "busy"))
	srv.FailNext(10, conflict)
	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "busy"})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr, "bounded: the sixth refusal is the answer")
	assert.Equal(t, 400, apiErr.StatusCode)

	srv.FailNext(1, oryfake.Fault{Status: 400})
	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "other"})
	require.Error(t, err, "another 400 is not resent")
}

// A create that set its own secret loses nothing with its answer: found by its ID, it is
// returned with that secret; whatever the error says of a lost answer, it never calls the
// secret lost. One that let Hydra generate it is told the secret cannot be recovered.
func TestLostCreateAnswerAndTheSecret(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, option.WithRetryPolicy(grantkit.RetryPolicy{}), construct.WithSleep(func(context.Context, time.Duration) error { return nil }))

	srv.FailNext(1, oryfake.Fault{Status: 503, Apply: true})
	cl, err := c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "own", Secret: "own-secret-value"})
	require.NoError(t, err, "found by its ID, as asked")
	assert.Equal(t, grantkit.Secret("own-secret-value"), cl.Secret)

	srv.FailNext(1, oryfake.Fault{Truncate: true})
	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "own-2", Secret: "own-secret-value"})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "the client may now exist")
	assert.NotContains(t, apiErr.Message, "secret", "the caller holds the secret it set")

	srv.FailNext(1, oryfake.Fault{Truncate: true})
	_, err = c.Clients.Create(ctx, ory.OAuth2ClientCreate{ID: "generated"})
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "was lost and cannot be recovered")
	assert.Contains(t, apiErr.Message, "Clients.Patch (replace /client_secret)")
}
