#!/bin/bash
# The TLS reverse proxy (startd's net.proxy) beside nginx, in one run on 127.0.0.1, as in
# anchors.md §1 (Reproduction appendix: up.conf, px.conf, the wrk commands):
#   upstream   nginx, plain HTTP, keep-alive, serving a 1 KiB file at /1k
#   nginx      TLS proxy (TLS 1.3, ECDSA P-256, keepalive 64 to the upstream), 2 workers
#   ours       dev.hearth.startd.net.proxy.ProxyBenchServer with startd's own JVM flags
#              (startd/src/main/dist/jvm.options: the proxy runs inside startd, so it is measured as
#              it ships), the same certificate (it makes it with LocalCa and nginx serves it too)
# It checks the TLS line of both with openssl s_client, then: keep-alive throughput and p99
# (wrk -t2 -c64 -d15s --latency, 3 runs each, alternating, median), new TLS handshakes per second
# (wrk -t2 -c64 -d10s -H 'Connection: close', 3 runs each), and RSS idle and with 10,000 idle
# keep-alive TLS connections (ProxyIdleClients). About 3 minutes.
#
# Called by scripts/bench.sh after its `-Pbench install`. Standalone (no install), build the
# classpath first and pass it in PROXY_BENCH_CLASSPATH:
#   scripts/mvn.sh -o -q dependency:build-classpath -pl startd -Dmdep.outputFile=/tmp/proxy-cp.txt
#   scripts/mvn.sh -o -q test-compile -pl startd -Dhearth.aot.skip
#   PROXY_BENCH_CLASSPATH="startd/target/test-classes:startd/target/classes:$(cat /tmp/proxy-cp.txt)" \
#     scripts/bench-proxy.sh
# Knobs (env): RUNS (3), DURATION (15s), HS_DURATION (10s), IDLE (10000), WARMUP (10s, nginx),
# WARMUP_OURS (30s: on 2 shared cores C2 still takes about a quarter of the JVM's CPU 12 s and
# even 30 s into the load (perf, by thread); a daemon runs for days, so we compare warm steady
# states), PROXY_JAVA_OPTS (extra JVM options for our proxy, after startd's, for experiments;
# empty by default: the proxy runs as startd does).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JAVA_HOME=$(scripts/java-home.sh)
CP=${PROXY_BENCH_CLASSPATH:-$ROOT/startd/target/test-classes:$ROOT/startd/target/classes:$(cat "$ROOT/startd/target/bench.classpath")}
RUNS=${RUNS:-3}
DURATION=${DURATION:-15s}
HS_DURATION=${HS_DURATION:-10s}
IDLE=${IDLE:-10000}
WARMUP=${WARMUP:-10s}
WARMUP_OURS=${WARMUP_OURS:-30s}
for tool in nginx wrk openssl; do
  command -v $tool >/dev/null || { echo "bench-proxy: $tool is not installed (scripts/deps.sh)" >&2; exit 1; }
done

