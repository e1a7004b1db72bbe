#!/usr/bin/env python3
"""Alert routing under load, side by side with the durability floor in the same run.

usage: bench/routing.py RACINE [REQUESTS] [CLIENTS] [--client wrk|python] [--seconds S]
                        [--hold]

For SQLite (and PostgreSQL when tests/pg/pg.sh can start a private server): Alertmanager
webhook requests of 1 and of 100 new alerts each (every alert a new event with two
deliveries, committed durably before the answer), posted by CLIENTS keep-alive
connections: accepted alerts per second and the p50 and p99 of the answer, and the
server's processor time per request (user + system, from /proc). The client is wrk
(bench/wrk.lua; two threads, S seconds per row, 3 by default), so that the
client's own processor time (about 15 us a request) leaves the machine's 2 cores to the
server; `--client python` posts REQUESTS requests from Python threads (about 280 us of
processor a request: the client earlier figures were measured with). Beside them,
the floor: SQLite transactions of one row with synchronous=FULL in WAL on the same disk
(what any durable answer costs). Then the latency from the POST to the receiving
webhook (tests/routing/sink.py), the outbox's whole path. Everything on 127.0.0.1.
That latency under load (100 and 1,000 alerts/s, half of the receivers failing):
bench/latency.py.

--hold: the contract under a maintenance window (30 days, the longest is 31) for the
whole run, so that every delivery is held and the outbox sends nothing: what accepting
alerts costs alone (no drain, no end-to-end line).
"""
import argparse
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def serve(racine, args, work, name):
    out = open(os.path.join(work, name + ".out"), "w+")
    p = subprocess.Popen([racine, "serve", "--listen", "127.0.0.1:0", "--rate-limit", "0",
                          "--alerts-per-minute", "0",
                          "--threads", "2"] + args, stdout=out, stderr=subprocess.DEVNULL)
    for _ in range(400):
        out.seek(0)
        text = out.read()
        if "serving on" in text:
            port = int(text.split("127.0.0.1:")[1].split("/")[0])
            path = text.split("the first admin token is in ")[1].split(" (")[0]
            with open(path) as f:
                token = f.read().strip()
            return p, port, token
        time.sleep(0.05)
    raise SystemExit(f"racine serve did not start ({name})")


