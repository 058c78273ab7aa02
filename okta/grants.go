package okta

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

// Grants returns the vendor-neutral view of the org (see grantkit.Grants): a grant is every
// scope an app holds on one issuer. Key.Resource is the issuer (Client.Issuer for Okta's own
// okta.* scopes, a custom authorization server's issuer for its scopes) and Key.ClientID the
// app's id; a key with a SubjectType is invalid input. Grant.ID lists the ids of Okta's
// consent grants, one per scope, comma-separated.
//
// Okta has no grant object to update: SetScopes grants each scope added and revokes each scope
// removed (one request each), then reads the app's grants back and checks them with
// grantkit.CheckStored. Create grants the scopes to an app that holds none on the issuer,
// adopting a scope Okta reports as assigned already; Delete revokes every scope of the app on
// the issuer. An app with no scope on an issuer has no grant there, so Create needs at least one
// scope.
func (c *Client) Grants() grantkit.Grants { return grants{c} }

type grants struct{ c *Client }

func (grants) Vendor() string { return vendor }

func (g grants) begin(ctx context.Context, op string) (context.Context, string, error) {
	return neutral.Begin(ctx, vendor, op, g.c.made())
}

// List iterates over the grants opts selects. With ClientID, it reads that app's grants only
// (GET /apps/{appId}/grants; none when Okta does not know the app); otherwise it pages through
// the org's apps and reads each one's grants. Okta filters no app's grants by issuer: Resource
// keeps the grants of that issuer among those read.
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
	ctx, op, err := g.begin(ctx, "Grants.Get")
	if err != nil {
		return nil, err
	}
	held, err := g.held(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if len(held) == 0 {
		return nil, notFound(op, key)
	}
	return toGrant(key, held), nil
}

func (g grants) SetScopes(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.SetScopes")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	held, err := g.held(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if len(held) == 0 {
		return nil, notFound(op, key)
	}
	return g.write(ctx, op, key, held, scopes)
}

// Create grants app key.ClientID the scopes on issuer key.Resource, one request per scope,
// after one read of the app's grants. An app that holds a scope on the issuer already has a
// grant there: ErrGrantExists. A scope Okta answers is assigned already (a concurrent writer)
// is adopted, not an error. When Okta refuses a scope (one the issuer does not define), the
// grants this call made are revoked again, so a failed Create leaves no grant.
func (g grants) Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error) {
	ctx, op, err := g.begin(ctx, "Grants.Create")
	if err != nil {
		return nil, err
	}
	if _, err := g.Check(op, key, scopes); err != nil {
		return nil, err
	}
	want := grantkit.NormalizeScopes(scopes)
	if len(want) == 0 {
		return nil, wrap(op, validate.Errorf("scopes", "none: an Okta grant is the scopes an app holds on an issuer, and an app holding none there has no grant; give at least one scope"))
	}
	held, err := g.held(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if len(held) > 0 {
		return nil, neutral.Exists(vendor, op, key, ids(held)...)
	}
	after, made, err := g.apply(ctx, key, nil, want)
	if err != nil {
		for _, ag := range made {
			_ = g.revoke(ctx, key.ClientID, ag.ID)
		}
		return nil, err
	}
	stored := toGrant(key, after)
	if err := grantkit.CheckStored(key, want, stored); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", vendor, op, err)
	}
	return stored, nil
}

// Delete revokes every scope app key.ClientID holds on issuer key.Resource, one request each.
func (g grants) Delete(ctx context.Context, key grantkit.GrantKey) error {
	ctx, op, err := g.begin(ctx, "Grants.Delete")
	if err != nil {
		return err
	}
	held, err := g.held(ctx, op, key)
	if err != nil {
		return err
	}
	if len(held) == 0 {
		return notFound(op, key)
	}
	for _, ag := range held {
		if err := g.revoke(ctx, key.ClientID, ag.ID); err != nil {
			return err
		}
	}
	return nil
}

