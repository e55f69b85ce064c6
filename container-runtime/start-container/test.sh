#!/bin/bash
# Checks start-container against spec container-runtime.md §4. Run as root:
#
#   container-runtime/start-container/test.sh      (builds the binary first if it is missing)
#
# A busybox rootfs (Debian's busybox-static) becomes a subcontainer the way the host makes
# one: an overlay whose upper is on a tmpfs. All of it happens in a temp dir and inside
# private mount + PID namespaces that die with the test, so no mount, process or namespace
# outlives it, even when a check fails. The checks run twice:
#   [host]    as host root;
#   [userns]  as root of a user namespace mapped 0 -> 100000 x 65536, as inside an
#             unprivileged LXC service container: the case that matters in production.
# One line per check ("ok - …" or "FAIL - …"), then "N passed, M failed"; exit 1 on any failure.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SC=${START_CONTAINER:-$HERE/start-container}

if [ "${1:-}" = --inner ]; then
    # ------------------------------------------------------------------------------------
    # Inside the private namespaces. Arguments: MODE TMP LOWER WORKDIR
    MODE=$2 TMP=$3 LOWER=$4 W=$5
    pass=0 failed=0
    ok() { echo "ok - [$MODE] $1"; pass=$((pass + 1)); }
    bad() { echo "FAIL - [$MODE] $1: $(printf '%s' "$2" | tr '\n' '|' | cut -c1-400)"; failed=$((failed + 1)); }
    # check NAME FUNCTION...: the function prints what went wrong and returns non-zero.
    check() { # runs in this shell (not a subshell), so it can wait for our background jobs
        local name=$1
        shift
        if "$@" >"$W/.check" 2>&1; then ok "$name"; else bad "$name" "$(cat "$W/.check")"; fi
    }
    expect() { # expect WHAT ACTUAL EXPECTED
        [ "$2" = "$3" ] && return 0
        printf '%s: got [%s], expected [%s]\n' "$1" "$2" "$3"
        return 1
    }
    wait_for() { # wait_for SHELL-CONDITION [TRIES of 10 ms]
        local i
        for i in $(seq "${2:-300}"); do
            eval "$1" && return 0
            sleep 0.01
        done
        return 1
    }
    T() { timeout -k 2 20 "$SC" "$@"; } # every call is bounded: a hang fails, it does not block
    X() { T subcontainer exec "$@"; }
    proc_mounts() { awk -v p="$1" '$5 == p' /proc/self/mountinfo | wc -l; }

    mount -t tmpfs -o mode=755 tmpfs "$W" || exit 1
    mkdir -p "$W/up" "$W/wk" "$W/root" "$W/up2" "$W/wk2" "$W/root2"
    R=$W/root R2=$W/root2
    mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$W/up,workdir=$W/wk" "$R" || exit 1
    mount -t overlay overlay -o "lowerdir=$LOWER,upperdir=$W/up2,workdir=$W/wk2" "$R2" || exit 1
    for r in "$R" "$R2"; do mount --rbind /dev "$r/dev" || exit 1; done # as the SDK does

    # --- command line ---------------------------------------------------------------------
    t_usage() {
        local out rc
        out=$("$SC" 2>&1); rc=$?
        [ $rc = 2 ] && printf '%s' "$out" | grep -q '^usage:' || { echo "rc=$rc out=$out"; return 1; }
        out=$("$SC" subcontainer exec --bogus "$R" true 2>&1); rc=$?
        expect "unknown option rc" "$rc" 2 || return 1
        out=$("$SC" subcontainer exec --env 2>&1); rc=$?
        expect "missing value rc" "$rc" 2 || return 1
        out=$("$SC" subcontainer exec "$R" 2>&1); rc=$?
        expect "missing command rc" "$rc" 2
    }
    check "no arguments or bad options: usage, exit 2" t_usage

    t_no_leader() {
        local out rc
        out=$(X "$R" true 2>&1); rc=$?
        expect rc "$rc" 125 && printf '%s' "$out" | grep -q 'no leader'
    }
    check "exec without a leader fails with 125 and says why" t_no_leader

    # --- launch: the idle leader ----------------------------------------------------------
    t0=$(date +%s%N)
    "$SC" subcontainer launch "$R" </dev/null >/dev/null 2>"$W/leader1.err" &
    L1=$!
    t_leader_up() {
        wait_for "[ -e '$R/proc/1' ]" || { echo "no $R/proc/1 after 3 s"; return 1; }
        echo "up in $((($(date +%s%N) - t0) / 1000)) us" >"$W/leader-up"
        expect "comm of proc/1" "$(cat "$R/proc/1/comm")" start-container
    }
    check "launch with no command: ROOTFS/proc/1 appears (the idle leader)" t_leader_up
    echo "info - [$MODE] launch: leader visible $(cat "$W/leader-up" 2>/dev/null)"

    t_pidns() {
        local out
        out=$(X "$R" sh -c 'echo $$; cat /proc/1/comm; ls /proc | grep -c "^[0-9]"') || return 1
        set -- $out
        [ "$1" -gt 1 ] && [ "$1" -lt 20 ] || { echo "pid inside: $1"; return 1; }
        expect "pid 1 inside" "$2" start-container || return 1
        [ "$3" -lt 10 ] || { echo "sees $3 processes: not a private PID namespace"; return 1; }
    }
    check "exec runs in the leader's PID namespace (leader is PID 1, few pids)" t_pidns

    # --- pivot_root -----------------------------------------------------------------------
    t_pivot() {
        local out
        out=$(X "$R" sh -c "[ -e '$TMP/host-marker' ] && echo LEAK; ls /; awk '\$5 == \"/\" {print \$9}' /proc/self/mountinfo; ls -a / | grep -c put_old; true") || return 1
        printf '%s' "$out" | grep -q LEAK && { echo "host marker visible"; return 1; }
        expect "root listing + root fs + put_old" "$out" "$(ls "$R")
overlay
0"
    }
    check "pivot_root: host files invisible, / is the overlay, no .put_old left" t_pivot
    t_userns_inside() {
        X "$R" unshare -U true # EPERM under chroot; rootless podman in a package needs it
    }
    check "the command may unshare(CLONE_NEWUSER) (pivot_root, not chroot)" t_userns_inside

    # --- users ----------------------------------------------------------------------------
    t_root_default() {
        expect "default user" "$(X "$R" sh -c 'echo "$(id -u) $(id -g) $HOME"')" "0 0 /root"
    }
    check "no --user: uid 0, HOME from passwd" t_root_default
    t_user_name() {
        local out
        out=$(X --user=alice "$R" sh -c 'echo "$(id -u) $(id -g) $HOME"; id -G | tr " " "\n" | sort -n | tr "\n" " "') || return 1
        expect "alice" "$out" "1000 1000 /home/alice
10 20 1000 "
    }
    check "--user=NAME: uid, gid, supplementary groups and HOME from passwd/group" t_user_name
    t_user_ids() {
        expect "1000:20" "$(X --user 1000:20 "$R" sh -c 'echo "$(id -u) $(id -g) $HOME"')" "1000 20 /home/alice" || return 1
        expect "alice:wheel" "$(X -u alice:wheel "$R" sh -c 'echo "$(id -u) $(id -g)"')" "1000 10" || return 1
        expect "4242 (no passwd entry)" "$(X --user=4242 "$R" sh -c 'echo "$(id -u) $(id -g) $HOME"; id -G')" "4242 0 /
0"
    }
    check "--user=UID:GID, NAME:GROUP, and a uid without passwd entry" t_user_ids
    t_user_unknown() {
        local out rc
        out=$(X --user=nosuch "$R" true 2>&1); rc=$?
        expect "unknown user rc" "$rc" 125 || return 1
        out=$(X --user=alice:nosuch "$R" true 2>&1); rc=$?
        expect "unknown group rc" "$rc" 125
    }
    check "unknown user or group: exit 125" t_user_unknown
    t_stdio_reopen() {
        expect "reopen /dev/stdout as alice" "$(X --user=alice "$R" sh -c 'echo hi >/dev/stdout')" hi
    }
    check "a non-root command can reopen its stdio (/dev/stdout)" t_stdio_reopen

    # --- workdir, environment, arguments --------------------------------------------------
    t_workdir() {
        expect "--workdir=/tmp" "$(X --workdir=/tmp "$R" pwd)" /tmp || return 1
        expect "-w /home/alice" "$(X -w /home/alice --user alice "$R" pwd)" /home/alice || return 1
        expect "default" "$(X "$R" pwd)" / || return 1
        local rc
        X --workdir=/nonexistent "$R" true 2>/dev/null; rc=$?
        expect "missing workdir rc" "$rc" 125
    }
    check "--workdir, default /, missing workdir fails" t_workdir
    t_env_order() {
        printf 'A=from-file\nB=from-file\nC=x=y z\nNOEQUALS\n\nPATH=/bin:/usr/bin\n' >"$W/img.env"
        local out err
        out=$(X --env-file="$W/img.env" --env=B=from-flag "$R" sh -c 'echo "$A|$B|$C|$HOME|$PATH"' 2>"$W/env.err") || return 1
        expect "env" "$out" "from-file|from-flag|x=y z|/root|/bin:/usr/bin" || return 1
        grep -q 'NOEQUALS\|not KEY=VALUE' "$W/env.err" || { echo "no warning for a line without '='"; return 1; }
        printf 'HOME=/custom\n' >"$W/home.env"
        expect "HOME from file" "$(X --env-file "$W/home.env" --user=alice "$R" sh -c 'echo $HOME')" /custom || return 1
        expect "HOME from flag" "$(X --env-file "$W/home.env" -e HOME=/flag "$R" sh -c 'echo $HOME')" /flag
    }
    check "environment: --env-file, then --env, then HOME from passwd" t_env_order
    t_env_values() {
        local v=$'a b=c\nd  e=\n'"'"'q"'
        local show='printf "[%s]" "$V"'
        expect "--env K=V" "$(X --env "V=$v" "$R" sh -c "$show")" "[$v]" || return 1
        expect "--env=K=V" "$(X "--env=V=$v" "$R" sh -c "$show")" "[$v]" || return 1
        expect "-eK=V" "$(X "-eV=$v" "$R" sh -c "$show")" "[$v]" || return 1
        expect "-e=K=V" "$(X "-e=V=$v" "$R" sh -c "$show")" "[$v]" || return 1
        expect "--user=, --workdir= with spaces" "$(X "--workdir=/tmp" "--user=alice" "$R" sh -c 'printf "%s|" "$@"' _ "a b" $'c\nd' "e=f")" "a b|c
d|e=f|"
    }
    check "values with spaces, '=' and newlines pass intact" t_env_values
    t_dash_args() {
        expect "args" "$(X "$R" sh -c 'printf "%s|" "$@"' -u --env=X -e --user=bob --)" "--env=X|-e|--user=bob|--|" || return 1
        expect "after --" "$(X --user=root -- "$R" echo -n --workdir=/x)" "--workdir=/x"
    }
    check "command arguments starting with '-' belong to the command" t_dash_args
    t_no_path() {
        expect "env -i" "$(env -i "$SC" subcontainer exec "$R" sh -c 'echo ok')" ok
    }
    check "runs with an empty environment (the SDK may pass no PATH)" t_no_path

    # --- exit codes and signals -----------------------------------------------------------
    t_exit_codes() {
        local rc
        X "$R" sh -c 'exit 42'; rc=$?
        expect "exit 42" "$rc" 42 || return 1
        X "$R" sh -c 'kill -TERM $$'; rc=$?
        expect "killed by TERM" "$rc" 0 || return 1
        X "$R" sh -c 'kill -KILL $$' 2>/dev/null; rc=$?
        expect "killed by KILL" "$rc" 137 || return 1
        X "$R" /no/such/command 2>/dev/null; rc=$?
        expect "not found" "$rc" 127
    }
    check "exit codes: passed through; SIGTERM -> 0; other signal -> 128+n; not found -> 127" t_exit_codes
    t_forward_term() {
        local p rc
        "$SC" subcontainer exec "$R" sleep 4711 </dev/null &
        p=$!
        wait_for "grep -qs 4711 '$R'/proc/[0-9]*/cmdline" || { echo "sleep never started"; return 1; }
        kill -TERM $p
        wait $p; rc=$?
        expect "rc after TERM to start-container" "$rc" 0 || return 1
        wait_for "! grep -qs 4711 '$R'/proc/[0-9]*/cmdline" || { echo "sleep still running"; return 1; }
    }
    check "SIGTERM to start-container reaches the command (exit 0)" t_forward_term
    t_pdeathsig() {
        local p
        "$SC" subcontainer exec --user=alice "$R" sleep 31337 </dev/null &
        p=$!
        wait_for "grep -qs 31337 '$R'/proc/[0-9]*/cmdline" || { echo "sleep never started"; return 1; }
        kill -KILL $p
        wait $p 2>/dev/null
        wait_for "! grep -qs 31337 '$R'/proc/[0-9]*/cmdline" 100 || { echo "the command outlived start-container"; return 1; }
    }
    check "SIGKILL of start-container kills the command (PR_SET_PDEATHSIG)" t_pdeathsig
    t_stdin() {
        local out
        out=$(printf 'line1\nline2' | X "$R" sh -c 'cat; echo "<EOF>"') || return 1
        expect "stdin" "$out" "line1
line2<EOF>"
    }
    check "stdin is relayed and its EOF reaches the command" t_stdin

    # --- tty ------------------------------------------------------------------------------
    t_tty() {
        local out
        out=$(X --force-tty --pty-size=30:100 "$R" sh -c 'test -t 0 && test -t 1 && echo tty-yes; stty size' </dev/null | tr -d '\r') || return 1
        expect "tty" "$out" "tty-yes
30 100" || return 1
        out=$(printf 'abc\n' | X --force-tty "$R" sh -c 'read l; echo "got:$l"' | tr -d '\r')
        printf '%s' "$out" | grep -q '^got:abc$' || { echo "pty input: $out"; return 1; }
        out=$(X --force-tty "$R" sh -c 'test -t 2 && echo err-tty' 2>/dev/null </dev/null | tr -d '\r')
        expect "stderr stays off the pty by default" "$out" "" || return 1
        out=$(X --force-tty --force-stderr-tty "$R" sh -c 'test -t 2 && echo err-tty' 2>/dev/null </dev/null | tr -d '\r')
        expect "--force-stderr-tty" "$out" "err-tty"
    }
    check "--force-tty: a pty with --pty-size, input relayed, --force-stderr-tty" t_tty

    # --- launch replaces an old leader; leader dies on TERM -------------------------------
    t_replace() {
        local e ns1 rc
        "$SC" subcontainer exec "$R" sleep 4242 </dev/null 2>/dev/null &
        e=$!
        wait_for "grep -qs 4242 '$R'/proc/[0-9]*/cmdline" || { echo "sleep never started"; return 1; }
        ns1=$(readlink "$R/proc/1/ns/pid")
        "$SC" subcontainer launch "$R" </dev/null >/dev/null 2>"$W/leader2.err" &
        L2=$!
        wait_for "[ -e '$R/proc/1' ] && [ \"\$(readlink '$R/proc/1/ns/pid')\" != '$ns1' ]" ||
            { echo "no new leader"; return 1; }
        wait $L1 2>/dev/null; rc=$?
        [ $rc != 0 ] || { echo "old launcher exited 0"; return 1; }
        wait $e 2>/dev/null
        grep -qs 4242 "$R"/proc/[0-9]*/cmdline && { echo "old subcontainer process survived"; return 1; }
        expect "proc mounts at ROOTFS/proc" "$(proc_mounts "$R/proc")" 1
    }
    check "launch replaces a running leader and everything under it" t_replace
    t_term_leader() {
        local rc
        kill -TERM "$L2"
        wait "$L2"; rc=$?
        expect "leader rc after TERM" "$rc" 0 || return 1
        [ ! -e "$R/proc/1" ] || { echo "proc/1 still there"; return 1; }
        expect "proc mounts left" "$(proc_mounts "$R/proc")" 0
    }
    check "the idle leader leaves on SIGTERM (exit 0) and ROOTFS/proc is unmounted" t_term_leader

    # --- launch with a command (runAsInit) ------------------------------------------------
    t_launch_cmd() {
        local out rc
        out=$(T subcontainer launch --user=alice --workdir=/tmp --env=K=v "$R2" sh -c 'echo "$$ $(id -u) $PWD $K"; ls /proc/1/ >/dev/null && echo proc-ok; exit 3'); rc=$?
        expect "output" "$out" "1 1000 /tmp v
proc-ok" || return 1
        expect "rc" "$rc" 3 || return 1
        expect "proc mounts left" "$(proc_mounts "$R2/proc")" 0
    }
    check "launch COMMAND: the command is PID 1, exit code passed, proc unmounted" t_launch_cmd

    t_internal() {
        local out
        # exec-command: the caller did the namespace work; it pivots and execs in place.
        out=$(T subcontainer exec-command --user=alice "$R2" sh -c "id -u; [ -e '$TMP/host-marker' ] && echo LEAK; cat /etc/hostname 2>/dev/null; echo done") || return 1
        expect "exec-command" "$out" "1000
done" || return 1
        # launch-init: run as PID 1 of a PID namespace someone else made.
        out=$(timeout 20 unshare --pid --fork "$SC" subcontainer launch-init "$R2" sh -c 'echo $$; ls /proc/1/ >/dev/null && echo proc') || return 1
        expect "launch-init" "$out" "1
proc" || return 1
        umount "$R2/proc" # launch-init leaves its proc mount to whoever made the namespace
    }
    check "internal commands: exec-command and launch-init" t_internal
    t_no_passwd() {
        mv "$R2/etc/passwd" "$R2/etc/passwd.off" && mv "$R2/etc/group" "$R2/etc/group.off"
        local out
        out=$(T subcontainer exec-command --user=root "$R2" sh -c 'echo "$(id -u) $(id -g) $HOME"')
        mv "$R2/etc/passwd.off" "$R2/etc/passwd" && mv "$R2/etc/group.off" "$R2/etc/group"
        expect "--user=root without /etc/passwd" "$out" "0 0 /"
    }
    check "--user=root works in an image without /etc/passwd (FROM scratch)" t_no_passwd

    # --- bind-mount -----------------------------------------------------------------------
    "$SC" subcontainer launch "$R" </dev/null >/dev/null 2>"$W/leader3.err" &
    L3=$!
    wait_for "[ -e '$R/proc/1' ]" || bad "leader for the bind-mount checks" "did not start"
    S=$W/src
    mkdir -p "$S/plain" "$S/rec/sub" "$S/idm"
    echo data >"$S/plain/f"
    echo top >"$S/rec/top"
    mount -t tmpfs tmpfs "$S/rec/sub" && echo below >"$S/rec/sub/s"
    echo conf >"$S/file.conf"
    t_bind_plain() {
        T bind-mount --source "$S/plain" --target "$R/mnt/plain" || return 1
        expect "read" "$(X "$R" cat /mnt/plain/f)" data || return 1
        X "$R" sh -c 'echo new >/mnt/plain/g' || return 1
        expect "write through" "$(cat "$S/plain/g")" new
    }
    check "bind-mount: plain (target created, read and write through)" t_bind_plain
    t_bind_ro() {
        T bind-mount --source="$S/rec" --target="$R/mnt/ro" --recursive --readonly || return 1
        expect "read" "$(X "$R" cat /mnt/ro/top /mnt/ro/sub/s)" "top
below" || return 1
        X "$R" touch /mnt/ro/x 2>/dev/null && { echo "wrote to a readonly bind"; return 1; }
        X "$R" touch /mnt/ro/sub/x 2>/dev/null && { echo "wrote below a recursive readonly bind"; return 1; }
        return 0
    }
    check "bind-mount --readonly (recursively)" t_bind_ro
    t_bind_file() {
        T bind-mount --source "$S/file.conf" --target "$R/etc/app/file.conf" --file || return 1
        expect "file" "$(X "$R" cat /etc/app/file.conf)" conf
    }
    check "bind-mount --file (target file and its directory created)" t_bind_file
    t_bind_rec() {
        T bind-mount --source "$S/rec" --target "$R/mnt/rec" --recursive || return 1
        T bind-mount --source "$S/rec" --target "$R/mnt/nonrec" || return 1
        expect "recursive" "$(X "$R" cat /mnt/rec/sub/s)" below || return 1
        expect "not recursive" "$(X "$R" ls -A /mnt/nonrec/sub)" ""
    }
    check "bind-mount --recursive takes submounts, plain does not" t_bind_rec
    t_bind_idmap() {
        mount -t tmpfs tmpfs "$S/idm" || return 1
        echo owned-by-0 >"$S/idm/f"
        echo owned-by-5 >"$S/idm/g" && chown 5:5 "$S/idm/g"
        echo owned-by-7 >"$S/idm/h" && chown 7:7 "$S/idm/h"
        T bind-mount --source "$S/idm" --target "$R/mnt/idm" --recursive --idmap 0:1000:1 --idmap=5:2005:2 || return 1
        expect "owners seen through the idmapped mount" "$(cd "$R/mnt/idm" && stat -c '%n %u:%g' f g h)" "f 1000:1000
g 2005:2005
h 65534:65534" || return 1
        X --user=alice "$R" sh -c 'echo appended >>/mnt/idm/f' || return 1
        expect "on-disk owner after a write as uid 1000" "$(stat -c %u "$S/idm/f"):$(tail -n1 "$S/idm/f")" "0:appended"
    }
    check "bind-mount --idmap FROM:TO[:RANGE]: on-disk uid 0 appears as 1000, writes map back" t_bind_idmap
    if [ "$MODE" = host ]; then
        # ext4 (this temp dir's filesystem) takes idmaps from host root only; inside the
        # service container the host makes those (spec §3.1 volumes).
        t_bind_idmap_disk() {
            mkdir -p "$TMP/ext4src" && echo x >"$TMP/ext4src/f" && chown 0:0 "$TMP/ext4src/f"
            T bind-mount --source "$TMP/ext4src" --target "$R/mnt/ext4" --idmap 0:100000:65536 || return 1
            expect "owner" "$(stat -c %u "$R/mnt/ext4/f")" 100000
        }
        check "bind-mount --idmap on a disk filesystem (host root)" t_bind_idmap_disk
    fi
    t_bind_idmap_nested() {
        # The source is itself idmapped: only open_tree_attr (Linux 6.15) may map it again,
        # and the new mapping replaces the source's (it maps on-disk ids, not shown ones).
        T bind-mount --source "$R/mnt/idm" --target "$R/mnt/idm2" --idmap 0:3000:1 || return 1
        expect "owner through the new mapping" "$(stat -c %u "$R/mnt/idm2/f")" 3000
    }
    check "bind-mount --idmap over an idmapped source replaces its mapping (open_tree_attr)" t_bind_idmap_nested

    # --- pipe-wrap ------------------------------------------------------------------------
    t_pipe_wrap() {
        local rc
        "$SC" pipe-wrap sh -c '[ -p /dev/stdout ] && echo out-pipe; [ -p /dev/stderr ] && echo err-pipe >&2; echo "env=$STARTOS_ENVIRONMENT"; exit 7' >"$W/pw.out" 2>"$W/pw.err"; rc=$?
        expect "rc" "$rc" 7 || return 1
        expect "stdout" "$(cat "$W/pw.out")" "out-pipe
env=container" || return 1
        expect "stderr" "$(cat "$W/pw.err")" err-pipe || return 1
        "$SC" pipe-wrap sh -c 'kill -KILL $$' 2>/dev/null; rc=$?
        expect "killed child" "$rc" 1 || return 1
        # Our reader goes away: the child keeps running to its own end (no SIGPIPE passed on).
        { "$SC" pipe-wrap sh -c 'sleep 0.2; yes | head -c 300000; exit 5'; echo $? >"$W/pw.rc"; } | head -c 1 >/dev/null
        expect "rc with stdout closed early" "$(cat "$W/pw.rc")" 5
    }
    check "pipe-wrap: stdout/stderr are pipes, exit code passed, 1 on a signal" t_pipe_wrap

    # --- speed ----------------------------------------------------------------------------
    # Median wall time of one call, from bash's fork to its wait ($EPOCHREALTIME costs no
    # fork), against the same for /bin/true run directly.
    timings() { # timings N COMMAND... -> "MEDIAN MIN" in microseconds
        local n=$1 i a b
        shift
        for i in $(seq "$n"); do
            a=${EPOCHREALTIME/[.,]/}
            "$@" || return 1
            b=${EPOCHREALTIME/[.,]/}
            echo $((b - a))
        done | sort -n | sed -n "1h;$((n / 2 + 1)){G;s/\n/ /;p}"
    }
    ms() { printf '%d.%02d ms' $(($1 / 1000)) $((($1 % 1000) / 10)); }
    show() { set -- $1; echo "median $(ms "$1"), fastest $(ms "$2")"; }
    exec_t=$(timings 200 "$SC" subcontainer exec "$R" /bin/true)
    printf 'PATH=/bin:/usr/bin\nLANG=C.UTF-8\nA=1\n' >"$W/timing.env"
    user_t=$(timings 100 "$SC" subcontainer exec --user=alice --env-file="$W/timing.env" "$R" /bin/true)
    base_t=$(timings 200 /bin/true)
    echo "info - [$MODE] exec of /bin/true: $(show "$exec_t") (200 calls, from the caller's fork to its wait)"
    echo "info - [$MODE]   with --user=alice --env-file: $(show "$user_t"); /bin/true alone: $(show "$base_t")"

    kill -TERM "$L3" 2>/dev/null
    wait "$L3" 2>/dev/null
    echo "counts $pass $failed"
    exit 0
