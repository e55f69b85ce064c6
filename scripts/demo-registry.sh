#!/bin/sh
# `make run`'s demo registry: builds the example packages (and, from their sources, hello-world
# 1.1.0 and hello-kitchen's "spicy" flavor), starts a local start-registry on 127.0.0.1:5959 with
# them published under a demo signer, and prints the registry's URL on its last line. The registry
# keeps running in the background; its pid is in data/demo/registry.pid.
#
# Everything lives in data/demo (or $HEARTH_DEMO_DIR: the web end-to-end run uses its own): the demo
# signer's key (home/.startos), the builds, the registry's data. Builds are redone only when the
# sources changed (make), so a second `make run` is quick. $HEARTH_DEMO_REGISTRY_PORT moves the port.
set -eu
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/java-home.sh)
DEMO=${HEARTH_DEMO_DIR:-$PWD/data/demo}
PORT=${HEARTH_DEMO_REGISTRY_PORT:-5959}
URL="http://127.0.0.1:$PORT/"
mkdir -p "$DEMO/home" "$DEMO/build"
export PATH="$PWD/start-cli/target:$PATH"
# s9pk.mk calls plain `start-cli s9pk pack`, which signs with ~/.startos/developer.key.pem.
export JAVA_TOOL_OPTIONS="-Duser.home=$DEMO/home"
KEY="$DEMO/home/.startos/developer.key.pem"
[ -f "$KEY" ] || start-cli init key >/dev/null
start-cli pubkey > "$DEMO/signer.pub.pem"

copy() { # package build-dir: the sources, without what a build makes
  mkdir -p "$2"
  (cd "packages/$1" && find . -path ./node_modules -prune -o -path ./javascript -prune \
      -o -name '*.s9pk' -prune -o -type f -print) | while read -r f; do
    if [ ! -f "$2/$f" ] || ! cmp -s "packages/$1/$f" "$2/$f"; then
      mkdir -p "$2/$(dirname "$f")"; cp -p "packages/$1/$f" "$2/$f"
    fi
  done
}

build() { # build-dir id
  echo "building $(basename "$1")…" >&2
  make --no-print-directory -C "$1" >"$1.log" 2>&1 || { tail -20 "$1.log" >&2; exit 1; }
  echo "$1/$2_x86_64.s9pk"
}

write_if_changed() { # file, content on stdin
  tmp=$(mktemp); cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm "$tmp"; else mv "$tmp" "$1"; fi
}

files=""
for p in hello-world hello-friend hello-kitchen hello-net; do
  copy "$p" "$DEMO/build/$p"
  files="$files $(build "$DEMO/build/$p" "$p")"
done

# hello-world 1.1.0: an update to try, and 1.0.0 then a downgrade.
copy hello-world "$DEMO/build/hello-world-1.1.0"
write_if_changed "$DEMO/build/hello-world-1.1.0/startos/versions/v1.1.0.ts" <<'TS'
import { VersionInfo } from '@start9labs/start-sdk'

export const v1_1_0 = VersionInfo.of({
  version: '1.1.0:0',
  releaseNotes: 'The greeting page gets a little polish. (A demo update: its data is unchanged.)',
  migrations: { up: async () => {}, down: async () => {} },
})
TS
write_if_changed "$DEMO/build/hello-world-1.1.0/startos/versions/index.ts" <<'TS'
import { VersionGraph } from '@start9labs/start-sdk'
import { v1_0_0 } from './v1.0.0'
import { v1_1_0 } from './v1.1.0'

export const versionGraph = VersionGraph.of({ current: v1_1_0, other: [v1_0_0] })
TS
files="$files $(build "$DEMO/build/hello-world-1.1.0" hello-world)"

# hello-kitchen#spicy: another flavor of the same version, to switch to and back.
copy hello-kitchen "$DEMO/build/hello-kitchen-spicy"
write_if_changed "$DEMO/build/hello-kitchen-spicy/startos/versions/spicy.ts" <<'TS'
import { VersionInfo } from '@start9labs/start-sdk'

export const spicy = VersionInfo.of({
  version: '#spicy:1.1.0:0',
  releaseNotes: 'The spicy flavor of Hello Kitchen. (A demo flavor: switch to it and back.)',
  migrations: {
    other: { '=1.1.0:0': { up: async () => {}, down: async () => {} } },
  },
})
TS
write_if_changed "$DEMO/build/hello-kitchen-spicy/startos/versions/index.ts" <<'TS'
import { VersionGraph } from '@start9labs/start-sdk'
import { v1_0_0 } from './v1.0.0'
import { v1_1_0 } from './v1.1.0'
import { spicy } from './spicy'

export const versionGraph = VersionGraph.of({ current: spicy, other: [v1_1_0, v1_0_0] })
TS
files="$files $(build "$DEMO/build/hello-kitchen-spicy" hello-kitchen)"

# The registry, its admin the demo signer; then every package published (again: idempotent).
if [ -f "$DEMO/registry.pid" ] && kill -0 "$(cat "$DEMO/registry.pid")" 2>/dev/null; then
  kill "$(cat "$DEMO/registry.pid")"; sleep 1
fi
unset JAVA_TOOL_OPTIONS
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1 \
  -jar start-registry/target/start-registry.jar --data-dir "$DEMO/registry" \
  --listen "127.0.0.1:$PORT" --hostname localhost --hostname 127.0.0.1 \
  --name "Hearth Demo Registry" --admin "$DEMO/signer.pub.pem" >"$DEMO/registry.log" 2>&1 &
echo $! >"$DEMO/registry.pid"
for _ in $(seq 1 100); do
  grep -q "start-registry ready" "$DEMO/registry.log" && break
  sleep 0.1
done
grep -q "start-registry ready" "$DEMO/registry.log" || { cat "$DEMO/registry.log" >&2; exit 1; }
for f in $files; do
  start-cli --developer-key-path "$KEY" -r "$URL" s9pk publish "$f" >/dev/null
done
cli() { start-cli --developer-key-path "$KEY" -r "$URL" "$@" >/dev/null; }
cli registry info set-icon packages/hello-world/icon.svg
# Categories, so the Marketplace has something to filter by.
cli registry package category add examples "Examples"
cli registry package category add network "Networking"
for p in hello-world hello-friend hello-kitchen hello-net; do
  cli registry package category add-package examples "$p"
done
cli registry package category add-package network hello-net
echo "$URL"
