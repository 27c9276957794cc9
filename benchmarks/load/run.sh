#!/usr/bin/env bash
# Load benchmark: jobprogress demo vs a seed-style Node server vs Socket.IO 4, interleaved, each behind
# its own fresh redis-server on a free loopback port. Not part of the test suite. See README.md.
#   benchmarks/load/run.sh [--connections 1000] [--tabs 2] [--jobs 1] [--rounds 3] [--rate 1000]
#                          [--seconds 10] [--inflight 100] [--systems jobprogress,seed,socketio] [--no-build]
# Stops every process it started (by pid, listed in results/<run>/pids) on exit, failure or Ctrl-C.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build=1
args=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then build=0; else args+=("$a"); fi
done
command -v redis-server >/dev/null || { echo "run.sh: redis-server not found (apt-get install redis-server)" >&2; exit 2; }
command -v node >/dev/null || { echo "run.sh: node not found (18 or later)" >&2; exit 2; }

if [[ $build == 1 ]]; then
  (cd "$repo" && mvn -q -o -B -DskipTests package -pl examples/demo-server -am)
  (cd "$repo" && mvn -q -o -B -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
fi
[[ -d "$here/node_modules" ]] || (cd "$here" && npm ci --no-audit --no-fund)

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # each connection is one fd in the generator and one in the server
bench_pid=
cleanup() {
  [[ -n "$bench_pid" ]] && kill "$bench_pid" 2>/dev/null && wait "$bench_pid" 2>/dev/null || true
  # whatever bench.mjs started and did not stop (it lists each pid as it starts it)
  latest="$(ls -1dt "$here"/results/*/ 2>/dev/null | head -1)"
  if [[ -n "$latest" && -f "$latest/pids" ]]; then
    while read -r pid; do
      # only if that pid is still one of ours (not a reused pid): redis-server, java or node
      if grep -qaE 'redis-server|java|node' "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    done < "$latest/pids"
  fi
}
trap cleanup EXIT INT TERM
# bounded: the driver stops itself after 60 minutes; this is the outer bound
timeout --signal=TERM 65m node "$here/bench.mjs" "${args[@]}" &
bench_pid=$!
wait "$bench_pid"
