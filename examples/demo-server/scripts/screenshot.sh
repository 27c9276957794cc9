#!/usr/bin/env bash
# Regenerates docs/img/demo.png: builds and starts the demo on a free port, drives the page in headless
# Chromium (playwright-core from npm, installed into a temp dir; Chromium from the system: apt-get install
# chromium) and stops the demo. Run from anywhere: examples/demo-server/scripts/screenshot.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$chromium" ] || { echo "chromium not found: apt-get install chromium (or set CHROMIUM)" >&2; exit 1; }
tmp="$(mktemp -d)"
demo_pid=""
cleanup() { [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

jar="$root/examples/demo-server/target/jobprogress-demo.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -pl examples/demo-server -am package -DskipTests)
npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error playwright-core@1.65.1 >/dev/null
cp "$root/examples/demo-server/scripts/screenshot.mjs" "$tmp/"

HOST=127.0.0.1 PORT=0 DEMO_STEP_MS=1500 java -jar "$jar" >"$tmp/demo.log" 2>&1 &
demo_pid=$!
url=""
for _ in $(seq 1 150); do
  url="$(grep -o 'listening on http://[^ ]*' "$tmp/demo.log" | sed 's/listening on //' || true)"
  [ -n "$url" ] && break
  sleep 0.2
done
[ -n "$url" ] || { cat "$tmp/demo.log" >&2; echo "demo did not start" >&2; exit 1; }

mkdir -p "$root/docs/img"
node "$tmp/screenshot.mjs" "$url" "$root/docs/img/demo.png" "$chromium"
