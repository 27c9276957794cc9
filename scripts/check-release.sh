#!/usr/bin/env bash
# Checks what a release publishes, after `./mvnw -Prelease ... package` (scripts/test.sh runs it after its
# verify): every library module (a top-level jobprogress-* folder that builds a jar) has its main, -sources
# and -javadoc jars, with Java sources and an index.html inside; the BOM carries the publication metadata
# that the release profile's enforcer rules check on every other module. Prints one line per module.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { printf '[check-release] FAILED: %s\n' "$*" >&2; exit 1; }
has_entry() { # has_entry <jar> <regex>: whether the jar lists an entry matching regex
  jar tf "$1" | grep -E "$2" >/dev/null  # not -q: an early exit would fail the pipe (pipefail)
}

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' jobprogress-bom/pom.xml | head -1)
[ -n "$version" ] || fail "cannot read the version from jobprogress-bom/pom.xml"
count=0
for pom in jobprogress-*/pom.xml; do
  dir=$(dirname "$pom")
  grep -q '<packaging>pom</packaging>' "$pom" && continue
  grep -q "<artifactId>$dir</artifactId>" "$pom" || fail "$pom: artifactId is not '$dir'"
  base="$dir/target/$dir-$version"
  for jar in "$base.jar" "$base-sources.jar" "$base-javadoc.jar"; do
    [ -s "$jar" ] || fail "$jar missing: run './mvnw -Prelease -DskipTests package'"
  done
  has_entry "$base.jar" '\.class$' || fail "$base.jar has no classes"
  has_entry "$base-sources.jar" '\.java$' || fail "$base-sources.jar has no Java sources"
  has_entry "$base-javadoc.jar" '^index\.html$' || fail "$base-javadoc.jar has no index.html"
  grep -q '<name>' "$pom" && grep -q '<description>' "$pom" || fail "$pom needs its own name and description"
  printf '[check-release] %s: jar, sources, javadoc\n' "$dir"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || fail "no library module found"

for element in '<url>https://' '<licenses>' '<name>Apache-2.0</name>' '<developers>' '<scm>' '<connection>scm:git:'; do
  grep -q "$element" jobprogress-bom/pom.xml || fail "jobprogress-bom/pom.xml lacks $element"
done
printf '[check-release] jobprogress-bom: metadata\n'
printf '[check-release] %d library modules complete\n' "$count"
