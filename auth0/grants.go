package auth0

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the tenant's client grants (see grantkit.Grants):
// a grant's Key.Resource is its audience, Key.ClientID its client, Key.SubjectType its
// subject type and Scopes its scope.
//
// Auth0 keeps one grant per client, audience and subject type. A key with an empty
// SubjectType means the client-access (machine-to-machine) grant: subject_type "client", or
// none, which Auth0 documents as the same. grantkit.SubjectUser means the user-access grant,
// and any other subject type is matched as it is. A grant listed with subject type "client"
// has an empty Key.SubjectType, so a key read from List or Get finds the same grant again.
//
// Create creates a client grant (POST /client-grants) and Delete deletes one (DELETE
// /client-grants/{id}): granting a client access to an API and revoking it; the client and its
// credentials are never touched. Auth0 refuses a grant scope the API does not define: define
// it first with the scope catalog (ScopeCatalog). CheckGrant checks a key (client and audience
// both set) and each scope as a write sends it: one OAuth scope token (no whitespace or control
// character) of 1 to 280 characters (the Management API document's bounds).
//
// A default grant (ClientGrant.DefaultFor set) belongs to no single client: List shows it
// with an empty Key.ClientID, and Get, SetScopes, Create and Delete, which need a client, do
// not reach it; manage it with ClientGrants.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

// begin starts method op of the adapter (see neutral.Begin).
func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

// List lists the tenant's client grants (pages of 100), passing opts.Resource and
// opts.ClientID to Auth0 as its audience and client_id filters.
func (g grants) List(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	ctx, _, err := g.begin(ctx, "Grants.List")
	if err != nil {
		return paging.Failed[grantkit.Grant](err)
	}
	return func(yield func(*grantkit.Grant, error) bool) {
		for cg, err := range g.c.ClientGrants.List(ctx, ClientGrantListOptions{ClientID: opts.ClientID, Audience: opts.Resource, PageSize: 100}) {
			if err != nil {
				yield(nil, err)
				return
			}
			// The filters are Auth0's; checking the fields again means a filter Auth0 ignored
			// never hands back a grant that was not asked for.
			if (opts.ClientID != "" && cg.ClientID != opts.ClientID) || (opts.Resource != "" && cg.Audience != opts.Resource) {
				continue
			}
			if !yield(toGrant(cg), nil) {
				return
			}
		}
	}
}

func (g grants) Get(ctx context.Context, key grantkit.GrantKey) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return nil, err
	}
	if key, err = g.Check(op, key, nil); err != nil {
		return nil, err
	}
	cg, err := g.find(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return toGrant(cg), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if key, err = g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	cg, err := g.find(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return g.setByID(ctx, op, cg.ID, key, scopes, cg.Scope)
}

// Create creates the client grant of key's client on key's audience with key's subject type
// (client access when empty, sent as subject_type "client") and scopes. Auth0 refuses a scope
// the API (resource server) does not define; no grant is created then. An existing grant for
// the key, found before the create or reported by Auth0's 409, wraps grantkit.ErrGrantExists.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if key, err = g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	existing, err := g.matches(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, neutral.Exists(vendor, op, key, ids(existing)...)
	}
	want := grantkit.NormalizeScopes(scopes)
	cg, err := g.c.ClientGrants.Create(ctx, ClientGrantCreate{
		ClientID: key.ClientID, Audience: key.Resource, Scope: want, SubjectType: access(key.SubjectType),
	})
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict {
		// Created by someone else between the lookup and the create.
		return nil, fmt.Errorf("%s: %s: %w: %s: %w", vendor, op, grantkit.ErrGrantExists, key, err)
	}
	if err != nil {
		return nil, err
	}
	stored := toGrant(cg)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: grant %s: %w", vendor, op, cg.ID, err)
	}
	return stored, nil
}

// Delete deletes the one client grant key identifies.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	if key, err = g.Check(op, key, nil); err != nil {
		return err
	}
	cg, err := g.find(ctx, op, key)
	if err != nil {
		return err
	}
	return g.c.ClientGrants.Delete(ctx, cg.ID)
}

func ids(cgs []*ClientGrant) []string {
	out := make([]string, len(cgs))
	for i, cg := range cgs {
		out[i] = cg.ID
	}
	return out
}

// find returns the one grant of key's client on key's audience with key's subject type. It
// reads every grant of the client on the audience and matches the subject type itself rather
// than filter on it at Auth0: a grant without subject_type is a client-access grant, and a
// subject_type=client filter is not documented to return it.
func (g grants) find(ctx context.Context, op string, key grantkit.GrantKey) (*ClientGrant, error) {
	matches, err := g.matches(ctx, op, key)
	if err != nil {
		return nil, err
	}
	return neutral.One(vendor, op, key, matches, func(cg *ClientGrant) string { return cg.ID })
}

// checkKey refuses a key that names no grant: Auth0 needs both the client and the audience.
func checkKey(op string, key grantkit.GrantKey) error {
	if key.ClientID == "" {
		return wrap(op, validate.Errorf("key.client_id", "must not be empty: Auth0 finds a grant by its client and audience"))
	}
	if key.Resource == "" {
		return wrap(op, validate.Errorf("key.resource", "must not be empty: Auth0 finds a grant by its client and audience"))
	}
	return nil
}

// matches returns every grant of key's client on key's audience with key's subject type.
func (g grants) matches(ctx context.Context, op string, key grantkit.GrantKey) ([]*ClientGrant, error) {
	if err := checkKey(op, key); err != nil {
		return nil, err
	}
	want := access(key.SubjectType)
	var matches []*ClientGrant
	for cg, err := range g.c.ClientGrants.List(ctx, ClientGrantListOptions{ClientID: key.ClientID, Audience: key.Resource, PageSize: 100}) {
		if err != nil {
			return nil, err
		}
		// The filters are Auth0's; checking the fields again means a filter Auth0 ignored
		// can never hand back another client's grant.
		if cg.ClientID == key.ClientID && cg.Audience == key.Resource && cg.Access() == want {
			matches = append(matches, cg)
		}
	}
	return matches, nil
}

// access is the Auth0 subject type a key's SubjectType means: empty is client access.
func access(subject string) SubjectType {
	if subject == "" {
		return SubjectTypeClient
	}
	return SubjectType(subject)
}

func toGrant(cg *ClientGrant) *grantkit.Grant {
	key := grantkit.GrantKey{Resource: cg.Audience, ClientID: cg.ClientID}
	if a := cg.Access(); a != SubjectTypeClient {
		key.SubjectType = string(a)
	}
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     cg.ID,
		Key:    key,
		Scopes: grantkit.NormalizeScopes(cg.Scope),
	}
}
