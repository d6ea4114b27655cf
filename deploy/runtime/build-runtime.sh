#!/usr/bin/env bash
# Builds a trimmed Java runtime for switchboard.jar with jlink: only the JDK modules the jar
# uses (found by jdeps), stripped of debug symbols, headers and man pages. The result runs the
# node with `<out>/bin/java -jar switchboard.jar serve ...` and is what the Dockerfile ships.
#
#   deploy/runtime/build-runtime.sh [JAR] [OUT]
#     JAR  default server/target/switchboard.jar (build it with: mvn -B package -DskipTests)
#     OUT  default server/target/runtime (replaced)
#
# Uses the JDK of JAVA_HOME, else the one `java` on PATH belongs to (17 or newer).
set -euo pipefail

jar=${1:-server/target/switchboard.jar}
out=${2:-server/target/runtime}
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
[ -f "$jar" ] || { echo "no $jar: build it first (mvn -B package -DskipTests)" >&2; exit 1; }

mods=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")
# Modules loaded by name or as services, which jdeps cannot see: the SunEC provider for the
# ECDHE and ECDSA of TLS (rediss://, https proxies, TLS on the client port) and JWT ES keys.
mods="$mods,jdk.crypto.ec"

rm -rf "$out"
"$JAVA_HOME/bin/jlink" \
  --add-modules "$mods" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out"
echo "runtime: $out ($(du -sh "$out" | cut -f1)), modules: $mods"
