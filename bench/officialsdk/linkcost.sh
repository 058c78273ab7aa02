#!/usr/bin/env bash
# What a user's program links: builds cmd/grantkit-one (auth0.New and one call) stripped
# (-trimpath -ldflags='-s -w') and prints one Markdown table row: the modules in the binary's
# build info (`go version -m`, grantkit itself included), the stripped size in bytes, and
# whether any logging, colour or YAML module is among them.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -trimpath -ldflags='-s -w' -o "$out/prog" ./cmd/grantkit-one
mods=$(go version -m "$out/prog" | awk '$1 == "dep" {print $2}')
n=$(printf '%s\n' "$mods" | wc -l)
size=$(stat -c %s "$out/prog")
unwanted=$(printf '%s\n' "$mods" | grep -E 'zap|multierr|fatih/color|mattn/|yaml' | tr '\n' ' ' || true)
echo "| $n | $size | ${unwanted:-none} |"
