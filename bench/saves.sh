#!/usr/bin/env bash
# Saves at city scale: logging a visit and an activity, editing, cancelling and creating a shift of
# the city-scale pilot through the real forms, against the same saves on the demo pilot, in one run.
#
#   bench/saves.sh
#
# Needs: cargo, curl, psql, and the benchmark database bench/run.sh loads (both pilots; this script
# loads them when they are missing). One release `patrolboard serve` on 127.0.0.1:$BENCH_PORT,
# requests sent one at a time. Every save is a real one and stays: each run edits, cancels and
# re-creates BENCH_SAVES shifts per pilot (`bench/run.sh --fresh` reloads the data).
#
# For each chosen shift (not cancelled, with members and hotspots, spread over the pilot in a fixed order):
#   visit     POST /shifts/{id}/visits      a 15-minute visit at its first hotspot
#   activity  POST /shifts/{id}/activities  one proactive engagement there
#   edit      POST /shifts/{id}             the same fields with a note
#   cancel    POST /shifts/{id}/cancel      with a reason
#   create    POST /pilots/{slug}/shifts    the cancelled shift's team, times, members and hotspots
# The time of a save is curl's time_total for the one POST (answered 303); reading the shift's
# fields with psql between saves is not timed.
#
# Settings (environment):
#   BENCH_PG      server URL without database     (postgres://postgres@127.0.0.1)
#   BENCH_DB      database to use                 (patrolboard_bench)
#   BENCH_PORT    port for the server             (3099)
#   BENCH_SAVES   shifts per pilot                (20)
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_PG=${BENCH_PG:-postgres://postgres@127.0.0.1}
BENCH_DB=${BENCH_DB:-patrolboard_bench}
BENCH_PORT=${BENCH_PORT:-3099}
BENCH_SAVES=${BENCH_SAVES:-20}
export DATABASE_URL="$BENCH_PG/$BENCH_DB"
BIN=target/release/patrolboard
BASE="http://127.0.0.1:$BENCH_PORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/patrolboard-saves.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
say() { printf '%s\n' "$*" >&2; }
sql() { psql "$DATABASE_URL" -qAt -F '|' -v ON_ERROR_STOP=1 -c "$1"; }

say "== building (release)"
cargo build --release --quiet

say "== database $BENCH_DB"
if [[ -z "$(psql "$BENCH_PG/postgres" -Atc "select 1 from pg_database where datname = '$BENCH_DB'")" ]]; then
  psql "$BENCH_PG/postgres" -qc "create database $BENCH_DB"
fi
"$BIN" migrate >/dev/null
"$BIN" seed demo >/dev/null 2>&1
"$BIN" seed scale >/dev/null 2>&1
PASSWORD='bench-supervisor-password'
printf '%s\n' "$PASSWORD" | "$BIN" user add bench-saves --role supervisor 2>"$WORK/user.err" >/dev/null ||
  grep -q 'already taken' "$WORK/user.err" || { cat "$WORK/user.err" >&2; exit 1; }

say "== server on 127.0.0.1:$BENCH_PORT"
RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$BENCH_PORT" >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 150); do
  curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$BASE/readyz" >/dev/null || { say "the server did not become ready"; exit 1; }
JAR="$WORK/cookies.txt"
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" \
  --data-urlencode username=bench-saves --data-urlencode "password=$PASSWORD" "$BASE/login")
[[ "$status" == 303 ]] || { say "sign-in answered $status, not 303"; exit 1; }

# The fields of shift $1, one line: version|team|mode|starts|ends|officers|hotspots|visit from|to,
# local times as the form sends them; officers and hotspots comma-separated.
shift_fields() {
  sql "select s.version, s.team_id, s.mode,
         to_char(s.starts_at at time zone p.time_zone, 'YYYY-MM-DD\"T\"HH24:MI'),
         to_char(s.ends_at at time zone p.time_zone, 'YYYY-MM-DD\"T\"HH24:MI'),
         (select string_agg(officer_id::text, ',' order by officer_id) from shift_members where shift_id = s.id),
         (select string_agg(hotspot_id::text, ',' order by hotspot_id) from shift_hotspots where shift_id = s.id),
         to_char((s.starts_at + interval '10 minutes') at time zone p.time_zone, 'YYYY-MM-DD\"T\"HH24:MI'),
         to_char((s.starts_at + interval '25 minutes') at time zone p.time_zone, 'YYYY-MM-DD\"T\"HH24:MI')
       from shifts s join pilots p on p.id = s.pilot_id where s.id = $1"
}

# POST to $1 with the form fields that follow (name=value each) → seconds; fails unless 303.
post() {
  local url=$1 out
  shift
  local args=()
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  out=$(curl -s -o "$WORK/last-answer.html" -b "$JAR" -w '%{http_code} %{time_total}' "${args[@]}" "$BASE$url")
  [[ "${out%% *}" == 303 ]] || {
    say "POST $url answered ${out%% *}; the page is in $WORK/last-answer.html"
    return 1
  }
  echo "${out#* }"
}

# The fields of the shift form for the shift described by the shift_fields line in $1.
form_fields() {
  local version team mode starts ends officers hotspots _from _to
  IFS='|' read -r version team mode starts ends officers hotspots _from _to <<<"$1"
  # The synthetic city-scale roster has short rests between shifts; a save must give a reason.
  printf '%s\n' "team_id=$team" "starts_at=$starts" "ends_at=$ends" "mode=$mode" \
    "rest_reason=as seeded (bench/saves.sh)"
  tr ',' '\n' <<<"$officers" | sed 's/^/officer_ids=/'
  tr ',' '\n' <<<"$hotspots" | sed 's/^/hotspot_ids=/'
}

for slug in calgary-2023 city-scale; do
  say "== $slug: $BENCH_SAVES shifts"
  mapfile -t SHIFTS < <(sql "select s.id from shifts s join pilots p on p.id = s.pilot_id
         where p.slug = '$slug' and s.status <> 'cancelled'
           and exists (select 1 from shift_members m where m.shift_id = s.id)
           and exists (select 1 from shift_hotspots h where h.shift_id = s.id)
         order by md5(s.id::text) limit $BENCH_SAVES")
  ((${#SHIFTS[@]} > 0)) || { say "no planned shift with members and hotspots in $slug"; exit 1; }
  for id in "${SHIFTS[@]}"; do
    line=$(shift_fields "$id")
    IFS='|' read -r version _team _mode _starts _ends _officers hotspots from to <<<"$line"
    hotspot=${hotspots%%,*}
    post "/shifts/$id/visits" "hotspot_id=$hotspot" "arrived_at=$from" "departed_at=$to" \
      source=report >>"$WORK/$slug.visit"
    post "/shifts/$id/activities" kind=proactive_engagement count=1 "hotspot_id=$hotspot" \
      "occurred_at=$from" note=bench >>"$WORK/$slug.activity"
    mapfile -t fields < <(form_fields "$line")
    post "/shifts/$id" "${fields[@]}" "version=$version" "notes=edited by bench/saves.sh" \
      >>"$WORK/$slug.edit"
    version=$(sql "select version from shifts where id = $id")
    post "/shifts/$id/cancel" "version=$version" "reason=bench/saves.sh" >>"$WORK/$slug.cancel"
    post "/pilots/$slug/shifts" "${fields[@]}" "notes=re-created by bench/saves.sh" \
      >>"$WORK/$slug.create"
  done
done
load=$(cut -d' ' -f1-3 /proc/loadavg)

# Median and the highest of a file of seconds, in milliseconds.
stats() {
  sort -g "$1" | awk '{ v[NR] = $1 * 1000 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%.1f %.1f %d\n", m, v[NR], NR }'
}
echo
echo "| save | demo median ms | demo max ms | city-scale median ms | city-scale max ms | saves each |"
echo "|---|---:|---:|---:|---:|---:|"
for save in visit activity edit cancel create; do
  read -r dm dx dn < <(stats "$WORK/calgary-2023.$save")
  read -r cm cx cn < <(stats "$WORK/city-scale.$save")
  echo "| $save | $dm | $dx | $cm | $cx | $dn / $cn |"
done
echo
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; $(rustc --version); release profile"
echo "load average at the end: $load"
say "(raw timings kept in $WORK)"
