#!/bin/bash
# build.sh OUT.squashfs — the read-only runtime image of every service container
# (spec container-runtime.md §3): Node, our runtime, start-container and the tools the SDK
# runs (sh, mount, rsync), made ONLY from the Debian packages installed on this machine.
# Nothing is downloaded.
#
#   1. the dependency closure (Pre-Depends + Depends; an alternative or virtual package
#      resolves to what is installed here) of ROOTS, minus EXCLUDED;
#   2. their files (dpkg -L: regular files and symlinks with their modes, without docs,
#      man pages and translations) copied into a merged-usr tree (bin -> usr/bin, …);
#   3. our files: /usr/bin/start-container,
#      /usr/lib/startos/init/{index.js,exver.js,bundle.js,source.node,boot},
#      a minimal /etc and the empty mountpoints the host fills;
#   4. mksquashfs (lz4, all files root-owned, one fixed timestamp).
#
# Inputs, overridable for tests:  START_CONTAINER=path/to/start-container
#                                 RUNTIME_JS=path/to/runtime/dist/index.js
#                                 RUNTIME_NATIVE=path/to/runtime/dist/source.node
# Needs: squashfs-tools, and the ROOTS installed (apt-get install --no-install-recommends
# nodejs rsync; the others are part of every Debian system).
set -euo pipefail
shopt -s extglob

