package fake

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// record runs f with recording into a new directory and returns what was recorded. The
// recorder is process-wide, so it is reset around f.
func record(t *testing.T, f func()) []Exchange {
	t.Helper()
	dir := t.TempDir()
	reset := func() {
		if recorder.f != nil {
			_ = recorder.f.Close()
		}
		recorder.f, recorder.once = nil, sync.Once{}
	}
	reset()
	saved := recordDir
	recordDir = func() string { return dir }
	t.Cleanup(func() { recordDir = saved; reset() })
	f()
	// A handler that hijacked its connection (a Drop fault) may still be finishing its record
	// after the client saw the connection close: wait until the file stops growing.
	size := func() int64 {
		files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		if len(files) != 1 {
			return -1
		}
		fi, err := os.Stat(files[0])
		if err != nil {
			return -1
		}
		return fi.Size()
	}
	for last, deadline := size(), time.Now().Add(2*time.Second); time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		if n := size(); n == last && n >= 0 {
			break
		} else {
			last = n
		}
	}

	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	require.NoError(t, err)
	require.Len(t, files, 1, "one file per process")
	fh, err := os.Open(files[0])
	require.NoError(t, err)
	defer func() { _ = fh.Close() }()
	var out []Exchange
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var ex Exchange
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ex))
		out = append(out, ex)
	}
	return out
}

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s := New(Config{
		ClientID: "id", ClientSecret: "s3cret", TokenPath: "/oauth/token",
		ErrorBody: func(status int, msg string) []byte { return []byte(`{"message":"` + msg + `"}`) },
	})
	s.SetAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"g1","clientSecret":"one-time","scope":["a"]}`)
	}))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

func TestRecordKeepsExchangesWithoutSecrets(t *testing.T) {
	exs := record(t, func() {
		_, hs := newTestServer(t)
		resp, err := http.PostForm(hs.URL+"/oauth/token", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"s3cret"},
		})
		require.NoError(t, err)
		tok, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.Contains(t, string(tok), "access_token")

		req, _ := http.NewRequest(http.MethodPost, hs.URL+"/api/grants?x=1", strings.NewReader(`{"scope":["a"]}`))
		req.Header.Set("Authorization", "Bearer the-token")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "grantkit/test")
		resp, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.Contains(t, string(body), "one-time", "the client still gets the answer as sent")
	})
	require.Len(t, exs, 2)

	token := exs[0]
	require.True(t, token.Token)
	require.Equal(t, http.StatusOK, token.Status)
	require.Contains(t, token.Body, "client_secret="+Redacted)
	require.NotContains(t, token.Body, "s3cret")
	require.Contains(t, token.ResponseBody, `"access_token":"`+Redacted+`"`)

	api := exs[1]
	require.False(t, api.Token)
	require.Equal(t, "POST", api.Method)
	require.Equal(t, "/api/grants", api.Path)
	require.Equal(t, "x=1", api.RawQuery)
	require.Equal(t, "Bearer "+Redacted, api.Header.Get("Authorization"), "the scheme stays, the token goes")
	require.Equal(t, "grantkit/test", api.Header.Get("User-Agent"))
	require.JSONEq(t, `{"scope":["a"]}`, api.Body)
	require.Equal(t, http.StatusCreated, api.Status)
	require.Equal(t, "application/json", api.ResponseHeader.Get("Content-Type"))
	require.JSONEq(t, `{"id":"g1","clientSecret":"`+Redacted+`","scope":["a"]}`, api.ResponseBody)
	require.Empty(t, api.Fault)
	require.False(t, api.Incomplete())
}

func TestRecordMarksFaults(t *testing.T) {
	exs := record(t, func() {
		s, hs := newTestServer(t)
		s.FailNext(1, Fault{Status: 503})
		s.FailNext(1, Fault{Truncate: true})
		s.FailNext(1, Fault{ResetMidBody: true})
		s.FailNext(1, Fault{Drop: true, Apply: true})
		s.FailNext(1, Fault{Status: http.StatusAccepted, Answer: &Answer{Body: `{"id":`, ContentType: "application/json"}})
		for range 5 {
			resp, err := http.Post(hs.URL+"/api/grants", "application/json", strings.NewReader(`{}`))
			if err == nil {
				_, _ = io.ReadAll(resp.Body)
				_ = resp.Body.Close()
			}
		}
	})
	require.Len(t, exs, 5)
	// A dropped connection's record is written when its hijacked handler ends, which may be
	// after the next request's: find each record by its fault, not by its position.
	byFault := map[string]*Exchange{}
	for i := range exs {
		byFault[exs[i].Fault] = &exs[i]
	}
	require.Len(t, byFault, 5, "one record per fault")
	require.Equal(t, 503, byFault["status"].Status)
	require.False(t, byFault["status"].Incomplete(), "an injected status still carries the vendor's error body")

	require.True(t, byFault["truncate"].Incomplete())
	require.True(t, byFault["reset"].Incomplete())
	require.Zero(t, byFault["drop"].Status, "nothing was answered")
	require.True(t, byFault["drop"].Incomplete())
	answer := byFault["answer"] // an Answer with a Status is the test's answer, not an injected status
	require.Equal(t, http.StatusAccepted, answer.Status)
	require.Equal(t, `{"id":`, answer.ResponseBody)
	require.True(t, answer.Injected())
	for _, f := range []string{"status", "truncate", "reset", "drop"} {
		require.False(t, byFault[f].Injected(), f)
	}
}

func TestRedactBodyKeepsWhatItCannotParse(t *testing.T) {
	require.Equal(t, `{"id":"g1","clientSecret":"x"`, redactBody("application/json", []byte(`{"id":"g1","clientSecret":"x"`)))
	require.Equal(t, `{"id": 1.50}`, redactBody("application/json", []byte(`{"id": 1.50}`)), "a body without secrets is kept byte for byte")
	require.Equal(t, `{"refreshToken":"`+Redacted+`"}`, redactBody("application/json", []byte(`{"refreshToken":"abc"}`)))
}
