#!/usr/bin/env python3
"""racine rides a PostgreSQL failover: a real Patroni cluster, under load.

usage: failover.py RACINE_BINARY

Everything runs privately on 127.0.0.1, in a temporary folder, and stops at the end: a
one-member etcd (Debian's etcd-server), two Patroni nodes (Debian's patroni) each running
a PostgreSQL 15 (synchronous replication: Patroni's synchronous_mode), a webhook sink for
the deliveries, and two `racine serve` on libpq's multi-host URL
  postgresql://127.0.0.1:P1,127.0.0.1:P2/racine?target_session_attrs=read-write
Clients upload versions, send Alertmanager alerts and acknowledge them, through both
instances, while
  1. the primary is demoted: a Patroni switchover to the replica (a planned failover);
  2. the new primary dies: Patroni and PostgreSQL killed (SIGKILL, immediate stop), and
     the other node promoted once the leader's key expires (an unplanned failover).
Checked: every answer is 2xx or 503 with Retry-After; every write answered 2xx (versions,
events, acknowledgements) is read back afterwards, counted; alerts accepted after each
failover are delivered by the outbox on the new primary. Printed: how long writes
failed each time (time to recover). Exit 0 when all holds, 1 otherwise, 77 (skip) when a
tool is missing outside CI.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ha_common import (PG_BIN, Load, Racine, as_postgres, call, free_port, missing,  # noqa: E402
                       setup_tenant, wait_until)

TEST = "failover test"
PATRONI = os.environ.get("RACINE_PATRONI", "/usr/bin/patroni")
ETCD = os.environ.get("RACINE_ETCD", "/usr/bin/etcd")
SYSTEM_PYTHON = "/usr/bin/python3"  # Patroni's own interpreter


def prerequisites():
    if not os.access(ETCD, os.X_OK):
        missing(TEST, f"no {ETCD} (Debian package etcd-server)")
    if not os.access(PATRONI, os.X_OK):
        missing(TEST, f"no {PATRONI} (Debian package patroni)")
    if subprocess.run([SYSTEM_PYTHON, "-c", "import etcd"], capture_output=True).returncode != 0:
        missing(TEST, "Patroni cannot reach etcd: no python3-etcd (Debian package python3-etcd)")
    if not os.access(f"{PG_BIN}/postgres", os.X_OK):
        missing(TEST, f"no {PG_BIN}/postgres (Debian package postgresql-15)")
    if os.getuid() == 0 and subprocess.run(["id", "postgres"], capture_output=True).returncode:
        missing(TEST, "running as root without a user postgres (Debian package postgresql-15)")


def patroni_config(tmp, name, etcd_port, rest_port, pg_port):
    data = os.path.join(tmp, name)
    return f"""scope: racine-ha
name: {name}
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:{rest_port}
  connect_address: 127.0.0.1:{rest_port}
etcd3:
  hosts: 127.0.0.1:{etcd_port}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 3
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: false
      parameters:
        max_connections: 100
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        wal_keep_size: 64MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - auth: trust
postgresql:
  listen: 127.0.0.1:{pg_port}
  connect_address: 127.0.0.1:{pg_port}
  data_dir: {data}
  bin_dir: {PG_BIN}
  pgpass: {tmp}/{name}.pgpass
  authentication:
    superuser:
      username: postgres
      password: postgres
    replication:
      username: replicator
      password: replicator
  parameters:
    unix_socket_directories: {tmp}
    fsync: "on"
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
"""


def role_of(rest_port):
    """'primary', 'replica' or None, as the node's Patroni REST API says."""
    status, _, body = call("GET", f"http://127.0.0.1:{rest_port}/patroni", timeout=2)
    if status not in (200, 503) or not body.startswith("{"):
        return None
    j = json.loads(body)
    if j.get("state") != "running":
        return None
    return "primary" if j.get("role") in ("master", "primary") else j.get("role")


def synchronous(rest_port):
    return call("GET", f"http://127.0.0.1:{rest_port}/sync", timeout=2)[0] == 200


def recovery(answers, since):
    """(first failure, last failure, first success after it) of the writes after `since`,
    in seconds after `since`; None when nothing failed."""
    after = [a for a in answers if a[0] >= since]
    failed = [a[0] for a in after if a[2] not in (200, 201)]
    if not failed:
        return None
    last = max(failed)
    ok = [a[0] for a in after if a[0] > last and a[2] in (200, 201)]
    return (min(failed) - since, last - since, (min(ok) - since) if ok else None)


