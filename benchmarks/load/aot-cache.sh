#!/usr/bin/env bash
# Builds an AOT cache (JDK 24+: classes loaded and linked ahead of time, JEP 483; JDK 25 adds the training
# run's method profiles, JEP 515) for the demo jar, trained by one round of the load benchmark: 5,000
# connections (handshakes, subscribes) and 10 s of publishing at 20,000 frames/s, on the JVM flags the
# benchmark recommends. A later JVM started with -XX:AOTCache=<cache> compiles its hot code from the first
# connection on. See docs/operations.md ("A fresh JVM: an AOT cache on JDK 25").
#   benchmarks/load/aot-cache.sh <java of a JDK 25+> <cache file> ["<JVM flags added to the recommended ones>"]
# then, e.g.:
#   benchmarks/load/run.sh --no-build --systems jobprogress,jvm2,seed --java2 <java> \
#     --jvm2 "<recommended flags> <the added flags> -XX:AOTCache=<cache file>" --connections 5000 --inflight 200 --rate 1000 --seconds 5
# The cache belongs to that JDK build, that jar and the flags that shape objects (-XX:+UseCompactObjectHeaders,
# the collector): rebuild it after any of them changes. A JVM that cannot use it runs without it, silently;
# with -XX:AOTMode=on it refuses to start instead (this script checks the flags that way).
set -euo pipefail
[[ $# == 2 || $# == 3 ]] || { echo "usage: $0 <java of a JDK 25+> <cache file> [\"<added JVM flags>\"]" >&2; exit 2; }
java="$1"
cache="$2"
added="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
"$java" -XX:AOTMode=off -version >/dev/null 2>&1 || { echo "aot-cache.sh: $java has no AOT cache (JDK 24+ needed)" >&2; exit 2; }
flags="$(sed -n "s/^const RECOMMENDED_JVM = '\(.*\)';$/\1/p" "$here/bench.mjs")"
[[ -n "$flags" ]] || { echo "aot-cache.sh: RECOMMENDED_JVM not found in bench.mjs" >&2; exit 2; }
flags="$flags $added"
conf="$(mktemp --suffix=.aotconf)"
trap 'rm -f "$conf"' EXIT
# the training run: the JVM writes what it loaded and profiled to $conf when the benchmark stops it
"$here/run.sh" --no-build --systems jvm2 --java2 "$java" \
  --jvm2 "$flags -XX:AOTMode=record -XX:AOTConfiguration=$conf" \
  --connections 5000 --inflight 200 --rounds 1 --rate 20000 --seconds 10
[[ -s "$conf" ]] || { echo "aot-cache.sh: the training run left no AOT configuration" >&2; exit 1; }
# the cache from it (does not run the application)
# shellcheck disable=SC2086  # the flags are words
"$java" $flags -XX:AOTMode=create -XX:AOTConfiguration="$conf" -XX:AOTCache="$cache" \
  -jar "$repo/examples/demo-server/target/jobprogress-demo.jar"
# a JVM whose flags do not fit the cache (another collector, compact headers on or off) fails here
# instead of running without it
# shellcheck disable=SC2086
"$java" $flags -XX:AOTMode=on -XX:AOTCache="$cache" -cp "$repo/examples/demo-server/target/jobprogress-demo.jar" -version >/dev/null
echo "aot-cache.sh: wrote $cache"
