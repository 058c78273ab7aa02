package oktafake

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"
)

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// ServiceAppKey returns the private key of the fake's OAuth 2.0 service app (ClientID): the
// key a client gives okta.WithPrivateKey. It is made once per process.
func ServiceAppKey() *rsa.PrivateKey {
	keyOnce.Do(func() {
		var err error
		if key, err = rsa.GenerateKey(randReader{}, 2048); err != nil {
			panic(err)
		}
	})
	return key
}

// dpopState is whether the service app requires DPoP, and the nonce the fake hands out.
type dpopState struct {
	mu       sync.Mutex
	required bool
	nonce    string
	refused  []string // the error codes of the token requests refused for their proof
}

// DPoPRefused returns the OAuth error codes of the token requests refused for a missing or
// stale DPoP proof (invalid_dpop_proof, use_dpop_nonce), in order. TokenRequests does not count
// them.
func (f *Fake) DPoPRefused() []string {
	f.dpop.mu.Lock()
	defer f.dpop.mu.Unlock()
	return append([]string(nil), f.dpop.refused...)
}

// RequireDPoP makes the service app require DPoP (RFC 9449), as an Okta app with "Require
// Demonstrating Proof of Possession" does: a token request without a proof is answered 400
// invalid_dpop_proof, one without the fake's nonce 400 use_dpop_nonce with a DPoP-Nonce header;
// the token issued is DPoP-bound, and API requests must send "Authorization: DPoP {token}"
// with a proof naming the request and the token.
func (f *Fake) RequireDPoP() {
	f.dpop.mu.Lock()
	f.dpop.required, f.dpop.nonce = true, newID("nonce")
	f.dpop.mu.Unlock()
}

func (f *Fake) dpopRequired() bool {
	f.dpop.mu.Lock()
	defer f.dpop.mu.Unlock()
	return f.dpop.required
}

// dpopRefused answers a token request that lacks the proof the app requires.
func (f *Fake) dpopRefused(w http.ResponseWriter, r *http.Request) bool {
	f.dpop.mu.Lock()
	required, nonce := f.dpop.required, f.dpop.nonce
	f.dpop.mu.Unlock()
	if !required {
		return false
	}
	claims, err := checkProof(r.Header.Get("DPoP"), r.Method, "/oauth2/v1/token", "")
	refuse := func(code, desc string) bool {
		f.dpop.mu.Lock()
		f.dpop.refused = append(f.dpop.refused, code)
		f.dpop.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if code == "use_dpop_nonce" {
			w.Header().Set("DPoP-Nonce", nonce)
		}
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		_, _ = w.Write(b)
		return true
	}
	switch {
	case err != nil:
		return refuse("invalid_dpop_proof", "The DPoP proof JWT header is missing or invalid.")
	case claims["nonce"] != nonce:
		return refuse("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
	}
	return false
}

// checkAPIProof checks the DPoP proof of an API request made with token.
func (f *Fake) checkAPIProof(r *http.Request, token string) error {
	if !f.dpopRequired() {
		return errors.New("the token is not DPoP-bound")
	}
	_, err := checkProof(r.Header.Get("DPoP"), r.Method, r.URL.Path, token)
	return err
}

// checkProof verifies a DPoP proof: an ES256 JWT of type dpop+jwt signed by the key in its
// jwk header, for method and a URL ending in path, bound to token (ath) when one is given.
func checkProof(proof, method, path, token string) (map[string]any, error) {
	parts := strings.Split(proof, ".")
	if len(parts) != 3 {
		return nil, errors.New("no proof")
	}
	var hdr struct {
		Typ, Alg string
		JWK      struct{ Kty, Crv, X, Y string }
	}
	var claims map[string]any
	if decode(parts[0], &hdr) != nil || decode(parts[1], &claims) != nil || hdr.Typ != "dpop+jwt" || hdr.Alg != "ES256" {
		return nil, errors.New("bad proof")
	}
	x, errX := base64.RawURLEncoding.DecodeString(hdr.JWK.X)
	y, errY := base64.RawURLEncoding.DecodeString(hdr.JWK.Y)
	sig, errS := base64.RawURLEncoding.DecodeString(parts[2])
	if errX != nil || errY != nil || errS != nil || len(sig) != 64 || hdr.JWK.Crv != "P-256" {
		return nil, errors.New("bad proof key")
	}
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, errors.New("bad proof signature")
	}
	htu, _ := claims["htu"].(string)
	if claims["htm"] != method || !strings.HasSuffix(htu, path) {
		return nil, errors.New("the proof names another request")
	}
	if token != "" {
		ath := sha256.Sum256([]byte(token))
		if claims["ath"] != base64.RawURLEncoding.EncodeToString(ath[:]) {
			return nil, errors.New("the proof is not bound to the token")
		}
	}
	return claims, nil
}

func decode(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// verifyTokenRequest checks a client-credentials request authenticated by a private_key_jwt
// client assertion signed with ServiceAppKey (RS256) for ClientID at the token endpoint.
func (f *Fake) verifyTokenRequest(r *http.Request) (int, string, string) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		return http.StatusBadRequest, "unsupported_grant_type", "The grant type is not supported."
	}
	if r.PostForm.Get("scope") == "" {
		return http.StatusBadRequest, "invalid_scope", "The authorization server requires scopes for the client credentials grant."
	}
	if r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return http.StatusUnauthorized, "invalid_client", "The client_assertion_type is missing or not supported."
	}
	parts := strings.Split(r.PostForm.Get("client_assertion"), ".")
	var hdr struct{ Alg string }
	var claims struct {
		Iss, Sub, Aud string
		Exp           int64
	}
	if len(parts) != 3 || decode(parts[0], &hdr) != nil || decode(parts[1], &claims) != nil || hdr.Alg != "RS256" {
		return http.StatusUnauthorized, "invalid_client", "The client_assertion is not a valid JWT."
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(&ServiceAppKey().PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return http.StatusUnauthorized, "invalid_client", "The client_assertion signature is invalid."
	}
	if claims.Iss != ClientID || claims.Sub != ClientID || !strings.HasSuffix(claims.Aud, "/oauth2/v1/token") || claims.Exp < time.Now().Unix() {
		return http.StatusUnauthorized, "invalid_client", "The client_assertion is not for this client or has expired."
	}
	return 0, "", ""
}
