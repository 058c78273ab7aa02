package oktafake

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grantkit/grantkit/internal/testkit/fake"
)

// rateLimit is how Okta documents its org-wide limit: a per-minute window, reported on every
// answer by X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset (UTC epoch
// seconds), and a request over it answered 429 E0000047. See specs/README.md.
var rateLimit = fake.RateLimit{
	Window: true,
	Headers: func(h http.Header, st fake.RateState) {
		h.Set("X-Rate-Limit-Limit", strconv.Itoa(st.Limit))
		h.Set("X-Rate-Limit-Remaining", strconv.Itoa(st.Remaining))
		h.Set("X-Rate-Limit-Reset", strconv.FormatInt(resetSecond(st.Reset), 10))
	},
	Body: func() []byte { return errorBody("E0000047", "API call exceeded rate limit due to too many requests.") },
}

func resetSecond(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// SetRateLimit makes the fake enforce one rate limit over the whole org, as a window of burst
// requests every burst/rps seconds, token requests included; every answer carries Okta's three
// headers and a request over it is answered 429 E0000047 and not served. Zero rps removes it;
// a new fake has none. SetFamilyLimit adds Okta's per-family limits.
func (f *Fake) SetRateLimit(rps float64, burst int) { f.srv.SetRateLimit(rps, burst) }

// RateLimited returns how many requests the fake refused with 429 for its rate limits (the
// org's, a family's, the concurrency limit).
func (f *Fake) RateLimited() int { return f.srv.RateLimited() + f.limits.refusedCount() }

// The endpoint families of Okta's per-minute limits that the fake's API has
// (https://developer.okta.com/docs/reference/rl-global-mgmt).
const (
	FamilyApps = "/api/v1/apps"      // /api/v1/apps and every /api/v1/apps/*, grants included
	FamilyApp  = "/api/v1/apps/{id}" // an app by id
	FamilyAPI  = "/api/v1"           // most other API actions: authorization servers, scopes
)

// family is the Okta rate-limit family of an API path.
func family(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	switch {
	case !ok:
		return ""
	case rest == "apps":
		return FamilyApps
	case strings.HasPrefix(rest, "apps/"):
		if id := strings.TrimPrefix(rest, "apps/"); id != "" && !strings.Contains(id, "/") {
			return FamilyApp
		}
		return FamilyApps
	}
	return FamilyAPI
}

// limits are Okta's per-family windows and the concurrency limit.
type limits struct {
	mu          sync.Mutex
	perMinute   map[string]int
	windows     map[string]*window
	concurrency int
	inFlight    int
	refused     int
	now         func() time.Time
}

type window struct {
	start time.Time
	count int
}

// SetFamilyLimit makes the fake allow n requests a minute to an endpoint family (FamilyApps,
// ...), each family counted in its own window, as Okta does; every answer of the family then
// reports its own window in the X-Rate-Limit headers, and a request over it is answered 429
// E0000047. Zero removes the family's limit.
func (f *Fake) SetFamilyLimit(family string, n int) {
	f.limits.mu.Lock()
	defer f.limits.mu.Unlock()
	if f.limits.perMinute == nil {
		f.limits.perMinute, f.limits.windows = map[string]int{}, map[string]*window{}
	}
	f.limits.perMinute[family] = n
	delete(f.limits.windows, family)
}

// SetConcurrencyLimit makes the fake answer 429 E0000047 to an API request that arrives while
// n are being served, as Okta's per-org concurrency limit does; its headers then report the
// concurrency limit (limit n, none remaining). Zero removes it.
func (f *Fake) SetConcurrencyLimit(n int) {
	f.limits.mu.Lock()
	f.limits.concurrency = n
	f.limits.mu.Unlock()
}

func (l *limits) refusedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// enter admits r, or answers it 429 and returns nil. The function it returns ends r.
func (l *limits) enter(w http.ResponseWriter, r *http.Request) func() {
	fam := family(r.URL.Path)
	l.mu.Lock()
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	if fam != "" && l.concurrency > 0 && l.inFlight >= l.concurrency {
		l.refused++
		l.mu.Unlock()
		refuse(w, l.concurrency, now.Add(time.Second))
		return nil
	}
	if n := l.perMinute[fam]; fam != "" && n > 0 {
		win := l.windows[fam]
		if win == nil || !now.Before(win.start.Add(time.Minute)) {
			win = &window{start: now}
			l.windows[fam] = win
		}
		reset := win.start.Add(time.Minute)
		if win.count >= n {
			l.refused++
			l.mu.Unlock()
			refuse(w, n, reset)
			return nil
		}
		win.count++
		w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(n))
		w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(n-win.count))
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(resetSecond(reset), 10))
	}
	if fam != "" {
		l.inFlight++
	}
	l.mu.Unlock()
	return func() {
		if fam != "" {
			l.mu.Lock()
			l.inFlight--
			l.mu.Unlock()
		}
	}
}

func refuse(w http.ResponseWriter, limit int, reset time.Time) {
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Rate-Limit-Remaining", "0")
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(resetSecond(reset), 10))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write(errorBody("E0000047", "API call exceeded rate limit due to too many requests."))
}

// randReader is crypto/rand's reader, for the service app's key.
type randReader struct{}

func (randReader) Read(p []byte) (int, error) { return rand.Read(p) }