// apply grants each scope of want that held lacks and revokes each grant of held whose scope
// want lacks, and returns the grants in effect afterwards by Okta's answers, and those it
// made. On an error, it returns the grants it made before it.
func (g grants) apply(ctx context.Context, key grantkit.GrantKey, held []*ApplicationGrant, want []string) (after, made []*ApplicationGrant, err error) {
	have := map[string]bool{}
	for _, ag := range held {
		have[ag.ScopeID] = true
		if slices.Contains(want, ag.ScopeID) {
			after = append(after, ag)
			continue
		}
		if err := g.revoke(ctx, key.ClientID, ag.ID); err != nil {
			return nil, nil, err
		}
	}
	for _, s := range want {
		if have[s] {
			continue
		}
		ag, err := g.c.ApplicationGrants.Create(ctx, key.ClientID, ApplicationGrantCreate{Issuer: key.Resource, ScopeID: s})
		if assigned(err) {
			// Granted since the read (by a concurrent writer): adopt it.
			found, ferr := g.held(ctx, "", key)
			if ferr != nil {
				return nil, made, ferr
			}
			if i := slices.IndexFunc(found, func(a *ApplicationGrant) bool { return a.ScopeID == s }); i >= 0 {
				after = append(after, found[i])
				continue
			}
		}
		if err != nil {
			return nil, made, err
		}
		after, made = append(after, ag), append(made, ag)
	}
	return after, made, nil
}

// revoke revokes one grant; a grant gone already (404) is what was asked.
func (g grants) revoke(ctx context.Context, appID, grantID string) error {
	err := g.c.ApplicationGrants.Delete(ctx, appID, grantID)
	var apiErr *grantkit.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.Code == "E0000007" && strings.Contains(apiErr.Message, grantID) {
		return nil
	}
	return err
}

// assigned reports Okta's refusal of a scope the app holds already on the issuer (400
// E0000001 whose cause says "already"; see specs/README.md).
func assigned(err error) bool {
	var apiErr *grantkit.Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest && apiErr.Code == "E0000001" &&
		strings.Contains(apiErr.Message, "already")
}

// held returns the grants app key.ClientID holds on issuer key.Resource. A missing app is
// ErrGrantNotFound.
func (g grants) held(ctx context.Context, op string, key grantkit.GrantKey) ([]*ApplicationGrant, error) {
	if op != "" {
		if err := checkKey(op, key); err != nil {
			return nil, err
		}
	}
	var out []*ApplicationGrant
	for ag, err := range g.c.ApplicationGrants.List(ctx, key.ClientID, ApplicationGrantListOptions{}) {
		var apiErr *grantkit.Error
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("%s: %s: %w: %s: the app does not exist (%w)", vendor, op, grantkit.ErrGrantNotFound, key, err)
		}
		if err != nil {
			return nil, err
		}
		if ag.Issuer == key.Resource && inEffect(ag) {
			out = append(out, ag)
		}
	}
	return out, nil
}

// checkKey refuses a key Okta cannot honour: a subject type, an issuer that is no URL, an app
// id that is no safe path segment.
func checkKey(op string, key grantkit.GrantKey) error {
	if err := neutral.NoSubject(vendor, op, key); err != nil {
		return err
	}
	if err := checkIssuer("key.resource", key.Resource); err != nil {
		return wrap(op, err)
	}
	if err := validate.ID("key.client_id", key.ClientID); err != nil {
		return wrap(op, err)
	}
	return nil
}

func checkScopes(op string, scopes []string) error {
	if err := validate.Each("scopes", scopes, checkScope); err != nil {
		return wrap(op, err)
	}
	return nil
}

// checkScope refuses a scope Okta cannot grant as asked: an empty one, or one that is not a
// single OAuth scope token.
func checkScope(field, s string) error {
	if s == "" {
		return validate.Errorf(field, "is empty")
	}
	return validate.ScopeToken(field, s)
}

func notFound(op string, key grantkit.GrantKey) error {
	return fmt.Errorf("%s: %s: %w: %s holds no scope of that issuer", vendor, op, grantkit.ErrGrantNotFound, key)
}

func ids(held []*ApplicationGrant) []string {
	out := make([]string, len(held))
	for i, ag := range held {
		out[i] = ag.ID
	}
	slices.Sort(out)
	return out
}

// inEffect reports whether a consent grant is in effect: Okta's status ACTIVE (or none sent).
// A REVOKED grant gives the app nothing and is no scope of the neutral grant.
func inEffect(ag *ApplicationGrant) bool { return ag.Status == "" || ag.Status == "ACTIVE" }

// toGrant is the neutral grant of an app's grants on one issuer.
func toGrant(key grantkit.GrantKey, held []*ApplicationGrant) *grantkit.Grant {
	scopes := []string{}
	for _, ag := range held {
		if inEffect(ag) {
			scopes = append(scopes, ag.ScopeID)
		}
	}
	return &grantkit.Grant{Vendor: vendor, ID: strings.Join(ids(held), ","), Key: key, Scopes: grantkit.NormalizeScopes(scopes)}
}
