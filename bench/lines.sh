#!/usr/bin/env bash
# Hand-written Go lines per package at a revision (default HEAD): every .go file `git ls-files`
# lists, except generated code (*/internal/oas, fake_gen.go), split into library code and tests.
# Prints one Markdown row per directory that holds Go files.
#
#	bench/lines.sh [REV]
set -euo pipefail
rev=${1:-HEAD}
git ls-tree -r --name-only "$rev" |
  grep '\.go$' | grep -v '/internal/oas/' | grep -v '_gen\.go$' |
  while read -r f; do
    kind=code
    case "$f" in *_test.go) kind=test ;; esac
    printf '%s %s %s\n' "$(dirname "$f")" "$kind" "$(git show "$rev:$f" | wc -l)"
  done |
  awk '{ n[$1 " " $2] += $3; d[$1] = 1 }
       END { for (k in d) printf "| %s | %d | %d |\n", k, n[k " code"], n[k " test"] }' |
  sort
