#!/usr/bin/env bash
# Measures the dashboard and the coverage API on the demo pilot and the city-scale pilot.
#
#   bench/run.sh            # reuse the benchmark database if it is already loaded
#   bench/run.sh --fresh    # drop it and load both pilots again (times `seed scale`)
#
# Needs: cargo, curl, psql, and a PostgreSQL server reachable as BENCH_PG (default
# postgres://postgres@127.0.0.1, trust authentication). Everything runs on this machine:
# one release `patrolboard serve` on 127.0.0.1:$BENCH_PORT, requests sent one at a time.
#
# Settings (environment):
#   BENCH_PG      server URL without database     (postgres://postgres@127.0.0.1)
#   BENCH_DB      database to use                 (patrolboard_bench)
#   BENCH_PORT    port for the server             (3099)
#   BENCH_WARMUP  untimed requests per URL        (5)
#   BENCH_RUNS    timed requests per URL          (30)
#
# Requests are interleaved (round r sends every URL once, in turn), so a burst of load from
# elsewhere on the machine slows all URLs alike instead of skewing one of them. The time of a
# request is curl's time_starttransfer: from sending the request to the first byte of the
# answer, which the server sends only when the page is complete (pages are rendered whole).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1}
BENCH_DB=${BENCH_DB:-patrolboard_bench}
BENCH_PORT=${BENCH_PORT:-3099}
BENCH_WARMUP=${BENCH_WARMUP:-5}
BENCH_RUNS=${BENCH_RUNS:-30}
FRESH=no
[[ "${1:-}" == "--fresh" ]] && FRESH=yes

