package okta

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/grantwrite"
	"github.com/grantkit/grantkit/internal/neutral"
	"github.com/grantkit/grantkit/internal/transport"
	"github.com/grantkit/grantkit/internal/validate"
)

type listed = grantwrite.Listed[*grantkit.Grant]

var _ grantwrite.Adapter[*grantkit.Grant, grantkit.GrantKey, grantkit.GrantListOptions] = grants{}

// ListForUpdate iterates as List does (the apps opts selects, each one's grants grouped by
// issuer), each grant with a writer. Okta has no write of a whole set of scopes, only a grant
// or a revoke of one, so the writer reads the app's grants again just before it writes (one
// request), grants each scope missing and revokes each one too many (one request each), and
// builds the grant as stored from Okta's answers, checked with grantkit.CheckStored: the set
// written is exactly the one given, whatever another writer did since the listing.
func (g grants) ListForUpdate(ctx context.Context, opts grantkit.GrantListOptions) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		app := func(appID string) bool {
			byIssuer := map[string][]*ApplicationGrant{}
			for ag, err := range g.c.ApplicationGrants.List(ctx, appID, ApplicationGrantListOptions{}) {
				if neutral.IsNotFound(err) {
					return true // an app Okta does not know (or no longer) holds no grant
				}
				if err != nil {
					yield(listed{}, err)
					return false
				}
				if inEffect(ag) && (opts.Resource == "" || ag.Issuer == opts.Resource) {
					byIssuer[ag.Issuer] = append(byIssuer[ag.Issuer], ag)
				}
			}
			issuers := make([]string, 0, len(byIssuer))
			for iss := range byIssuer {
				issuers = append(issuers, iss)
			}
			slices.Sort(issuers)
			for _, iss := range issuers {
				key := grantkit.GrantKey{Resource: iss, ClientID: appID}
				if !yield(listed{Grant: toGrant(key, byIssuer[iss]), SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
					op := transport.Op(ctx, "Grants.SetScopes")
					held, err := g.held(ctx, op, key)
					if err != nil {
						return nil, err
					}
					if len(held) == 0 {
						return nil, notFound(op, key)
					}
					return g.write(ctx, op, key, held, scopes)
				}}, nil) {
					return false
				}
			}
			return true
		}
		if opts.ClientID != "" {
			if err := validate.ID("client_id", opts.ClientID); err != nil {
				yield(listed{}, wrap(transport.Op(ctx, "Grants.List"), err))
				return
			}
			app(opts.ClientID)
			return
		}
		for a, err := range g.c.Applications.List(ctx, ApplicationListOptions{PageSize: 200}) {
			if err != nil {
				yield(listed{}, err)
				return
			}
			if !app(a.ID) {
				return
			}
		}
	}
}

// ReadForUpdate reads the grant key identifies (the app's grants, one request per page) with
// its writer: one grant or revoke per scope changed, from that read.
func (g grants) ReadForUpdate(ctx context.Context, key grantkit.GrantKey) (listed, error) {
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return listed{}, err
	}
	held, err := g.held(ctx, op, key)
	if err != nil {
		return listed{}, err
	}
	if len(held) == 0 {
		return listed{}, notFound(op, key)
	}
	return listed{Grant: toGrant(key, held), SetScopes: func(ctx context.Context, scopes []string) (*grantkit.Grant, error) {
		return g.write(ctx, transport.Op(ctx, "Grants.SetScopes"), key, held, scopes)
	}}, nil
}

// CheckGrant runs the checks a write of scopes to key runs, without a request: the key (no
// subject type, an issuer URL, an app id) and every scope (a non-empty OAuth scope token).
// Its error wraps grantkit.ErrInvalidInput.
func (g grants) CheckGrant(key grantkit.GrantKey, scopes []string) error {
	_, err := g.Check("Grants.CheckGrant", key, scopes)
	return err
}

// Check runs CheckGrant's checks naming op (see internal/grantwrite.Adapter).
func (grants) Check(op string, key grantkit.GrantKey, scopes []string) (grantkit.GrantKey, error) {
	if err := checkKey(op, key); err != nil {
		return key, err
	}
	return key, checkScopes(op, scopes)
}

// write grants and revokes what turns held (the app's grants on the issuer, as just read)
// into scopes, and returns the grant as Okta's answers say it is stored, checked.
func (g grants) write(ctx context.Context, op string, key grantkit.GrantKey, held []*ApplicationGrant, scopes []string) (*grantkit.Grant, error) {
	if err := checkScopes(op, scopes); err != nil {
		return nil, err
	}
	want := grantkit.NormalizeScopes(scopes)
	after, _, err := g.apply(ctx, key, held, want)
	if err != nil {
		return nil, err
	}
	stored := toGrant(key, after)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return stored, nil
}
