package auth0fake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"

	"github.com/go-faster/jx"

	"github.com/grantkit/grantkit/auth0/auth0fake/internal/oas"
)

// resourceServers is the fake tenant's APIs, guarded by Fake.mu. The fake starts with none:
// a real tenant always has Auth0's system Management API, but the fake cannot know the
// tenant domain its clients use (which is the system API's identifier) nor keep Auth0's
// hundreds of Management API scopes in step; a test that needs it adds it with
// AddSystemResourceServer.
type resourceServers struct {
	byID map[string]*oas.ResourceServer
	seq  map[string]int // creation order, which is the order lists are in
	next int
}

func (r *resourceServers) init() {
	if r.byID == nil {
		r.byID = map[string]*oas.ResourceServer{}
		r.seq = map[string]int{}
	}
}

// find returns the resource server whose id, or else identifier, is key: Auth0 accepts either
// in /resource-servers/{id}.
func (r *resourceServers) find(key string) *oas.ResourceServer {
	if rs, ok := r.byID[key]; ok {
		return rs
	}
	return r.byIdentifier(key)
}

func (r *resourceServers) byIdentifier(identifier string) *oas.ResourceServer {
	for _, rs := range r.byID {
		if rs.Identifier.Value == identifier {
			return rs
		}
	}
	return nil
}

func (r *resourceServers) add(rs *oas.ResourceServer) {
	r.init()
	r.byID[rs.ID.Value] = rs
	r.seq[rs.ID.Value] = r.next
	r.next++
}

// defines reports whether rs defines the scope named value.
func defines(rs *oas.ResourceServer, value string) bool {
	return slices.ContainsFunc(rs.Scopes, func(s oas.ResourceServerScope) bool { return s.Value.Value == value })
}

// newResourceServerID returns an id shaped like Auth0's: 24 hexadecimal digits.
func newResourceServerID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// AddResourceServer defines an API with this identifier (the audience of its grants) in the
// fake tenant, with these scopes, as ResourceServers.Create would, and returns its id. If the
// API exists already it gets the scopes it lacks. Tests seed the fake with it: as at Auth0, a
// client grant may only be created for an audience that exists, with scopes it defines.
func (f *Fake) AddResourceServer(identifier string, scopes ...string) string {
	return f.addResourceServer(identifier, false, scopes)
}

// AddSystemResourceServer adds an API flagged is_system, such as the Auth0 Management API that
// every real tenant has (identifier https://{tenant domain}/api/v2/), with these scopes, and
// returns its id. As at Auth0, it cannot be deleted and its scopes cannot be changed through
// the API. If the API exists already it is flagged and gets the scopes it lacks.
func (f *Fake) AddSystemResourceServer(identifier string, scopes ...string) string {
	return f.addResourceServer(identifier, true, scopes)
}

func (f *Fake) addResourceServer(identifier string, system bool, scopes []string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rs.init()
	rs := f.rs.byIdentifier(identifier)
	if rs == nil {
		rs = newResourceServer(identifier)
		if system {
			rs.Name = oas.NewOptString("Auth0 Management API")
		}
		f.rs.add(rs)
	}
	if system {
		rs.IsSystem = oas.NewOptBool(true)
	}
	for _, s := range scopes {
		if !defines(rs, s) {
			rs.Scopes = append(rs.Scopes, oas.ResourceServerScope{Value: oas.NewOptString(s)})
		}
	}
	return rs.ID.Value
}

// newResourceServer returns a resource server with the defaults Auth0 gives a new API
// (recorded answers: RS256, tokens of 86400 seconds and 7200 for the web flows, no refresh
// tokens, consent not skipped).
func newResourceServer(identifier string) *oas.ResourceServer {
	return &oas.ResourceServer{
		ID:         oas.NewOptString(newResourceServerID()),
		Identifier: oas.NewOptString(identifier),
		// is_system is left out for an API of the tenant's own, as Auth0 answers.
		SigningAlg:          oas.NewOptString("RS256"),
		TokenLifetime:       oas.NewOptInt(86400),
		TokenLifetimeForWeb: oas.NewOptInt(7200),
		AllowOfflineAccess:  oas.NewOptBool(false),
		SkipConsentForVerifiableFirstPartyClients: oas.NewOptBool(false),
	}
}

