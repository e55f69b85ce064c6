#!/bin/bash
# test.sh [IMAGE] — checks the runtime image (default: ../target/runtime.squashfs). As root.
#
#   1. chroot: the image, loop-mounted read-only, runs node, rsync, mount, sh, ip and
#      start-container, and holds the boot script, the runtime and the mountpoints.
#   2. LXC (when lxc-start is installed): the image as the host will use it — idmapped
#      0 -> 100000, lower layer of an overlay, rootfs of an unprivileged container with
#      lxc.init.cmd = /usr/lib/startos/init/boot — boots to the runtime listening on
#      /media/startos/rpc/service.sock, and stops on SIGTERM.
#
# Everything runs in private mount + PID namespaces that die with the test: no mount, loop
# device, container or process outlives it. One line per check, then "N passed, M failed".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
CR=$(dirname "$HERE")

if [ "${1:-}" = --inner ]; then
    IMG=$2 TMP=$3
    pass=0 failed=0
    ok() { echo "ok - $1"; pass=$((pass + 1)); }
    bad() { echo "FAIL - $1: $(printf '%s' "$2" | tr '\n' '|' | cut -c1-400)"; failed=$((failed + 1)); }
    check() {
        local name=$1
        shift
        if "$@" >"$TMP/.check" 2>&1; then ok "$name"; else bad "$name" "$(cat "$TMP/.check")"; fi
    }
    expect() {
        [ "$2" = "$3" ] && return 0
        printf '%s: got [%s], expected [%s]\n' "$1" "$2" "$3"
        return 1
    }
    finish() {
        echo "counts $pass $failed"
        exit 0
    }

    R=$TMP/img
    mkdir -p "$R"
    mount -t squashfs -o loop,ro "$IMG" "$R" || { bad "mount the image" "loop mount failed"; finish; }
    ok "the image mounts (squashfs, loop, read-only)"

    # ---- 1. chroot -----------------------------------------------------------------------
    mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" || bad "chroot setup" "proc/dev"
    CHROOT=$(command -v chroot)
    C() { timeout -k 2 30 env -i PATH=/usr/bin:/bin "$CHROOT" "$R" "$@"; }
    t_node() {
        local v
        v=$(C /usr/bin/node -e 'console.log(process.version, require("crypto").randomUUID().length)') || return 1
        case "$v" in v2[0-9].*" 36") ;; *) echo "node printed: $v"; return 1 ;; esac
        echo "$v"
    }
    check "node runs (process.version, crypto)" t_node
    t_rsync() { C rsync --version | head -n1 | grep '^rsync  *version'; }
    check "rsync --version" t_rsync
    t_mount() { C mount --version | grep 'util-linux'; }
    check "mount --version (util-linux)" t_mount
    t_sc() {
        local out rc
        out=$(C /usr/bin/start-container 2>&1); rc=$?
        [ $rc -ne 0 ] && printf '%s' "$out" | grep -q '^usage: start-container' || { echo "rc=$rc out=$out"; return 1; }
    }
    check "/usr/bin/start-container with no arguments prints usage, exits non-zero" t_sc
    t_sh() { C sh -c true && C /bin/sh -c 'test "$(readlink /bin/sh)" = dash'; }
    check "sh -c true (/bin/sh is dash)" t_sh
    t_ip() { C ip -V | grep -q iproute2 && C ip link show lo >/dev/null; }
    check "ip (iproute2) runs" t_ip
    t_files() {
        [ -x "$R/usr/lib/startos/init/boot" ] || { echo "no executable boot script"; return 1; }
        C sh -n /usr/lib/startos/init/boot || { echo "boot script does not parse"; return 1; }
        [ -s "$R/usr/lib/startos/init/index.js" ] || { echo "no index.js"; return 1; }
        if [ -f "$CR/runtime/dist/index.js" ]; then
            cmp -s "$R/usr/lib/startos/init/index.js" "$CR/runtime/dist/index.js" || echo "note: index.js differs from runtime/dist (image older than the last runtime build?)"
        fi
        C /usr/bin/node --check /usr/lib/startos/init/index.js || { echo "index.js does not parse"; return 1; }
        # The image's node loads the addon (it needs node_api_create_external_string_latin1).
        C /usr/bin/node -e "const m = { exports: {} }; process.dlopen(m, '/usr/lib/startos/init/source.node'); if (typeof m.exports.map !== 'function') process.exit(1)" ||
            { echo "node cannot load source.node"; return 1; }
    }
    check "boot script, runtime index.js and source.node present; they parse and load" t_files
    t_layout() {
        local d
        for d in proc sys dev tmp run root var/log media/startos/volumes media/startos/images \
            media/startos/subcontainers media/startos/rpc media/startos/assets media/startos/backup \
            media/startos/logs usr/lib/startos/package etc/ssl/certs; do
            [ -d "$R/$d" ] || { echo "missing /$d"; return 1; }
        done
        expect "/tmp mode" "$(stat -c %a "$R/tmp")" 1777 || return 1
        expect "/ mode" "$(stat -c %a "$R")" 755 || return 1
        for d in bin sbin lib lib64; do
            expect "/$d" "$(readlink "$R/$d")" "usr/$d" || return 1
        done
        for f in passwd group nsswitch.conf hosts resolv.conf; do
            [ -s "$R/etc/$f" ] || { echo "missing /etc/$f"; return 1; }
        done
        expect "owners" "$(find "$R" -xdev ! -uid 0 | head -n3)" ""
    }
    check "layout: merged-usr links, mountpoints, /etc, everything root-owned" t_layout
    umount -R "$R/dev" "$R/proc"

    # ---- 2. LXC, unprivileged, idmapped overlay ------------------------------------------
    if ! command -v lxc-start >/dev/null; then
        echo "skip - LXC checks (lxc-start not installed: apt-get install --no-install-recommends lxc)"
        finish
    fi
    L=$TMP/lxc
    mkdir -p "$L"
    mount -t tmpfs -o mode=755 tmpfs "$L"
    mkdir -p "$L/idmapped" "$L/upper" "$L/work" "$L/rootfs" "$L/logs" "$L/rpc" "$L/c"
    chown 100000:100000 "$L/upper" "$L/logs" "$L/rpc"
    # The image's own start-container makes the idmapped clone (it is static: it runs here).
    t_idmap() {
        "$R/usr/bin/start-container" bind-mount --source "$R" --target "$L/idmapped" --idmap 0:100000:65536 || return 1
        expect "owner of /usr/bin/node" "$(stat -c %u "$L/idmapped/usr/bin/node")" 100000
    }
    check "idmapped clone of the image (0 -> 100000 x 65536)" t_idmap
    # A busybox image and a volume for a subcontainer inside the container (spec §3.1): the
    # host idmaps the image and binds both in.
    mkdir -p "$L/bb/bin" "$L/bb/etc" "$L/bb/proc" "$L/bb/dev" "$L/bb/tmp" "$L/bb-idmapped" "$L/vol"
    cp /bin/busybox "$L/bb/bin/" 2>/dev/null && for a in sh id echo cat true sleep; do ln -s busybox "$L/bb/bin/$a"; done
    printf '%s\n' 'root:x:0:0::/root:/bin/sh' 'alice:x:1000:1000::/tmp:/bin/sh' >"$L/bb/etc/passwd"
    printf '%s\n' 'root:x:0:' 'alice:x:1000:' >"$L/bb/etc/group"
    chown 100000:100000 "$L/vol"
    "$R/usr/bin/start-container" bind-mount --source "$L/bb" --target "$L/bb-idmapped" --idmap 0:100000:65536 ||
        bad "idmapped busybox image" "bind-mount failed"
    mount -t overlay overlay -o "lowerdir=$L/idmapped,upperdir=$L/upper,workdir=$L/work" "$L/rootfs" ||
        bad "overlay" "mount failed"
    mount --make-rshared "$L/rootfs"
    cat >"$L/c/config" <<EOF
