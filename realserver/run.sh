#!/usr/bin/env bash
# Runs grantkit's Ory tables against a real Hydra v2.3.0 and against oryfake, and prints the
# outcome of every scenario on both (realserver/compare). The Hydra binary is built into the
# user cache directory the first time (about 2 minutes on 2 cores; needs gcc for cgo sqlite).
set -euo pipefail
cd "$(dirname "$0")"
export CGO_ENABLED=1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
go test -race -count=1 -json ./... >"$out" || status=$?
go run ./compare <"$out" || status=1
exit "$status"