T=$(mktemp -d /tmp/bench-proxy.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
await_port() { # port: waits (≤ 20 s) until something accepts on 127.0.0.1:port
  for _ in $(seq 200); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench-proxy: nothing listens on port $1" >&2; exit 1
}
rss_kib() { # pids…: sum of VmRSS in KiB
  local sum=0 kb
  for p in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")
    sum=$((sum + kb))
  done
  echo $sum
}
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
nginx_pids() { # pid file: the master and its workers
  local master
  master=$(cat "$1")
  echo "$master" $(pgrep -P "$master")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
UP_PORT=$(free_port)
PX_PORT=$(free_port)
mkdir -p "$T"/{www,up,px,logs}
chmod 755 "$T" "$T/www" # nginx's workers may run as another user
head -c 1024 /dev/urandom | base64 -w 0 | head -c 1024 >"$T/www/1k"
chmod 644 "$T/www/1k"

cat >"$T/up.conf" <<EOF
worker_processes auto;
pid $T/up/nginx.pid;
error_log $T/logs/up-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  client_body_temp_path $T/up/cb; proxy_temp_path $T/up/pt; fastcgi_temp_path $T/up/ft; uwsgi_temp_path $T/up/ut; scgi_temp_path $T/up/st;
  server {
    listen 127.0.0.1:$UP_PORT reuseport;
    root $T/www;
  }
}
EOF
nginx -c "$T/up.conf" -p "$T/up" -g 'daemon off;' &
PIDS+=($!)
await_port "$UP_PORT"

STARTD_JVM=$(cat "$ROOT/startd/src/main/dist/jvm.options")
# shellcheck disable=SC2086 # both are lists of options
"$JAVA_HOME/bin/java" $STARTD_JVM ${PROXY_JAVA_OPTS:-} \
  -cp "$CP" dev.hearth.startd.net.proxy.ProxyBenchServer "$UP_PORT" "$T" >"$T/ours.out" 2>"$T/ours.err" &
OURS_PID=$!
PIDS+=($OURS_PID)
for _ in $(seq 300); do grep -q '^port ' "$T/ours.out" 2>/dev/null && break; sleep 0.1; done
OURS_PORT=$(awk '/^port / {print $2}' "$T/ours.out")
[ -n "$OURS_PORT" ] || { echo "bench-proxy: ProxyBenchServer did not start" >&2; cat "$T/ours.err" >&2; exit 1; }

# px.conf as in the appendix, with two changes: worker_connections raised from 4096 so that 10,000
# idle connections fit in two workers, and the X-Forwarded-* headers our proxy sets for a service
# (client address, scheme, host, port), so that both do the same work per request.
cat >"$T/px.conf" <<EOF
worker_processes auto;
pid $T/px/nginx.pid;
error_log $T/logs/px-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  client_body_temp_path $T/px/cb; proxy_temp_path $T/px/pt; fastcgi_temp_path $T/px/ft; uwsgi_temp_path $T/px/ut; scgi_temp_path $T/px/st;
  upstream backend { server 127.0.0.1:$UP_PORT; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$PX_PORT ssl reuseport;
    ssl_certificate $T/cert.pem;
    ssl_certificate_key $T/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_set_header X-Forwarded-Port \$server_port;
    }
  }
}
EOF
nginx -c "$T/px.conf" -p "$T/px" -g 'daemon off;' &
PIDS+=($!)
await_port "$PX_PORT"
sleep 0.5 # the workers