lxc.include = /usr/share/lxc/config/common.conf
lxc.include = /usr/share/lxc/config/userns.conf
lxc.hook.mount =
lxc.hook.post-stop =
lxc.arch = linux64
lxc.uts.name = runtime-image-test
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
lxc.rootfs.path = dir:$L/rootfs
lxc.rootfs.options = rshared
lxc.init.cmd = /usr/lib/startos/init/boot
lxc.signal.halt = SIGTERM
lxc.autodev = 1
lxc.tty.max = 0
lxc.pty.max = 16
lxc.console.path = none
lxc.net.0.type = empty
lxc.net.0.flags = up
lxc.mount.entry = $L/logs media/startos/logs none rw,bind 0 0
lxc.mount.entry = $L/rpc media/startos/rpc none rw,bind 0 0
lxc.mount.entry = $L/bb-idmapped media/startos/images/bb none ro,bind,create=dir 0 0
lxc.mount.entry = $L/vol media/startos/volumes/main none rw,bind,create=dir 0 0
lxc.log.file = $L/lxc.log
lxc.log.level = WARN
EOF
    stop_container() { lxc-stop -P "$L" -n c -k >/dev/null 2>&1; }
    trap stop_container EXIT
    t_boot() {
        local t0 i
        t0=$(date +%s%N)
        lxc-start -P "$L" -n c -d || { cat "$L/lxc.log"; return 1; }
        for i in $(seq 1000); do
            [ -S "$L/rpc/service.sock" ] && break
            sleep 0.01
        done
        [ -S "$L/rpc/service.sock" ] || { echo "no service.sock after 10 s"; cat "$L/logs/runtime.log" "$L/lxc.log" 2>&1; return 1; }
        echo "start -> service.sock: $((($(date +%s%N) - t0) / 1000000)) ms" >"$TMP/boot-ms"
        # The socket exists before node's log line has passed through pipe-wrap.
        for i in $(seq 500); do
            grep -qs 'listening on /media/startos/rpc/service.sock' "$L/logs/runtime.log" && break
            sleep 0.01
        done
        grep -q 'listening on /media/startos/rpc/service.sock' "$L/logs/runtime.log" || { cat "$L/logs/runtime.log"; return 1; }
        expect "owner of runtime.log on the host" "$(stat -c %u "$L/logs/runtime.log")" 100000
        # The config brings loopback up (as startd's does), so the boot script did not need `ip`.
        if grep -q 'loopback was down' "$L/logs/runtime.log"; then echo "boot ran ip for lo"; return 1; fi
    }
    check "unprivileged LXC boots the image to the runtime listening on service.sock" t_boot
    echo "info - $(cat "$TMP/boot-ms" 2>/dev/null)"
    A() { timeout -k 2 20 lxc-attach -P "$L" -n c --clear-env -- "$@"; }
    t_inside() {
        # node's flags are the boot script's business; what matters is who is PID 1 and what it runs.
        cmd=$(A cat /proc/1/cmdline | tr '\0' ' ')
        case "$cmd" in
            "/usr/bin/start-container pipe-wrap /usr/bin/node "*"/usr/lib/startos/init/index.js ") ;;
            *) echo "PID 1: got [$cmd]"; return 1 ;;
        esac
        expect "id and owner inside" "$(A /bin/sh -c 'echo $(id -u) $(stat -c %u /usr/bin/node)')" "0 0" || return 1
        A /usr/bin/rsync --version >/dev/null || return 1
        case "$(A ip -o link show lo)" in *"<LOOPBACK,UP,"*) ;; *) echo "lo is not up"; return 1 ;; esac
        echo x | A /bin/sh -c 'cat >/root/written' || return 1
        expect "a write lands in the upper as 100000" "$(stat -c %u "$L/upper/root/written")" 100000
    }
    check "inside: pipe-wrap is PID 1 over node, ids map to root, lo up, writes go to the upper" t_inside
    t_subcontainer() {
        # What the SDK does for a daemon: overlay (upper on a tmpfs, never on the overlay
        # rootfs), /dev rbind, leader, exec as a user, a volume bound with bind-mount.
        local out
        out=$(A /bin/sh -ec '
            S=/media/startos/subcontainers
            mount -t tmpfs tmpfs $S
            mkdir -p $S/s1/upper $S/s1/work $S/s1/root
            R=$S/s1/root
            mount -t overlay overlay -o lowerdir=/media/startos/images/bb,upperdir=$S/s1/upper,workdir=$S/s1/work $R
            mount --rbind /dev $R/dev
            start-container subcontainer launch $R </dev/null >/dev/null 2>&1 &
            i=0
            while [ ! -e $R/proc/1 ]; do i=$((i + 1)); [ $i -lt 500 ]; sleep 0.01; done
            start-container subcontainer exec --user=alice $R sh -c "echo \$(id -u) \$\$"
            start-container bind-mount --source /media/startos/volumes/main --target $R/data --recursive
            start-container subcontainer exec $R sh -c "echo in-volume >/data/written"
            n=0 t0=$(date +%s%N)
            while [ $n -lt 100 ]; do start-container subcontainer exec $R /bin/true; n=$((n + 1)); done
            echo $((($(date +%s%N) - t0) / 100000)) >/media/startos/volumes/main/exec-us
            kill -TERM $!
            wait $!
            echo leader-exit=$?
            umount -Rl $R
            umount -l $S
        ') || { echo "$out"; return 1; }
        expect "inside the subcontainer" "$out" "1000 2
leader-exit=0" || return 1
        expect "volume write on the host" "$(stat -c %u "$L/vol/written"):$(cat "$L/vol/written")" "100000:in-volume"
    }
    check "a subcontainer inside the container: launch, exec as a user, bind-mount a volume" t_subcontainer
    [ -s "$L/vol/exec-us" ] && echo "info - exec of /bin/true in a subcontainer inside the container: $(($(cat "$L/vol/exec-us") / 1000)).$(printf '%03d' $(($(cat "$L/vol/exec-us") % 1000))) ms per call (100 calls from dash, its fork included)"
    t_stop() {
        local t0
        t0=$(date +%s%N)
        timeout 40 lxc-stop -P "$L" -n c -t 35 || return 1
        echo "lxc-stop (SIGTERM): $((($(date +%s%N) - t0) / 1000000)) ms" >"$TMP/stop-ms"
        grep -q 'received SIGTERM' "$L/logs/runtime.log" || { cat "$L/logs/runtime.log"; return 1; }
        lxc-info -P "$L" -n c -s | grep -q STOPPED
    }
    check "lxc-stop: SIGTERM reaches node through pipe-wrap and the container stops" t_stop
    echo "info - $(cat "$TMP/stop-ms" 2>/dev/null)"
    finish
fi

# ----------------------------------------------------------------------------------------
IMG=${1:-$CR/target/runtime.squashfs}
[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (it mounts and makes namespaces)" >&2; exit 1; }
[ -f "$IMG" ] || { echo "test.sh: no image at $IMG (make -C $CR)" >&2; exit 1; }
IMG=$(cd "$(dirname "$IMG")" && pwd)/$(basename "$IMG")
TMP=$(mktemp -d /tmp/runtime-image-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$TMP"

unshare --mount --propagation private --pid --fork --kill-child --mount-proc \
    "$HERE/test.sh" --inner "$IMG" "$TMP" </dev/null 2>&1 | tee "$TMP/out" | grep -v '^counts '
passed=$(grep -c '^ok - ' "$TMP/out")
failed=$(grep -c '^FAIL - ' "$TMP/out")
grep -q '^counts ' "$TMP/out" || { echo "FAIL - the checks did not run to the end"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
