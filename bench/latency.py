#!/usr/bin/env python3
"""End-to-end alert latency (issue 28): from the start of Alertmanager's POST to the
receiving webhook, with half of the receivers failing, beside the same load with every
receiver healthy. `make bench` runs it (bench/run.sh) after bench/routing.py.

usage: bench/latency.py RACINE [--rates 100:10,1000:5] [--failing 500|closed|hang]
                        [--tenants 10] [--connections 16] [--repeat 1] [--drain 30]
                        [--engines sqlite,postgresql] [--preload N] [--keep]

For SQLite and for PostgreSQL (a private server started by tests/pg/pg.sh; skipped,
saying so, when PostgreSQL 15 is absent), each run on a store of its own (a new SQLite
folder, a new PostgreSQL database in that server) and a new `racine serve` (127.0.0.1,
port chosen by the server, everything in a temporary folder, stopped at the end of the
run; default options but --rate-limit 0 and --alerts-per-minute 0, so that no limit
answers 429 in the bench's place):

- --tenants tenants, each with the contract "main" on the built-in matrix (party client)
  and an ingest token. The alert, KubePodCrashLooping in namespace "shop", is the
  client's (R: Client, firing; A: Client, escalation 15 min later, after the run), so
  each alert makes one page now, to the tenant's own receiver for "client" (a webhook set
  by the provider's admin), and one escalation waiting in the outbox.
- In the "failing" runs, every other tenant's receiver always answers 500 (the outbox
  retries with backoff and opens the receiver's circuit after 5 failures; --failing
  closed: a port nobody listens on, the same path with "connection refused"; --failing
  hang: a receiver that accepts and never answers, each attempt holding a sender for
  --delivery-timeout, 10 s). In the baseline runs every receiver is healthy.
- Alerts are posted at each target rate for its duration (default 100/s for 10 s, then
  1,000/s for 5 s), each a new event (unique fingerprint), one alert per Alertmanager
  webhook (what Alertmanager sends for a new group), tenants in turn, over --connections
  keep-alive connections paced open loop: alert i is due at start + i/rate, and a
  connection that falls behind sends at once, so the achieved rate (reported) is what
  the server, on this machine, let this sender do.
- The healthy receiver (a process of its own, asyncio) notes time.monotonic() (one clock
  for every process on Linux) when a delivery's body has arrived, by the alert's
  fingerprint. Latency = that arrival - the start of the POST, for the healthy receivers'
  alerts only; every one racine accepted must arrive within --drain seconds after the
  last POST, else the missing are counted.

Printed per run: engine, target and achieved rate, failing half or not; the POST's answer
(p50, p99: the durable commit); POST-to-receiver p50, p99 and max; its outbox part (p50 of
the arrival less the POST's answer); the backlog (healthy deliveries not yet arrived when
the last POST was answered) and the drain (from then to the last arrival): a backlog that
grows over a run means the outbox delivers slower than alerts come; delivered/expected
(first arrivals; duplicates, at least once, counted apart); the attempts the failing
receivers saw (25: five receivers, five failures each, then their circuits opened).

--preload N first posts N alerts (requests of 100) with every receiver healthy and waits
until all are delivered, so that each run starts with N escalations pending, as after
N / rate seconds of steady load (slow: minutes for 50,000 on PostgreSQL; past 15 minutes
the preloaded escalations come due during the run).
"""
import argparse
import asyncio
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = os.environ.get("RACINE_PG_BIN", "/usr/lib/postgresql/15/bin")


# --- the receivers: `latency.py --sink PORT_FILE MODE`, a process of their own -------------

