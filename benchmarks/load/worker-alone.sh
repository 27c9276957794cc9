#!/usr/bin/env bash
# One system's worker alone against its own redis-server on a free port: no server subscribed, no load
# generator, so the worker's side of the latency and its CPU cost are measured without anything else on the
# cores. Prints, per GO, the worker's DONE line (published, p99 of update created -> Redis's reply in ms),
# then the worker's and Redis's CPU per update and the machine's context switches per update over all GOs.
#   benchmarks/load/worker-alone.sh <jobprogress|seed|seedstore> [rate=10000] [seconds=10] [gos=3] [tick=1] [classes]
#   e.g. benchmarks/load/worker-alone.sh jobprogress 1000        # one update per 1 ms tick: no batching at all
# classes (jobprogress only): a folder of classes put before the benchmarks' classpath (a scratch build of
# jobprogress-redis, say), for an A/B of the worker path. WORKER_JVM: flags for the jobprogress worker's JVM.
# Needs the builds run.sh makes (benchmarks classes + target/cp.txt) and npm ci here. Stops what it started.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
usage="usage: worker-alone.sh <jobprogress|seed|seedstore> [rate] [seconds] [gos] [tick] [classes]"
kind="${1:?$usage}"; rate="${2:-10000}"; seconds="${3:-10}"; gos="${4:-3}"; tick="${5:-1}"; classes="${6:-}"
[[ $kind =~ ^(jobprogress|seed|seedstore)$ ]] || { echo "$usage" >&2; exit 2; }
[[ $rate =~ ^[0-9]+$ && $seconds =~ ^[0-9]+$ && $gos =~ ^[0-9]+$ && $tick =~ ^[0-9]+$ && $rate -gt 0 && $seconds -gt 0 && $gos -gt 0 && $tick -gt 0 ]] \
  || { echo "worker-alone.sh: rate, seconds, gos and tick must be positive integers; $usage" >&2; exit 2; }
[[ -z $classes || -d $classes ]] || { echo "worker-alone.sh: no such folder: $classes" >&2; exit 2; }
mkdir -p "$here/results"; out="$here/results"
cp="$repo/benchmarks/target/classes:$(cat "$repo/benchmarks/target/cp.txt")"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
rp=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
redis-server --port "$rp" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 & rpid=$!; pids+=($rpid)
for _ in $(seq 50); do redis-cli -p "$rp" ping >/dev/null 2>&1 && break; sleep 0.1; done
url="redis://127.0.0.1:$rp"
if [[ $kind == jobprogress ]]; then
  # shellcheck disable=SC2086
  coproc W { exec java ${WORKER_JVM:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "${classes:+$classes:}$cp" \
    io.jobprogress.benchmarks.LoadPublisher "$url" 500 1 2>&1; }
else
  script="$out/worker-alone-publish.lua"
  [[ $kind == seedstore ]] && java -cp "$cp" io.jobprogress.benchmarks.PublishScriptText > "$script"
  coproc W { cd "$here" && PUBLISH_SCRIPT="$script" exec node publisher.mjs "$kind" "$url" 500 1 2>&1; }
fi
wpid=$W_PID; pids+=($wpid)
exec 3<&"${W[0]}" 4>&"${W[1]}"
ready=
while read -r line <&3; do [[ $line == READY* ]] && { ready=1; break; }; echo "$kind: $line" >&2; done
[[ -n $ready ]] || { echo "worker-alone.sh: the $kind worker ended before READY (its output is above)" >&2; exit 1; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime in clock ticks
ctxt() { awk '/^ctxt/ {print $2}' /proc/stat; }
w0=$(cpu "$wpid"); r0=$(cpu "$rpid"); c0=$(ctxt)
for _ in $(seq "$gos"); do
  echo "GO $rate $seconds $tick" >&4
  done_line=
  while read -r line <&3; do
    [[ $line == DONE* ]] && { done_line=$line; break; }
    echo "$kind: $line" >&2
  done
  [[ -n $done_line ]] || { echo "worker-alone.sh: the $kind worker ended without answering GO (its output is above)" >&2; exit 1; }
  echo "$kind $done_line"
done
w1=$(cpu "$wpid"); r1=$(cpu "$rpid"); c1=$(ctxt)
echo QUIT >&4
hz=$(getconf CLK_TCK); n=$((rate * seconds * gos))
awk -v k="$kind" -v n="$n" -v hz="$hz" -v w=$((w1 - w0)) -v r=$((r1 - r0)) -v c=$((c1 - c0)) 'BEGIN {
  printf "%s CPU: %d updates; worker %.1f us, redis-server %.1f us of CPU per update; %.2f context switches per update (whole machine)\n",
    k, n, w * 1e6 / hz / n, r * 1e6 / hz / n, c / n }'
