package pingone_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/pingone"
)

// ListPage exists on every list, continues from its Next as the list options' Cursor, and
// carries PingOne's count as Total.
func TestListPageFollowsNextAndCarriesCount(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	w.srv.AddResource("Third", "https://third.example.com")
	w.srv.SetPageSize(2)

	var names []string
	opts := pingone.ResourceListOptions{}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 3)
		page, err := w.c.Resources.ListPage(ctx, opts)
		require.NoError(t, err)
		assert.Equal(t, 3, page.Total)
		for _, r := range page.Items {
			names = append(names, r.Name)
		}
		if page.Next == "" {
			break
		}
		opts.Cursor = page.Next
	}
	assert.ElementsMatch(t, []string{"Invoices", "Other", "Third"}, names)

	// List from a page's cursor continues from there.
	first, err := w.c.Resources.ListPage(ctx, pingone.ResourceListOptions{})
	require.NoError(t, err)
	var rest []string
	for r, err := range w.c.Resources.List(ctx, pingone.ResourceListOptions{Cursor: first.Next}) {
		require.NoError(t, err)
		rest = append(rest, r.Name)
	}
	assert.Equal(t, names[2:], rest)

	apps, err := w.c.Applications.ListPage(ctx, pingone.ApplicationListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, apps.Total)
	assert.Equal(t, "billing", apps.Items[0].Name)

	_, err = w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read}})
	require.NoError(t, err)
	grants, err := w.c.ApplicationGrants.ListPage(ctx, w.app, pingone.ApplicationGrantListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, grants.Total)
	assert.Equal(t, []string{w.read}, grants.Items[0].ScopeIDs)
}

// An input error names the field as PingOne's document does: the path parameter
// (applicationID, grantID, resourceID, scopeID) or the JSON path of the body (resource.id,
// scopes[1].id, name).
func TestInputErrorsNameTheWireField(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	cases := map[string]func() error{
		"applicationID: ": func() error { _, err := w.c.ApplicationGrants.Get(ctx, "", "g"); return err },
		"grantID: ":       func() error { return w.c.ApplicationGrants.Delete(ctx, w.app, "a/b") },
		"resource.id: ": func() error {
			_, err := w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ScopeIDs: []string{w.read}})
			return err
		},
		"scopes[1].id: ": func() error {
			_, err := w.c.ApplicationGrants.Create(ctx, w.app, pingone.ApplicationGrantCreate{ResourceID: w.res, ScopeIDs: []string{w.read, ""}})
			return err
		},
		"resourceID: ": func() error { _, err := w.c.Resources.Get(ctx, ".."); return err },
		"scopeID: ":    func() error { return w.c.Resources.DeleteScope(ctx, w.res, "") },
		"name: ": func() error {
			_, err := w.c.Resources.CreateScope(ctx, w.res, pingone.ResourceScopeCreate{Name: "read invoices"})
			return err
		},
	}
	before := len(w.srv.Requests())
	for field, call := range cases {
		err := call()
		require.ErrorIs(t, err, grantkit.ErrInvalidInput, field)
		assert.Contains(t, err.Error(), "invalid input: "+field, field)
	}
	_, err := w.c.Resources.UpdateScope(ctx, w.res, w.read, pingone.ResourceScopeUpdate{Name: grantkit.Null[string]()})
	require.ErrorIs(t, err, grantkit.ErrInvalidInput)
	assert.Contains(t, err.Error(), "invalid input: name: ")
	assert.Len(t, w.srv.Requests(), before, "nothing was sent")
}

// A scope name the resource defines twice (PingOne keeps names unique, the fake's seeding does
// not) is an error wrapping grantkit.ErrDuplicateScope, and nothing is written.
func TestScopeNamedTwiceIsErrDuplicateScope(t *testing.T) {
	ctx := context.Background()
	w := setup(t)
	w.srv.AddScope(w.res, "read:invoices")
	before := len(w.srv.Requests())
	_, err := w.c.Grants().Create(ctx, grantkit.GrantKey{Resource: w.res, ClientID: w.app}, []string{"read:invoices"})
	require.ErrorIs(t, err, grantkit.ErrDuplicateScope)
	for _, r := range w.srv.Requests()[before:] {
		assert.Equal(t, "GET", r.Method, "nothing was written")
	}
}
