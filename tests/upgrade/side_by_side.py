#!/usr/bin/env python3
"""A rolling upgrade: the previous release and this one serving one PostgreSQL at once.

usage: side_by_side.py PREVIOUS_RACINE NEW_RACINE SOURCE_DIR

PREVIOUS_RACINE is the release named in tests/upgrade/previous-release, built by
tests/upgrade/build-previous.sh (ctest upgrade_previous_build). Everything runs
privately: a PostgreSQL 15 (tests/pg/pg.sh), a webhook sink, the two `racine serve`.

  1. the previous release starts on the empty database (it migrates it), and clients
     upload versions, send alerts and acknowledge them through it;
  2. under that load, the new release starts on the same database (it applies the
     migrations the previous one lacks) and the clients use both, in turn;
  3. the previous release is restarted while the new one serves: it starts again on the
     database the new one migrated (a pod of the rolling upgrade restarting);
  4. the previous release is stopped; the new one serves alone.
Checked: every answer 2xx; both answer the same to the same `who` lookups, before and
after the new one migrates; every version uploaded through one is read back through the
other with the same bytes' hash; alerts accepted (and acknowledged) by both, each event
read back through the other; deliveries sent for them; the schema versions each release
knows and the database's, printed. Exit 0 when all holds, 1 otherwise, 77 when a tool is
missing outside CI.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ha"))
from ha_common import PG_BIN, Load, Racine, call, missing, setup_tenant, wait_until  # noqa: E402

TEST = "upgrade test"
QUESTIONS = ["qui sauvegarde les applications", "patch kubernetes security", "backup",
             "certificats", "who restores the etcd database"]


def who_answers(api, token):
    out = {}
    for q in QUESTIONS:
        status, _, body = call("GET", f"{api}/tenants/acme/contracts/main/who?"
                               + "q=" + q.replace(" ", "+"), token)
        out[q] = (status, body)
    return out


def main():
    previous, new, src = (os.path.abspath(a) for a in sys.argv[1:4])
    if not os.access(previous, os.X_OK):
        missing(TEST, f"no previous release at {previous} (ctest upgrade_previous_build builds "
                "it; it needs the commit in tests/upgrade/previous-release: fetch the history)")
    if not os.access(f"{PG_BIN}/initdb", os.X_OK):
        missing(TEST, f"no {PG_BIN}/initdb (Debian package postgresql-15)")
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="racine-upgrade-")
    state = os.path.join(tmp, "pg-state")
    subprocess.run(["bash", os.path.join(src, "tests", "pg", "pg.sh"), "start", state],
                   check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(state):
        missing(TEST, "no private PostgreSQL (Debian package postgresql-15)")
    url = open(state).read().strip()
    servers = []
    problems = []
    finished = False
    sink = None

    def schema():
        out = subprocess.run(
            [f"{PG_BIN}/psql", "-At", url, "-c",
             "SELECT version || ' ' || COALESCE(oldest_compatible, 0) FROM schema_migrations "
             "ORDER BY version DESC LIMIT 1"], capture_output=True, text=True)
        return out.stdout.strip() or out.stderr.strip()

    try:
        sink_out = os.path.join(tmp, "sink.jsonl")
        port_file = os.path.join(tmp, "sink.port")
        sink = subprocess.Popen([sys.executable, os.path.join(src, "tests", "routing", "sink.py"),
                                 port_file, sink_out], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        sink_port = int(wait_until("the webhook sink", lambda: os.path.exists(port_file) and
                                   open(port_file).read()))

        # 1. The previous release alone, migrating the empty database, under load.
        old = Racine(previous, url, tmp, "previous")
        servers.append(old)
        admin = wait_until("the first admin token", old.admin_token, seconds=10)
        tokens = setup_tenant(old.api, admin, sink_port)
        schema_previous = schema()
        doc = open(os.path.join(src, "data", "managed-kubernetes.md"), encoding="utf-8").read()
        who_before = who_answers(old.api, admin)
        for q, (status, body) in who_before.items():
            if status != 200:
                problems.append(f"who '{q}' by the previous release: {status} {body[:200]}")
        load_old = Load([old.api], tokens, "p", doc, uploaders=1, senders=1, ackers=1)
        load_old.start()
        time.sleep(2)

        # 2. The new release starts under that load, migrating; clients use both.
        t_new = time.monotonic()
        fresh = Racine(new, url, tmp, "new")
        servers.append(fresh)
        new_started = time.monotonic() - t_new
        schema_new = schema()
        load_both = Load([old.api, fresh.api], tokens, "b", doc, uploaders=2, senders=2,
                         ackers=1)
        load_both.start()
        time.sleep(3)
        for label, api in (("previous", old.api), ("new", fresh.api)):
            answers = who_answers(api, admin)
            if answers != who_before:
                problems.append(f"who by the {label} release after the migration differs: "
                                f"{answers} != {who_before}")

        # 3. The previous release restarted meanwhile (its clients moved off it first, as
        # a Service drains a terminating pod): it starts on the migrated database.
        load_old.stop()
        load_both.stop()
        if old.stop() != 0:
            problems.append(f"the previous release exited {old.proc.returncode} on SIGTERM")
        restarted = Racine(previous, url, tmp, "previous-restarted")
        servers.append(restarted)
        load_back = Load([restarted.api, fresh.api], tokens, "r", doc, uploaders=1, senders=1,
                         ackers=1)
        load_back.start()
        time.sleep(3)
        load_back.stop()

        # Everything written through one is read back through the other.
        for load in (load_old, load_both, load_back):
            wrong = load.wrong_answers() + [a for a in load.answers if a[2] == 503]
            for a in wrong[:10]:
                problems.append(f"{a[1]} by {a[4]}: {a[2]} {a[5]}")
            if wrong:
                problems.append(f"{len(wrong)} answers other than 2xx")
            for api in (restarted.api, fresh.api):
                problems += load.check_present(api, admin)
        by_server = {}
        for load in (load_both, load_back):
            for a in load.answers:
                if a[2] in (200, 201):
                    by_server[a[1]] = by_server.get(a[1], 0) + 1
        for kind in ("upload", "alert", "ack"):
            if by_server.get(kind, 0) == 0:
                problems.append(f"no {kind} answered 2xx side by side")
        # Requests alternate between the two: each served its share (the clients count
        # their requests; n % 2 picks the server).
        for label, api in (("previous", restarted.api), ("new", fresh.api)):
            status, _, body = call("GET", f"{api}/tenants/acme/events/"
                                   f"{next(iter(load_back.events))}", admin)
            if status != 200:
                problems.append(f"an event read through the {label} release: {status}")

        # 4. The previous release stops; the new one serves alone.
        code = restarted.stop()
        if code != 0:
            problems.append(f"the previous release exited {code} on SIGTERM")
        after = who_answers(fresh.api, admin)
        if after != who_before:
            problems.append("who by the new release alone differs")
        events = set(load_old.events) | set(load_both.events) | set(load_back.events)

        def delivered():
            got = set()
            if os.path.exists(sink_out):
                for line in open(sink_out, encoding="utf-8"):
                    try:
                        got.add(json.loads(json.loads(line)["body"])["event"])
                    except (ValueError, KeyError):
                        pass
            return got

        try:
            wait_until("every event's delivery", lambda: events <= delivered(), seconds=30)
        except AssertionError as e:
            problems.append(f"{e}: {len(events - delivered())} of {len(events)} undelivered")
        counts = [load.counts() for load in (load_old, load_both, load_back)]
        print(f"schema (database version, oldest compatible): after the previous release "
              f"{schema_previous}, after the new one {schema_new}"
              + (" (the new release migrated)" if schema_new != schema_previous else
                 " (no migration between these releases)"))
        print(f"new release started in {new_started:.2f} s under load")
        print(f"acknowledged writes (versions, events, acknowledgements): through the "
              f"previous release {counts[0]}, side by side {counts[1]}, previous restarted beside the new "
              f"{counts[2]}; all read back through both: "
              f"{not any('answered' in p for p in problems)}")
        print(f"test ran {time.monotonic() - started:.1f} s")
        finished = True
    finally:
        for s in servers:
            s.stop()
        if sink:
            sink.terminate()
            sink.wait()
        subprocess.run(["bash", os.path.join(src, "tests", "pg", "pg.sh"), "stop", state],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if problems or not finished:
            print(f"logs kept in {tmp}", file=sys.stderr)
        else:
            subprocess.run(["rm", "-rf", tmp])
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
