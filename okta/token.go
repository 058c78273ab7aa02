package okta

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/internal/construct"
	"github.com/grantkit/grantkit/internal/validate"
	"github.com/grantkit/grantkit/option"
)

// privateKey is the credential of WithPrivateKey: an OAuth 2.0 service app's client id, the
// private key it authenticates with (private_key_jwt) and the Okta scopes it asks for.
type privateKey struct {
	clientID string
	signer   crypto.Signer
	alg      string
	keyID    string
	scopes   []string
}

// WithPrivateKey authenticates as an OAuth 2.0 service app of the org: the client-credentials
// grant at the org authorization server (/oauth2/v1/token), the app proving itself with a JWT
// signed by key (private_key_jwt, RFC 7523), asking for scopes (Okta's own, such as
// "okta.appGrants.manage"; at least one). key is the private half of a key registered on the
// app: an *rsa.PrivateKey (signed RS256) or an *ecdsa.PrivateKey (ES256, ES384 or ES512 by
// its curve), for instance from ParsePrivateKey. keyID is that key's kid in the app's JWKS;
// empty sends none, which Okta accepts when the app has one key.
//
// If the app requires DPoP (Demonstrating Proof of Possession, RFC 9449), Okta answers the
// first token request with invalid_dpop_proof; the client then proves possession of a key it
// generated for itself (ES256), follows Okta's use_dpop_nonce, and sends every API request
// with "Authorization: DPoP {token}" and a proof of its own. It is one of the credential
// options, of which New needs exactly one.
func WithPrivateKey(clientID string, key crypto.Signer, keyID string, scopes ...string) option.Option {
	const name = "okta.WithPrivateKey"
	return construct.VendorOption(vendor, name, func(s *construct.Settings, o *own) error {
		s.AddCredential(name)
		if err := validate.ID(name+": clientID", clientID); err != nil {
			return err
		}
		alg, err := algorithm(key)
		if err != nil {
			return validate.Errorf(name, "%v", err)
		}
		if strings.ContainsAny(keyID, "\r\n\"\\") {
			return validate.Errorf(name, "keyID %s holds a quote, backslash or line break", validate.Quote(keyID))
		}
		if len(scopes) == 0 {
			return validate.Errorf(name, "give at least one scope to ask for (such as okta.appGrants.manage)")
		}
		if err := validate.Each("scopes", scopes, validate.ScopeToken); err != nil {
			return err
		}
		o.key = &privateKey{clientID: clientID, signer: key, alg: alg, keyID: keyID, scopes: append([]string(nil), scopes...)}
		return nil
	})
}

// ParsePrivateKey reads a PEM private key (PKCS #8, PKCS #1 RSA or SEC 1 EC), as an Okta
// service app's key is downloaded or generated, for WithPrivateKey.
func ParsePrivateKey(pemKey grantkit.Secret) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(pemKey.Reveal()))
	if block == nil {
		return nil, fmt.Errorf("okta: ParsePrivateKey: %w", validate.Errorf("pemKey", "no PEM block found"))
	}
	var k any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	if err != nil {
		// x509's error names no key material.
		return nil, fmt.Errorf("okta: ParsePrivateKey: %w", validate.Errorf("pemKey", "a %s block that is no private key: %v", block.Type, err))
	}
	s, ok := k.(crypto.Signer)
	if _, err2 := algorithm(s); !ok || err2 != nil {
		return nil, fmt.Errorf("okta: ParsePrivateKey: %w", validate.Errorf("pemKey", "a %T key; Okta takes RSA or ECDSA (P-256, P-384, P-521)", k))
	}
	return s, nil
}

// algorithm is the JWS algorithm key signs with.
func algorithm(key crypto.Signer) (string, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k == nil || k.N.BitLen() < 2048 {
			return "", errors.New("an RSA key must have at least 2048 bits")
		}
		return "RS256", nil
	case *ecdsa.PrivateKey:
		if k == nil {
			break
		}
		switch k.Curve {
		case elliptic.P256():
			return "ES256", nil
		case elliptic.P384():
			return "ES384", nil
		case elliptic.P521():
			return "ES512", nil
		}
		return "", errors.New("an ECDSA key must be on P-256, P-384 or P-521")
	}
	return "", fmt.Errorf("the key is a %T; give an *rsa.PrivateKey or *ecdsa.PrivateKey", key)
}

// sign returns the compact JWS of header and claims signed by key.
func sign(key crypto.Signer, alg string, header, claims map[string]any) (string, error) {
	header["alg"] = alg
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := b64(h) + "." + b64(c)
	var hash crypto.Hash
	switch alg {
	case "RS256", "ES256":
		hash = crypto.SHA256
	case "ES384":
		hash = crypto.SHA384
	default:
		hash = crypto.SHA512
	}
	hh := hash.New()
	hh.Write([]byte(input))
	digest := hh.Sum(nil)
	var sig []byte
	if ek, ok := key.(*ecdsa.PrivateKey); ok {
		// JWS wants r||s of fixed length, not ASN.1 (RFC 7518 section 3.4).
		r, s, err := ecdsa.Sign(rand.Reader, ek, digest)
		if err != nil {
			return "", err
		}
		n := (ek.Curve.Params().BitSize + 7) / 8
		sig = make([]byte, 2*n)
		r.FillBytes(sig[:n])
		s.FillBytes(sig[n:])
	} else if sig, err = key.Sign(rand.Reader, digest, hash); err != nil {
		return "", err
	}
	return input + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func newJTI() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b64(b)
}

