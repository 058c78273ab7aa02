package pingone_test

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/testkit/httpfake"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/pingone"
	"github.com/grantkit/grantkit/pingone/pingonefake"
)

// Every collection follows _links.next (as PingOne's official SDK does), to the last page.
func TestListsFollowNextLinks(t *testing.T) {
	ctx := context.Background()
	srv := pingonefake.NewServer()
	t.Cleanup(srv.Close)
	srv.SetPageSize(2)
	c, err := pingone.New(pingonefake.EnvironmentID, option.WithBaseURL(srv.URL), option.WithToken(grantkit.Secret(srv.IssueToken())))
	require.NoError(t, err)
	var apps, resources []string
	for i := range 5 {
		apps = append(apps, srv.AddApplication("app "+strconv.Itoa(i)))
		resources = append(resources, srv.AddResource("API "+strconv.Itoa(i), "https://api.example.com/"+strconv.Itoa(i)))
	}
	var scopes []string
	for i := range 5 {
		scopes = append(scopes, srv.AddScope(resources[0], "s"+strconv.Itoa(i)))
	}
	for i, r := range resources {
		p := pingone.ApplicationGrantCreate{ResourceID: r}
		if i == 0 {
			p.ScopeIDs = scopes[:1] // a grant of no scope is still a grant
		}
		_, err := c.ApplicationGrants.Create(ctx, apps[0], p)
		require.NoError(t, err)
	}
	before := len(srv.Requests())
	assert.Equal(t, 5, countAll(t, c.Applications.List(ctx, pingone.ApplicationListOptions{})), "applications")
	assert.Len(t, srv.Requests()[before:], 3, "three pages of two")
	assert.Equal(t, 5, countAll(t, c.Resources.List(ctx, pingone.ResourceListOptions{})), "resources")
	assert.Equal(t, 5, countAll(t, c.Resources.ListScopes(ctx, resources[0])), "scopes")
	assert.Equal(t, 5, countAll(t, c.ApplicationGrants.List(ctx, apps[0], pingone.ApplicationGrantListOptions{})), "grants")
	assert.Equal(t, 5, countAll(t, c.Grants().List(ctx, grantkit.GrantListOptions{})), "neutral grants")

	var followed []url.Values
	for _, r := range srv.Requests()[before:] {
		if q, err := url.ParseQuery(r.RawQuery); err == nil && q.Get("cursor") != "" {
			followed = append(followed, q)
		}
	}
	require.NotEmpty(t, followed)
	assert.Equal(t, "2", followed[0].Get("limit"), "the next link's query is sent as it came")
}

func countAll[T any](t *testing.T, seq iter.Seq2[*T, error]) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	return n
}

// A next link only ever contributes its query: the request keeps the client's own host, and
// a link to another collection is refused rather than followed with the caller's token.
func TestNextLinkIsFollowedSafely(t *testing.T) {
	var got []string
	next := "https://elsewhere.example/v1/environments/env1/resources?cursor=abc&limit=1"
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.String())
		if r.URL.Query().Get("cursor") == "" {
			return httpfake.JSON(r, 200, `{"_links":{"next":{"href":"`+next+`"}},"_embedded":{"resources":[{"id":"r1"}]}}`), nil
		}
		return httpfake.JSON(r, 200, `{"_links":{"self":{"href":"x"}},"_embedded":{"resources":[{"id":"r2"}]}}`), nil
	})
	c, err := pingone.New("env1", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	var ids []string
	for r, err := range c.Resources.List(context.Background(), pingone.ResourceListOptions{}) {
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{"r1", "r2"}, ids)
	assert.Equal(t, []string{
		"https://api.pingone.com/v1/environments/env1/resources",
		"https://api.pingone.com/v1/environments/env1/resources?cursor=abc&limit=1",
	}, got)

	next = "https://api.pingone.com/v1/environments/env1/users?cursor=abc"
	got = nil
	for _, err := range c.Resources.List(context.Background(), pingone.ResourceListOptions{}) {
		if err != nil {
			assert.ErrorContains(t, err, "not followed")
			break
		}
	}
	assert.Len(t, got, 1, "the link to another collection is not requested")
}

// fullGrant carries every field of PingOne's grant data model (and the example's environment
// and links) plus unknown properties on the grant, its resource and a scope.
const fullGrant = `{"_links":{"self":{"href":"https://api.pingone.com/v1/environments/env1/applications/app1/grants/g1"}},` +
	`"id":"g1","environment":{"id":"env1"},"application":{"id":"app1"},"resource":{"id":"res1","futureResource":1},` +
	`"scopes":[{"id":"s1","futureScope":true},{"id":"s2"}],"createdAt":"2019-08-13T19:39:58.450Z","updatedAt":"2021-09-24T15:43:19.846Z",` +
	`"futureGrant":{"a":[1]}}`