def sink_main(port_file, mode, parent):
    """A webhook receiver: MODE ok (200), 500 (always 500) or hang (never answers).
    GET /__results answers {"arrivals": {fingerprint: monotonic}, "requests", "duplicates"};
    GET /__reset forgets everything."""
    state = {"arrivals": {}, "requests": 0, "duplicates": 0}

    async def handle(reader, writer):
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.split(b"\r\n")
                parts = lines[0].split(b" ")
                path = parts[1] if len(parts) > 1 else b"/"
                headers = {}
                for line in lines[1:]:
                    if b":" in line:
                        k, v = line.split(b":", 1)
                        headers[k.strip().lower()] = v.strip()
                if headers.get(b"expect", b"").lower() == b"100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                n = int(headers.get(b"content-length", b"0") or 0)
                body = await reader.readexactly(n) if n else b""
                at = time.monotonic()
                status, answer = 200, b""
                if path == b"/__results":
                    answer = json.dumps(state).encode()
                elif path == b"/__count":
                    answer = json.dumps({"arrivals": len(state["arrivals"])}).encode()
                elif path == b"/__reset":
                    state["arrivals"], state["requests"], state["duplicates"] = {}, 0, 0
                else:
                    state["requests"] += 1
                    if mode == "hang":
                        await asyncio.sleep(3600)
                        return
                    if mode == "500":
                        status = 500
                    else:
                        try:
                            d = json.loads(body)
                            if d.get("kind") == "firing":
                                fp = d["alert"]["fingerprint"]
                                if fp in state["arrivals"]:
                                    state["duplicates"] += 1
                                else:
                                    state["arrivals"][fp] = at
                        except (ValueError, KeyError, TypeError):
                            status = 400
                reason = {200: b"OK", 400: b"Bad Request", 500: b"Internal Server Error"}[status]
                writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n" % (status, reason, len(answer)) + answer)
                await writer.drain()
                if headers.get(b"connection", b"").lower() == b"close":
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        tmp = port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.sockets[0].getsockname()[1]))
        os.rename(tmp, port_file)
        while os.getppid() == parent:  # stop when the bench goes away
            await asyncio.sleep(0.5)

    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    asyncio.run(run())


