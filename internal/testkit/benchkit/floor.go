package benchkit

import (
	"encoding/json"
	"time"
)

// The hand-written encoding/json types of each vendor's grant objects and seed request bodies:
// what a careful hand-written client would declare. The update benchmarks' floor sends and
// decodes them, and each vendor's codec benchmark compares its generated type with them
// (codecbench.Equivalent checks, per vendor, that the two encode the same JSON).

// StdAuth0Grant is Auth0's ClientGrant.
type StdAuth0Grant struct {
	ID                        string   `json:"id,omitempty"`
	ClientID                  string   `json:"client_id,omitempty"`
	Audience                  string   `json:"audience,omitempty"`
	Scope                     []string `json:"scope"`
	OrganizationUsage         string   `json:"organization_usage,omitempty"`
	AllowAnyOrganization      bool     `json:"allow_any_organization"`
	DefaultFor                string   `json:"default_for,omitempty"`
	IsSystem                  bool     `json:"is_system"`
	SubjectType               string   `json:"subject_type,omitempty"`
	AuthorizationDetailsTypes []string `json:"authorization_details_types,omitempty"`
	AllowAllScopes            bool     `json:"allow_all_scopes"`
}

// StdAuth0GrantUpdate is the seed update's body with only a scope.
type StdAuth0GrantUpdate struct {
	Scope []string `json:"scope"`
}

// StdIDRef is PingOne's {"id": …} reference.
type StdIDRef struct {
	ID string `json:"id"`
}

// StdPingOneGrant is PingOne's ApplicationResourceGrant.
type StdPingOneGrant struct {
	Links map[string]struct {
		Href string `json:"href"`
	} `json:"_links"`
	ID          string     `json:"id"`
	Environment StdIDRef   `json:"environment"`
	Resource    StdIDRef   `json:"resource"`
	Application StdIDRef   `json:"application"`
	Scopes      []StdIDRef `json:"scopes"`
	CreatedAt   string     `json:"createdAt"`
	UpdatedAt   string     `json:"updatedAt"`
}

// StdPingOneGrantUpdate is the seed update's body.
type StdPingOneGrantUpdate struct {
	Resource StdIDRef   `json:"resource"`
	Scopes   []StdIDRef `json:"scopes"`
}

// StdOktaGrantCreate is Okta's seed call's body: the issuer and the scope granted.
type StdOktaGrantCreate struct {
	Issuer  string `json:"issuer"`
	ScopeID string `json:"scopeId"`
}

// StdOktaGrant is Okta's OAuth2ScopeConsentGrant.
type StdOktaGrant struct {
	ID          string `json:"id"`
	ClientID    string `json:"clientId"`
	Issuer      string `json:"issuer"`
	ScopeID     string `json:"scopeId"`
	Source      string `json:"source"`
	Status      string `json:"status"`
	Created     string `json:"created"`
	LastUpdated string `json:"lastUpdated"`
	CreatedBy   struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"createdBy"`
	Links map[string]struct {
		Href string `json:"href"`
	} `json:"_links"`
}

// StdCPNRole is a CPN role, named.
type StdCPNRole struct {
	Name string `json:"name"`
}

// StdCPNServiceScopes are the roles of one service an app may hold.
type StdCPNServiceScopes struct {
	AllRoles            bool         `json:"allRoles"`
	Roles               []StdCPNRole `json:"roles"`
	ServiceDefinitionID string       `json:"serviceDefinitionId"`
}

// StdCPNAllowedScopes are an OAuth app's allowed scopes.
type StdCPNAllowedScopes struct {
	GeneralScopes      []string `json:"generalScopes"`
	OrganizationScopes struct {
		Roles []StdCPNRole `json:"roles"`
	} `json:"organizationScopes"`
	ServicesScopes []StdCPNServiceScopes `json:"servicesScopes"`
}

// StdCPNApp is CPN's CpnOrgOauthAppResponse.
type StdCPNApp struct {
	AccessTokenTTL                    int32               `json:"accessTokenTTL"`
	AllowedScopes                     StdCPNAllowedScopes `json:"allowedScopes"`
	CreatedAt                         int64               `json:"createdAt"`
	Description                       string              `json:"description"`
	DisplayName                       string              `json:"displayName"`
	GrantTypes                        []string            `json:"grantTypes"`
	ID                                string              `json:"id"`
	LastUpdatedAt                     int64               `json:"lastUpdatedAt"`
	OwnerOnlySecretRotation           bool                `json:"ownerOnlySecretRotation"`
	SecretRotationExpirationInSeconds int32               `json:"secretRotationExpirationInSeconds"`
}

// StdCPNAppUpdate is the seed update's body with only the allowed scopes.
type StdCPNAppUpdate struct {
	AllowedScopes StdCPNAllowedScopes `json:"allowedScopes"`
}

// StdOneLoginScope is a OneLogin authorization server scope.
type StdOneLoginScope struct {
	ID          int64  `json:"id"`
	Value       string `json:"value"`
	Description string `json:"description"`
}

// StdOneLoginClientApp is a OneLogin client app with its scopes.
type StdOneLoginClientApp struct {
	AppID     int64              `json:"app_id"`
	APIAuthID int64              `json:"api_auth_id"`
	Name      string             `json:"name"`
	Scopes    []StdOneLoginScope `json:"scopes"`
}

// StdOneLoginScopeUpdate is the seed update's body.
type StdOneLoginScopeUpdate struct {
	Value       string `json:"value"`
	Description string `json:"description"`
}

// StdOneLoginScopeID is the seed update's answer.
type StdOneLoginScopeID struct {
	ID int64 `json:"id"`
}

// StdOryClient is Hydra's OAuth 2.0 client (the fields OryClient holds).
type StdOryClient struct {
	ClientID                  string          `json:"client_id"`
	ClientName                string          `json:"client_name"`
	Owner                     string          `json:"owner"`
	Scope                     string          `json:"scope"`
	Audience                  []string        `json:"audience"`
	GrantTypes                []string        `json:"grant_types"`
	ResponseTypes             []string        `json:"response_types"`
	RedirectURIs              []string        `json:"redirect_uris"`
	AllowedCORSOrigins        []string        `json:"allowed_cors_origins"`
	Contacts                  []string        `json:"contacts"`
	ClientURI                 string          `json:"client_uri"`
	LogoURI                   string          `json:"logo_uri"`
	PolicyURI                 string          `json:"policy_uri"`
	TOSURI                    string          `json:"tos_uri"`
	SubjectType               string          `json:"subject_type"`
	TokenEndpointAuthMethod   string          `json:"token_endpoint_auth_method"`
	UserinfoSignedResponseAlg string          `json:"userinfo_signed_response_alg"`
	ClientSecretExpiresAt     int64           `json:"client_secret_expires_at"`
	SkipConsent               bool            `json:"skip_consent"`
	SkipLogoutConsent         bool            `json:"skip_logout_consent"`
	Metadata                  json.RawMessage `json:"metadata"`
	CreatedAt                 time.Time       `json:"created_at"`
	UpdatedAt                 time.Time       `json:"updated_at"`
}

// StdJSONPatch is one JSON Patch operation, as Ory's client update sends it.
type StdJSONPatch struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}