def delivered_events(sink_out):
    """Event ids of the deliveries the sink received."""
    out = set()
    if os.path.exists(sink_out):
        for line in open(sink_out, encoding="utf-8"):
            try:
                out.add(json.loads(json.loads(line)["body"])["event"])
            except (ValueError, KeyError):
                pass  # a line being written
    return out


def main():
    racine_binary = os.path.abspath(sys.argv[1])
    prerequisites()
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="racine-ha-")
    os.chmod(tmp, 0o755)
    if os.getuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    procs = []
    racines = []
    problems = []
    finished = False

    def start(args, log, **kw):
        p = subprocess.Popen(args, stdout=open(os.path.join(tmp, log), "w"),
                             stderr=subprocess.STDOUT, start_new_session=True, **kw)
        procs.append(p)
        return p

    try:
        etcd_port, peer_port = free_port(), free_port()
        start([ETCD, "--name", "e1", "--data-dir", os.path.join(tmp, "etcd"),
               "--listen-client-urls", f"http://127.0.0.1:{etcd_port}",
               "--advertise-client-urls", f"http://127.0.0.1:{etcd_port}",
               "--listen-peer-urls", f"http://127.0.0.1:{peer_port}",
               "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer_port}",
               "--initial-cluster", f"e1=http://127.0.0.1:{peer_port}",
               "--log-level", "warn"], "etcd.log")
        wait_until("etcd", lambda: call("GET", f"http://127.0.0.1:{etcd_port}/health",
                                        timeout=1)[0] == 200)

        nodes = {}
        for name in ("node1", "node2"):
            rest, pg = free_port(), free_port()
            config = os.path.join(tmp, f"{name}.yml")
            with open(config, "w") as f:
                f.write(patroni_config(tmp, name, etcd_port, rest, pg))
            nodes[name] = {"rest": rest, "pg": pg, "config": config}
        for name in ("node1", "node2"):
            nodes[name]["proc"] = start(as_postgres([PATRONI, nodes[name]["config"]]),
                                        f"{name}.patroni.log")
            if name == "node1":
                wait_until("node1 primary", lambda: role_of(nodes["node1"]["rest"]) == "primary",
                           seconds=60)
        wait_until("node2 a synchronous standby", lambda: synchronous(nodes["node2"]["rest"]),
                   seconds=60)
        cluster_up = time.monotonic() - started
        subprocess.run(as_postgres([f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p",
                                    str(nodes["node1"]["pg"]), "-U", "postgres", "-q", "-c",
                                    "CREATE DATABASE racine"]), check=True)
        url = (f"postgresql://postgres@127.0.0.1:{nodes['node1']['pg']},127.0.0.1:"
               f"{nodes['node2']['pg']}/racine?target_session_attrs=read-write")

        sink_out = os.path.join(tmp, "sink.jsonl")
        port_file = os.path.join(tmp, "sink.port")
        start([sys.executable, os.path.join(HERE, "..", "routing", "sink.py"), port_file,
               sink_out], "sink.log")
        sink_port = int(wait_until("the webhook sink", lambda: os.path.exists(port_file) and
                                   open(port_file).read()))

        first = Racine(racine_binary, url, tmp, "racine-a")
        racines.append(first)
        admin = wait_until("the first admin token", first.admin_token, seconds=10)
        second = Racine(racine_binary, url, tmp, "racine-b")
        racines.append(second)
        tokens = setup_tenant(first.api, admin, sink_port)
        doc = open(os.path.join(HERE, "..", "..", "data", "managed-kubernetes.md"),
                   encoding="utf-8").read()
        assert doc and "\n" in doc, "the built-in matrix's document"

        load = Load([first.api, second.api], tokens, "f", doc, uploaders=2, senders=2, ackers=2)
        load.start()
        time.sleep(4)
        before = load.counts()

        # 1. Planned: the primary demoted, the synchronous standby promoted.
        t1 = time.monotonic()
        status, _, body = call("POST", f"http://127.0.0.1:{nodes['node1']['rest']}/switchover",
                               body={"leader": "node1", "candidate": "node2"}, timeout=60)
        if status != 200:
            raise AssertionError(f"switchover refused: {status} {body}")
        wait_until("node2 primary", lambda: role_of(nodes["node2"]["rest"]) == "primary",
                   seconds=60)
        promoted1 = time.monotonic() - t1
        wait_until("node1 a synchronous standby", lambda: synchronous(nodes["node1"]["rest"]),
                   seconds=60)
        time.sleep(4)
        after_switchover = load.counts()
        cut1 = time.monotonic()
        switchover = recovery(load.answers, t1)
        accepted_after_1 = [e for t, kind, status, _, _, e in list(load.answers)
                            if kind == "alert" and status == 200 and t > cut1 - 2]

        # 2. Unplanned: the new primary's Patroni and PostgreSQL die at once.
        t2 = time.monotonic()
        os.killpg(nodes["node2"]["proc"].pid, signal.SIGKILL)
        subprocess.run(as_postgres([f"{PG_BIN}/pg_ctl", "-D", os.path.join(tmp, "node2"), "-m",
                                    "immediate", "stop"]), capture_output=True)
        wait_until("node1 primary again", lambda: role_of(nodes["node1"]["rest"]) == "primary",
                   seconds=60)
        promoted2 = time.monotonic() - t2
        time.sleep(4)
        load.stop()
        crash = recovery(load.answers, t2)
        accepted_after_2 = [e for t, kind, status, _, _, e in list(load.answers)
                            if kind == "alert" and status == 200 and t > t2]
        after = load.counts()

        # Every answer: 2xx, or 503 with Retry-After.
        wrong = load.wrong_answers()
        for a in wrong[:10]:
            problems.append(f"{a[1]} by {a[4]}: {a[2]} (Retry-After {a[3]}) {a[5]}")
        if wrong:
            problems.append(f"{len(wrong)} answers neither 2xx nor 503 with Retry-After")
        # Every acknowledged write read back, through either instance.
        problems += load.check_present(second.api, admin)
        problems += load.check_present(first.api, admin)
        # The outbox: the alerts accepted after each failover delivered (the first
        # delivery of each goes to the provider, Responsible for the platform).
        for label, accepted in (("switchover", accepted_after_1), ("crash", accepted_after_2)):
            if not accepted:
                problems.append(f"no alert accepted after the {label}")
                continue
            try:
                wait_until(f"deliveries of the alerts accepted after the {label}",
                           lambda: set(accepted) <= delivered_events(sink_out), seconds=30)
            except AssertionError as e:
                problems.append(f"{e}: {len(set(accepted) - delivered_events(sink_out))} of "
                                f"{len(accepted)} undelivered")
        statuses = {}
        for a in load.answers:
            statuses[(a[1], a[2])] = statuses.get((a[1], a[2]), 0) + 1
        for r in racines:
            if r.proc.poll() is not None:
                problems.append(f"{r.name} exited ({r.proc.returncode})")

        def fmt(r):
            if r is None:
                return "no failed request"
            first_fail, last_fail, ok = r
            return (f"writes failed (503) from {first_fail:.2f} s to {last_fail:.2f} s after it, "
                    f"first success again at {ok:.2f} s" if ok is not None else
                    f"failed from {first_fail:.2f} s, never recovered")

        print(f"cluster (etcd, 2 Patroni nodes) up in {cluster_up:.1f} s")
        print(f"acknowledged writes (versions, events, acknowledgements): before {before}, "
              f"after the switchover {after_switchover}, at the end {after}; all read back: "
              f"{not any('answered' in p for p in problems)}")
        print(f"switchover (primary demoted): new primary after {promoted1:.2f} s; "
              f"{fmt(switchover)}")
        print(f"crash (primary killed, ttl 10 s): new primary after {promoted2:.2f} s; "
              f"{fmt(crash)}")
        print("answers: " + ", ".join(f"{k[0]} {k[1]}: {n}" for k, n in sorted(statuses.items())))
        print(f"alerts accepted after the switchover {len(accepted_after_1)}, after the crash "
              f"{len(accepted_after_2)}, delivered: "
              f"{not any('deliveries' in p or 'undelivered' in p for p in problems)}")
        print(f"test ran {time.monotonic() - started:.1f} s")
        finished = True
    finally:
        for r in racines:
            r.stop()
        for p in reversed(procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        for name in ("node1", "node2"):
            subprocess.run(as_postgres([f"{PG_BIN}/pg_ctl", "-D", os.path.join(tmp, name), "-m",
                                        "immediate", "stop"]), capture_output=True)
        if problems or not finished or os.environ.get("RACINE_KEEP_TMP"):
            print(f"logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