// The errors Auth0 answers about resource servers and the grants on them. Where the message
// comes from and which parts are assumed is listed in specs/README.md.
func resourceServerNotFound() error {
	return &apiError{status: http.StatusNotFound, code: "inexistent_resource_server", msg: "The resource server does not exist"}
}

func audienceNotFound(audience string) error {
	return &apiError{status: http.StatusNotFound, code: "inexistent_resource_server", msg: "No resource with identifier " + audience}
}

func scopeNotDefined() error {
	return &apiError{status: http.StatusBadRequest, code: "invalid_body",
		msg: "Payload validation error: scope must be a subset of resource server scopes"}
}

// checkGrant applies Auth0's rules to a new client grant: its audience must be a resource
// server's identifier, and its scopes must be defined there. The caller holds f.mu.
func (f *Fake) checkGrant(audience string, scope []string) error {
	if f.rs.byIdentifier(audience) == nil {
		return audienceNotFound(audience)
	}
	return f.checkGrantScopes(audience, scope)
}

// checkGrantScopes applies Auth0's rule to the scopes a client grant is given: each must be
// defined by the resource server of its audience. The caller holds f.mu.
func (f *Fake) checkGrantScopes(audience string, scope []string) error {
	if len(scope) == 0 {
		return nil
	}
	rs := f.rs.byIdentifier(audience)
	for _, s := range scope {
		if rs == nil || !defines(rs, s) {
			return scopeNotDefined()
		}
	}
	return nil
}

func cloneRS(rs *oas.ResourceServer) oas.ResourceServer {
	c := *rs
	c.Scopes = slices.Clone(rs.Scopes)
	c.AuthorizationDetails.Value = cloneRaws(rs.AuthorizationDetails.Value)
	return c
}

// cloneRaws copies JSON values deeply: a decoded value may share memory with its request.
func cloneRaws(in []jx.Raw) []jx.Raw {
	if in == nil {
		return nil
	}
	out := make([]jx.Raw, len(in))
	for i, d := range in {
		out[i] = slices.Clone(d)
	}
	return out
}

func (h handler) ListResourceServers(_ context.Context, p oas.ListResourceServersParams) (oas.ListResourceServersOK, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	var all []oas.ResourceServer
	for _, rs := range h.f.rs.byID {
		if len(p.Identifiers) > 0 && !slices.Contains(p.Identifiers, rs.Identifier.Value) {
			continue
		}
		all = append(all, cloneRS(rs))
	}
	slices.SortFunc(all, func(a, b oas.ResourceServer) int { return h.f.rs.seq[a.ID.Value] - h.f.rs.seq[b.ID.Value] })

	if !p.Page.IsSet() && !p.PerPage.IsSet() && !p.IncludeTotals.IsSet() {
		return oas.NewResourceServerArrayListResourceServersOK(all), nil
	}
	per, pg := p.PerPage.Or(50), p.Page.Or(0)
	start := min(pg*per, len(all))
	items := all[start:min(start+per, len(all))]
	if p.IncludeTotals.Or(false) {
		return oas.NewResourceServerPageListResourceServersOK(oas.ResourceServerPage{
			ResourceServers: items, Start: oas.NewOptInt(pg * per), Limit: oas.NewOptInt(per), Total: oas.NewOptInt(len(all)),
		}), nil
	}
	return oas.NewResourceServerArrayListResourceServersOK(items), nil
}

// The values Auth0's Management API document allows for a resource server's enum fields. The
// request schema leaves them open (a value Auth0 adds later must reach it), so the fake checks
// them here, as Auth0 does.
var (
	signingAlgs            = []string{"HS256", "RS256", "RS512", "PS256"}
	tokenDialects          = []string{"access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz"}
	consentPolicies        = []string{"transactional-authorization-with-mfa"}
	tokenEncryptionFormats = []string{"compact-nested-jwe"}
	tokenEncryptionAlgs    = []string{"RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"}
	popMechanisms          = []string{"mtls", "dpop"}
	popRequiredFor         = []string{"public_clients", "all_clients"}
	userPolicies           = []string{"allow_all", "deny_all", "require_client_grant"}
	clientPolicies         = []string{"deny_all", "require_client_grant"}
)