fi

# ----------------------------------------------------------------------------------------
# Outside: build the rootfs, run the checks in both modes, count.
[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (it mounts and makes namespaces)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "test.sh: needs /bin/busybox (apt-get install busybox-static)" >&2; exit 1; }
if [ ! -x "$SC" ] || [ -n "$(find "$HERE" -name '*.[ch]' -newer "$SC")" ]; then
    make -s -C "$HERE" start-container || exit 1
fi

TMP=$(mktemp -d /tmp/start-container-test.XXXXXX)
cleanup() {
    # Mounts and processes live in the test's own namespaces and are gone with them.
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$TMP" # the [userns] root (host uid 100000) must reach its part

mkrootfs() { # mkrootfs DIR: busybox, applet links, two users, some groups
    local d=$1 a
    mkdir -p "$d"/{bin,etc,proc,dev,sys,tmp,root,home/alice,mnt}
    chmod 1777 "$d/tmp"
    cp /bin/busybox "$d/bin/busybox"
    for a in $("$d/bin/busybox" --list); do
        [ "$a" = busybox ] || ln -s busybox "$d/bin/$a"
    done
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'alice:x:1000:1000:Alice:/home/alice:/bin/sh' \
        'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$d/etc/passwd"
    printf '%s\n' 'root:x:0:' 'wheel:x:10:bob,alice' 'media:x:20:alice' 'alice:x:1000:' \
        'nogroup:x:65534:' >"$d/etc/group"
    chown 1000:1000 "$d/home/alice"
}
mkrootfs "$TMP/lower"
cp -a "$TMP/lower" "$TMP/lower-u"
chown -hR 100000:100000 "$TMP/lower-u" && chown -h 101000:101000 "$TMP/lower-u/home/alice"
echo "secret" >"$TMP/host-marker"
mkdir -p "$TMP/host" "$TMP/userns"
chown 100000:100000 "$TMP/userns"
gcc -O2 -Wall -o "$TMP/test-userns" "$HERE/test-userns.c" || exit 1

out=$TMP/out
: >"$out"
run_mode() { # run_mode MODE LOWER [PREFIX...]
    local mode=$1 lower=$2
    shift 2
    "$@" unshare --mount --propagation private --pid --fork --kill-child --mount-proc \
        "$HERE/test.sh" --inner "$mode" "$TMP" "$lower" "$TMP/$mode" </dev/null 2>&1 | tee -a "$out" | grep -v '^counts '
    grep -q "^counts " "$out" || { echo "FAIL - [$mode] the checks did not run to the end" | tee -a "$out"; }
    sed -i 's/^counts /done-counts /' "$out"
}
run_mode host "$TMP/lower"
run_mode userns "$TMP/lower-u" "$TMP/test-userns" 100000 65536

passed=$(grep -c '^ok - ' "$out")
failed=$(grep -c '^FAIL - ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
