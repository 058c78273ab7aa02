package auth0

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0/internal/oas"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

type listed = grantwrite.Listed[*grantkit.Grant]

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = grants{}

// ListForUpdate iterates as List does, each grant with a writer that PATCHes only its scope by
// the grant's id: one request per change, no read.
func (g grants) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		for gr, err := range g.List(ctx, opts) {
			if err != nil {
				yield(listed{}, err)
				return
			}
			if !yield(g.listed(gr), nil) {
				return
			}
		}
	}
}

// ReadForUpdate reads the one grant key identifies (one filtered list request) with its
// writer (one PATCH).
func (g grants) ReadForUpdate(ctx context.Context, key grantkit.GrantKey) (listed, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return listed{}, err
	}
	if key, err = g.Check(op, key, nil); err != nil {
		return listed{}, err
	}
	cg, err := g.find(ctx, op, key)
	if err != nil {
		return listed{}, err
	}
	return g.listed(toGrant(cg)), nil
}

func (g grants) listed(gr *grantkit.Grant) listed {
	id, key, held := gr.ID, gr.Key, gr.Scopes
	return listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		return g.setByID(ctx, transport.Op(ctx, "Grants.SetScopes"), id, key, scopes, held)
	}}
}

// CheckGrant checks key and scopes as a write does, without a request (see Grants).
func (g grants) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	_, err := g.Check("Grants.CheckGrant", key, scopes)
	return err
}

// Check runs CheckGrant's checks naming op, and returns key as List reports it: the
// client-access subject type "client" is the empty SubjectType.
func (grants) Check(op string, key grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	if err := checkKey(op, key); err != nil {
		return key, err
	}
	if err := checkScopes("scopes", scopes, nil); err != nil {
		return key, wrap(op, err)
	}
	if err := validate.Each("scopes", scopes, scopeLength); err != nil {
		return key, wrap(op, err)
	}
	if access(key.SubjectType) == SubjectTypeClient {
		key.SubjectType = ""
	}
	return key, nil
}

// scopeLength checks one scope against the document's bounds of a grant's scope
// (specs/auth0.yaml), naming it by field, the path of what the caller wrote.
func scopeLength(field, s string) error {
	err := transport.Check("", &oas.CreateClientGrantRequest{Audience: "a", Scope: []string{s}})
	if err == nil {
		return nil
	}
	// The generated validator names the body's path, scope[0]; the reason follows it.
	_, reason, _ := strings.Cut(err.Error(), "scope[0]: ")
	return validate.Errorf(field, "%s", reason)
}

// setByID replaces the scopes of grant id, known to be key's and to hold held, and checks what
// was stored. Only scope is sent: Auth0's PATCH leaves every other field of the grant as it
// was. The scopes the grant holds go back as stored; only new ones are checked as scope tokens.
func (g grants) setByID(ctx context.Context, op, id string, key grantkit.GrantKey, scopes, held []string) (*grantkit.Grant, error) {
	want := grantkit.NormalizeScopes(scopes)
	cg, err := g.c.ClientGrants.update(ctx, id, ClientGrantUpdate{Scope: grantkit.Set(want...)}, held)
	if err != nil {
		return nil, err
	}
	stored := toGrant(cg)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: grant %s: %w", vendor, op, id, err)
	}
	return stored, nil
}