// checkResourceServerEnums refuses a create or PATCH body with a value outside those enums.
func checkResourceServerEnums(signingAlg, tokenDialect oas.OptString, consent oas.OptNilString,
	enc oas.OptNilTokenEncryptionInput, pop oas.OptNilProofOfPossessionInput, subjects oas.OptSubjectTypeAuthorizationInput) error {
	type check struct {
		field, value string
		allowed      []string
	}
	var checks []check
	add := func(field string, v oas.OptString, allowed []string) {
		if s, ok := v.Get(); ok {
			checks = append(checks, check{field, s, allowed})
		}
	}
	add("signing_alg", signingAlg, signingAlgs)
	add("token_dialect", tokenDialect, tokenDialects)
	if v, ok := consent.Get(); ok {
		checks = append(checks, check{"consent_policy", v, consentPolicies})
	}
	if v, ok := enc.Get(); ok {
		checks = append(checks, check{"token_encryption.format", v.Format, tokenEncryptionFormats},
			check{"token_encryption.encryption_key.alg", v.EncryptionKey.Alg, tokenEncryptionAlgs})
	}
	if v, ok := pop.Get(); ok {
		checks = append(checks, check{"proof_of_possession.mechanism", v.Mechanism, popMechanisms})
		add("proof_of_possession.required_for", v.RequiredFor, popRequiredFor)
	}
	if v, ok := subjects.Get(); ok {
		if u, ok := v.User.Get(); ok {
			add("subject_type_authorization.user.policy", u.Policy, userPolicies)
		}
		if c, ok := v.Client.Get(); ok {
			add("subject_type_authorization.client.policy", c.Policy, clientPolicies)
		}
	}
	for _, c := range checks {
		if err := checkEnum(c.field, c.value, c.allowed); err != nil {
			return err
		}
	}
	return nil
}

func (h handler) CreateResourceServer(_ context.Context, req *oas.CreateResourceServerRequest) (*oas.ResourceServer, error) {
	if err := checkResourceServerEnums(req.SigningAlg, req.TokenDialect, req.ConsentPolicy, req.TokenEncryption, req.ProofOfPossession, req.SubjectTypeAuthorization); err != nil {
		return nil, err
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	h.f.rs.init()
	if h.f.rs.byIdentifier(req.Identifier) != nil {
		return nil, &apiError{status: http.StatusConflict, code: "resource_server_conflict",
			msg: "A resource server with the same identifier already exists."}
	}
	rs := newResourceServer(req.Identifier)
	rs.Name = req.Name
	if req.Scopes != nil {
		rs.Scopes = scopesFromInput(req.Scopes)
	}
	if v, ok := req.SigningAlg.Get(); ok {
		rs.SigningAlg = oas.NewOptString(v)
	}
	rs.SigningSecret = req.SigningSecret
	if v, ok := req.AllowOfflineAccess.Get(); ok {
		rs.AllowOfflineAccess = oas.NewOptBool(v)
	}
	rs.AllowOnlineAccess = req.AllowOnlineAccess
	rs.AllowOnlineAccessWithEphemeralSessions = req.AllowOnlineAccessWithEphemeralSessions
	if v, ok := req.TokenLifetime.Get(); ok {
		rs.TokenLifetime = oas.NewOptInt(v)
	}
	rs.TokenDialect = req.TokenDialect
	if v, ok := req.SkipConsentForVerifiableFirstPartyClients.Get(); ok {
		rs.SkipConsentForVerifiableFirstPartyClients = oas.NewOptBool(v)
	}
	rs.EnforcePolicies = req.EnforcePolicies
	applyNullable(rs, req.TokenEncryption, req.ConsentPolicy, req.AuthorizationDetails, req.ProofOfPossession, req.AuthorizationPolicy)
	if v, ok := req.SubjectTypeAuthorization.Get(); ok {
		rs.SubjectTypeAuthorization = oas.NewOptSubjectTypeAuthorization(subjectTypeFromInput(v))
	}
	h.f.rs.add(rs)
	c := cloneRS(rs)
	return &c, nil
}

func (h handler) GetResourceServer(_ context.Context, p oas.GetResourceServerParams) (*oas.ResourceServer, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	rs := h.f.rs.find(p.ID)
	if rs == nil {
		return nil, resourceServerNotFound()
	}
	c := cloneRS(rs)
	return &c, nil
}

// systemPatchable are the only fields Auth0 lets callers change on its system API; any other
// is refused as an additional property, as Auth0 answers (specs/README.md).
var systemPatchable = []string{"token_lifetime", "skip_consent_for_verifiable_first_party_clients"}

// setFields lists the fields a PATCH body sets, in the order of the schema.
func setFields(req *oas.UpdateResourceServerRequest) []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"name", req.Name.IsSet()},
		{"scopes", req.Scopes != nil},
		{"signing_alg", req.SigningAlg.IsSet()},
		{"signing_secret", req.SigningSecret.IsSet()},
		{"skip_consent_for_verifiable_first_party_clients", req.SkipConsentForVerifiableFirstPartyClients.IsSet()},
		{"allow_offline_access", req.AllowOfflineAccess.IsSet()},
		{"allow_online_access", req.AllowOnlineAccess.IsSet()},
		{"allow_online_access_with_ephemeral_sessions", req.AllowOnlineAccessWithEphemeralSessions.IsSet()},
		{"token_lifetime", req.TokenLifetime.IsSet()},
		{"token_lifetime_for_web", req.TokenLifetimeForWeb.IsSet()},
		{"token_dialect", req.TokenDialect.IsSet()},
		{"enforce_policies", req.EnforcePolicies.IsSet()},
		{"token_encryption", req.TokenEncryption.IsSet()},
		{"consent_policy", req.ConsentPolicy.IsSet()},
		{"authorization_details", req.AuthorizationDetails.IsSet()},
		{"proof_of_possession", req.ProofOfPossession.IsSet()},
		{"subject_type_authorization", req.SubjectTypeAuthorization.IsSet()},
		{"authorization_policy", req.AuthorizationPolicy.IsSet()},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// UpdateResourceServer applies a PATCH: an absent field is kept, a present one replaces the