export DATABASE_URL="$BENCH_PG/$BENCH_DB"
BIN=target/release/patrolboard
WORK=$(mktemp -d "${TMPDIR:-/tmp}/patrolboard-bench.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
say() { printf '%s\n' "$*" >&2; }

say "== building (release)"
cargo build --release --quiet

say "== machine"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
cores=$(nproc)
ram=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')
pg=$(psql "$BENCH_PG/postgres" -Atc 'show server_version')
pg_mem=$(psql "$BENCH_PG/postgres" -Atc "select 'shared_buffers=' || current_setting('shared_buffers') || ', work_mem=' || current_setting('work_mem')")
rust=$(rustc --version)
say "cpu: $cpu ($cores cores), ram: $ram, PostgreSQL $pg ($pg_mem), $rust, release profile"

say "== database $BENCH_DB"
if [[ "$FRESH" == yes ]]; then
  psql "$BENCH_PG/postgres" -qc "drop database if exists $BENCH_DB"
fi
if [[ -z "$(psql "$BENCH_PG/postgres" -Atc "select 1 from pg_database where datname = '$BENCH_DB'")" ]]; then
  psql "$BENCH_PG/postgres" -qc "create database $BENCH_DB"
fi
"$BIN" migrate >/dev/null
"$BIN" seed demo 2>/dev/null >&2
say "-- seed scale (its step timings follow)"
seed_started=$(date +%s.%N)
"$BIN" seed scale 2>/dev/null | tee "$WORK/seed-scale.txt" >&2
seed_seconds=$(awk -v a="$seed_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
say "seed scale took ${seed_seconds} s of wall time (including process start)"
# Set hint bits and the visibility map, and refresh statistics, so the first timed requests do
# not pay for the bulk load's clean-up and autovacuum does not run in the middle of the timings.
psql "$DATABASE_URL" -qc 'vacuum (analyze)'

say "== account"
PASSWORD='bench-viewer-password'
printf '%s\n' "$PASSWORD" | "$BIN" user add bench --role viewer 2>"$WORK/user.err" >/dev/null ||
  grep -q 'already taken' "$WORK/user.err" || { cat "$WORK/user.err" >&2; exit 1; }

# The view caches are off: every request computes its figures, which is what the goals compare
# (bench/load.sh measures the caches).
say "== server on 127.0.0.1:$BENCH_PORT, view caches off"
PATROLBOARD_VIEW_CACHE=0 RUST_LOG='patrolboard=info,tower_http=debug,sqlx=warn' \
  "$BIN" serve --addr "127.0.0.1:$BENCH_PORT" >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
BASE="http://127.0.0.1:$BENCH_PORT"
for _ in $(seq 1 100); do
  curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$BASE/readyz" >/dev/null || { say "the server did not become ready"; cat "$WORK/server.log" >&2; exit 1; }

JAR="$WORK/cookies.txt"
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" \
  --data-urlencode username=bench --data-urlencode "password=$PASSWORD" "$BASE/login")
[[ "$status" == 303 ]] || { say "sign-in answered $status, not 303"; exit 1; }

# label | path and query
URLS=(
  "demo pilot, dashboard|/pilots/calgary-2023"
  "demo pilot, API|/api/v1/pilots/calgary-2023/coverage"
  "demo week, dashboard|/pilots/calgary-2023?from=2023-03-13&to=2023-03-19"
  "demo week, API|/api/v1/pilots/calgary-2023/coverage?from=2023-03-13&to=2023-03-19"
  "city-scale year, dashboard|/pilots/city-scale"
  "city-scale year, API|/api/v1/pilots/city-scale/coverage"
  "city-scale week, dashboard|/pilots/city-scale?from=2023-03-13&to=2023-03-19"
  "city-scale week, API|/api/v1/pilots/city-scale/coverage?from=2023-03-13&to=2023-03-19"
)

fetch() { # URL path → seconds to first byte; fails unless 200
  local out
  out=$(curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{time_starttransfer}' "$BASE$1")
  [[ "${out%% *}" == 200 ]] || { say "GET $1 answered ${out%% *}"; return 1; }
  echo "${out#* }"
}

say "== $BENCH_WARMUP warm-up and $BENCH_RUNS timed requests per URL, interleaved"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq 1 "$BENCH_WARMUP"); do
  for entry in "${URLS[@]}"; do fetch "${entry#*|}" >/dev/null; done
done
for run in $(seq 1 "$BENCH_RUNS"); do
  for i in "${!URLS[@]}"; do
    # Start each round at a different URL, so no URL always follows the same one.
    j=$(((i + run) % ${#URLS[@]}))
    fetch "${URLS[$j]#*|}" >>"$WORK/times.$j"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Median and nearest-rank p90 of a file of seconds, in milliseconds.
stats() {
  sort -g "$1" | awk '{ v[NR] = $1 * 1000 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          p = int(NR * 0.9); if (p < NR * 0.9) p++
          printf "%.1f %.1f\n", m, v[p] }'
}

declare -A MEDIAN P90
echo
echo "| what | URL | median ms | p90 ms |"
echo "|---|---|---:|---:|"
for i in "${!URLS[@]}"; do
  read -r m p < <(stats "$WORK/times.$i")
  MEDIAN[$i]=$m
  P90[$i]=$p
  echo "| ${URLS[$i]%%|*} | \`${URLS[$i]#*|}\` | $m | $p |"
done

ratio() { awk -v a="$1" -v b="$2" -v goal="$3" 'BEGIN {
  r = a / b; printf "%.1f× (goal ≤ %d×: %s)", r, goal, (r <= goal) ? "met" : "missed" }'; }
echo
echo "| goal | dashboard | API |"
echo "|---|---|---|"
echo "| city-scale year ÷ whole demo pilot | $(ratio "${MEDIAN[4]}" "${MEDIAN[0]}" 5) | $(ratio "${MEDIAN[5]}" "${MEDIAN[1]}" 5) |"
echo "| city-scale week ÷ demo week | $(ratio "${MEDIAN[6]}" "${MEDIAN[2]}" 2) | $(ratio "${MEDIAN[7]}" "${MEDIAN[3]}" 2) |"
echo
echo "machine: $cpu, $cores cores, $ram RAM; PostgreSQL $pg ($pg_mem); $rust; release profile"
echo "load average before / after the timed requests: $load_before / $load_after"
echo "seed scale: $(head -1 "$WORK/seed-scale.txt")"
echo "seed scale wall time, including process start: ${seed_seconds} s"

# The server's own view: TraceLayer logs each response's latency at debug level.
echo
echo "server log latencies (all requests of the run, by route):"
grep -a 'finished processing request' "$WORK/server.log" |
  sed -E 's/\x1b\[[0-9;]*m//g' |
  sed -nE 's/.*route=([^ ]+).*latency=([0-9]+) ms.*/\1 \2/p' |
  sort -k1,1 -k2,2n |
  awk '{ n[$1]++; v[$1, n[$1]] = $2 }
    END { for (r in n) printf "  %-40s %4d responses, median %s ms\n", r, n[r], v[r, int((n[r] + 1) / 2)] }'
say "(server log and raw timings kept in $WORK)"
