#!/usr/bin/env python3
"""16 exports that stop reading, then the dashboard, /readyz, login and the API timed, a half-sent
request, and SIGTERM. Usage: stalled_exports.py BINARY LABEL (see README.md for the database)."""
import os, re, signal, socket, subprocess, sys, time

BIN, LABEL = sys.argv[1], sys.argv[2]
PORT = 3102
BASE = f"http://127.0.0.1:{PORT}"
ENV = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1/" + os.environ.get("BENCH_DB", "patrolboard_faults"), RUST_LOG="patrolboard=warn")


def curl(*args, timeout=60):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", str(timeout), "-w", "%{http_code} %{time_total}", *args],
                         capture_output=True, text=True).stdout
    return out


def start():
    p = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{PORT}"], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if line.startswith("patrolboard is serving"):
            return p
    raise SystemExit("did not start")


def cookie():
    out = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-H", f"Origin: {BASE}", "--data",
                          "username=sup&password=a+long+enough+password", f"{BASE}/login"], capture_output=True, text=True).stdout
    return re.search(r"patrolboard_session=[0-9a-f]+", out).group(0)


def stalled_export(c):
    s = socket.create_connection(("127.0.0.1", PORT))
    s.sendall(f"GET /exports/visits.csv?pilot=calgary-2023 HTTP/1.1\r\nHost: x\r\nCookie: {c}\r\n\r\n".encode())
    got = b""
    while b"\r\n\r\n" not in got or len(got) <= got.index(b"\r\n\r\n") + 4:
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    return s, got.split(b"\r\n", 1)[0].decode()


print(f"== {LABEL}: {BIN}")
server = start()
c = cookie()
t = time.time()
stalls = [stalled_export(c) for _ in range(16)]
statuses = {}
for _, line in stalls:
    statuses[line] = statuses.get(line, 0) + 1
print(f"16 stalled exports opened in {time.time() - t:.2f}s: {statuses}")
print("dashboard       ", curl("-H", f"Cookie: {c}", f"{BASE}/pilots/calgary-2023"))
print("/readyz         ", curl(f"{BASE}/readyz"))
print("GET /login      ", curl(f"{BASE}/login"))
print("POST /login     ", curl("-H", f"Origin: {BASE}", "--data", "username=nobody&password=wrong+password", f"{BASE}/login"))
print("API             ", curl("-H", f"Cookie: {c}", f"{BASE}/api/v1/pilots/calgary-2023/coverage"))

# A half-sent request: how long until the server closes it (capped at 80 s).
h = socket.create_connection(("127.0.0.1", PORT))
h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
h.settimeout(80)
t = time.time()
try:
    while h.recv(1024):
        pass
    print(f"half-sent request closed after {time.time() - t:.2f}s")
except socket.timeout:
    print(f"half-sent request still open after {time.time() - t:.2f}s")

# SIGTERM with the 16 stalled exports still open (capped at 60 s, then SIGKILL).
t = time.time()
server.send_signal(signal.SIGTERM)
try:
    server.wait(timeout=60)
    print(f"SIGTERM to exit: {time.time() - t:.2f}s (exit {server.returncode})")
except subprocess.TimeoutExpired:
    print(f"still running {time.time() - t:.2f}s after SIGTERM; killing")
    server.kill()
    server.wait()
for s, _ in stalls:
    s.close()
h.close()
