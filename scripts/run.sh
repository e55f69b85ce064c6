#!/bin/sh
# `make run` after the build: starts the demo registry (scripts/demo-registry.sh: the example
# packages, published on a local start-registry), then startd in the foreground on a data directory
# in the checkout (./data), on port 80 and 443 when free (as in production), else 8080 and 8443,
# with that registry as its default. Restart and shutdown stop this daemon instead of the machine.
# Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/java-home.sh)

free() { # port
  ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}
pick() { # preferred fallback...
  for p in "$@"; do
    if free "$p"; then echo "$p"; return; fi
  done
  echo "error: none of the ports $* is free" >&2
  exit 1
}
http_port=$(pick 80 8080 8081 8082)
tls_port=$(pick 443 8443 8444 8445)
mkdir -p data
registry=$(scripts/demo-registry.sh)
trap 'kill "$(cat data/demo/registry.pid)" 2>/dev/null' EXIT INT TERM
echo "Demo registry at $registry (its packages: data/demo/build)."

echo "Starting Hearth (data in $(pwd)/data). Open the URL below to set it up; Ctrl-C stops it."
# The AOT cache the build trained beside the jar (startd/src/main/dist/README.md) halves the start.
aot=""
if [ -f startd/target/startd.aot ]; then aot="-XX:AOTCache=startd/target/startd.aot"; fi
"$JAVA_HOME/bin/java" $(cat startd/src/main/dist/jvm.options) $aot \
  -jar startd/target/startd.jar \
  --data-dir data --listen "0.0.0.0:$http_port" --tls "0.0.0.0:$tls_port" --power stop \
  --runtime-image container-runtime/target/runtime.squashfs --registry "$registry"
