#!/usr/bin/env bash
# Exports benchmark: every visit of the city-scale pilot as CSV over HTTP, against PostgreSQL's own
# COPY (select … the same columns …) TO STDOUT WITH CSV through psql, with the server's memory
# sampled every 50 ms. Results go to standard output as a Markdown table.
#
#   bench/exports.sh --setup   # once: create the database, migrate, seed demo + scale, add user
#   bench/exports.sh           # measure (3 runs of each, the median is reported)
#
# Environment: DATABASE_URL (default postgres://postgres@127.0.0.1/pb_exports), BIN (default
# target/release/patrolboard; build it with `cargo build --release`), ADDR (default
# 127.0.0.1:3999), PILOT (default city-scale), RUNS (default 3).
set -euo pipefail

cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1/pb_exports}"
BIN="${BIN:-target/release/patrolboard}"
ADDR="${ADDR:-127.0.0.1:3999}"
PILOT="${PILOT:-city-scale}"
RUNS="${RUNS:-3}"
PASSWORD="bench exports password"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ "${1:-}" == "--setup" ]]; then
    db="${DATABASE_URL##*/}"
    createdb -h 127.0.0.1 -U postgres "$db" 2>/dev/null || true
    "$BIN" migrate
    "$BIN" seed demo
    "$BIN" seed scale
    printf '%s\n' "$PASSWORD" | "$BIN" user add bench --role analyst || true
    psql "$DATABASE_URL" -q -c "vacuum analyze"
    exit 0
fi

now() { date +%s.%N; }

# Peak VmRSS (kB) of process $1, sampled every 50 ms until the file $2 exists.
sample_rss() {
    local pid=$1 stop=$2 peak=0 rss
    while [[ ! -e "$stop" ]]; do
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        (( rss > peak )) && peak=$rss
        sleep 0.05
    done
    echo "$peak"
}

rss_now() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The pilot's zone and dates, so that COPY selects exactly the rows the export does.
read -r PILOT_ID ZONE FROM TO < <(psql "$DATABASE_URL" -Atq -F ' ' \
    -c "select id, time_zone, starts_on, ends_on from pilots where slug = '$PILOT'")
if [[ -z "${PILOT_ID:-}" ]]; then echo "no pilot $PILOT: run bench/exports.sh --setup" >&2; exit 1; fi

