package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/okta/oktafake"
	"github.com/grantkit/grantkit/onelogin/oneloginfake"
)

// TestMain lets the kill test run the command as a process of its own: the test binary,
// started with GRANTSYNC_RUN_MAIN=1, is grantsync.
func TestMain(m *testing.M) {
	if os.Getenv("GRANTSYNC_RUN_MAIN") == "1" {
		demoHook = func(v string, h http.Handler) { addTestClients(h, 0) }
		main()
		return
	}
	os.Exit(m.Run())
}

// addTestClients gives a demo fake the clients the tests grant to, which grantsync never
// makes: at Auth0 c1 to c4, c000 to c119 and c00000 up to n; at OneLogin apps 5000 to 5079
// and 100000 up to n.
func addTestClients(h http.Handler, n int) {
	switch f := h.(type) {
	case *auth0fake.Fake:
		for i := range 120 {
			f.AddClient(fmt.Sprintf("c%d", i), fmt.Sprintf("c%03d", i))
		}
		for i := range n {
			f.AddClient(fmt.Sprintf("c%05d", i))
		}
	case *oktafake.Fake:
		for i := range n {
			f.AddAppWithID(fmt.Sprintf("0oa%05d", i), "app")
		}
	case *oneloginfake.Fake:
		for i := range 80 {
			f.AddApp(int64(5000 + i))
		}
		for i := range n {
			f.AddApp(int64(100000 + i))
		}
	}
}

// grantsync runs the command as a process; it returns the started command.
func grantsync(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GRANTSYNC_RUN_MAIN=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	return cmd
}

func finish(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if cmd.ProcessState == nil {
		require.NoError(t, err)
	}
	if code := cmd.ProcessState.ExitCode(); code > 0 {
		t.Logf("%s: exit %d:\n%s", cmd.Args[1:], code, cmd.Stdout)
	}
	return cmd.ProcessState.ExitCode()
}

// A run killed at a random point of its apply and run again (plan, apply) converges to the
// same state as a run that was never interrupted: nothing lost, nothing written twice.
func TestKilledMidApplyARerunConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command as processes")
	}
	var b strings.Builder
	b.WriteString("auth0:\n  scopes:\n    https://api.example.com/:\n      - {name: read:invoices}\n      - {name: write:invoices}\n")
	b.WriteString("  manage:\n    resources: [https://api.example.com/]\n  grants:\n")
	for i := range 120 {
		fmt.Fprintf(&b, "    - {resource: \"https://api.example.com/\", client: c%03d, scopes: [read:invoices, write:invoices]}\n", i)
	}
	b.WriteString("onelogin:\n  grants:\n")
	for i := range 80 {
		fmt.Fprintf(&b, "    - {resource: \"1001\", client: \"%d\", scopes: [read:invoices]}\n", 5000+i)
	}
	b.WriteString("cpn:\n  manage:\n    resources: [" + "6c4c5ef3-8b1d-4a4e-9b8e-c0ffee000001" + "]\n  grants:\n")
	b.WriteString("    - {resource: 6c4c5ef3-8b1d-4a4e-9b8e-c0ffee000001, client: reporting-sync, scopes: [openid]}\n")
	file := writeFile(t, "many.yaml", b.String())

	// planApply plans and applies in dir; with kill > 0 the apply is killed after it.
	planApply := func(dir string, kill time.Duration) (code int, took time.Duration) {
		plan := filepath.Join(t.TempDir(), "plan.json")
		demo := []string{"-demo", "-demo-state", dir}
		require.Equal(t, exitOK, finish(t, grantsync(t, append(demo, "-f", file, "-prune", "-max-changes", "0", "-out", plan)...)))
		start := time.Now()
		cmd := grantsync(t, append(demo, "-apply", plan, "-max-changes", "0")...)
		if kill > 0 {
			time.Sleep(kill)
			t.Logf("kill after %v: %v", kill, cmd.Process.Kill())
		}
		code = finish(t, cmd)
		return code, time.Since(start)
	}

	whole := filepath.Join(t.TempDir(), "whole")
	code, took := planApply(whole, 0)
	require.Equal(t, exitOK, code)

	killed := filepath.Join(t.TempDir(), "killed")
	midway := 0 // runs killed with changes left to make
	for range 3 {
		code, _ := planApply(killed, time.Duration(float64(took)*(0.05+0.55*rand.Float64())))
		if code == -1 && finish(t, grantsync(t, "-demo", "-demo-state", killed, "-f", file, "-prune", "-detect-drift")) == exitDrift {
			midway++
		}
	}
	require.NotZero(t, midway, "no run was killed mid-apply (an apply takes %v)", took)
	code, _ = planApply(killed, 0)
	require.Equal(t, exitOK, code)
	assert.Equal(t, exitOK, finish(t, grantsync(t, "-demo", "-demo-state", killed, "-f", file, "-prune", "-detect-drift")), "apply then plan is empty")
	assert.Equal(t, mustRead(t, filepath.Join(whole, demoStateFile)), mustRead(t, filepath.Join(killed, demoStateFile)))
}