// stored value (scopes as a whole list), and null removes a nullable field.
func (h handler) UpdateResourceServer(_ context.Context, req *oas.UpdateResourceServerRequest, p oas.UpdateResourceServerParams) (oas.UpdateResourceServerRes, error) {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	rs := h.f.rs.find(p.ID)
	if rs == nil {
		return nil, resourceServerNotFound()
	}
	if err := checkResourceServerEnums(req.SigningAlg, req.TokenDialect, req.ConsentPolicy, req.TokenEncryption, req.ProofOfPossession, req.SubjectTypeAuthorization); err != nil {
		return nil, err
	}
	if rs.IsSystem.Value {
		for _, f := range setFields(req) {
			if !slices.Contains(systemPatchable, f) {
				return nil, &apiError{status: http.StatusBadRequest, code: "invalid_body",
					msg: "Payload validation error: 'Additional properties not allowed: " + f + "'."}
			}
		}
	}
	if v, ok := req.Name.Get(); ok {
		rs.Name = oas.NewOptString(v)
	}
	if req.Scopes != nil {
		rs.Scopes = scopesFromInput(req.Scopes)
	}
	for _, s := range []struct {
		src oas.OptString
		dst *oas.OptString
	}{
		{req.SigningAlg, &rs.SigningAlg},
		{req.SigningSecret, &rs.SigningSecret},
		{req.TokenDialect, &rs.TokenDialect},
	} {
		if s.src.IsSet() {
			*s.dst = s.src
		}
	}
	for _, b := range []struct {
		src oas.OptBool
		dst *oas.OptBool
	}{
		{req.SkipConsentForVerifiableFirstPartyClients, &rs.SkipConsentForVerifiableFirstPartyClients},
		{req.AllowOfflineAccess, &rs.AllowOfflineAccess},
		{req.AllowOnlineAccess, &rs.AllowOnlineAccess},
		{req.AllowOnlineAccessWithEphemeralSessions, &rs.AllowOnlineAccessWithEphemeralSessions},
		{req.EnforcePolicies, &rs.EnforcePolicies},
	} {
		if b.src.IsSet() {
			*b.dst = b.src
		}
	}
	if req.TokenLifetime.IsSet() {
		rs.TokenLifetime = req.TokenLifetime
	}
	if req.TokenLifetimeForWeb.IsSet() {
		rs.TokenLifetimeForWeb = req.TokenLifetimeForWeb
	}
	applyNullable(rs, req.TokenEncryption, req.ConsentPolicy, req.AuthorizationDetails, req.ProofOfPossession, req.AuthorizationPolicy)
	if v, ok := req.SubjectTypeAuthorization.Get(); ok {
		rs.SubjectTypeAuthorization = oas.NewOptSubjectTypeAuthorization(subjectTypeFromInput(v))
	}
	c := oas.UpdateResourceServerOK(cloneRS(rs))
	return &c, nil
}

