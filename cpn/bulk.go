package cpn

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

type listed = grantwrite.Listed[*grantkit.Grant]

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = grants{}

// ListForUpdate iterates as List does, each grant with a writer that sends the app's
// allowedScopes as listed with only what the scope names describe changed: one request per
// change, no read.
//
// It relies on the list's apps carrying allowedScopes whole, as a read of one app does (CSP
// documents one app object for both answers; see specs/README.md).
func (g grants) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		ctx, op, err := g.begin(ctx, "Grants.List")
		if err != nil {
			yield(listed{}, err)
			return
		}
		for a, err := range g.apps(ctx, op, opts) {
			if err != nil {
				yield(listed{}, err)
				return
			}
			if !yield(g.listed(a), nil) {
				return
			}
		}
	}
}

// ReadForUpdate reads the app key names (one GET) with its writer (one PATCH).
func (g grants) ReadForUpdate(ctx context.Context, key grantkit.GrantKey) (listed, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return listed{}, err
	}
	a, err := g.granted(ctx, op, key)
	if err != nil {
		return listed{}, err
	}
	return g.listed(a), nil
}

func (g grants) listed(a *OAuthApp) listed {
	// A copy: the writer keeps this app, not the page it was listed in.
	app := *a
	gr := g.toGrant(&app)
	return listed{Grant: gr, SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		return g.setListed(ctx, transport.Op(ctx, "Grants.SetScopes"), &app, gr.Key, scopes)
	}}
}

// CheckGrant checks key and scopes as a write does, without a request (see Grants).
func (g grants) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	_, err := g.Check("Grants.CheckGrant", key, scopes)
	return err
}

// Check runs CheckGrant's checks naming op: the organization's id, an app id, no subject
// type, scope names ParseScopes reads.
func (g grants) Check(op string, key grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	if !g.c.made() {
		return key, wrap(op, validate.NotMade(vendor))
	}
	if err := neutral.NoSubject(vendor, op, key); err != nil {
		return key, err
	}
	if err := validate.ID("key.client_id", key.ClientID); err != nil {
		return key, wrap(op, err)
	}
	if key.Resource != g.c.org {
		return key, wrap(op, validate.Errorf("key.resource", "%q is not this client's organization %q", key.Resource, g.c.org))
	}
	// Each name on its own, so that the error names it as the caller wrote it (scopes[i]),
	// then the set, for the rules that bind names together (AllRoles with roles).
	if err := validate.Each("scopes", scopes, checkName); err != nil {
		return key, wrap(op, err)
	}
	allowed, err := ParseScopes(scopes)
	if err == nil {
		err = allowed.check(nil)
	}
	if err != nil {
		return key, wrap(op, validate.Errorf("scopes", "%s", reason(err)))
	}
	return key, nil
}

// checkName checks one scope name as ParseScopes reads it and a write sends it.
func checkName(field, name string) error {
	a, err := ParseScopes([]string{name})
	if err == nil {
		err = a.check(nil)
	}
	if err != nil {
		return validate.Errorf(field, "%s", reason(err))
	}
	return nil
}

// reason is what an input error says is wrong, without the field the inner check named (a Go
// path such as AllowedScopes.GeneralScopes[0], which the caller of the neutral view never wrote).
func reason(err error) string {
	msg := strings.TrimPrefix(err.Error(), grantkit.ErrInvalidInput.Error()+": ")
	if _, r, ok := strings.Cut(msg, ": "); ok {
		return r
	}
	return msg
}

// setListed replaces the scopes of app a, as read, keeping in allowedScopes whatever the
// names do not describe, and checks what was stored.
func (g grants) setListed(ctx context.Context, op string, a *OAuthApp, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	// allowedScopes is replaced as a whole: start from the app as read, so that what the
	// names do not describe goes back unchanged.
	allowed, err := a.AllowedScopes.WithNames(scopes)
	if err != nil {
		return nil, wrap(op, err)
	}
	stored, err := g.c.OAuthApps.update(ctx, a.ID, OAuthAppUpdate{AllowedScopes: grantkit.Value(allowed)}, &a.AllowedScopes)
	if err != nil {
		return nil, err
	}
	gr := g.toGrant(stored)
	if err := grantkit.CheckStored(key, scopes, gr); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return gr, nil
}
