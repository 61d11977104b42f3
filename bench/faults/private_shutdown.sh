#!/bin/bash
# SIGTERM with a stalled export on the private cluster. Usage: private_shutdown.sh BINARY
BIN=$1; BASE=http://127.0.0.1:3102; DATA=/tmp/server-private
rm -f /tmp/server-private.out; rm -rf $DATA; mkdir -p $DATA; chmod 755 $DATA
unset DATABASE_URL
PATROLBOARD_DATA=$DATA RUST_LOG=patrolboard=warn $BIN serve --addr 127.0.0.1:3102 > /tmp/server-private.out 2>/tmp/server-private.err &
PID=$!
until grep -q "is serving" /tmp/server-private.out 2>/dev/null; do sleep 0.2; done
PM=$(head -1 $DATA/pg/postmaster.pid)
URL="postgres://postgres@localhost/patrolboard?host=$DATA/run&port=$(sed -n 4p $DATA/pg/postmaster.pid)"
command psql "$URL" -qc "insert into visits (shift_id, hotspot_id, arrived_at, departed_at, source) select shift_id, hotspot_id, arrived_at, departed_at, source from visits cross join generate_series(1, 16)"
PASS=$(awk '$1=="supervisor"{print $2}' $DATA/demo-accounts.txt)
COOKIE=$(curl -s -D - -o /dev/null -H "Origin: $BASE" --data-urlencode username=supervisor --data-urlencode "password=$PASS" $BASE/login | grep -o 'patrolboard_session=[0-9a-f]*')
python3 - "$COOKIE" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", 3102))
s.sendall(f"GET /exports/visits.csv?pilot=calgary-2023 HTTP/1.1\r\nHost: x\r\nCookie: {sys.argv[1]}\r\n\r\n".encode())
print("stalled export:", s.recv(4096).split(b"\r\n")[0].decode(), flush=True)
time.sleep(120)
PY
STALLER=$!
sleep 3
START=$(date +%s.%N)
kill -TERM $PID
for i in $(seq 600); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
if kill -0 $PID 2>/dev/null; then echo "still running 60 s after SIGTERM"; kill -9 $PID; kill -INT $PM; else
echo "SIGTERM to exit: $(echo "$(date +%s.%N) - $START" | bc)s"; fi
kill -0 $PM 2>/dev/null && echo "postmaster $PM still running" || echo "postmaster $PM stopped; pid file: $(ls $DATA/pg/postmaster.pid 2>&1 | tail -1)"
tail -3 $DATA/postgres.log
kill $STALLER 2>/dev/null; wait $STALLER 2>/dev/null