// DeleteResourceServer deletes by id or identifier. Auth0 documents no 404 here: deleting an
// API that does not exist answers 204. Grants on the deleted API are left as they are.
func (h handler) DeleteResourceServer(_ context.Context, p oas.DeleteResourceServerParams) error {
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	rs := h.f.rs.find(p.ID)
	if rs == nil {
		return nil
	}
	if rs.IsSystem.Value {
		return &apiError{status: http.StatusBadRequest, msg: "System resource servers cannot be deleted."}
	}
	delete(h.f.rs.byID, rs.ID.Value)
	delete(h.f.rs.seq, rs.ID.Value)
	return nil
}

func scopesFromInput(in []oas.ResourceServerScopeInput) []oas.ResourceServerScope {
	out := make([]oas.ResourceServerScope, len(in))
	for i, s := range in {
		out[i] = oas.ResourceServerScope{Value: oas.NewOptString(s.Value), Description: s.Description}
	}
	return out
}

func subjectTypeFromInput(in oas.SubjectTypeAuthorizationInput) oas.SubjectTypeAuthorization {
	var out oas.SubjectTypeAuthorization
	if u, ok := in.User.Get(); ok {
		out.User = oas.NewOptSubjectTypePolicy(oas.SubjectTypePolicy(u))
	}
	if c, ok := in.Client.Get(); ok {
		out.Client = oas.NewOptSubjectTypePolicy(oas.SubjectTypePolicy(c))
	}
	return out
}

// applyNullable stores the nullable fields a create or PATCH body sets: a value replaces the
// stored one, null removes it, and an absent field is kept.
func applyNullable(rs *oas.ResourceServer, enc oas.OptNilTokenEncryptionInput, consent oas.OptNilString,
	details oas.OptNilAnyArray, pop oas.OptNilProofOfPossessionInput, policy oas.OptNilAuthorizationPolicyInput) {
	if enc.IsSet() {
		rs.TokenEncryption = oas.OptNilTokenEncryption{}
		if v, ok := enc.Get(); ok {
			key := oas.TokenEncryptionEncryptionKey{
				Name: v.EncryptionKey.Name, Alg: oas.NewOptString(v.EncryptionKey.Alg),
				Kid: v.EncryptionKey.Kid, Pem: oas.NewOptString(v.EncryptionKey.Pem),
			}
			rs.TokenEncryption.SetTo(oas.TokenEncryption{
				Format: oas.NewOptString(v.Format), EncryptionKey: oas.NewOptTokenEncryptionEncryptionKey(key),
			})
		}
	}
	if consent.IsSet() {
		rs.ConsentPolicy = oas.OptNilString{}
		if v, ok := consent.Get(); ok {
			rs.ConsentPolicy.SetTo(v)
		}
	}
	if details.IsSet() {
		rs.AuthorizationDetails = oas.OptNilAnyArray{}
		if v, ok := details.Get(); ok {
			rs.AuthorizationDetails.SetTo(cloneRaws(v))
		}
	}
	if pop.IsSet() {
		rs.ProofOfPossession = oas.OptNilProofOfPossession{}
		if v, ok := pop.Get(); ok {
			rs.ProofOfPossession.SetTo(oas.ProofOfPossession{
				Mechanism: oas.NewOptString(v.Mechanism), Required: oas.NewOptBool(v.Required), RequiredFor: v.RequiredFor,
			})
		}
	}
	if policy.IsSet() {
		rs.AuthorizationPolicy = oas.OptNilAuthorizationPolicy{}
		if v, ok := policy.Get(); ok {
			rs.AuthorizationPolicy.SetTo(oas.AuthorizationPolicy{PolicyID: oas.NewOptString(v.PolicyID)})
		}
	}
}