echo "== TLS line (openssl s_client -connect 127.0.0.1:PORT -servername localhost)"
tls_line() {
  openssl s_client -connect "127.0.0.1:$1" -servername localhost </dev/null 2>/dev/null |
    awk '/^New, / {p=$2" "$5} /Server Temp Key/ {k=$4} /Peer signature type/ {s=$4} /Server public key is/ {b=$5}
         END {gsub(",", "", p); gsub(",", "", k); print p ", " k ", " s " P-" b}'
}
NGINX_TLS=$(tls_line "$PX_PORT")
OURS_TLS=$(tls_line "$OURS_PORT")
printf '  nginx %s\n  ours  %s\n' "$NGINX_TLS" "$OURS_TLS"
if [ "$NGINX_TLS" != "$OURS_TLS" ]; then echo "bench-proxy: the TLS lines differ" >&2; exit 1; fi
for u in "$PX_PORT" "$OURS_PORT"; do
  got=$(curl -sk "https://127.0.0.1:$u/1k" | wc -c)
  [ "$got" = 1024 ] || { echo "bench-proxy: /1k through port $u gave $got bytes, not 1024" >&2; curl -skv "https://127.0.0.1:$u/1k" 2>&1 | tail -20 >&2; cat "$T/ours.err" "$T"/logs/* >&2; exit 1; }
done

IDLE_RSS_OURS=$(rss_kib $OURS_PID)

wrk_run() { # port, extra wrk args…: prints "req/s p99_ms requests"
  local port=$1; shift
  wrk -t2 -c64 "$@" --latency "https://127.0.0.1:$port/1k" >"$T/wrk.txt"
  if grep -q 'Non-2xx\|Socket errors' "$T/wrk.txt"; then grep 'Non-2xx\|Socket errors' "$T/wrk.txt" | sed 's/^/  (wrk) /' >&2; fi
  awk '/requests in/ {n=$1} /Requests\/sec/ {r=$2}
       / 99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v*=1000}; p=v}
       END {printf "%.0f %.2f %d\n", r, p, n}' "$T/wrk.txt"
}
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # pids…: user + system CPU ticks so far (all threads)
  local sum=0 f
  for p in "$@"; do
    f=$(sed 's/^.*) //' "/proc/$p/stat") # fields from the 3rd on (the name may hold spaces)
    sum=$((sum + $(echo "$f" | awk '{print $12 + $13}')))
  done
  echo $sum
}
measured() { # label file port pids… -- wrk args…: one run; appends "req/s p99 cpu_us_per_request"
  local label=$1 file=$2 port=$3; shift 3
  local pids=()
  while [ "$1" != -- ]; do pids+=("$1"); shift; done
  shift
  local t0 t1 r
  t0=$(cpu_ticks "${pids[@]}")
  r=$(wrk_run "$port" "$@")
  t1=$(cpu_ticks "${pids[@]}")
  r=$(echo "$r" | awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" '{printf "%s %s %.1f", $1, $2, d * 1e6 / hz / $3}')
  echo "$r" >>"$file"
  echo "  $label $r"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== warm-up (discarded): nginx $WARMUP, ours $WARMUP_OURS, then a handshake run of 5s each"
wrk_run "$PX_PORT" -d"$WARMUP" >/dev/null
wrk_run "$OURS_PORT" -d"$WARMUP_OURS" >/dev/null
wrk_run "$PX_PORT" -d5s -H 'Connection: close' >/dev/null
wrk_run "$OURS_PORT" -d5s -H 'Connection: close' >/dev/null

NGINX_PIDS=$(nginx_pids "$T/px/nginx.pid")
echo "== keep-alive: wrk -t2 -c64 -d$DURATION --latency https://127.0.0.1:PORT/1k, $RUNS runs each, alternating"
echo "   (req/s, p99 ms, proxy CPU µs per request: user + system of the JVM / nginx's processes)"
: >"$T/ka.nginx"; : >"$T/ka.ours"
for i in $(seq "$RUNS"); do
  measured "run $i nginx" "$T/ka.nginx" "$PX_PORT" $NGINX_PIDS -- -d"$DURATION"
  measured "run $i ours " "$T/ka.ours" "$OURS_PORT" $OURS_PID -- -d"$DURATION"
done
echo "== new TLS handshake per request: wrk -t2 -c64 -d$HS_DURATION -H 'Connection: close', $RUNS runs each, alternating"
: >"$T/hs.nginx"; : >"$T/hs.ours"
for i in $(seq "$RUNS"); do
  measured "run $i nginx" "$T/hs.nginx" "$PX_PORT" $NGINX_PIDS -- -d"$HS_DURATION" -H 'Connection: close'
  measured "run $i ours " "$T/hs.ours" "$OURS_PORT" $OURS_PID -- -d"$HS_DURATION" -H 'Connection: close'
done
LOADED_RSS_OURS=$(rss_kib $OURS_PID)
NGINX_RSS=$(rss_kib $(nginx_pids "$T/px/nginx.pid"))

idle_rss() { # port, pids…: RSS (KiB) of pids while IDLE keep-alive TLS connections are open
  local port=$1; shift
  "$JAVA_HOME/bin/java" -Xmx2g -cp "$CP" dev.hearth.startd.net.proxy.ProxyIdleClients "$port" "$IDLE" \
    >"$T/idle.out" 2>"$T/idle.err" &
  local client=$!
  for _ in $(seq 1200); do
    grep -q '^open ' "$T/idle.out" 2>/dev/null && break
    kill -0 $client 2>/dev/null || { echo "bench-proxy: ProxyIdleClients failed" >&2; tail -5 "$T/idle.err" >&2; exit 1; }
    sleep 0.1
  done
  sleep 1
  rss_kib "$@"
  kill $client; wait $client 2>/dev/null || true
}
echo "== $IDLE idle keep-alive TLS connections (ProxyIdleClients), one proxy at a time"
IDLE_CONN_RSS_OURS=$(idle_rss "$OURS_PORT" $OURS_PID)
IDLE_CONN_RSS_NGINX=$(idle_rss "$PX_PORT" $(nginx_pids "$T/px/nginx.pid"))

col() { awk -v c="$2" '{print $c}' "$1" | median; }
KA_N=$(col "$T/ka.nginx" 1); KA_O=$(col "$T/ka.ours" 1)
P99_N=$(col "$T/ka.nginx" 2); P99_O=$(col "$T/ka.ours" 2)
HS_N=$(col "$T/hs.nginx" 1); HS_O=$(col "$T/hs.ours" 1)
CPU_N=$(col "$T/ka.nginx" 3); CPU_O=$(col "$T/ka.ours" 3)
HCPU_N=$(col "$T/hs.nginx" 3); HCPU_O=$(col "$T/hs.ours" 3)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }
verdict() { if awk "BEGIN {exit !($1)}"; then echo met; else echo MISSED; fi; }

echo
echo "== TLS proxy beside nginx (medians of $RUNS; 127.0.0.1; $(nproc) cores shared with wrk and the upstream)"
echo "   warm-up: nginx $WARMUP, ours $WARMUP_OURS (JIT), plus 5 s of handshakes each"
echo "   load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (anything above ~3 means other work shared the cores)"
printf '%-34s %12s %12s %10s  %-26s %s\n' measurement nginx ours ours/nginx target ""
printf '%-34s %12s %12s %10s  %-26s %s\n' "keep-alive req/s" "$KA_N" "$KA_O" "$(ratio "$KA_O" "$KA_N")" "≥ 1.00× nginx" "$(verdict "$KA_O >= $KA_N")"
printf '%-34s %12s %12s %10s  %-26s %s\n' "keep-alive p99 (ms)" "$P99_N" "$P99_O" "$(awk -v a="$P99_O" -v b="$P99_N" 'BEGIN {printf "%+.2f ms", a - b}')" "≤ nginx + 1 ms" "$(verdict "$P99_O <= $P99_N + 1")"
printf '%-34s %12s %12s %10s  %-26s %s\n' "new TLS handshakes/s" "$HS_N" "$HS_O" "$(ratio "$HS_O" "$HS_N")" "≥ 0.80× nginx" "$(verdict "$HS_O >= 0.8 * $HS_N")"
printf '%-34s %12s %12s %10s  %s\n' "CPU per keep-alive request (µs)" "$CPU_N" "$CPU_O" "$(ratio "$CPU_O" "$CPU_N")" "(less noisy than req/s on a shared box)"
printf '%-34s %12s %12s %10s\n' "CPU per handshake+request (µs)" "$HCPU_N" "$HCPU_O" "$(ratio "$HCPU_O" "$HCPU_N")"
printf '%-34s %12s %12s\n' "RSS idle, before load (MiB)" "-" "$(mib "$IDLE_RSS_OURS")"
printf '%-34s %12s %12s\n' "RSS after the load (MiB)" "$(mib "$NGINX_RSS")" "$(mib "$LOADED_RSS_OURS")"
printf '%-34s %12s %12s\n' "RSS with $IDLE idle TLS conns (MiB)" "$(mib "$IDLE_CONN_RSS_NGINX")" "$(mib "$IDLE_CONN_RSS_OURS")"
echo "(nginx RSS: master + workers; ours: the JVM with startd's flags${PROXY_JAVA_OPTS:+ and $PROXY_JAVA_OPTS})"