class Sink:
    def __init__(self, work, mode):
        port_file = os.path.join(work, f"sink-{mode}.port")
        if os.path.exists(port_file):
            os.remove(port_file)
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--sink",
                                      port_file, mode, str(os.getpid())])
        deadline = time.time() + 15
        while not os.path.exists(port_file):
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"the {mode} receiver did not start")
            time.sleep(0.02)
        self.port = int(open(port_file).read())
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def get(self, what):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("GET", "/__" + what)
        return json.loads(c.getresponse().read() or b"{}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


# --- racine serve ---------------------------------------------------------------------------

def die_with_parent():
    """In the child: SIGTERM when the bench goes away, even killed (Linux's PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def serve(racine, store_args, work, name):
    out_path = os.path.join(work, name + ".out")
    token_file = os.path.join(work, name + ".admin-token")
    out = open(out_path, "w+")
    err = open(os.path.join(work, name + ".log"), "w")
    p = subprocess.Popen([racine, "serve", "--listen", "127.0.0.1:0", "--rate-limit", "0",
                          "--alerts-per-minute", "0", "--admin-token-file", token_file] +
                         store_args,
                         stdout=out, stderr=err, preexec_fn=die_with_parent)
    deadline = time.time() + 30
    while time.time() < deadline:
        out.seek(0)
        m = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", out.read())
        if m:
            with open(token_file) as f:
                return p, int(m.group(1)), f.read().strip()
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    raise SystemExit(f"racine serve did not start ({name}): see {out_path}")


def stop(p):
    p.terminate()
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def call(port, token, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse()
    return r.status, r.read().decode()


def setup(port, admin, tenants, receiver_of):
    """Tenants t00.. with their contract, their receiver for 'client' and an ingest token."""
    tokens = []
    for t in range(tenants):
        tid = f"t{t:02d}"
        for method, path, body, ok in (
                ("PUT", f"/api/v1/tenants/{tid}", {"name": f"Tenant {t}"}, (200, 201)),
                ("PUT", f"/api/v1/tenants/{tid}/contracts/main",
                 {"matrix": "managed-kubernetes", "version": 1, "party": "client"}, (200, 201)),
                ("PUT", f"/api/v1/tenants/{tid}/receivers/client",
                 {"type": "webhook", "url": receiver_of(t)}, (200, 201))):
            status, answer = call(port, admin, method, path, body)
            if status not in ok:
                raise SystemExit(f"{method} {path}: {status} {answer}")
        status, answer = call(port, admin, "POST", "/api/v1/tokens",
                              {"role": "ingest", "tenant": tid, "name": "bench"})
        if status != 201:
            raise SystemExit(f"POST /api/v1/tokens: {status} {answer}")
        tokens.append((tid, json.loads(answer)["token"]))
    return tokens


# --- the load -------------------------------------------------------------------------------

def alert(fp):
    return {"status": "firing", "startsAt": "2026-11-30T10:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": fp,
                       "severity": "critical"},
            "annotations": {"summary": "bench"},
            "generatorURL": "http://prometheus.bench/graph", "fingerprint": fp}


def post_alerts(port, tokens, rate, n, connections, tag, give_up_after, batch=1):
    """Request i (tenant i mod N) due at t0 + i/rate, each of `batch` new alerts (fingerprint
    TAG-i, or TAG-i-k); returns per request (tenant index, POST start, answer time, status),
    the achieved rate and how many were not sent."""
    bodies = []
    for i in range(n):
        fps = [f"{tag}-{i:06d}"] if batch == 1 else [f"{tag}-{i:06d}-{k}" for k in range(batch)]
        bodies.append(json.dumps({
            "version": "4", "groupKey": f"{{}}:{{alertname=\"KubePodCrashLooping\",pod=\"{fps[0]}\"}}",
            "status": "firing", "receiver": "racine", "groupLabels": {"pod": fps[0]},
            "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://alertmanager.bench",
            "truncatedAlerts": 0, "alerts": [alert(fp) for fp in fps]}))
    headers = [{"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
               for _, tok in tokens]
    results = [None] * n
    counter = itertools.count()
    t0 = time.monotonic() + 0.2
    # A bounded bench, whatever the server does.
    give_up = t0 + give_up_after

    def worker():
        conn = None
        while True:
            i = next(counter)
            if i >= n:
                break
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if time.monotonic() > give_up:
                break
            t = i % len(tokens)
            start = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("POST", f"/api/v1/tenants/{tokens[t][0]}/alertmanager",
                             body=bodies[i], headers=headers[t])
                r = conn.getresponse()
                r.read()
                status = r.status
            except (OSError, http.client.HTTPException):
                status = 0
                if conn is not None:
                    conn.close()
                conn = None
            results[i] = (t, start, time.monotonic() - start, status)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    sent = [r for r in results if r is not None]
    starts = sorted(r[1] for r in sent)
    achieved = (len(starts) - 1) / (starts[-1] - starts[0]) if len(starts) > 1 else 0.0
    return results, achieved, n - len(sent)


def pct(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def preload(port, admin, tokens, ok_sink, bad_url, failing_tenants, count, connections, tag):
    """`count` alerts in requests of 100, every receiver healthy, until each is delivered: the
    store then holds `count` sent pages and `count` escalations waiting for their time, as
    after count / rate seconds of steady load. Then the failing half's receivers are set."""
    started = time.monotonic()
    results, _, unsent = post_alerts(port, tokens, 1e9, (count + 99) // 100, connections,
                                     tag + "p", 600, batch=100)
    count = (count + 99) // 100 * 100
    if unsent or any(r[3] != 200 for r in results):
        raise SystemExit("preload: some requests were not accepted")
    while ok_sink.get("count")["arrivals"] < count:
        if time.monotonic() > started + 900:
            raise SystemExit("preload: not delivered within 15 minutes")
        time.sleep(0.5)
    for t in failing_tenants:
        status, answer = call(port, admin, "PUT", f"/api/v1/tenants/t{t:02d}/receivers/client",
                              {"type": "webhook", "url": bad_url})
        if status not in (200, 201):
            raise SystemExit(f"PUT receiver: {status} {answer}")
    ok_sink.get("reset")
    return time.monotonic() - started


def one_run(racine, work, engine, store_args, sinks, tenants, failing, rate, duration,
            connections, drain, tag, preloaded=0):
    ok_sink, bad = sinks
    for s in (ok_sink, bad):
        if isinstance(s, Sink):
            s.get("reset")
    failing_tenants = set(range(0, tenants, 2)) if failing else set()
    bad_url = bad.url if isinstance(bad, Sink) else bad

    def receiver_of(t):
        return bad_url if t in failing_tenants else ok_sink.url

    p, port, admin = serve(racine, store_args, work, tag)
    try:
        if preloaded:
            tokens = setup(port, admin, tenants, lambda t: ok_sink.url)
            preload(port, admin, tokens, ok_sink, bad_url, failing_tenants, preloaded,
                    connections, tag)
        else:
            tokens = setup(port, admin, tenants, receiver_of)
        results, achieved, unsent = post_alerts(port, tokens, rate, int(rate * duration),
                                                connections, tag, max(3 * duration, duration + 10))
        posted_at = time.monotonic()
        # The healthy receivers' alerts that racine accepted: each must arrive.
        expected = {f"{tag}-{i:06d}": r for i, r in enumerate(results)
                    if r is not None and r[3] == 200 and r[0] not in failing_tenants}
        arrivals = {}
        while time.monotonic() < posted_at + drain:
            arrivals = ok_sink.get("results")["arrivals"]
            if all(fp in arrivals for fp in expected):
                break
            time.sleep(0.2)
        got = ok_sink.get("results")
        arrivals = got["arrivals"]
        backlog = sum(1 for fp in expected if fp not in arrivals or arrivals[fp] > posted_at)
        bad_requests = bad.get("results")["requests"] if isinstance(bad, Sink) else None
    finally:
        stop(p)
    lat = sorted((arrivals[fp] - r[1]) * 1000 for fp, r in expected.items() if fp in arrivals)
    after = sorted((arrivals[fp] - r[1] - r[2]) * 1000 for fp, r in expected.items()
                   if fp in arrivals)
    answers = sorted(r[2] * 1000 for r in results if r is not None)
    last = max((arrivals[fp] for fp in expected if fp in arrivals), default=posted_at)
    refused = sum(1 for r in results if r is not None and r[3] != 200)
    return {
        "engine": engine, "target": rate, "achieved": achieved, "failing": failing,
        "post50": pct(answers, 0.5), "post99": pct(answers, 0.99),
        "p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "max": lat[-1] if lat else float("nan"),
        "outbox50": pct(after, 0.5), "outbox99": pct(after, 0.99),
        "delivered": len(lat), "expected": len(expected), "duplicates": got["duplicates"],
        "refused": refused, "unsent": unsent, "bad_requests": bad_requests,
        "posted": sum(1 for r in results if r is not None),
        "drain": max(0.0, last - posted_at), "backlog": backlog,
    }


HEADER = (f"  {'engine':10} {'rate target/achieved':>20} {'failing':>7} {'POST p50':>9} "
          f"{'p99':>7} {'e2e p50':>8} {'p99':>7} {'max':>7} {'outbox p50':>10} "
          f"{'backlog':>7} {'drain s':>7} {'delivered/expected':>18} {'failing attempts':>16}")


def row(r):
    bad = "" if r["bad_requests"] is None else str(r["bad_requests"])
    line = (f"  {r['engine']:10} {r['target']:>9}/{r['achieved']:<10.0f} "
            f"{'yes' if r['failing'] else 'no':>7} {r['post50']:9.1f} {r['post99']:7.1f} "
            f"{r['p50']:8.1f} {r['p99']:7.1f} {r['max']:7.0f} {r['outbox50']:10.1f} "
            f"{r['backlog']:7d} {r['drain']:7.2f} "
            f"{str(r['delivered']) + '/' + str(r['expected']):>18} {bad:>16}")
    notes = []
    if r["delivered"] < r["expected"]:
        notes.append(f"{r['expected'] - r['delivered']} missing after the drain")
    if r["duplicates"]:
        notes.append(f"{r['duplicates']} duplicates")
    if r["refused"]:
        notes.append(f"{r['refused']} POSTs not answered 200")
    if r["unsent"]:
        notes.append(f"{r['unsent']} not sent within the time allowed")
    return line + (f"  ({'; '.join(notes)})" if notes else "")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--sink":
        sink_main(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("racine")
    a.add_argument("--tenants", type=int, default=10)
    a.add_argument("--connections", type=int, default=16)
    a.add_argument("--failing", choices=("500", "closed", "hang"), default="500")
    a.add_argument("--rates", default="100:10,1000:5", help="RATE:SECONDS,... (default 100:10,1000:5)")
    a.add_argument("--repeat", type=int, default=1, help="each run this many times")
    a.add_argument("--drain", type=float, default=30, help="seconds allowed after the last POST")
    a.add_argument("--engines", default="sqlite,postgresql")
    a.add_argument("--preload", type=int, default=0,
                   help="alerts delivered before each run (their escalations wait 15 min)")
    a.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    opts = a.parse_args()
    racine = os.path.realpath(opts.racine)
    rates = [(int(x.split(":")[0]), float(x.split(":")[1])) for x in opts.rates.split(",")]
    work = tempfile.mkdtemp(prefix="racine-bench-latency-")
    pg_state = os.path.join(work, "pg-state")
    sinks = []
    try:
        ok_sink = Sink(work, "ok")
        sinks.append(ok_sink)
        if opts.failing == "closed":
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            bad = f"http://127.0.0.1:{s.getsockname()[1]}/hook"
            s.close()  # nobody listens there: connection refused
        else:
            bad = Sink(work, "500" if opts.failing == "500" else "hang")
            sinks.append(bad)
        engines = []
        if "sqlite" in opts.engines:
            engines.append(("SQLite", None))
        if "postgresql" in opts.engines:
            started = subprocess.run(["bash", f"{ROOT}/tests/pg/pg.sh", "start", pg_state],
                                     capture_output=True, text=True)
            if started.returncode == 0 and os.path.exists(pg_state) and os.path.getsize(pg_state):
                engines.append(("PostgreSQL", open(pg_state).read().strip()))
            else:
                print("  PostgreSQL: not measured (" +
                      (started.stderr.strip() or "pg.sh start failed") + ")")
        what = {"500": "always answer 500", "closed": "a closed port",
                "hang": "never answer"}[opts.failing]
        print(f"latency: Alertmanager POST (one new alert each, {opts.connections} keep-alive "
              f"connections, {opts.tenants} tenants in turn) to the receiving webhook; failing "
              f"half: {opts.tenants - opts.tenants // 2} of the {opts.tenants} receivers "
              f"{what}; " + (f"each store first holding {opts.preload} delivered alerts and "
                             f"their escalations; " if opts.preload else "a new store each run; ") +
              f"times in ms; {os.cpu_count()} cores shared with the server, the receivers and "
              f"this sender")
        print(HEADER)
        n = 0
        for engine, url in engines:
            for rate, duration in rates:
                for _ in range(opts.repeat):
                    for failing in (False, True):
                        n += 1
                        tag = f"r{n:02d}"
                        if url is None:
                            store_args = ["--data", os.path.join(work, tag)]
                        else:  # a database of its own in the same private server
                            m = re.match(r"postgresql:///racine\?host=([^&]+)&port=(\d+)", url)
                            subprocess.run([f"{PG_BIN}/createdb", "-h", m.group(1), "-p",
                                            m.group(2), "-U", "racine", tag], check=True)
                            store_args = ["--database", url.replace("/racine?", f"/{tag}?", 1)]
                        r = one_run(racine, work, engine, store_args, (ok_sink, bad),
                                    opts.tenants, failing, rate, duration, opts.connections,
                                    opts.drain, tag, opts.preload)
                        print(row(r), flush=True)
        print("  (POST: the answer, after the durable commit; e2e: the receiver has the "
              "delivery, from the POST's start; outbox: e2e less the POST's answer; backlog: "
              "healthy deliveries not yet arrived when the last POST was answered; drain: then "
              "until the last arrived; e2e, outbox, backlog and drain: healthy receivers only)")
    finally:
        for s in sinks:
            s.stop()
        subprocess.run(["bash", f"{ROOT}/tests/pg/pg.sh", "stop", pg_state], capture_output=True)
        if opts.keep:
            print(f"  (kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
