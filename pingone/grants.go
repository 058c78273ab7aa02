package pingone

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the environment (see grantkit.Grants): a grant is
// an application resource grant. Key.Resource is the resource's id and Key.ClientID the
// application's id; Scopes are scope names, resolved to and from ids through the resource's
// scopes. PingOne keeps one grant per application and resource, so those two identify a
// grant; a key with a SubjectType is invalid input. Create and Delete create and delete the
// application's grant on the resource (never the application or its secret); the scopes a
// grant names must be defined on the resource first (see ScopeCatalog). CheckGrant checks the
// key (two ids that are safe path segments, no subject type) and each scope name as the scope
// catalog does (see ScopeCatalog).
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

// begin starts method op of the adapter (see neutral.Begin).
func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

// List lists every application's grants, naming each resource's scopes with one read of its
// scope list. opts.ClientID lists only that application's grants (PingOne's per-application
// list) instead of every application's; opts.Resource keeps the grants on that resource
// (PingOne has no filter for it).
func (g grants) List(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	ctx, _, err := g.begin(ctx, "Grants.List")
	if err != nil {
		return paging.Failed[grantkit.Grant](err)
	}
	return func(yield func(*grantkit.Grant, error) bool) {
		for l, err := range g.ListForUpdate(ctx, opts) {
			if !yield(l.Grant, err) || err != nil {
				return
			}
		}
	}
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	l, err := g.ReadForUpdate(ctx, key)
	return l.Grant, err
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	ag, err := g.find(ctx, op, key)
	if err != nil {
		return nil, err
	}
	names, err := g.scopeNames(ctx, key.Resource)
	if err != nil {
		return nil, err
	}
	return g.setListed(ctx, op, ag, key, names, scopes)
}

// Create grants application key.ClientID scopes of resource key.Resource (CREATE Grant).
// Scopes are named by name and sent by id; a name the resource does not define is invalid
// input, refused before anything is sent. An existing grant of the application on the
// resource, found first or reported by PingOne's 409, wraps grantkit.ErrGrantExists.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	existing, err := g.matches(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		ids := make([]string, len(existing))
		for i, ag := range existing {
			ids[i] = ag.ID
		}
		return nil, neutral.Exists(vendor, op, key, ids...)
	}
	names, err := g.scopeNames(ctx, key.Resource)
	if err != nil {
		return nil, err
	}
	want := grantkit.NormalizeScopes(scopes)
	p := ApplicationGrantCreate{ResourceID: key.Resource}
	if p.ScopeIDs, err = scopeIDs(op, key.Resource, names, want); err != nil {
		return nil, err
	}
	ag, err := g.c.ApplicationGrants.Create(ctx, key.ClientID, p)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict {
		// Created by someone else between the lookup and the create.
		return nil, fmt.Errorf("%s: %s: %w: %s: %w", vendor, op, grantkit.ErrGrantExists, key, err)
	}
	if err != nil {
		return nil, err
	}
	stored := toGrant(ag, names)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: grant %s: %w", vendor, op, ag.ID, err)
	}
	return stored, nil
}

// Delete deletes the application's grant on the resource (DELETE Grant).
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	if _, err := g.Check(op, key, nil); err != nil {
		return err
	}
	ag, err := g.find(ctx, op, key)
	if err != nil {
		return err
	}
	return g.c.ApplicationGrants.Delete(ctx, key.ClientID, ag.ID)
}

// scopeIDs names the scopes by id; names maps the resource's scope ids to their names. A
// name the resource does not define, or defines twice, is refused.
func scopeIDs(op, resourceID string, names map[string]string, want []string) ([]string, error) {
	byName := map[string][]string{}
	for id, name := range names {
		byName[name] = append(byName[name], id)
	}
	ids := make([]string, 0, len(want))
	for _, n := range want {
		switch found := byName[n]; len(found) {
		case 0:
			return nil, wrap(op, validate.Errorf("scopes", "%s is not a scope of resource %s", validate.Quote(n), resourceID))
		case 1:
			ids = append(ids, found[0])
		default:
			// PingOne keeps names unique per resource; should it ever list one twice,
			// neither is picked.
			slices.Sort(found)
			return nil, fmt.Errorf("%s: %s: %w: resource %s defines %s %d times (ids %s)", vendor, op, grantkit.ErrDuplicateScope, resourceID, validate.Quote(n), len(found), strings.Join(found, ", "))
		}
	}
	return ids, nil
}

// find returns the application's grant on the resource. PingOne is taken to keep one per
// pair (its docs do not say; specs/README.md), so two are an error naming both rather than a
// guess at which one the caller meant.
func (g grants) find(ctx context.Context, op string, key grantkit.GrantKey) (*ApplicationGrant, error) {
	matches, err := g.matches(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return neutral.One(vendor, op, key, matches, func(ag *ApplicationGrant) string { return ag.ID })
}

// checkKey refuses a key PingOne cannot honour: a subject type, or an application or resource
// id that is no safe path segment.
func checkKey(op string, key grantkit.GrantKey) error {
	if err := neutral.NoSubject(vendor, op, key); err != nil {
		return err
	}
	if err := validate.ID("key.client_id", key.ClientID); err != nil {
		return wrap(op, err)
	}
	if err := validate.ID("key.resource", key.Resource); err != nil {
		return wrap(op, err)
	}
	return nil
}

// matches returns every grant of the application on the resource.
func (g grants) matches(ctx context.Context, op string, key grantkit.GrantKey) ([]*ApplicationGrant, error) {
	if _, err := g.Check(op, key, nil); err != nil {
		return nil, err
	}
	var matches []*ApplicationGrant
	for ag, err := range g.c.ApplicationGrants.List(ctx, key.ClientID, ApplicationGrantListOptions{}) {
		if err != nil {
			return nil, err
		}
		if ag.ResourceID == key.Resource {
			matches = append(matches, ag)
		}
	}
	return matches, nil
}

func (g grants) scopeNames(ctx context.Context, resourceID string) (map[string]string, error) {
	names := map[string]string{}
	for s, err := range g.c.Resources.ListScopes(ctx, resourceID) {
		if err != nil {
			return nil, err
		}
		names[s.ID] = s.Name
	}
	return names, nil
}

// toGrant names the grant's scopes; a scope id the resource no longer lists keeps its id.
func toGrant(ag *ApplicationGrant, names map[string]string) *grantkit.Grant {
	scopes := make([]string, len(ag.ScopeIDs))
	for i, id := range ag.ScopeIDs {
		scopes[i] = id
		if n, ok := names[id]; ok {
			scopes[i] = n
		}
	}
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     ag.ID,
		Key:    grantkit.GrantKey{Resource: ag.ResourceID, ClientID: ag.ApplicationID},
		Scopes: grantkit.NormalizeScopes(scopes),
	}
}
