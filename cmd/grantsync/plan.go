package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/grantkit/grantkit"
)

// Kinds and actions of a change. The actions' order is the order they are applied in at a
// vendor: a scope is defined before a grant is given it, and removed only after the grants
// that had it are changed or revoked.
const (
	kindScope = "scope"
	kindGrant = "grant"

	actDefine   = "define"   // + scope
	actDescribe = "describe" // ~ scope (its description)
	actCreate   = "create"   // + grant
	actUpdate   = "update"   // ~ grant (its scopes)
	actRevoke   = "revoke"   // - grant
	actRemove   = "remove"   // - scope
)

// phase is when an action runs: every change of a phase at a vendor finishes before the
// next phase there starts.
func phase(action string) int {
	switch action {
	case actDefine, actDescribe:
		return 0
	case actCreate, actUpdate:
		return 1
	case actRevoke:
		return 2
	default: // actRemove
		return 3
	}
}

// Change is one step of a plan.
type Change struct {
	Vendor   string `json:"vendor"`
	Kind     string `json:"kind"`   // "scope" or "grant"
	Action   string `json:"action"` // define, describe, remove (scopes); create, update, revoke (grants)
	Resource string `json:"resource"`

	// Scope changes: the scope's name, its description as it will be and as it was.
	Scope          string  `json:"scope,omitempty"`
	Description    *string `json:"description,omitempty"`
	OldDescription *string `json:"old_description,omitempty"`

	// Grant changes: the client, Auth0's subject type, the scopes the grant will have (for a
	// revoke, the ones it had) and, for an update, what is added and removed.
	Client      string   `json:"client,omitempty"`
	SubjectType string   `json:"subject_type,omitempty"`
	Scopes      []string `json:"scopes,omitempty"`
	Add         []string `json:"add,omitempty"`
	Remove      []string `json:"remove,omitempty"`

	// After an apply: "done", "failed" (with Error) or "skipped" (an earlier change at the
	// vendor failed, so this one was not tried).
	Status string `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

func (c *Change) key() grantkit.GrantKey {
	return grantkit.GrantKey{Resource: c.Resource, ClientID: c.Client, SubjectType: c.SubjectType}
}

// String is the change as one line of a diff.
func (c *Change) String() string {
	sign := map[string]string{actDefine: "+", actCreate: "+", actDescribe: "~", actUpdate: "~", actRevoke: "-", actRemove: "-"}[c.Action]
	switch c.Kind {
	case kindScope:
		s := fmt.Sprintf("%s scope %s on %s", sign, c.Scope, c.Resource)
		switch {
		case c.Action == actDescribe:
			s += fmt.Sprintf(": description %q → %q", deref0(c.OldDescription), deref0(c.Description))
		case c.Action == actDefine && c.Description != nil && *c.Description != "":
			s += fmt.Sprintf(" (%q)", *c.Description)
		}
		return s
	default:
		s := fmt.Sprintf("%s grant %s", sign, c.key())
		if c.Action == actUpdate {
			var parts []string
			for _, a := range c.Add {
				parts = append(parts, "+"+a)
			}
			for _, r := range c.Remove {
				parts = append(parts, "-"+r)
			}
			return s + ": " + strings.Join(parts, " ")
		}
		return s + fmt.Sprintf(": %s", scopeList(c.Scopes))
	}
}

func scopeList(scopes []string) string {
	if len(scopes) == 0 {
		return "no scopes"
	}
	return "[" + strings.Join(scopes, " ") + "]"
}

func deref0(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// current is one vendor's state, read once: the grants that matter to the file, from one
// listing, and for the resources that matter, the scopes each defines.
type current struct {
	grants []*grantkit.Grant
	// resources holds every resource of the catalog; nil for a vendor without one.
	resources map[string]bool
	// platform is the account's resource whose scopes are the vendor's own (see account).
	platform string
	// scopes holds the definitions of the resources read (see read).
	scopes map[string][]grantkit.ScopeDefinition
	// fingerprint hashes what the plan was made from: the grants and definitions kept.
	fingerprint string
}

// read lists a vendor's state: its grants once, keeping only those vs names or manages
// (all of them when vs is nil, for -export), so memory follows the file, not the vendor;
// and with a catalog, its resources once and the scopes of each resource vs names.
func read(ctx context.Context, acct *account, vs *VendorState) (*current, error) {
	cur := &current{platform: acct.platform}
	var named map[grantkit.GrantKey]bool
	if vs != nil {
		named = make(map[grantkit.GrantKey]bool, len(vs.Grants))
		for _, g := range vs.Grants {
			named[g.key()] = true
		}
	}
	for g, err := range acct.grants.List(ctx, grantkit.GrantListOptions{}) {
		if err != nil {
			return nil, fmt.Errorf("listing grants: %w", err)
		}
		if g.Key.ClientID == "" {
			// An Auth0 default grant belongs to no single client and has no key to act
			// on; grantsync neither exports nor prunes it.
			continue
		}
		if vs != nil && !named[g.Key] && !vs.manages(g.Key) {
			continue
		}
		cur.grants = append(cur.grants, g)
	}
	h := sha256.New()
	put := func(format string, args ...any) { _, _ = fmt.Fprintf(h, format, args...) } // a hash's Write never fails
	slices.SortFunc(cur.grants, func(a, b *grantkit.Grant) int { return cmp.Compare(a.Key.String(), b.Key.String()) })
	for _, g := range cur.grants {
		put("g %q %q %q %q\n", g.Key.Resource, g.Key.ClientID, g.Key.SubjectType, g.Scopes)
	}
	if acct.catalog != nil {
		cur.resources = map[string]bool{}
		cur.scopes = map[string][]grantkit.ScopeDefinition{}
		for r, err := range acct.catalog.Resources(ctx) {
			if err != nil {
				return nil, fmt.Errorf("listing resources: %w", err)
			}
			cur.resources[r] = true
		}
		for _, r := range sortedKeys(cur.resources) {
			if vs != nil && !vs.needsScopes(r) {
				continue
			}
			defs, err := acct.catalog.ListScopes(ctx, r)
			if err != nil {
				return nil, fmt.Errorf("listing the scopes of %s: %w", r, err)
			}
			cur.scopes[r] = defs
			put("r %q\n", r)
			for _, d := range defs {
				put("s %q %q\n", d.Name, d.Description)
			}
		}
	}
	cur.fingerprint = hex.EncodeToString(h.Sum(nil))
	return cur, nil
}

// needsScopes says whether a plan of v reads resource's scope definitions: those it lists
// scopes for or grants on.
func (v *VendorState) needsScopes(resource string) bool {
	if _, ok := v.Scopes[resource]; ok {
		return true
	}
	return slices.ContainsFunc(v.Grants, func(g GrantSpec) bool { return g.Resource == resource })
}

// planVendor compares what the file wants of a vendor with what it has, checks that every
// change can be made (before anything is sent), and returns the changes in apply order. The
// changes -prune would make are returned separately (kept).
//
// An error names the file and the line of the entry at fault, as parseState's do.
func planVendor(file string, v *vendor, vs *VendorState, cur *current, prune bool) (changes, kept []*Change, err error) {
	bad := func(line int, format string, args ...any) error {
		at := file
		if line > 0 {
			at = fmt.Sprintf("%s:%d", file, line)
		}
		return fmt.Errorf("%s: %w: %s: %s", at, grantkit.ErrInvalidInput, v.name, fmt.Sprintf(format, args...))
	}
	change := func(c Change) *Change { c.Vendor = v.name; return &c }

	// defined[resource][scope]: what each resource will define once the plan is applied,
	// so that every granted scope can be checked before anything is sent.
	defined := map[string]map[string]bool{}
	if cur.resources != nil {
		for r, defs := range cur.scopes {
			defined[r] = map[string]bool{}
			for _, d := range defs {
				defined[r][d.Name] = true
			}
		}
		for _, r := range sortedKeys(vs.Scopes) {
			if cur.platform != "" && r == cur.platform {
				return nil, nil, bad(vs.resourceLines[r], "the scopes of %s are %s's own: grantsync grants them but cannot define them", r, v.name)
			}
			if !cur.resources[r] {
				return nil, nil, bad(vs.resourceLines[r], "there is no resource %q (grantsync defines scopes on resources, it does not create resources)", r)
			}
			have := map[string]grantkit.ScopeDefinition{}
			for _, d := range cur.scopes[r] {
				have[d.Name] = d
			}
			listed := map[string]bool{}
			for _, spec := range vs.Scopes[r] {
				listed[spec.Name] = true
				old, exists := have[spec.Name]
				switch {
				case !exists:
					changes = append(changes, change(Change{Kind: kindScope, Action: actDefine, Resource: r, Scope: spec.Name, Description: spec.Description}))
				case spec.Description != nil && *spec.Description != old.Description:
					changes = append(changes, change(Change{Kind: kindScope, Action: actDescribe, Resource: r, Scope: spec.Name,
						Description: spec.Description, OldDescription: &old.Description}))
				}
				defined[r][spec.Name] = true
			}
			if !vs.managesScopes(r) {
				continue
			}
			for _, d := range cur.scopes[r] {
				if listed[d.Name] {
					continue
				}
				kept = append(kept, change(Change{Kind: kindScope, Action: actRemove, Resource: r, Scope: d.Name}))
				if prune {
					// The scope will be gone: a grant that keeps it is caught below.
					delete(defined[r], d.Name)
				}
			}
		}
	}

	// Grants: the vendor's, by key. A key the vendor holds more than once cannot be acted on
	// (it does not identify one grant); it is only an error when the file names it.
	have := map[grantkit.GrantKey][]*grantkit.Grant{}
	for _, g := range cur.grants {
		have[g.Key] = append(have[g.Key], g)
	}
	wanted := map[grantkit.GrantKey]bool{}
	for _, spec := range vs.Grants {
		k := spec.key()
		wanted[k] = true
		scopes := grantkit.NormalizeScopes(spec.Scopes)
		if cur.resources != nil && (cur.platform == "" || k.Resource != cur.platform) {
			if !cur.resources[k.Resource] {
				return nil, nil, bad(spec.line, "there is no resource %q to grant %s on", k.Resource, k.ClientID)
			}
			for _, s := range scopes {
				if !defined[k.Resource][s] {
					why := "neither defined at " + v.name + " nor listed under scopes in the file"
					if prune && vs.managesScopes(k.Resource) {
						why = "not listed under scopes of " + k.Resource + ", so -prune would remove it"
					}
					return nil, nil, bad(spec.line, "grant %s: scope %q is %s", k, s, why)
				}
			}
		}
		grant := Change{Kind: kindGrant, Resource: k.Resource, Client: k.ClientID, SubjectType: k.SubjectType, Scopes: scopes}
		switch gs := have[k]; len(gs) {
		case 0:
			if len(scopes) == 0 && v.noEmptyGrant {
				break // a client without scopes is what the file asks
			}
			grant.Action = actCreate
			changes = append(changes, change(grant))
		case 1:
			if d := grantkit.Diff(gs[0].Scopes, scopes); !d.IsEmpty() {
				grant.Action, grant.Add, grant.Remove = actUpdate, d.Add, d.Remove
				if len(scopes) == 0 && v.noEmptyGrant {
					grant.Action, grant.Scopes, grant.Add, grant.Remove = actRevoke, gs[0].Scopes, nil, nil
				}
				changes = append(changes, change(grant))
			}
		default:
			ids := make([]string, len(gs))
			for i, g := range gs {
				ids[i] = g.ID
			}
			return nil, nil, bad(spec.line, "grant %s: %d grants at the vendor have this key (%s); grantsync cannot tell which one the file means",
				k, len(gs), strings.Join(ids, ", "))
		}
	}
	for _, g := range cur.grants {
		if !wanted[g.Key] && vs.manages(g.Key) {
			kept = append(kept, change(Change{Kind: kindGrant, Action: actRevoke, Resource: g.Key.Resource, Client: g.Key.ClientID, SubjectType: g.Key.SubjectType,
				Scopes: grantkit.NormalizeScopes(g.Scopes)}))
		}
	}
	if prune {
		changes, kept = append(changes, kept...), nil
	}
	sortChanges(changes)
	sortChanges(kept)
	return changes, kept, nil
}

// sortChanges puts changes in apply order: by vendor, phase, resource, client or scope.
func sortChanges(cs []*Change) {
	slices.SortStableFunc(cs, func(a, b *Change) int {
		return cmp.Or(
			cmp.Compare(a.Vendor, b.Vendor),
			cmp.Compare(phase(a.Action), phase(b.Action)),
			cmp.Compare(a.Resource, b.Resource),
			cmp.Compare(a.Client, b.Client),
			cmp.Compare(a.SubjectType, b.SubjectType),
			cmp.Compare(a.Scope, b.Scope),
		)
	})
}

// exportVendor is a vendor's state as a desired-state entry: every grant with a client, every
// resource's scopes with their descriptions, and a manage entry that owns every resource
// exported (trim it to what the file should own).
func exportVendor(cur *current) *VendorState {
	vs := &VendorState{Grants: []GrantSpec{}, Manage: &Manage{}}
	owned := map[string]bool{}
	for r := range cur.scopes {
		owned[r] = true
	}
	for _, g := range cur.grants {
		owned[g.Key.Resource] = true
		vs.Grants = append(vs.Grants, GrantSpec{Resource: g.Key.Resource, Client: g.Key.ClientID, SubjectType: g.Key.SubjectType,
			Scopes: grantkit.NormalizeScopes(g.Scopes)})
	}
	slices.SortFunc(vs.Grants, func(a, b GrantSpec) int {
		return cmp.Or(cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Client, b.Client), cmp.Compare(a.SubjectType, b.SubjectType))
	})
	vs.Manage.Resources = sortedKeys(owned)
	for _, r := range sortedKeys(cur.scopes) {
		if vs.Scopes == nil {
			vs.Scopes = map[string][]ScopeSpec{}
		}
		vs.Scopes[r] = []ScopeSpec{}
		for _, d := range cur.scopes[r] {
			spec := ScopeSpec{Name: d.Name}
			if d.Description != "" {
				spec.Description = &d.Description
			}
			vs.Scopes[r] = append(vs.Scopes[r], spec)
		}
		slices.SortFunc(vs.Scopes[r], func(a, b ScopeSpec) int { return cmp.Compare(a.Name, b.Name) })
	}
	return vs
}