if [ $# -ne 1 ]; then
    echo "usage: $0 OUT.squashfs" >&2
    exit 2
fi
start_ns=$(date +%s%N)
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
CR=$(dirname "$HERE")
START_CONTAINER=${START_CONTAINER:-$CR/start-container/start-container}
RUNTIME_JS=${RUNTIME_JS:-$CR/runtime/dist/index.js}
RUNTIME_NATIVE=${RUNTIME_NATIVE:-$CR/runtime/dist/source.node}

# What the image is for: node runs the runtime; the SDK runs sh, mount --rbind, rsync
# (spec §4.9); the boot script runs ip; start-container and the SDK need coreutils and
# util-linux basics (mkdir, umount, nsenter for debugging).
ROOTS="nodejs dash coreutils mount util-linux rsync iproute2"

# Packages the closure reaches that make no sense in a read-only image with no package
# manager and no init system. A dependency group that names one of them is dropped.
declare -A EXCLUDED=(
    # Asks configuration questions when packages are installed; nothing is installed here.
    [debconf]=1 [debconf-2.0]=1
    # Only debconf and init-system-helpers need Perl; no tool in the image runs it.
    [perl-base]=1
    # deb-systemd-helper and invoke-rc.d for maintainer scripts; the container has no init
    # system (node, under start-container pipe-wrap, is its PID 1 … 2).
    [init-system-helpers]=1
    # The package manager (dash depends on it for dpkg-divert in its maintainer scripts);
    # the image is rebuilt, never upgraded in place.
    [dpkg]=1
    # nodejs depends on python3 only for node-gyp, which builds native addons at npm install
    # time; the runtime is one bundled file with no addons. Saves ~30 MB with its closure.
    [python3]=1
    # Needs openssl and debconf to regenerate its bundle; we copy the generated bundle
    # (/etc/ssl/certs/ca-certificates.crt) instead, and Node carries its own root store.
    [ca-certificates]=1
)

# Paths never copied: documentation, man/info pages, translations, shell completions, and
# service-manager files (no init system here). From nodejs: C headers for addons, and the
# bundled npm/corepack with their launchers (the runtime needs neither).
skip_path() {
    case "$1" in
    /usr/share/doc/* | /usr/share/doc | /usr/share/man/* | /usr/share/man | /usr/share/info/* | \
        /usr/share/locale/* | /usr/share/locale | /usr/share/lintian/* | /usr/share/bug/* | \
        /usr/share/bash-completion/* | /usr/share/zsh/* | /usr/share/fish/* | /usr/share/menu/* | \
        /etc/init.d/* | /etc/init.d | /usr/lib/systemd/* | /usr/lib/systemd | /etc/systemd/* | \
        /etc/logrotate.d/* | /etc/cron.d/* | /etc/cron.daily/* | \
        /usr/include/* | /usr/include | /usr/lib/node_modules/* | /usr/lib/node_modules | \
        /usr/bin/npm | /usr/bin/npx | /usr/bin/corepack)
        return 0 ;;
    esac
    return 1
}

die() {
    echo "build.sh: $*" >&2
    exit 1
}
command -v mksquashfs >/dev/null || die "mksquashfs missing: apt-get install squashfs-tools"
[ -x "$START_CONTAINER" ] || die "no start-container binary at $START_CONTAINER (make -C $CR start-container/start-container)"
[ -f "$RUNTIME_JS" ] || die "no runtime at $RUNTIME_JS (cd $CR/runtime && npm ci && npm run build)"
[ -f "$RUNTIME_NATIVE" ] || die "no runtime addon at $RUNTIME_NATIVE (make -C $CR runtime/dist/source.node)"

# ---- 1. dependency closure --------------------------------------------------------------
ARCH=$(dpkg --print-architecture)
declare -A INSTALLED DEPS PROVIDERS FULLNAME
# Fields are split at \x1f: a tab is IFS whitespace, and empty fields would collapse.
while IFS=$'\x1f' read -r name full arch status pre dep prov; do
    [ "$status" = "install ok installed" ] || continue
    [ "$arch" = "$ARCH" ] || [ "$arch" = all ] || continue
    INSTALLED[$name]=1
    FULLNAME[$name]=$full
    DEPS[$name]="$pre, $dep"
    IFS=',' read -ra provs <<<"$prov"
    for v in "${provs[@]}"; do
        v=${v%%(*}
        v=${v// /}
        [ -n "$v" ] && PROVIDERS[$v]="${PROVIDERS[$v]:-} $name"
    done
done < <(dpkg-query -W -f=$'${Package}\x1f${binary:Package}\x1f${Architecture}\x1f${Status}\x1f${Pre-Depends}\x1f${Depends}\x1f${Provides}\n')

# The name an alternative resolves to on this machine, or nothing.
resolve() {
    local n=$1 p
    if [ -n "${INSTALLED[$n]:-}" ]; then
        echo "$n"
        return
    fi
    for p in ${PROVIDERS[$n]:-}; do
        echo "$p"
        return
    done
}

declare -A IN_IMAGE
queue=()
for r in $ROOTS; do
    [ -n "${INSTALLED[$r]:-}" ] || die "package $r is not installed (apt-get install --no-install-recommends $r)"
    queue+=("$r")
done
while [ ${#queue[@]} -gt 0 ]; do
    pkg=${queue[0]}
    queue=("${queue[@]:1}")
    [ -n "${IN_IMAGE[$pkg]:-}" ] && continue
    IN_IMAGE[$pkg]=1
    IFS=',' read -ra groups <<<"${DEPS[$pkg]}"
    for group in "${groups[@]}"; do
        group=${group//\(*([^)])\)/} # version constraints
        group=${group//[[:space:]]/}
        [ -n "$group" ] || continue
        IFS='|' read -ra alts <<<"$group"
        alts=("${alts[@]%%:*}") # :any, :amd64
        chosen="" dropped=""
        for alt in "${alts[@]}"; do
            if [ -n "${EXCLUDED[$alt]:-}" ]; then
                dropped=$alt
                break
            fi
        done
        [ -n "$dropped" ] && continue
        for alt in "${alts[@]}"; do
            chosen=$(resolve "$alt")
            [ -n "$chosen" ] && break
        done
        [ -n "$chosen" ] || die "$pkg depends on '$group', which nothing installed here satisfies"
        [ -n "${EXCLUDED[$chosen]:-}" ] && continue
        [ -n "${IN_IMAGE[$chosen]:-}" ] || queue+=("$chosen")
    done
done
PACKAGES=$(printf '%s\n' "${!IN_IMAGE[@]}" | sort)

# ---- 2. copy their files into a merged-usr staging tree ---------------------------------
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/runtime-rootfs.XXXXXX")
trap 'rm -rf "$STAGE" "$STAGE.list"' EXIT
chmod 0755 "$STAGE" # mktemp made it 0700; it becomes the image's /
mkdir -p "$STAGE/usr/bin" "$STAGE/usr/sbin" "$STAGE/usr/lib" "$STAGE/usr/lib64"
ln -s usr/bin "$STAGE/bin"
ln -s usr/sbin "$STAGE/sbin"
ln -s usr/lib "$STAGE/lib"
ln -s usr/lib64 "$STAGE/lib64"

for pkg in $PACKAGES; do
    dpkg-query -L "${FULLNAME[$pkg]}"
done | while IFS= read -r path; do
    # dpkg still records /bin/…, /lib/…; on this merged-usr host those are the /usr paths.
    case "$path" in
    /. | /bin | /sbin | /lib | /lib64) continue ;; # the skeleton has these
    /bin/* | /sbin/* | /lib/* | /lib64/*) path=/usr$path ;;
    esac
    skip_path "$path" && continue
    # Directories, regular files and symlinks, if present here (an image may have removed
    # docs with dpkg path-exclude; a diverted file is found at its diverted name's path).
    [ -L "$path" ] || [ -e "$path" ] || continue
    printf '%s\n' "${path#/}"
done | sort -u >"$STAGE.list"
# tar keeps modes, symlinks and directory modes; --no-recursion copies exactly the list.
tar -C / --no-recursion -cf - -T "$STAGE.list" | tar -C "$STAGE" --keep-directory-symlink -xf -
[ -e "$STAGE/usr/bin/sh" ] || ln -s dash "$STAGE/usr/bin/sh"

# ---- 3. our files -----------------------------------------------------------------------
install -D -m 0755 "$START_CONTAINER" "$STAGE/usr/bin/start-container"
strip "$STAGE/usr/bin/start-container" 2>/dev/null || true
install -D -m 0644 "$RUNTIME_JS" "$STAGE/usr/lib/startos/init/index.js"
# What the runtime loads on first use, beside index.js (runtime/package.json's build makes them).
for lazy in exver.js bundle.js; do
    [ -f "$(dirname "$RUNTIME_JS")/$lazy" ] || die "no $lazy beside $RUNTIME_JS (cd $CR/runtime && npm run build)"
    install -m 0644 "$(dirname "$RUNTIME_JS")/$lazy" "$STAGE/usr/lib/startos/init/$lazy"
done
install -D -m 0755 "$RUNTIME_NATIVE" "$STAGE/usr/lib/startos/init/source.node"
strip --strip-unneeded "$STAGE/usr/lib/startos/init/source.node" 2>/dev/null || true
install -D -m 0755 "$HERE/boot" "$STAGE/usr/lib/startos/init/boot"

E=$STAGE/etc
mkdir -p "$E/default" "$E/ssl/certs"
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$E/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$E/group"
printf '%s\n' 'passwd: files' 'group: files' 'shadow: files' 'hosts: files dns' 'networks: files' \
    'protocols: files' 'services: files' 'ethers: files' 'rpc: files' >"$E/nsswitch.conf"
# The host rewrites /etc/hosts with the container's name and may replace resolv.conf;
# the SDK copies resolv.conf into every subcontainer, so it must exist (spec §3.1).
printf '%s\n' '127.0.0.1	localhost' '::1	localhost ip6-localhost ip6-loopback' >"$E/hosts"
printf '%s\n' 'nameserver 10.0.3.1' >"$E/resolv.conf"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    install -m 0644 /etc/ssl/certs/ca-certificates.crt "$E/ssl/certs/ca-certificates.crt"
fi
# No ld.so.cache comes with the packages (ldconfig makes it at install time).
ldconfig -r "$STAGE" 2>/dev/null || true

# Empty mountpoints the container's runtime and the host fill.
for d in proc sys dev run root var/log tmp \
    media/startos/volumes media/startos/images media/startos/subcontainers media/startos/rpc \
    media/startos/assets media/startos/backup media/startos/logs usr/lib/startos/package; do
    mkdir -p "$STAGE/$d"
done
chmod 1777 "$STAGE/tmp"
chmod 0700 "$STAGE/root"

# ---- 4. the image -----------------------------------------------------------------------
COMP=gzip
if { mksquashfs -help 2>&1 || true; } | grep -qw lz4; then COMP=lz4; fi
# One timestamp for every file, so an unchanged input gives an identical image.
EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$CR" log -1 --format=%ct 2>/dev/null || echo 0)}
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT.tmp"
mksquashfs "$STAGE" "$OUT.tmp" -noappend -comp "$COMP" -all-root -all-time "$EPOCH" \
    -mkfs-time "$EPOCH" -no-progress -quiet >/dev/null
mv "$OUT.tmp" "$OUT"

size=$(stat -c %s "$OUT")
elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
npkg=$(wc -w <<<"$PACKAGES")
nfiles=$(find "$STAGE" -mindepth 1 | wc -l)
printf '%s\n' "$PACKAGES" >"$OUT.packages"
echo "runtime image: $OUT ($((size / 1024 / 1024)) MiB, $COMP, $npkg packages, $nfiles entries) built in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s"
