#!/usr/bin/env python3
"""400 parallel POST /login with distinct unknown usernames, from distinct loopback addresses
(use --one-address to send them all from 127.0.0.1), while a signed-in viewer loads the dashboard.
Prints idle / peak / after RSS of the server, the wave's wall time and the answers."""
import argparse, collections, http.client, os, signal, threading, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, default=3101)
p.add_argument("--pid", type=int, required=True)
p.add_argument("--n", type=int, default=400)
p.add_argument("--one-address", action="store_true")
p.add_argument("--viewer", default="flood-viewer")
p.add_argument("--password", default="correct horse battery staple")
p.add_argument("--kill-above-mib", type=int, default=0,
               help="SIGKILL the server once its RSS passes this (protects a shared machine)")
a = p.parse_args()

def rss():
    for line in open(f"/proc/{a.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0

def post_login(user, pw, src):
    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=120, source_address=(src, 0))
    body = urllib.parse.urlencode({"username": user, "password": pw})
    c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                       "Origin": f"http://127.0.0.1:{a.port}"})
    r = c.getresponse(); r.read()
    return r.status, r.getheader("Retry-After"), r.getheader("Set-Cookie")

# Sign the viewer in first (from 127.0.0.1).
status, _, cookie = post_login(a.viewer, a.password, "127.0.0.1")
assert status == 303, status
cookie = cookie.split(";")[0]

def get(path):
    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=120)
    t = time.monotonic()
    c.request("GET", path, headers={"Cookie": cookie}); r = c.getresponse(); r.read()
    return r.status, time.monotonic() - t

time.sleep(1)
idle = rss()
peak = [idle]; stop = threading.Event(); killed = []; t0 = [time.monotonic()]
def sample():
    while not stop.is_set():
        try: peak[0] = max(peak[0], rss())
        except FileNotFoundError: break
        if a.kill_above_mib and peak[0] > a.kill_above_mib << 20:
            os.kill(a.pid, signal.SIGKILL); killed.append(time.monotonic() - t0[0]); break
        time.sleep(0.005)
threading.Thread(target=sample, daemon=True).start()

results = [None] * a.n
barrier = threading.Barrier(a.n + 1)
def attempt(i):
    src = "127.0.0.1" if a.one_address else f"127.1.{i // 200}.{i % 200 + 1}"
    barrier.wait()
    try: results[i] = post_login(f"nobody-{i}-{time.time_ns()}", "a guessed password", src)[:2]
    except Exception as e: results[i] = (type(e).__name__, None)
threads = [threading.Thread(target=attempt, args=(i,)) for i in range(a.n)]
for t in threads: t.start()
barrier.wait(); t0[0] = time.monotonic()
viewer = []
while any(t.is_alive() for t in threads):
    try: viewer.append(get("/pilots/calgary-2023") + get("/healthz"))
    except Exception as e: viewer.append((type(e).__name__,))
    time.sleep(0.2)
for t in threads: t.join()
wave = time.monotonic() - t0[0]
time.sleep(1)
stop.set()
try: after = rss()
except FileNotFoundError: after = 0
MiB = 1 << 20
if killed: print(f"server KILLED by this script at {killed[0]:.2f} s into the wave: RSS passed {a.kill_above_mib} MiB")
print(f"idle RSS {idle / MiB:.0f} MiB, peak {peak[0] / MiB:.0f} MiB, 1 s after {after / MiB:.0f} MiB")
print(f"wave of {a.n}: {wave:.2f} s; answers {dict(collections.Counter(r[0] for r in results))}")
ra = collections.Counter(r[1] for r in results if r[0] != 401)
print(f"Retry-After on non-401 answers: {dict(ra)}")
ok = [v for v in viewer if len(v) == 4]
print(f"viewer during the wave: {len(viewer)} rounds, dashboard statuses {dict(collections.Counter(v[0] for v in ok))}, "
      f"healthz {dict(collections.Counter(v[2] for v in ok))}, errors {len(viewer) - len(ok)}, "
      f"slowest dashboard {max((v[1] for v in ok), default=0):.2f} s")
