package ory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/paging"
	"github.com/grantkit/grantkit/internal/validate"
)

// Grants returns the vendor-neutral view of the admin API (see grantkit.Grants): a grant is an
// OAuth 2.0 client's allowed scopes (its scope), which is what a client_credentials token
// request of that client may ask for. Key.Resource is the admin URL given to New (without a
// trailing slash) and Key.ClientID the client's client_id; a key with a SubjectType is invalid
// input. Grant.ID is the client_id.
//
// A client whose scope names no scope holds no grant: Get reports grantkit.ErrGrantNotFound
// for it and List leaves it out. So the verbs never make or destroy a client or its secret:
//
//   - Create gives scopes to an existing client that has none (a missing client wraps
//     grantkit.ErrGrantNotFound and names it: make clients with Clients.Create, which returns
//     their secret; a client with scopes already wraps grantkit.ErrGrantExists). The client is
//     read just before the write. A grant needs at least one scope.
//   - Delete empties the client's scope; the client and its secret stay.
//   - SetScopes replaces the scope of a client that holds a grant; setting none revokes it.
//
// Hydra replaces an empty scope with its default scope (offline_access offline openid, in
// v2.3.0's configuration), so "no scope" is written as a scope of one space, which Hydra
// stores as it is and which allows no scope in a token request (measured; see
// specs/README.md). A client created without a scope has Hydra's default scope, which is a
// grant.
//
// List with GrantListOptions.ClientID reads that one client (one GET; none if Hydra does not
// know it); with a Resource other than the admin URL it selects nothing; otherwise it pages
// through Hydra's list. AddScopes and RemoveScopes read the client just before their write
// (one GET, one PATCH).
//
// Every write is a JSON Patch of /scope alone, so whatever else another writer changes in the
// client meanwhile survives. Hydra has no scope definitions (any name a token request may ask
// for can be allowed), so the ory client has no ScopeCatalog; a scope name is one token of
// Hydra's space-separated scope (CheckScopes).
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

// begin starts method op of the adapter (see neutral.Begin).
func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

func (g grants) List(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[*grantkit.Grant, error] {
	ctx, op, err := g.begin(ctx, "Grants.List")
	if err != nil {
		return paging.Failed[grantkit.Grant](err)
	}
	return func(yield func(*grantkit.Grant, error) bool) {
		for a, err := range g.clients(ctx, op, opts) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(g.toGrant(a), nil) {
				return
			}
		}
	}
}

// clients iterates over the clients opts selects that hold a grant: with a ClientID, one read
// of that client (none if Hydra does not know it); otherwise Hydra's list, page by page.
func (g grants) clients(ctx context.Context, op string, opts grantkit.GrantListOptions) iter.Seq2[*OAuth2Client, error] {
	return func(yield func(*OAuth2Client, error) bool) {
		if opts.Resource != "" && opts.Resource != g.c.admin {
			return
		}
		if opts.ClientID != "" {
			if err := validate.ID("client_id", opts.ClientID); err != nil {
				yield(nil, wrap(op, err))
				return
			}
			a, err := g.c.Clients.Get(ctx, opts.ClientID)
			if neutral.IsNotFound(err) {
				return
			}
			if err != nil || len(a.Scope) > 0 {
				yield(a, err)
			}
			return
		}
		for a, err := range g.c.Clients.List(ctx, OAuth2ClientListOptions{}) {
			if err != nil {
				yield(nil, err)
				return
			}
			if len(a.Scope) == 0 {
				continue
			}
			if !yield(a, nil) {
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
	a, err := g.read(ctx, op, key, true)
	if err != nil {
		return nil, err
	}
	return g.toGrant(a), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	if _, err := g.read(ctx, op, key, true); err != nil {
		return nil, err
	}
	return g.write(ctx, op, key, scopes)
}

func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, wrap(op, validate.Errorf("scopes", "none: at Ory a grant is a client's scope, and a client without scope holds no grant; give at least one scope"))
	}
	// Read just before the write: the window in which another writer could give the client
	// scopes is one round trip. (A JSON Patch "test" operation would close it, but Hydra
	// v2.3.0 answers a failed test with a 500, which reads as a server fault; see
	// specs/README.md.)
	a, err := g.read(ctx, op, key, false)
	if err != nil {
		return nil, err
	}
	if len(a.Scope) > 0 {
		return nil, neutral.Exists(vendor, op, key, a.ID)
	}
	return g.write(ctx, op, key, scopes)
}

// Delete revokes the grant: it empties the client's scope and keeps the client and its
// secret. A client without scope, or none at all, wraps grantkit.ErrGrantNotFound.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	if _, err := g.read(ctx, op, key, true); err != nil {
		return err
	}
	_, err = g.write(ctx, op, key, nil)
	return err
}