// tokenAnswer is the token endpoint's JSON answer, success or error.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// fetch returns the token flow of k at tokenURL, sent through hc. A DPoP requirement is
// learned from Okta's answer and kept in d for the client's life.
func (k *privateKey) fetch(tokenURL string, hc *http.Client, d *dpop, now func() time.Time) func(ctx context.Context) (*oauth2.Token, error) {
	if now == nil {
		now = time.Now
	}
	return func(ctx context.Context) (*oauth2.Token, error) {
		// At most: a plain request, one that adds a proof, one that adds Okta's nonce.
		for range 3 {
			t := now()
			assertion, err := sign(k.signer, k.alg, header(k.keyID), map[string]any{
				"iss": k.clientID, "sub": k.clientID, "aud": tokenURL,
				"iat": t.Unix(), "exp": t.Add(5 * time.Minute).Unix(), "jti": newJTI(),
			})
			if err != nil {
				return nil, fmt.Errorf("signing the client assertion: %w", err)
			}
			form := url.Values{
				"grant_type":            {"client_credentials"},
				"scope":                 {strings.Join(k.scopes, " ")},
				"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
				"client_assertion":      {assertion},
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			if d.required() {
				proof, err := d.proof(http.MethodPost, tokenURL, "")
				if err != nil {
					return nil, err
				}
				req.Header.Set("DPoP", proof)
			}
			resp, err := hc.Do(req)
			if err != nil {
				return nil, err
			}
			body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			if err != nil {
				return nil, err
			}
			var a tokenAnswer
			_ = json.Unmarshal(body, &a)
			if resp.StatusCode/100 == 2 {
				tok := &oauth2.Token{AccessToken: a.AccessToken, TokenType: a.TokenType}
				if a.ExpiresIn > 0 {
					tok.Expiry = t.Add(time.Duration(a.ExpiresIn) * time.Second)
				}
				return tok, nil
			}
			if resp.StatusCode == http.StatusBadRequest {
				if n := resp.Header.Get("DPoP-Nonce"); a.Error == "use_dpop_nonce" && n != "" && d.required() {
					d.setNonce(n)
					continue
				}
				if a.Error == "invalid_dpop_proof" && !d.required() {
					d.require()
					continue
				}
			}
			return nil, &oauth2.RetrieveError{Response: resp, Body: body, ErrorCode: a.Error, ErrorDescription: a.Description}
		}
		return nil, errors.New("the token endpoint kept asking for another DPoP proof")
	}
}

func header(kid string) map[string]any {
	h := map[string]any{"typ": "JWT"}
	if kid != "" {
		h["kid"] = kid
	}
	return h
}

// dpop holds a client's DPoP key, whether Okta asked for proofs, and the last nonce it gave.
type dpop struct {
	now func() time.Time

	mu     sync.Mutex
	on     bool
	key    *ecdsa.PrivateKey
	jwk    map[string]any
	nonce  string
	keyErr error
}

func newDPoP(now func() time.Time) *dpop {
	if now == nil {
		now = time.Now
	}
	return &dpop{now: now}
}

func (d *dpop) required() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.on
}

// require turns proofs on and makes the key they are signed with (a new P-256 key, apart from
// the app's own: its public half travels in every proof).
func (d *dpop) require() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.on = true
	if d.key != nil {
		return
	}
	d.key, d.keyErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if d.keyErr == nil {
		n := 32
		x, y := make([]byte, n), make([]byte, n)
		pub, err := d.key.PublicKey.ECDH()
		if err != nil {
			d.keyErr = err
			return
		}
		raw := pub.Bytes() // 0x04 || X || Y
		copy(x, raw[1:1+n])
		copy(y, raw[1+n:])
		d.jwk = map[string]any{"kty": "EC", "crv": "P-256", "x": b64(x), "y": b64(y)}
	}
}

func (d *dpop) setNonce(n string) {
	d.mu.Lock()
	d.nonce = n
	d.mu.Unlock()
}

// proof is a DPoP proof for a request (RFC 9449 section 4.2): htu is the URL without query
// or fragment; token, for an API request, binds the proof to the access token (ath).
func (d *dpop) proof(method, target, token string) (string, error) {
	d.mu.Lock()
	key, jwk, nonce, err := d.key, d.jwk, d.nonce, d.keyErr
	d.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("making the DPoP key: %w", err)
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", err
	}
	u.RawQuery, u.Fragment = "", ""
	claims := map[string]any{"htm": method, "htu": u.String(), "iat": d.now().Unix(), "jti": newJTI()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		claims["ath"] = b64(sum[:])
	}
	return sign(key, "ES256", map[string]any{"typ": "dpop+jwt", "jwk": jwk}, claims)
}

// client returns hc (nil: http.DefaultClient) sending a DPoP proof with every request whose
// token is DPoP-bound.
func (d *dpop) client(hc *http.Client) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = dpopTransport{d: d, base: base}
	return &c
}

type dpopTransport struct {
	d    *dpop
	base http.RoundTripper
}

func (t dpopTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "DPoP ")
	if !ok {
		return t.base.RoundTrip(r)
	}
	proof, err := t.d.proof(r.Method, r.URL.String(), tok)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Header.Set("DPoP", proof)
	return t.base.RoundTrip(r)
}
