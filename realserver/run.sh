#!/usr/bin/env bash
# Runs grantkit's Ory tables against a real Ory Hydra v2.3.0 and against oryfake, and prints
# the outcome of every scenario on both (realserver/compare); exits non-zero if any test fails
# or any scenario's outcomes differ.
#
# Hydra is built once into a cache directory keyed by its version
# (${XDG_CACHE_HOME:-~/.cache}/grantkit-hydra/v2.3.0/hydra, about 2 minutes on 2 cores, ~500 MB
# of modules) and reused afterwards; GRANTKIT_HYDRA names another binary (built with
# -tags sqlite). The build is bounded by GRANTKIT_HYDRA_BUILD_TIMEOUT seconds (1200), the tests
# by GRANTKIT_REALSERVER_TIMEOUT (900).
set -euo pipefail
cd "$(dirname "$0")"
export CGO_ENABLED=1
version=v2.3.0
cache="${XDG_CACHE_HOME:-$HOME/.cache}/grantkit-hydra/$version"
bin="${GRANTKIT_HYDRA:-$cache/hydra}"
if [ ! -x "$bin" ]; then
  if ! command -v gcc >/dev/null; then
    echo "realserver: building Hydra $version needs a C compiler (gcc) for its cgo sqlite; install gcc or set GRANTKIT_HYDRA" >&2
    exit 1
  fi
  mkdir -p "$cache"
  echo "--- building Hydra $version into $bin (about 2 minutes on 2 cores)"
  start=$(date +%s)
  if ! (cd hydra && timeout "${GRANTKIT_HYDRA_BUILD_TIMEOUT:-1200}" \
      go build -tags sqlite,sqlite_omit_load_extension -o "$bin.tmp" github.com/ory/hydra/v2); then
    rm -f "$bin.tmp"
    echo "realserver: could not build Hydra $version within ${GRANTKIT_HYDRA_BUILD_TIMEOUT:-1200}s" \
      "(it needs the Go module proxy, gcc and about 500 MB of module cache);" \
      "set GRANTKIT_HYDRA to a hydra binary built with -tags sqlite to skip the build" >&2
    exit 1
  fi
  mv "$bin.tmp" "$bin"
  echo "built in $(( $(date +%s) - start ))s"
fi
export GRANTKIT_HYDRA="$bin"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
# go test's own -timeout (its default, 10m, would cut a longer bound short) names the test
# that hung; the outer timeout is a backstop. Hydra dies with the test process either way
# (procattr_linux_test.go).
limit="${GRANTKIT_REALSERVER_TIMEOUT:-900}"
timeout "$((limit + 60))" go test -race -count=1 -timeout "${limit}s" -json ./... >"$out" || status=$?
go run ./compare <"$out" || status=1
if [ "$status" -ne 0 ]; then
  echo "realserver: failed (the failing tests' output is above)" >&2
fi
exit "$status"
