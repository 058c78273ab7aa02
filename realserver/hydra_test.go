package realserver_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

const hydraVersion = "v2.3.0"

// hydra is the running server the tests share: its admin and public URLs.
var hydra struct{ admin, public string }

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin, err := hydraBinary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "realserver:", err)
		return 1
	}
	stop, err := startHydra(bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "realserver: starting Hydra:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// hydraBinary returns Hydra's binary: $GRANTKIT_HYDRA, or the cached build, built if missing.
func hydraBinary() (string, error) {
	if p := os.Getenv("GRANTKIT_HYDRA"); p != "" {
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(cache, "grantkit-hydra", hydraVersion, "hydra")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "realserver: building Hydra %s into %s (about 2 minutes)\n", hydraVersion, bin)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "sqlite,sqlite_omit_load_extension", "-o", tmp, "github.com/ory/hydra/v2")
	cmd.Dir = "hydra"
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building Hydra %s failed (%w): it needs the module proxy and a C compiler (gcc) for cgo sqlite; "+
			"or set GRANTKIT_HYDRA to a hydra binary built with -tags sqlite", hydraVersion, err)
	}
	return bin, os.Rename(tmp, bin)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startHydra starts Hydra in memory on loopback, on random ports, and waits until it is ready.
func startHydra(bin string) (stop func(), err error) {
	pub, err := freePort()
	if err != nil {
		return nil, err
	}
	adm, err := freePort()
	if err != nil {
		return nil, err
	}
	hydra.public = "http://127.0.0.1:" + strconv.Itoa(pub)
	hydra.admin = "http://127.0.0.1:" + strconv.Itoa(adm)
	cmd := exec.Command(bin, "serve", "all", "--dev", "--sqa-opt-out")
	cmd.Env = append(os.Environ(),
		"DSN=memory",
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_PUBLIC_PORT="+strconv.Itoa(pub),
		"SERVE_ADMIN_HOST=127.0.0.1", "SERVE_ADMIN_PORT="+strconv.Itoa(adm),
		"URLS_SELF_ISSUER="+hydra.public,
		"SECRETS_SYSTEM=grantkit-realserver-system-secret-0123456789",
		"LOG_LEVEL=warn",
	)
	log, err := os.CreateTemp("", "hydra-*.log")
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = hydraProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = log.Close()
		_ = os.Remove(log.Name())
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(hydra.admin + "/health/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return stop, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	out, _ := os.ReadFile(log.Name())
	return nil, errors.New("Hydra was not ready within 30s: " + string(out))
}

var ids atomic.Int64

// newID returns a client id no other test of this run uses (the tests share one Hydra).
func newID(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1e9, ids.Add(1))
}