# The same columns, rows and order as /exports/visits.csv, formatted by PostgreSQL.
COPY_SQL="copy (
  select v.id, v.shift_id, s.team_id, v.hotspot_id, h.name, d.code,
         to_char(v.arrived_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'),
         to_char(v.arrived_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'),
         to_char(v.departed_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'),
         to_char(v.departed_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'),
         round((extract(epoch from v.departed_at - v.arrived_at) / 60)::numeric, 4),
         (select count(*) from shift_members m where m.shift_id = v.shift_id),
         v.source
    from visits v
         join shifts s on s.id = v.shift_id
         join hotspots h on h.id = v.hotspot_id
         join districts d on d.id = h.district_id
   where s.pilot_id = $PILOT_ID
     and v.arrived_at >= ('$FROM'::date - 1)::timestamp at time zone '$ZONE'
     and v.arrived_at < ('$TO'::date + 2)::timestamp at time zone '$ZONE'
     and (v.arrived_at at time zone '$ZONE')::date between '$FROM' and '$TO'
   order by v.arrived_at, v.id
) to stdout with (format csv, header)"

# A lighter reference: the same rows and columns with instants in PostgreSQL's own text format
# (`2023-03-12 01:50:00-07`), which is cheaper for it than RFC 3339 through to_char.
COPY_RAW_SQL="copy (
  select v.id, v.shift_id, s.team_id, v.hotspot_id, h.name, d.code,
         v.arrived_at at time zone 'UTC', v.arrived_at, v.departed_at at time zone 'UTC', v.departed_at,
         extract(epoch from v.departed_at - v.arrived_at) / 60,
         (select count(*) from shift_members m where m.shift_id = v.shift_id),
         v.source
    from visits v
         join shifts s on s.id = v.shift_id
         join hotspots h on h.id = v.hotspot_id
         join districts d on d.id = h.district_id
   where s.pilot_id = $PILOT_ID
     and v.arrived_at >= ('$FROM'::date - 1)::timestamp at time zone '$ZONE'
     and v.arrived_at < ('$TO'::date + 2)::timestamp at time zone '$ZONE'
     and (v.arrived_at at time zone '$ZONE')::date between '$FROM' and '$TO'
   order by v.arrived_at, v.id
) to stdout with (format csv, header)"

# CPU seconds (user + system) the process $1 has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

"$BIN" serve --addr "$ADDR" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs -o /dev/null -c "$WORK/cookies" -H "Origin: http://$ADDR" -H "Sec-Fetch-Site: same-origin" \
    --data-urlencode "username=bench" --data-urlencode "password=$PASSWORD" "http://$ADDR/login" \
    || { echo "sign-in failed: run bench/exports.sh --setup" >&2; exit 1; }
URL="http://$ADDR/exports/visits.csv?pilot=$PILOT"

# Idle: the server signed in and waiting, before its first export. Then warm both paths once
# (caches, prepared statement), sampling that first export's memory too.
sleep 1
IDLE=$(rss_now "$SERVER_PID")
rm -f "$WORK/stop"
sample_rss "$SERVER_PID" "$WORK/stop" >"$WORK/peak" &
sampler=$!
curl -fs -b "$WORK/cookies" -o "$WORK/export.csv" "$URL"
touch "$WORK/stop"
wait "$sampler"
FIRST_PEAK=$(cat "$WORK/peak")
PGOPTIONS="-c timezone=$ZONE" psql "$DATABASE_URL" -Atq -c "$COPY_SQL" >"$WORK/copy.csv"

export_times=() copy_times=() raw_times=() peaks=()
cpu0=$(cpu_seconds "$SERVER_PID")
for run in $(seq 1 "$RUNS"); do
    rm -f "$WORK/stop"
    sample_rss "$SERVER_PID" "$WORK/stop" >"$WORK/peak" &
    sampler=$!
    t0=$(now)
    curl -fs -b "$WORK/cookies" -o /dev/null "$URL"
    t1=$(now)
    touch "$WORK/stop"
    wait "$sampler"
    peaks+=("$(cat "$WORK/peak")")
    export_times+=("$(echo "$t1 - $t0" | bc -l)")

    t0=$(now)
    PGOPTIONS="-c timezone=$ZONE" psql "$DATABASE_URL" -Atq -c "$COPY_SQL" >/dev/null
    t1=$(now)
    copy_times+=("$(echo "$t1 - $t0" | bc -l)")

    t0=$(now)
    PGOPTIONS="-c timezone=$ZONE" psql "$DATABASE_URL" -Atq -c "$COPY_RAW_SQL" >/dev/null
    t1=$(now)
    raw_times+=("$(echo "$t1 - $t0" | bc -l)")
done
cpu=$(echo "($(cpu_seconds "$SERVER_PID") - $cpu0) / $RUNS" | bc -l)

# A slow client that gives up after 5 s: memory must stay flat (the query waits for the client)
# and the server must let go of the query.
rm -f "$WORK/stop"
sample_rss "$SERVER_PID" "$WORK/stop" >"$WORK/peak" &
sampler=$!
curl -s -b "$WORK/cookies" -o /dev/null --limit-rate 10M --max-time 5 "$URL" || true
touch "$WORK/stop"
wait "$sampler"
SLOW_PEAK=$(cat "$WORK/peak")
sleep 1
left=$(psql "$DATABASE_URL" -Atq -c "select count(*) from pg_stat_activity
    where state = 'active' and query like 'select v.id, v.shift_id%'")

rows=$(($(wc -l <"$WORK/export.csv") - 1))
export_bytes=$(stat -c %s "$WORK/export.csv")
copy_bytes=$(stat -c %s "$WORK/copy.csv")
e=$(printf '%s\n' "${export_times[@]}" | median)
c=$(printf '%s\n' "${copy_times[@]}" | median)
peak=$(printf '%s\n' "$FIRST_PEAK" "${peaks[@]}" | sort -g | tail -1)
e_min=$(printf '%s\n' "${export_times[@]}" | sort -g | head -1)
c_min=$(printf '%s\n' "${copy_times[@]}" | sort -g | head -1)
r=$(printf '%s\n' "${raw_times[@]}" | median)

# The two files must hold the same rows: compare the ids.
cut -d, -f1 "$WORK/export.csv" | tail -n +2 >"$WORK/export.ids"
cut -d, -f1 "$WORK/copy.csv" | tail -n +2 >"$WORK/copy.ids"
same=$(cmp -s "$WORK/export.ids" "$WORK/copy.ids" && echo yes || echo NO)

echo "| what | value |"
echo "|---|---|"
echo "| rows (visits of $PILOT, $FROM to $TO) | $rows |"
echo "| same visit ids in the same order as COPY | $same |"
echo "| bytes: export / COPY | $export_bytes / $copy_bytes |"
echo "| export over HTTP, median of $RUNS (s) | $(printf '%.2f' "$e") (runs: $(printf '%.2f ' "${export_times[@]}")) |"
echo "| COPY through psql, median of $RUNS (s) | $(printf '%.2f' "$c") (runs: $(printf '%.2f ' "${copy_times[@]}")) |"
echo "| COPY, PostgreSQL's own timestamp format, median of $RUNS (s) | $(printf '%.2f' "$r") (runs: $(printf '%.2f ' "${raw_times[@]}")) |"
echo "| server CPU per export (s, user + system) | $(printf '%.2f' "$cpu") |"
echo "| export ÷ COPY, medians | $(printf '%.2f' "$(echo "$e / $c" | bc -l)") (goal ≤ 1.30) |"
echo "| export ÷ COPY, best runs | $(printf '%.2f' "$(echo "$e_min / $c_min" | bc -l)") |"
echo "| export ÷ COPY in PostgreSQL's own format, medians | $(printf '%.2f' "$(echo "$e / $r" | bc -l)") |"
echo "| server RSS idle, before its first export (MB) | $(printf '%.1f' "$(echo "$IDLE / 1024" | bc -l)") |"
echo "| server RSS peak during the $((RUNS + 1)) exports (MB) | $(printf '%.1f' "$(echo "$peak / 1024" | bc -l)") |"
echo "| slow client (10 MB/s, gives up after 5 s): peak − idle (MB) | $(printf '%.1f' "$(echo "($SLOW_PEAK - $IDLE) / 1024" | bc -l)"); export queries still running 1 s later: $left |"
echo "| peak − idle (MB) | $(printf '%.1f' "$(echo "($peak - $IDLE) / 1024" | bc -l)") (goal ≤ 50) |"
