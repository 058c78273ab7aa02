#!/usr/bin/env bash
# Instructions per call of one BenchmarkUpdate case, counted by valgrind's callgrind: a count,
# not a time, so it is the same on a loaded machine (BENCHMARKS.md, section 1).
#
#   go test -c -o /tmp/b/bench.test ./bench
#   bench/icount.sh /tmp/b/bench.test auth0 memory raw        # prints: auth0 memory raw 119957
#   BENCH=BenchmarkUpdateWithDeadline bench/icount.sh /tmp/b/bench.test onelogin memory grantkit
#
# It runs the case twice, 200 and 2200 calls, and divides the difference of the two totals by
# 2000, so the process's start, the benchmark's warm-up call and the client's construction
# cancel out. GOMAXPROCS=1 keeps idle Ps from spinning (which varies with timing), GOGC=off
# takes the collector's timing out of the count (B/op stands for its cost), asyncpreemptoff
# and cpu.rdtscp=off avoid the two things this valgrind cannot run (SIGURG preemption, RDTSCP).
set -euo pipefail
bin=$1 vendor=$2 net=$3 client=$4 bench=${BENCH:-BenchmarkUpdate}
run() {
  GOMAXPROCS=1 GOGC=off GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off \
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" -test.run '^$' \
    -test.bench "^$bench\$/^vendor=$vendor\$/^net=$net\$/^client=$client\$" -test.benchtime "$1x" 2>&1 |
    awk '/Collected/ {print $4}'
}
a=$(run 200)
b=$(run 2200)
echo "$vendor $net $client $(((b - a) / 2000))"
