#!/usr/bin/env bash
# The README's walk-through, end to end: its own redis-server, two demo instances in Redis mode and nginx
# (nginx.conf from this directory) on free loopback ports; everything started here is stopped by pid at the
# end. Needs: the demo jar (./mvnw -q -o -B -DskipTests package -pl examples/demo-server -am), redis-server,
# nginx, node (20+), curl, python3. Run from the repository root: examples/nginx/try-it.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-examples/demo-server/target/jobprogress-demo.jar}
RUN=$(mktemp -d /tmp/jobprogress-nginx.XXXXXX)
mkdir -p "$RUN/logs"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
json() { python3 -c "import sys,json;print(json.load(sys.stdin)['$1'])"; }
node_ws() { if node -e 'process.exit(typeof WebSocket === "undefined" ? 1 : 0)'; then node "$@"; else node --no-warnings --experimental-websocket "$@"; fi; }

REDIS=$(free_port); A=$(free_port); B=$(free_port); LB=$(free_port)
redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no >"$RUN/redis.log" 2>&1 & PIDS+=($!)
for port in "$A" "$B"; do
  PORT=$port HOST=127.0.0.1 REDIS_URL=redis://127.0.0.1:$REDIS JWT_SECRET=change-me-to-32-or-more-bytes-of-secret \
    DEMO_STEP_MS=1500 java -Xmx256m -jar "$JAR" >"$RUN/demo-$port.log" 2>&1 & PIDS+=($!)
  eval "PID_$port=$!"
done
sed -e "s/127.0.0.1:3001/127.0.0.1:$A/" -e "s/127.0.0.1:3002/127.0.0.1:$B/" -e "s/127.0.0.1:8080/127.0.0.1:$LB/" \
  "$HERE/nginx.conf" >"$RUN/nginx.conf"
for port in "$A" "$B"; do
  until grep -q "listening" "$RUN/demo-$port.log"; do sleep 0.2; done
done
nginx -p "$RUN" -c nginx.conf -g 'daemon off;' >"$RUN/nginx.out" 2>&1 & PIDS+=($!)
until curl -sf "http://127.0.0.1:$LB/api/config" >/dev/null; do sleep 0.2; done
echo "redis :$REDIS, instances :$A :$B, nginx :$LB, run dir $RUN"

U=http://127.0.0.1:$LB
TOKEN=$(curl -sf -X POST "$U/api/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"lb@example.com","password":"password123"}' | json accessToken)
start_job() { curl -sf -X POST "$U/api/generate-from-prompt" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $TOKEN" -d "{\"prompt\":\"$1\"}" | json jobId; }
watching() { for port in "$A" "$B"; do
  curl -sf "http://127.0.0.1:$port/api/ws/stats" | grep -q '"totalClients":1' && echo "$port"; done; true; }

echo "== 1. a job started through nginx, watched over a WebSocket through nginx"
JOB=$(start_job "a cat through nginx")
node_ws "$HERE/watch-job.mjs" "ws://127.0.0.1:$LB/ws" "$TOKEN" "$JOB"

echo "== 2. the instance holding the WebSocket is killed mid-job; the client connects again through nginx"
JOB=$(start_job "a dog through nginx")
node_ws "$HERE/watch-job.mjs" "ws://127.0.0.1:$LB/ws" "$TOKEN" "$JOB" >"$RUN/watch-1.out" 2>&1 &
WATCH=$!
until [ -n "$(watching)" ]; do sleep 0.2; done
sleep 3
WS_ON=$(watching)
RUNS_ON=$(grep -o 'generate-from-prompt" 202 upstream=[0-9.:]*' "$RUN/logs/access.log" | tail -1 | sed 's/.*://')
if [ "$WS_ON" = "$RUNS_ON" ]; then
  echo "the WebSocket landed on the instance running the job (:$RUNS_ON); killing that would kill the job: skipped"
  wait "$WATCH"; cat "$RUN/watch-1.out"
else
  eval "kill -9 \$PID_$WS_ON"
  echo "job runs on :$RUNS_ON, WebSocket on :$WS_ON: killed :$WS_ON (SIGKILL)"
  wait "$WATCH" || true
  cat "$RUN/watch-1.out"
  echo "-- connecting again through nginx:"
  node_ws "$HERE/watch-job.mjs" "ws://127.0.0.1:$LB/ws" "$TOKEN" "$JOB"
fi
echo "== nginx access log (which instance served what)"
cat "$RUN/logs/access.log"
if grep -q "$TOKEN" "$RUN"/logs/*.log; then echo "a token reached nginx's logs"; exit 1; fi
echo "no token in nginx's logs"
