#!/bin/sh
# `make bench`: builds the JMH benchmarks (profile "bench": src/jmh/java of each module, compiled
# with its tests) and runs them, printing each module's figures. Not part of `make test`.
set -eu
cd "$(dirname "$0")/.."
scripts/mvn.sh --quiet -Pbench -DskipTests install
JAVA_HOME=$(scripts/java-home.sh)

run() { # module, main class; runs inside the module so its files land in its target/
  dir="$PWD/$1"
  cp="$dir/target/test-classes:$dir/target/classes:$(cat "$dir/target/bench.classpath")"
  (cd "$dir" && "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" "$2")
}

run patchdb dev.hearth.patchdb.PatchDbBenchmarks
run s9pk dev.hearth.s9pk.S9pkBenchmarks
run startd dev.hearth.startd.StartdBenchmarks
run startd dev.hearth.startd.StartdFootprint   # idle RSS after setup, start to ready (issue 16)
run startd dev.hearth.startd.container.ContainerBenchmarks
# The registry: package.index with 500 packages, a 1 GiB download beside curl (about 30 s).
run start-registry dev.hearth.registry.RegistryBenchmarks
# start-cli as whole processes against a local startd, and util b3sum beside b3sum (about 1 min).
run start-cli dev.hearth.cli.CliBenchmarks
# The web UI's budgets in Chromium against a local startd: first-load size, first load to
# interactive, a database change to the screen, the dashboard with 50 services (about 1 min).
(cd web && npm ci --no-audit --no-fund && npm run build && npm run bench)
# Services on real LXC with the example package: needs the runtime image; builds hello-world and
# ten copies into start-cli/target/bench-services once (minutes), then reuses them (about 3 min).
make --no-print-directory -C container-runtime
run start-cli dev.hearth.cli.service.ServiceBenchmarks
scripts/bench-proxy.sh   # the TLS proxy beside nginx (about 6 min)
