#!/usr/bin/env bash
# Runs every benchmark behind BENCHMARKS.md and writes the raw outputs to bench/results/:
#
#   update.txt       bench/                 BenchmarkUpdate (1), BenchmarkConcurrentGet (4)
#   codec.txt        auth0/ pingone/ cpn/ onelogin/   BenchmarkCodec (2)
#   transport.txt    internal/transport/    BenchmarkSuccessPath (4)
#   officialsdk.txt  bench/officialsdk/     BenchmarkAuth0Update (3)
#   bulk.txt         bench/ and bench/officialsdk/   BenchmarkBulkApply, BenchmarkPlan (5)
#   build.md         bench/officialsdk/buildcost.sh (3: build time, binary size)
#   machine.txt      CPU, Go version, load average before and after
#
# Each test binary is built once and run RUNS times (default 6) with -test.count=1, one round
# of all four after the other: the same samples as -count=6, but a pair compared by benchstat
# (grantkit and its baseline) always runs back to back, so a load change on a shared machine
# hits both. Takes about 8 minutes, plus about 5 for the clean builds (BUILD=0 skips them) and
# about 7 for the bulk jobs, run once each (BULK=0 skips them): each job is 10 s at least.
# Then prints the benchstat tables and the paired ratios of bench/pairs.awk (BENCHMARKS.md has
# them, with the exact commands).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-6}
out=bench/results
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
mkdir -p "$out"

go test -c -o "$bin/bench.test" ./bench
for v in auth0 pingone cpn onelogin; do go test -c -o "$bin/$v.test" "./$v"; done
go test -c -o "$bin/transport.test" ./internal/transport
(cd bench/officialsdk && go test -c -o "$bin/officialsdk.test" .)

{
  grep -m1 'model name' /proc/cpuinfo
  echo "vCPUs: $(nproc)"
  go version
  uname -sr
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

: > "$out/update.txt"; : > "$out/codec.txt"; : > "$out/transport.txt"; : > "$out/officialsdk.txt"
for i in $(seq "$runs"); do
  echo "round $i of $runs" >&2
  "$bin/bench.test" -test.run '^$' -test.bench '^Benchmark(Update|ConcurrentGet)$' -test.benchmem -test.benchtime 1s >> "$out/update.txt"
  for v in auth0 pingone cpn onelogin; do
    "$bin/$v.test" -test.run '^$' -test.bench Codec -test.benchmem -test.benchtime 0.5s >> "$out/codec.txt"
  done
  "$bin/transport.test" -test.run '^$' -test.bench SuccessPath -test.benchmem -test.benchtime 0.5s >> "$out/transport.txt"
  "$bin/officialsdk.test" -test.run '^$' -test.bench '^BenchmarkAuth0Update$' -test.benchmem -test.benchtime 1s >> "$out/officialsdk.txt"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

if [ "${BULK:-1}" != 0 ]; then
  # One job per client: the jobs are long, and their figures (time, 429s) vary little.
  {
    "$bin/bench.test" -test.run '^$' -test.bench '^BenchmarkBulkApply$' -test.benchtime 1x
    "$bin/officialsdk.test" -test.run '^$' -test.bench '^BenchmarkBulkApply$' -test.benchtime 1x
    "$bin/bench.test" -test.run '^$' -test.bench '^BenchmarkPlan$' -test.benchtime 5x
  } > "$out/bulk.txt"
fi

if [ "${BUILD:-1}" != 0 ]; then
  bench/officialsdk/buildcost.sh > "$out/build.md"
fi

benchstat() { echo; echo "\$ go tool benchstat $*"; go tool benchstat "$@"; }
benchstat -col /client "$out/update.txt"
benchstat -col /codec -filter /op:decode "$out/codec.txt"
benchstat -col /codec -filter /op:encode "$out/codec.txt"
benchstat -col /client "$out/transport.txt"
benchstat -col /client "$out/officialsdk.txt"

pairs() { f=$1; shift; echo; echo "\$ awk $* -f bench/pairs.awk $f"; awk "$@" -f bench/pairs.awk "$f"; }
pairs "$out/update.txt" -v base=raw -v cand=grantkit
pairs "$out/codec.txt" -v by=codec -v base=encoding-json -v cand=ogen
for c in ogen-client ogen-pooled ogen-pooled-copy; do
  pairs "$out/codec.txt" -v by=codec -v base=encoding-json -v cand=$c
done
pairs "$out/transport.txt" -v base=plain -v cand=transport
pairs "$out/officialsdk.txt" -v base=go-auth0 -v cand=grantkit
if [ -f "$out/bulk.txt" ]; then echo; grep -E '^Benchmark|bulk_test' "$out/bulk.txt"; fi
if [ -f "$out/build.md" ]; then echo; cat "$out/build.md"; fi
