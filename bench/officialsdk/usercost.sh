#!/usr/bin/env bash
# What a user's build of cmd/grantkit-one (auth0.New and one call) compiles of grantkit's
# generated code, and how long that build takes from an empty build cache (a fresh GOCACHE,
# so the standard library and every dependency are compiled; modules already downloaded).
# Prints one Markdown table row: generated lines compiled, generated packages, all packages,
# then the median and range of RUNS builds (default 3) in wall-clock time and in CPU time
# (user+system, which shared cores disturb less than wall-clock time), and the median CPU time
# of compiling the generated packages alone (measured in RUNS more builds, run through a
# -toolexec wrapper that times each compile; the wrapper's own cost is not in the figure).
set -euo pipefail
cd "$(dirname "$0")"
runs=${RUNS:-3}
prog=./cmd/grantkit-one
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Every Go file the build compiles from the generated packages (…/internal/oas).
files=$(go list -deps -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}' "$prog" | grep '/internal/oas/')
lines=$(cat $files | wc -l)
oaspkgs=$(go list -deps "$prog" | grep -c '/internal/oas$')
pkgs=$(go list -deps "$prog" | wc -l)

walls=() cpus=()
for _ in $(seq "$runs"); do
  cache=$(mktemp -d)
  /usr/bin/time -f '%e %U %S' -o "$out/time" env GOCACHE="$cache" go build -o "$out/prog" "$prog"
  read -r wall user sys < "$out/time"
  walls+=("$wall")
  cpus+=("$(echo "$user + $sys" | bc)")
  rm -rf "$cache"
done
# The compiler's CPU time for the generated packages: a -toolexec wrapper times every tool
# run and logs it with the package it compiled (the -p argument).
cat > "$out/timed" <<'WRAP'
#!/usr/bin/env bash
pkg=-
prev=
for a in "$@"; do [ "$prev" = -p ] && pkg=$a; prev=$a; done
case "$1" in
*/compile) exec /usr/bin/time -a -o "$TIMED_LOG" -f "$pkg %U %S" "$@" ;;
*) exec "$@" ;;
esac
WRAP
chmod +x "$out/timed"
oascpus=()
for _ in $(seq "$runs"); do
  cache=$(mktemp -d)
  : > "$out/log"
  TIMED_LOG=$out/log GOCACHE=$cache go build -toolexec "$out/timed" -o "$out/prog" "$prog"
  oascpus+=("$(awk '$1 ~ /\/internal\/oas$/ { t += $2 + $3 } END { printf "%.2f", t }' "$out/log")")
  rm -rf "$cache"
done

stat() { # median, min and max of the arguments
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -n)
  echo "$(echo "$sorted" | sed -n "$(( ($# + 1) / 2 ))p") $(echo "$sorted" | head -1) $(echo "$sorted" | tail -1)"
}
read -r wm wl wh <<< "$(stat "${walls[@]}")"
read -r cm cl ch <<< "$(stat "${cpus[@]}")"
read -r om ol oh <<< "$(stat "${oascpus[@]}")"
printf '| %s | %s | %s | %.1f s (%.1f–%.1f) | %.1f s (%.1f–%.1f) | %.2f s (%.2f–%.2f) |\n' "$lines" "$oaspkgs" "$pkgs" "$wm" "$wl" "$wh" "$cm" "$cl" "$ch" "$om" "$ol" "$oh"