// withScopesOf answers an UPDATE Grant as PingOne does: the grant with the scopes sent.
func withScopesOf(t *testing.T, put []byte) string {
	var sent, g map[string]any
	require.NoError(t, json.Unmarshal(put, &sent))
	require.NoError(t, json.Unmarshal([]byte(fullGrant), &g))
	g["scopes"] = sent["scopes"]
	b, err := json.Marshal(g)
	require.NoError(t, err)
	return string(b)
}

func grantServer(t *testing.T, grants string) (*pingone.Client, *[]string) {
	t.Helper()
	var puts []string
	hc := httpfake.Client(func(r *http.Request) (*http.Response, error) {
		switch {
		case r.Method == http.MethodPut:
			b, _ := io.ReadAll(r.Body)
			puts = append(puts, string(b))
			return httpfake.JSON(r, 200, withScopesOf(t, b)), nil
		case strings.HasSuffix(r.URL.Path, "/grants"):
			return httpfake.JSON(r, 200, `{"_embedded":{"grants":[`+grants+`]}}`), nil
		case strings.HasSuffix(r.URL.Path, "/grants/g1"):
			return httpfake.JSON(r, 200, fullGrant), nil
		case strings.HasSuffix(r.URL.Path, "/scopes"):
			return httpfake.JSON(r, 200, `{"_embedded":{"scopes":[{"id":"s1","name":"read"},{"id":"s2","name":"write"},{"id":"s3","name":"admin"}]}}`), nil
		}
		return httpfake.JSON(r, 404, `{"id":"e","code":"NOT_FOUND","message":"no"}`), nil
	})
	c, err := pingone.New("env1", option.WithToken("t"), option.WithHTTPClient(hc))
	require.NoError(t, err)
	return c, &puts
}

// UPDATE Grant replaces the grant: the neutral writes and an update built from a read send
// back everything PingOne returned that they did not mean to change.
func TestUpdatesKeepEverythingElse(t *testing.T) {
	ctx := context.Background()
	c, puts := grantServer(t, fullGrant)
	g, err := c.ApplicationGrants.Get(ctx, "app1", "g1")
	require.NoError(t, err)
	assert.Equal(t, "env1", g.EnvironmentID)
	assert.Equal(t, "app1", g.ApplicationID)
	assert.Equal(t, 2021, g.UpdatedAt.Year())

	p := g.AsUpdate()
	p.ScopeIDs = append(p.ScopeIDs, "s3")
	_, err = c.ApplicationGrants.Update(ctx, "app1", "g1", p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"resource":{"id":"res1","futureResource":1},"scopes":[{"id":"s1","futureScope":true},{"id":"s2"},{"id":"s3"}],"futureGrant":{"a":[1]}}`, (*puts)[0])

	key := grantkit.GrantKey{Resource: "res1", ClientID: "app1"}
	_, err = grantkit.AddScopes(ctx, c.Grants(), key, "admin")
	require.NoError(t, err)
	assert.JSONEq(t, `{"resource":{"id":"res1","futureResource":1},"scopes":[{"id":"s3"},{"id":"s1","futureScope":true},{"id":"s2"}],"futureGrant":{"a":[1]}}`, (*puts)[1])

	_, err = grantkit.RemoveScopes(ctx, c.Grants(), key, "read")
	require.NoError(t, err)
	assert.JSONEq(t, `{"resource":{"id":"res1","futureResource":1},"scopes":[{"id":"s2"}],"futureGrant":{"a":[1]}}`, (*puts)[2])
}

// Two grants of one application on one resource (which PingOne is not known to allow) are an
// error naming both: the neutral view never picks one.
func TestTwoGrantsOnOneResourceAreNotGuessed(t *testing.T) {
	second := strings.Replace(fullGrant, `"id":"g1"`, `"id":"g2"`, 1)
	c, puts := grantServer(t, fullGrant+","+second)
	key := grantkit.GrantKey{Resource: "res1", ClientID: "app1"}
	_, err := c.Grants().Get(context.Background(), key)
	require.ErrorContains(t, err, "matches 2 grants: g1, g2")
	_, err = c.Grants().SetScopes(context.Background(), key, []string{"read"})
	require.ErrorContains(t, err, "matches 2 grants: g1, g2")
	assert.Empty(t, *puts)
}

// The fake keeps one grant per application and resource and answers a second one as assumed
// for PingOne: 409 with a UNIQUENESS_VIOLATION detail on resource.id.
func TestOneGrantPerApplicationAndResource(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	_, err := w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
	require.NoError(t, err)
	_, err = w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.write}})
	var apiErr *grantkit.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 409, apiErr.StatusCode)
	assert.Equal(t, "UNIQUENESS_VIOLATION", apiErr.Code)
	assert.Contains(t, apiErr.Message, "resource.id")
}
