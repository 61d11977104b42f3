#!/usr/bin/env bash
# Throughput under load: /healthz, the demo dashboard and the city-scale year dashboard (and the
# coverage API of both), with the view caches off (every request computes its page) and on
# (warm: one request fills the cache, then the timed ones hit it), side by side in one run.
#
#   bench/load.sh
#
# Needs: cargo, curl and wrk (`apt-get install -y wrk`). The database is BENCH_PG/BENCH_DB when
# BENCH_PG is set (as bench/run.sh), else a private cluster under BENCH_DATA. Both pilots are
# loaded as bench/run.sh loads them (`seed demo`, `seed scale`; nothing is written when they are
# there). One release `patrolboard serve` on 127.0.0.1:$BENCH_PORT at a time.
#
# Settings (environment):
#   BENCH_PG         server URL without database   (unset: a private cluster)
#   BENCH_DB         database to use               (patrolboard_bench)
#   BENCH_DATA       the private cluster's folder  (target/bench-data)
#   BENCH_PORT       port for the server           (3099)
#   LOAD_SECONDS     seconds of load per URL       (10)
#   LOAD_CONNECTIONS open connections              (32)
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_DB=${BENCH_DB:-patrolboard_bench}
BENCH_PORT=${BENCH_PORT:-3099}
LOAD_SECONDS=${LOAD_SECONDS:-10}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
if [[ -n "${BENCH_PG:-}" ]]; then
  export DATABASE_URL="$BENCH_PG/$BENCH_DB"
else
  unset DATABASE_URL
  export PATROLBOARD_DATA=${BENCH_DATA:-target/bench-data}
fi
BIN=target/release/patrolboard
BASE="http://127.0.0.1:$BENCH_PORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/patrolboard-load.XXXXXX")
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap stop_server EXIT
say() { printf '%s\n' "$*" >&2; }

say "== building (release)"
cargo build --release --quiet

say "== database"
if [[ -n "${BENCH_PG:-}" ]] &&
  [[ -z "$(psql "$BENCH_PG/postgres" -Atc "select 1 from pg_database where datname = '$BENCH_DB'")" ]]; then
  psql "$BENCH_PG/postgres" -qc "create database $BENCH_DB"
fi
"$BIN" migrate >/dev/null
"$BIN" seed demo >/dev/null 2>&1
"$BIN" seed scale >/dev/null 2>&1
PASSWORD='bench-viewer-password'
printf '%s\n' "$PASSWORD" | "$BIN" user add bench --role viewer 2>"$WORK/user.err" >/dev/null ||
  grep -q 'already taken' "$WORK/user.err" || { cat "$WORK/user.err" >&2; exit 1; }

# Starts the server with `PATROLBOARD_VIEW_CACHE=$1`, waits until it is ready, signs in.
start_server() {
  PATROLBOARD_VIEW_CACHE="$1" RUST_LOG=warn \
    "$BIN" serve --addr "127.0.0.1:$BENCH_PORT" >"$WORK/server.out" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fs "$BASE/readyz" >/dev/null || { say "the server did not become ready"; exit 1; }
  COOKIE=$(curl -s -o /dev/null -D - --data-urlencode username=bench \
    --data-urlencode "password=$PASSWORD" "$BASE/login" |
    sed -nE 's/^[Ss]et-[Cc]ookie: (patrolboard_session=[^;]*).*/\1/p')
  [[ -n "$COOKIE" ]] || { say "signing in failed"; exit 1; }
}

# wrk on path $1 with extra header $2 (may be empty) → "req/s p50 p99" (latencies in ms).
load() {
  local args=(-t2 "-c$LOAD_CONNECTIONS" --latency "-d${LOAD_SECONDS}s" -H "Cookie: $COOKIE")
  [[ -n "${2:-}" ]] && args+=(-H "$2")
  wrk "${args[@]}" "$BASE$1" >"$WORK/wrk.txt"
  grep -q 'Non-2xx or 3xx' "$WORK/wrk.txt" && { say "GET $1 answered errors:"; cat "$WORK/wrk.txt" >&2; exit 1; }
  ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; printf "%.1f", v }'; }
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt" | ms)
  p99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt" | ms)
  echo "$rps $p50 $p99"
}

# label | path
URLS=(
  "health|/healthz"
  "demo pilot, dashboard|/pilots/calgary-2023"
  "demo pilot, API|/api/v1/pilots/calgary-2023/coverage"
  "city-scale year, dashboard|/pilots/city-scale"
  "city-scale year, API|/api/v1/pilots/city-scale/coverage"
)

declare -A RESULT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for mode in cold warm; do
  entries=0
  [[ "$mode" == warm ]] && entries=256
  say "== $mode: PATROLBOARD_VIEW_CACHE=$entries, wrk -t2 -c$LOAD_CONNECTIONS -d${LOAD_SECONDS}s per URL"
  start_server "$entries"
  for i in "${!URLS[@]}"; do
    path=${URLS[$i]#*|}
    curl -fs -o /dev/null -H "Cookie: $COOKIE" "$BASE$path" # fills the cache when it is on
    RESULT[$mode,$i]=$(load "$path")
    say "   ${URLS[$i]%%|*}: ${RESULT[$mode,$i]}"
  done
  if [[ "$mode" == warm ]]; then
    # A browser that holds the page: If-None-Match answered 304 with no body.
    path=/pilots/city-scale
    etag=$(curl -fs -o /dev/null -D - -H "Cookie: $COOKIE" "$BASE$path" |
      sed -nE 's/^[Ee][Tt]ag: (.*)\r$/\1/p')
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" -H "If-None-Match: $etag" "$BASE$path")
    [[ "$status" == 304 ]] || { say "If-None-Match answered $status, not 304"; exit 1; }
    NOT_MODIFIED=$(load "$path" "If-None-Match: $etag")
  fi
  stop_server
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "| what | URL | cold req/s | cold p50 ms | cold p99 ms | warm req/s | warm p50 ms | warm p99 ms |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for i in "${!URLS[@]}"; do
  read -r cr c50 c99 <<<"${RESULT[cold,$i]}"
  read -r wr w50 w99 <<<"${RESULT[warm,$i]}"
  echo "| ${URLS[$i]%%|*} | \`${URLS[$i]#*|}\` | $cr | $c50 | $c99 | $wr | $w50 | $w99 |"
done
read -r nr n50 n99 <<<"$NOT_MODIFIED"
echo "| city-scale year, dashboard, If-None-Match (304) | \`/pilots/city-scale\` | | | | $nr | $n50 | $n99 |"
echo
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; $(rustc --version); release profile"
echo "load average before / after: $load_before / $load_after"
say "(wrk output and server log kept in $WORK)"