// CheckGrant checks key and scopes as the writes do, without a request: the key names this
// client's admin URL and a client id, with no subject type; each scope is one token (see
// CheckScopes). Its errors wrap grantkit.ErrInvalidInput.
func (g grants) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	_, err := g.Check("Grants.CheckGrant", key, scopes)
	return err
}

// Check runs CheckGrant's checks naming op (see internal/grantwrite.Adapter).
func (g grants) Check(op string, key grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	if err := g.check(op, key); err != nil {
		return key, err
	}
	if err := validate.Each("scopes", scopes, checkScope); err != nil {
		return key, wrap(op, err)
	}
	return key, nil
}

// read reads the client key names. A missing client wraps ErrGrantNotFound, naming it; with
// granted, so does a client without scope (it holds no grant).
func (g grants) read(ctx context.Context, op string, key grantkit.GrantKey, granted bool) (*OAuth2Client, error) {
	if err := g.check(op, key); err != nil {
		return nil, err
	}
	a, err := g.c.Clients.Get(ctx, key.ClientID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%s: %s: %w: %s: no OAuth 2.0 client %q (the grant verbs never make one: Clients.Create does, and returns its secret): %w",
			vendor, op, grantkit.ErrGrantNotFound, key, key.ClientID, err)
	}
	if err != nil {
		return nil, err
	}
	if granted && len(a.Scope) == 0 {
		return nil, fmt.Errorf("%s: %s: %w: %s: the client exists and its scope is empty (Grants.Create gives it some)",
			vendor, op, grantkit.ErrGrantNotFound, key)
	}
	return a, nil
}

// write replaces the client's scope and checks what Hydra stored.
func (g grants) write(ctx context.Context, op string, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	v, _ := json.Marshal(scopeString(grantkit.NormalizeScopes(scopes)))
	a, err := g.c.Clients.Patch(ctx, key.ClientID, []PatchOperation{{Op: "replace", Path: "/scope", Value: v}})
	if err != nil {
		return nil, err
	}
	gr := g.toGrant(a)
	if err := grantkit.CheckStored(key, scopes, gr); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return gr, nil
}

func (g grants) check(op string, key grantkit.GrantKey) error {
	if !g.c.made() {
		return wrap(op, validate.NotMade(vendor))
	}
	if err := neutral.NoSubject(vendor, op, key); err != nil {
		return err
	}
	if err := validate.ID("key.client_id", key.ClientID); err != nil {
		return wrap(op, err)
	}
	if key.Resource != g.c.admin {
		return wrap(op, validate.Errorf("key.resource", "%q is not this client's admin URL %q", key.Resource, g.c.admin))
	}
	return nil
}

func (g grants) toGrant(a *OAuth2Client) *grantkit.Grant {
	return &grantkit.Grant{
		Vendor: vendor,
		ID:     a.ID,
		Key:    grantkit.GrantKey{Resource: g.c.admin, ClientID: a.ID},
		Scopes: grantkit.NormalizeScopes(a.Scope),
	}
}
