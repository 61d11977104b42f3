#!/usr/bin/env bash
# Every kind of page of the city-scale pilot, one client at a time: the median time to the first
# byte and the weight of the page before compression, against the budget of issue 12 (≤ 100 ms,
# ≤ 300 KB), with the view caches off so each request computes its page.
#
#   bench/pages.sh
#
# Needs: cargo, curl, psql, and the benchmark database bench/run.sh loads (both pilots; loaded
# here when missing). One release `patrolboard serve` on 127.0.0.1:$BENCH_PORT.
#
# Settings (environment):
#   BENCH_PG      server URL without database     (postgres://postgres@127.0.0.1)
#   BENCH_DB      database to use                 (patrolboard_bench)
#   BENCH_PORT    port for the server             (3099)
#   BENCH_RUNS    timed requests per page         (10, after 2 untimed)
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1}
BENCH_DB=${BENCH_DB:-patrolboard_bench}
BENCH_PORT=${BENCH_PORT:-3099}
BENCH_RUNS=${BENCH_RUNS:-10}
export DATABASE_URL="$BENCH_PG/$BENCH_DB"
BIN=target/release/patrolboard
BASE="http://127.0.0.1:$BENCH_PORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/patrolboard-pages.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
say() { printf '%s\n' "$*" >&2; }
sql() { psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "$1"; }

say "== building (release)"
cargo build --release --quiet

say "== database $BENCH_DB"
if [[ -z "$(psql "$BENCH_PG/postgres" -Atc "select 1 from pg_database where datname = '$BENCH_DB'")" ]]; then
  psql "$BENCH_PG/postgres" -qc "create database $BENCH_DB"
fi
"$BIN" migrate >/dev/null
"$BIN" seed demo >/dev/null 2>&1
"$BIN" seed scale >/dev/null 2>&1
PASSWORD='bench-admin-password'
printf '%s\n' "$PASSWORD" | "$BIN" user add bench-admin --role admin 2>"$WORK/user.err" >/dev/null ||
  grep -q 'already taken' "$WORK/user.err" || { cat "$WORK/user.err" >&2; exit 1; }

say "== server on 127.0.0.1:$BENCH_PORT, view caches off"
PATROLBOARD_VIEW_CACHE=0 RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$BENCH_PORT" \
  >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 150); do
  curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$BASE/readyz" >/dev/null || { say "the server did not become ready"; exit 1; }
JAR="$WORK/cookies.txt"
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" \
  --data-urlencode username=bench-admin --data-urlencode "password=$PASSWORD" "$BASE/login")
[[ "$status" == 303 ]] || { say "sign-in answered $status, not 303"; exit 1; }

pilot="(select id from pilots where slug = 'city-scale')"
district=$(sql "select code from districts where pilot_id = $pilot order by code limit 1")
hotspot=$(sql "select id from hotspots where pilot_id = $pilot order by id limit 1")
officer=$(sql "select officer_id from assignments where pilot_id = $pilot order by officer_id limit 1")
shift=$(sql "select id from shifts where pilot_id = $pilot and status <> 'cancelled' order by starts_at limit 1")
P=/pilots/city-scale
# label | path
PAGES=(
  "dashboard, the year|$P"
  "dashboard, a week|$P?from=2023-03-13&to=2023-03-19"
  "dashboard, one district|$P?district=$district"
  "district page, the year|$P/districts/$district"
  "hotspot page, the year|$P/hotspots/$hotspot"
  "now board|$P/now?at=2023-03-15T14:00"
  "roster week|$P/roster?week=2023-W11"
  "roster week, one district|$P/roster?week=2023-W11&district=$district"
  "roster day|$P/roster/day?date=2023-03-15"
  "officers, the year|$P/officers"
  "one officer|$P/officers/$officer"
  "shift log|/shifts/$shift/log"
  "evaluation|$P/evaluation"
  "exports|/exports?pilot=city-scale"
  "audit log|/audit"
)

fetch() { # path → "seconds bytes"; fails unless 200
  local out
  out=$(curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{time_starttransfer} %{size_download}' "$BASE$1")
  [[ "${out%% *}" == 200 ]] || { say "GET $1 answered ${out%% *}"; return 1; }
  echo "${out#* }"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "| page | URL | median ms | max ms | KB | within 100 ms and 300 KB |"
echo "|---|---|---:|---:|---:|---|"
for entry in "${PAGES[@]}"; do
  path=${entry#*|}
  for _ in 1 2; do fetch "$path" >/dev/null; done
  : >"$WORK/times"
  for _ in $(seq 1 "$BENCH_RUNS"); do fetch "$path" >>"$WORK/times"; done
  sort -g "$WORK/times" | awk -v label="${entry%%|*}" -v path="$path" '
    { t[NR] = $1 * 1000; b = $2 }
    END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
          ok = (m <= 100 && b <= 300000) ? "yes" : "no"
          printf "| %s | `%s` | %.1f | %.1f | %.0f | %s |\n", label, path, m, t[NR], b / 1000, ok }'
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; $(rustc --version); release profile"
echo "load average before / after: $load_before / $load_after"
