#!/usr/bin/env bash
# Runs every test of the project: Maven unit + integration tests (real redis-server, real WebSocket
# containers), the browser client's unit tests and the real-browser tests in headless Chromium.
# On a fresh Debian/Ubuntu machine with a JDK 17+ (Maven comes through ./mvnw, which downloads it from
# Maven Central on first use) it installs what else the tests need (redis-server, Node.js/npm, Chromium)
# with apt-get when run as root, or stops at once with one line saying exactly what to install. The Maven
# run uses the release profile, so it also builds the -sources and -javadoc jars, and
# scripts/check-release.sh checks them. Nothing is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[test.sh] %s\n' "$*"; }
die() { printf '[test.sh] MISSING: %s\n' "$*" >&2; exit 2; }

apt_updated=0
install_pkg() { # install_pkg <command> <debian package(s)...>
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $* (needed: $cmd)"
    if [ $apt_updated = 0 ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' still missing after 'apt-get install $*'"
  else
    die "'$cmd' not found: install it with 'sudo apt-get install $*'"
  fi
}

command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17+ (e.g. 'sudo apt-get install openjdk-17-jdk-headless')"
command -v javac >/dev/null 2>&1 || die "javac not found (a JRE is not enough): install a JDK 17+ (e.g. 'sudo apt-get install openjdk-17-jdk-headless')"
install_pkg redis-server redis-server
install_pkg node nodejs npm
install_pkg npm npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js 20+ is needed, found $(node --version): install Node.js 20 or newer (e.g. from nodejs.org or NodeSource)"
if [ -d examples/browser-tests ]; then
  install_pkg chromium chromium
fi

say "Maven (./mvnw): unit and integration tests, release artifacts"
./mvnw -B -ntp -Prelease verify
./scripts/check-release.sh

if [ -f clients/js/package.json ]; then
  say "browser client: unit tests (node:test)"
  (cd clients/js && npm test)
fi

if [ -d examples/browser-tests ]; then
  say "browser tests: headless Chromium against the demo server"
  (cd examples/browser-tests && npm ci --no-audit --no-fund --loglevel=error && npm test)
fi
say "all tests passed"
