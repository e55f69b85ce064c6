#!/bin/sh
# Idempotent set-up of what the project needs on Debian 12, run as root: installs the Debian
# packages that are missing (never reinstalls), then checks that a JDK 25 is there.
# Later capabilities append to PACKAGES; keep one package per line with the reason.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="
lxc              # one container per service
squashfs-tools   # mksquashfs/unsquashfs for package images
busybox-static   # the example packages' image
nftables         # port forwards into containers
socat            # talking to Unix sockets from scripts and tests
squashfuse       # fallback squashfs mount without loop devices
gcc              # compiles the native BLAKE3 library and start-container
librust-blake3-dev # the official BLAKE3 C sources (under its c/ directory)
b3sum            # the BLAKE3 reference tool our benchmark compares against
jq               # the SDK's s9pk.mk reads package manifests with it
make             # builds example packages with the SDK's s9pk.mk
git              # gitHash of packed packages
iproute2         # ip and ss: network namespaces, free ports for make run
wrk              # the HTTP load generator of the benchmarks
rsync            # in the container runtime image: the SDK copies volumes with it
skopeo           # s9pk pack: pulls dockerTag images from OCI registries, no Docker daemon
buildah          # s9pk pack: builds dockerBuild images (vfs storage, chroot isolation: no runc)
docker-registry  # tests: a real OCI registry on loopback to pull from
time             # GNU time: the CLI benchmark's peak RSS per process (%M)
chromium         # the web UI's end-to-end tests drive it headless (web/e2e, playwright-core)
fonts-liberation # text in the end-to-end screenshots (a recommend of chromium, not installed here)
libnss3-tools    # certutil: the end-to-end suite's Chromium trusts the server's Root CA as a user would
curl             # tests fetch services over HTTPS with the Root CA as the only trust anchor
nginx            # bench-proxy.sh compares our TLS proxy with it; its own config and pid file, the system service is not used
"

missing=""
for pkg in $(printf '%s\n' "$PACKAGES" | sed 's/#.*//'); do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    "install ok installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done

# Node.js runs the package SDK and our container runtime. Any node >= 18 with npm will do (the
# machine image may bring its own); Debian's packages are the fallback.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages:$missing" >&2
    echo "  run this as root (or: sudo apt-get install --no-install-recommends$missing)" >&2
    exit 1
  fi
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends keeps lxcfs out: its post-stop hook adds 0.5 s to every lxc-stop.
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# skopeo and buildah bring uidmap; with newuidmap present LXC maps a container's ids through it,
# which needs root's subordinate range covering every container slot (ContainerIds: 4096 slots
# of 65536 from 100000). Preflight names the line when it is missing; add it once.
if command -v newuidmap >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  for f in /etc/subuid /etc/subgid; do
    grep -qx 'root:100000:268435456' "$f" 2>/dev/null || echo 'root:100000:268435456' >>"$f"
  done
fi

scripts/java-home.sh >/dev/null
