#!/bin/bash
# The database refusing connections, then back. Usage: database_down.sh BINARY LABEL (see README.md).
BIN=$1; LABEL=$2; BASE=http://127.0.0.1:3102; DB=${BENCH_DB:-patrolboard_faults}
export DATABASE_URL=postgres://postgres@127.0.0.1/$DB RUST_LOG=patrolboard=off
psql() { command psql -q -h 127.0.0.1 -U postgres -d postgres "$@"; }
echo "== $LABEL: $BIN"
$BIN serve --addr 127.0.0.1:3102 > /tmp/server-dbdown.out 2>/dev/null &
PID=$!
until grep -q "is serving" /tmp/server-dbdown.out 2>/dev/null; do sleep 0.1; done
JAR=$(mktemp)
curl -s -o /dev/null -c $JAR -H "Origin: $BASE" --data 'username=viewer1&password=a+long+enough+password' $BASE/login
psql -c "alter database $DB allow_connections false" \
     -c "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = '$DB'" > /dev/null
show() { # what, curl args...
  local what=$1; shift
  curl -s -D /tmp/server-h.txt -o /tmp/server-b.txt -w "%{http_code} %{time_total}s" "$@"
  echo "  $what; retry-after: $(grep -i '^retry-after' /tmp/server-h.txt | tr -d '\r' | cut -d' ' -f2) type: $(grep -i '^content-type' /tmp/server-h.txt | tr -d '\r' | cut -d' ' -f2-) body: $( (grep -o '<p class="message">[^<]*' /tmp/server-b.txt | sed 's/.*>//'; grep -v '<' /tmp/server-b.txt) | head -c 150)"
}
show dashboard -b $JAR $BASE/pilots/calgary-2023
show API -b $JAR $BASE/api/v1/pilots/calgary-2023/coverage
show "POST /login" -H "Origin: $BASE" --data 'username=viewer1&password=wrong' $BASE/login
show /readyz $BASE/readyz
psql -c "alter database $DB allow_connections true"
START=$(date +%s.%N)
until [ "$(curl -s -o /dev/null -w '%{http_code}' -b $JAR $BASE/pilots/calgary-2023)" = 200 ]; do :; done
echo "dashboard 200 again $(echo "$(date +%s.%N) - $START" | bc)s after connections were allowed"
show API -b $JAR $BASE/api/v1/pilots/calgary-2023/coverage
kill -TERM $PID; wait $PID
rm -f $JAR
