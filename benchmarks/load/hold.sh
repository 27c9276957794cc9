#!/usr/bin/env bash
# Memory per connection of the demo jar, without the peers: its own redis-server on a free port, the demo in
# Redis mode, the LoadPublisher making every job known, N subscribed connections held open; prints RSS idle,
# RSS with N (per connection), the live heap after a full GC (jcmd GC.class_histogram, written to
# results/hold-histogram.txt) and the thread count. Stops everything it started, by pid.
#   benchmarks/load/hold.sh <N> "<JVM flags>" [query|header]
#   e.g. benchmarks/load/hold.sh 10000 "-Xms32m -Xmx512m -XX:+UseSerialGC -Xmn8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=1000"
# Needs the builds run.sh makes (demo jar, benchmarks classes + target/cp.txt) and npm ci here. Extra demo
# settings come from the environment (e.g. DEMO_WS_TRANSPORT=jakarta).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
n="${1:?usage: hold.sh <N> \"<JVM flags>\" [query|header]}"; flags="${2:-}"; where="${3:-query}"
mkdir -p "$here/results"; out="$here/results"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
rp=$(free_port); wp=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -f "$out/hold.fifo"; }
trap cleanup EXIT INT TERM
redis-server --port "$rp" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 & pids+=($!)
sleep 0.5
# shellcheck disable=SC2086
PORT=$wp REDIS_URL=redis://127.0.0.1:$rp JWT_SECRET=load-benchmark-secret-at-least-32-bytes-long! HOST=127.0.0.1 \
  DEMO_MAX_CONNECTIONS=0 STATS_TOKEN=hold java $flags -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -jar "$repo/examples/demo-server/target/jobprogress-demo.jar" > "$out/hold-server.log" 2>&1 & spid=$!; pids+=($spid)
coproc PUB { java -cp "$repo/benchmarks/target/classes:$(cat "$repo/benchmarks/target/cp.txt")" \
  io.jobprogress.benchmarks.LoadPublisher "redis://127.0.0.1:$rp" $((n / 2)) 1 2>&1; }
pids+=($PUB_PID)
while read -r line <&"${PUB[0]}"; do [[ $line == READY* ]] && break; done
for _ in $(seq 300); do grep -q "listening on" "$out/hold-server.log" && break; sleep 0.2; done
sleep 1
rss() { awk '/VmRSS/{print $2}' "/proc/$spid/status"; }
live() { jcmd "$spid" GC.class_histogram | awk '/^Total/{print $3}'; }
r0=$(rss); l0=$(live)
echo "RSS idle ${r0} KiB, live heap idle ${l0} B"
rm -f "$out/hold.fifo"; mkfifo "$out/hold.fifo"
(cd "$here" && node hold.mjs "ws://127.0.0.1:$wp/ws" "$n" "$where" < "$out/hold.fifo" > "$out/hold.out" 2>&1) & hpid=$!; pids+=($hpid)
exec 7>"$out/hold.fifo"
until grep -q HELD "$out/hold.out"; do kill -0 "$hpid" 2>/dev/null || { cat "$out/hold.out"; exit 1; }; sleep 0.3; done
head -1 "$out/hold.out"; sleep 2
r1=$(rss)
echo "RSS with $n: ${r1} KiB; per connection $(( (r1 - r0) * 1024 / n )) B"
jcmd "$spid" GC.class_histogram > "$out/hold-histogram.txt"
l1=$(awk '/^Total/{print $3}' "$out/hold-histogram.txt")
echo "live heap after a full GC: ${l1} B; per connection $(( (l1 - l0) / n )) B (histogram: $out/hold-histogram.txt)"
echo "threads: $(ls "/proc/$spid/task" | wc -l)"
exec 7>&-
echo QUIT >&"${PUB[1]}" || true