def call(port, token, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse()
    return r.status, r.read().decode()


def setup(port, admin, sink_url):
    call(port, admin, "PUT", "/api/v1/tenants/acme", {"name": "ACME"})
    call(port, admin, "PUT", "/api/v1/tenants/acme/contracts/main",
         {"matrix": "managed-kubernetes", "version": 1, "party": "client"})
    for party in ("client", "cloud-temple"):
        call(port, admin, "PUT", f"/api/v1/receivers/{party}", {"type": "webhook", "url": sink_url})
    status, body = call(port, admin, "POST", "/api/v1/tokens",
                        {"role": "ingest", "tenant": "acme", "name": "bench"})
    return json.loads(body)["token"]


def load(port, token, requests, batch, clients, tag):
    latencies = []
    lock = threading.Lock()
    per_client = requests // clients

    def run(c):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        for i in range(per_client):
            alerts = [{"status": "firing",
                       "labels": {"alertname": "KubeNodeNotReady", "namespace": "kube-system",
                                  "node": f"n{tag}-{c}-{i}-{k}"},
                       "startsAt": "2026-11-30T10:00:00Z",
                       "fingerprint": f"{tag}-{c}-{i}-{k}"} for k in range(batch)]
            body = json.dumps({"version": "4", "alerts": alerts})
            start = time.perf_counter()
            conn.request("POST", "/api/v1/tenants/acme/alertmanager", body=body,
                         headers={"Authorization": "Bearer " + token,
                                  "Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - start)
            assert r.status == 200, r.status
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    return (n * batch / took, latencies[n // 2] * 1000, latencies[min(n - 1, int(n * 0.99))] * 1000)


def cpu_ticks(pid):
    """User + system clock ticks of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def load_wrk(port, token, seconds, batch, clients, tag):
    env = dict(os.environ, MODE="alertmanager", TOKEN=token, BATCH=str(batch), TAG=tag)
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s",
                          "-s", f"{ROOT}/bench/wrk.lua", f"http://127.0.0.1:{port}"],
                         env=env, capture_output=True, text=True)
    line = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")]
    if out.returncode != 0 or not line:
        raise SystemExit(f"wrk failed: {out.stderr.strip()[:500]}")
    requests, duration_us, errors, p50, p99 = line[0].split()[1:]
    if int(errors) != 0:
        raise SystemExit(f"{errors} requests failed: {out.stderr.strip()[:500]}")
    return int(requests), int(requests) * batch / (int(duration_us) / 1e6), float(p50), float(p99)


def sqlite_floor(work, n):
    db = sqlite3.connect(os.path.join(work, "floor.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for i in range(n):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?)", (str(i), "x" * 200))
        db.execute("COMMIT")
    return n / (time.perf_counter() - start)


class SinkLines:
    """The lines the sink finished writing (the last one may be under way), counted as
    they come: read on from where the last call stopped, not from the start each time
    (a storm's backlog is over 100,000 lines)."""

    def __init__(self, path):
        self.path, self.offset, self.count, self.last = path, 0, 0, None

    def update(self):
        if os.path.exists(self.path):
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
            end = data.rfind(b"\n")
            if end >= 0:
                lines = data[:end].split(b"\n")
                self.count += len(lines)
                self.last = lines[-1]
                self.offset += end + 1
        return self.count


def end_to_end(port, ingest, sink, n):
    """The POST's start to the sink's receipt, one alert at a time."""
    out = []
    for i in range(n):
        before = sink.update()
        start = time.time()
        status, _ = call(port, ingest, "POST", "/api/v1/tenants/acme/alertmanager",
                         {"version": "4", "alerts": [{
                             "status": "firing", "startsAt": "2026-11-30T11:00:00Z",
                             "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop",
                                        "pod": f"e2e-{i}"}, "fingerprint": f"e2e-{i}"}]})
        assert status == 200
        deadline = time.time() + 10
        while time.time() < deadline:
            if sink.update() > before:
                out.append((json.loads(sink.last)["received_at"] - start) * 1000)
                break
            time.sleep(0.001)
    out.sort()
    return out[len(out) // 2], out[min(len(out) - 1, int(len(out) * 0.99))]


def main():
    ap = argparse.ArgumentParser(description="alert routing under load")
    ap.add_argument("racine")
    ap.add_argument("requests", nargs="?", type=int, default=400)
    ap.add_argument("clients", nargs="?", type=int, default=8)
    ap.add_argument("--client", choices=["wrk", "python"], default="wrk")
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--hold", action="store_true",
                    help="every delivery held by a maintenance window: the outbox idle")
    a = ap.parse_args()
    racine = os.path.realpath(a.racine)
    requests, clients = a.requests, a.clients
    if a.client == "wrk" and subprocess.run(["sh", "-c", "command -v wrk"],
                                            capture_output=True).returncode != 0:
        raise SystemExit("bench/routing.py: wrk is absent: run make deps-test")
    work = tempfile.mkdtemp(prefix="racine-bench-routing-")
    procs = []
    try:
        sink_out = os.path.join(work, "sink.jsonl")
        # A receiver as real ones are: HTTP/1.1, the connection kept open.
        procs.append(subprocess.Popen([sys.executable, f"{ROOT}/tests/routing/sink.py",
                                       f"{work}/sink.port", sink_out, "--keep-alive"]))
        while not os.path.exists(f"{work}/sink.port"):
            time.sleep(0.02)
        sink_url = f"http://127.0.0.1:{open(f'{work}/sink.port').read()}/hook"
        how = (f"wrk, {a.seconds} s a row" if a.client == "wrk"
               else f"Python, {requests} requests a row")
        print(f"routing: Alertmanager webhooks, {clients} keep-alive clients ({how}), every "
              f"alert new (2 deliveries each), committed before the answer; "
              f"{os.cpu_count()} cores shared"
              + ("; every delivery held (--hold): the outbox idle" if a.hold else ""))
        print(f"  {'store, alerts per request':44} {'alerts/s':>10} {'p50 ms':>8} {'p99 ms':>8}"
              f" {'server us/request':>18}")
        engines = [("SQLite (WAL, synchronous=FULL)", ["--data", f"{work}/data"])]
        pg_state = f"{work}/pg-state"
        if subprocess.run(["bash", f"{ROOT}/tests/pg/pg.sh", "start", pg_state],
                          capture_output=True).returncode == 0 and os.path.getsize(pg_state) > 0:
            engines.append(("PostgreSQL (synchronous_commit=on)",
                            ["--database", open(pg_state).read().strip()]))
        else:
            print("  PostgreSQL: not measured (postgresql-15 absent: run make deps-test)")
        for name, args in engines:
            p, port, admin = serve(racine, args, work, name.split()[0])
            procs.append(p)
            ingest = setup(port, admin, sink_url)
            if a.hold:
                status, body = call(port, admin, "POST",
                                    "/api/v1/tenants/acme/contracts/main/maintenance",
                                    {"ends": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                           time.gmtime(time.time() + 30 * 86400)),
                                     "reason": "bench --hold"})
                if status != 201:
                    raise SystemExit(f"maintenance window refused: {status} {body[:200]}")
            sink = SinkLines(sink_out)
            start_lines, posted = sink.update(), 0
            for batch in (1, 100):
                before = cpu_ticks(p.pid)
                if a.client == "wrk":
                    n, rate, p50, p99 = load_wrk(port, ingest, a.seconds, batch, clients,
                                                 f"{name[:2]}{batch}")
                else:
                    n = requests if batch == 1 else max(clients, requests // 20)
                    rate, p50, p99 = load(port, ingest, n, batch, clients, f"{name[:2]}{batch}")
                per_request = (cpu_ticks(p.pid) - before) / os.sysconf("SC_CLK_TCK") / n * 1e6
                posted += n * batch
                print(f"  {name + ', ' + str(batch):44} {rate:10.0f} {p50:8.2f} {p99:8.2f}"
                      f" {per_request:18.0f}")
            loaded, expected = time.time(), start_lines + 2 * posted
            if name.startswith("SQLite") and not a.hold:
                # Let the outbox drain (up to 180 s: a storm accepted at 25,000 alerts/s
                # leaves over 150,000 deliveries), then one alert at a time to the receiver.
                drain_until = time.time() + 180
                while time.time() < drain_until and sink.update() < expected:
                    time.sleep(0.5)
                # wrk counts the requests answered: those in flight at its end add a few.
                print(f"  outbox after the load: {sink.update() - start_lines} "
                      f"deliveries received (2 per answered alert: {2 * posted}) "
                      f"{time.time() - loaded:.1f} s after it")
                e50, e99 = end_to_end(port, ingest, sink, 50)
                e2e = f"  POST to the receiving webhook (SQLite, one alert at a time): p50 {e50:.2f} ms, p99 {e99:.2f} ms"
            p.terminate()
            p.wait()
        floor = sqlite_floor(work, 1000)
        print(f"  {'floor: SQLite, one-row durable transactions':44} {floor:10.0f}   (transactions/s)")
        if not a.hold:
            print(e2e)
    finally:
        for p in procs:
            p.terminate()
        subprocess.run(["bash", f"{ROOT}/tests/pg/pg.sh", "stop", f"{work}/pg-state"],
                       capture_output=True)


if __name__ == "__main__":
    main()
