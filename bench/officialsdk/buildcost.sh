#!/usr/bin/env bash
# Build time and stripped binary size of the two one-call programs (cmd/grantkit-one and
# cmd/goauth0-one). Each build starts from an empty build cache (a fresh GOCACHE), so the
# time includes compiling the standard library and every dependency; modules are already
# downloaded (run `go mod download` first). Prints a Markdown table: the median and the
# range of RUNS builds (default 3) per program.
set -euo pipefail
cd "$(dirname "$0")"
runs=${RUNS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go mod download

echo "| program | build time, empty cache (median of $runs) | range | stripped binary | packages built (\`go list -deps\`) |"
echo "|---|---|---|---|---|"
for prog in grantkit-one goauth0-one; do
  times=()
  for _ in $(seq "$runs"); do
    cache=$(mktemp -d)
    start=$(date +%s.%N)
    GOCACHE=$cache go build -ldflags='-s -w' -o "$out/$prog" "./cmd/$prog"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
    rm -rf "$cache"
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  lo=$(echo "$sorted" | head -1)
  hi=$(echo "$sorted" | tail -1)
  size=$(stat -c %s "$out/$prog")
  pkgs=$(go list -deps "./cmd/$prog" | wc -l)
  printf '| %s | %.1f s | %.1f–%.1f s | %s bytes (%.1f MiB) | %s |\n' "$prog" "$median" "$lo" "$hi" "$size" "$(echo "$size / 1048576" | bc -l)" "$pkgs"
done
