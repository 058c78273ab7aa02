package okta

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/grantkit/grantkit"
)

// ListForUpdate iterates over every grant, as List does (each app's grants, grouped by
// issuer), each with a writer that grants and revokes the scope differences from the grant as
// listed: one request per scope changed, no read; what it returns is built from Okta's answers
// and checked with grantkit.CheckStored. It makes the org's Grants a grantkit.BulkGrants.
func (g grants) ListForUpdate(ctx context.Context) iter.Seq2[grantkit.ListedGrant, error] {
	return func(yield func(grantkit.ListedGrant, error) bool) {
		for app, err := range g.c.Applications.List(ctx, ApplicationListOptions{PageSize: 200}) {
			if err != nil {
				yield(grantkit.ListedGrant{}, err)
				return
			}
			byIssuer := map[string][]*ApplicationGrant{}
			for ag, err := range g.c.ApplicationGrants.List(ctx, app.ID, ApplicationGrantListOptions{}) {
				if err != nil {
					yield(grantkit.ListedGrant{}, err)
					return
				}
				byIssuer[ag.Issuer] = append(byIssuer[ag.Issuer], ag)
			}
			issuers := make([]string, 0, len(byIssuer))
			for iss := range byIssuer {
				issuers = append(issuers, iss)
			}
			slices.Sort(issuers)
			for _, iss := range issuers {
				key := grantkit.GrantKey{Resource: iss, ClientID: app.ID}
				held := byIssuer[iss]
				if !yield(grantkit.ListedGrant{Grant: toGrant(key, held), SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
					return g.setListed(ctx, key, held, scopes)
				}}, nil) {
					return
				}
			}
		}
	}
}

func (g grants) setListed(ctx context.Context, key grantkit.GrantKey, held []*ApplicationGrant, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if err := checkScopes(op, scopes); err != nil {
		return nil, err
	}
	want := grantkit.NormalizeScopes(scopes)
	after, err := g.applyAnswers(ctx, key, held, want)
	if err != nil {
		return nil, err
	}
	stored := toGrant(key, after)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return stored, nil
}

// CanonicalKey checks key as Get does: no subject type, an issuer URL, an app id.
func (grants) CanonicalKey(key grantkit.GrantKey) (grantkit.GrantKey, error) {
	if err := checkKey("Grants.CanonicalKey", key); err != nil {
		return key, err
	}
	return key, nil
}

var _ grantkit.BulkGrants = grants{}
