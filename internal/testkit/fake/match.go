package fake

import (
	"fmt"
	"path"
	"slices"
)

// Match selects the API requests a [Fault] is meant for; its zero value matches every one.
// Token requests never match: FailTokenRequests is for them.
//
//	Match{Method: "PATCH"}                          // every PATCH
//	Match{Path: "/api/things/*"}                    // any method on any one thing
//	Match{Method: "GET", Nth: 3}                    // the third GET from now, then the next
//	Match{Method: "DELETE", Path: "/api/things/t1"} // deleting t1
//
//fakegen:alias
type Match struct {
	// Method is the HTTP method, such as "PATCH"; empty matches every method.
	Method string
	// Path is the request's path, API prefix included, or a pattern of it in the syntax of
	// path.Match, where * stands for any part of one path segment; empty matches every path.
	// It is matched against the escaped path (Request.Path).
	Path string
	// Nth is the first matching request that meets a fault, counted from the Fail call:
	// 1 (or 0) is the next one; with 3, the next two are served normally.
	Nth int
}

func (m Match) matches(method, escapedPath string) bool {
	if m.Method != "" && m.Method != method {
		return false
	}
	if m.Path == "" {
		return true
	}
	ok, _ := path.Match(m.Path, escapedPath) // the pattern was checked by Fail
	return ok
}

// rule is one Fail call: the faults still to give to the requests its Match selects.
type rule struct {
	match  Match
	seen   int // matching requests so far, including those another rule failed
	faults []Fault
}

// Fail makes the API requests that match m meet faults, one each and in order: the Nth
// matching request (the next one by default) meets the first fault, the matching requests
// after it the next ones. Other requests are served normally, so "reads succeed, the write is
// rate-limited" reads
//
//	Fail(Match{Method: "PATCH"}, Fault{Status: 429, RetryAfter: "1"})
//
// Faults given by earlier calls (Fail, FailNext) still apply. A request meets one fault at
// most: when several calls have one due, the earliest call's is given, and the others keep
// theirs for their next matching request. Fail panics on a Path that is not a valid pattern
// or a negative Nth, as regexp.MustCompile does on a bad expression: both are mistakes in a
// test, not conditions to handle.
//
//fakegen:forward
func (s *Server) Fail(m Match, faults ...Fault) {
	if _, err := path.Match(m.Path, ""); err != nil {
		panic(fmt.Sprintf("fake: Match.Path %q: %v", m.Path, err))
	}
	if m.Nth < 0 {
		panic(fmt.Sprintf("fake: Match.Nth is %d; the first matching request is 1", m.Nth))
	}
	if len(faults) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &rule{match: m, faults: faults})
}

// nextFault counts an API request against every rule it matches and returns the fault it
// meets, if any; the caller holds s.mu.
func (s *Server) nextFault(method, escapedPath string) (Fault, bool) {
	var (
		f   Fault
		hit bool
	)
	for _, rl := range s.rules {
		if !rl.match.matches(method, escapedPath) {
			continue
		}
		rl.seen++
		if !hit && rl.seen >= max(rl.match.Nth, 1) {
			f, rl.faults, hit = rl.faults[0], rl.faults[1:], true
		}
	}
	if hit {
		s.rules = slices.DeleteFunc(s.rules, func(rl *rule) bool { return len(rl.faults) == 0 })
	}
	return f, hit
}
