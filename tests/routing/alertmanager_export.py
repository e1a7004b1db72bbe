#!/usr/bin/env python3
"""`racine export --format alertmanager` checked by Debian's amtool (Alertmanager 0.25).

usage: alertmanager_export.py RACINE_BINARY SOURCE_DIR

For each contract below (options, the client's party; the built-in rules, then rules of
this test that use every glob form the export translates), the exported configuration
must pass `amtool check-config`, and for every alert of the routing tests
(tests/server/routing_support.h, `racine route test`'s in tests/cli/test_k8s_cli.cpp and
docs/routing.md, tests/data/k8s/alerts.json, and this test's own),
`amtool config routes test` must name exactly the parties, in the same order, that
`racine route test --json` delivers to: R, then I, then A (the escalation's route).

Then the built-in export runs in Debian's Alertmanager (private, on 127.0.0.1, clustering
off), its receivers given webhooks to a sink (sink.py) and short waits: a platform alert
pages Cloud Temple and informs the client at once, then escalates to Cloud Temple after
escalate_after (the same receiver as the page: the escalation's route must not be taken
for a repeat); one silenced during the wait (the acknowledgement here) does not escalate,
nor does an application alert resolved during the wait, whose resolution the client gets.
Exit 0 when all holds, 1 with what differs, 77 (skip) when a tool is missing outside CI.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from racine_http import http, wait_until  # noqa: E402

AMTOOL = "/usr/bin/amtool"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
HERE = os.path.dirname(os.path.abspath(__file__))
NOBODY = "(nobody)"  # route::k_nobody_receiver: routes that reach no party

# tests/server/routing_support.h: k_platform, k_application, k_certificate, k_unclassified.
ROUTING_TESTS = [
    {"alertname": "KubeNodeNotReady", "namespace": "kube-system"},
    {"alertname": "KubePodCrashLooping", "namespace": "shop"},
    {"alertname": "CertificateExpiringSoon", "namespace": "shop"},
    {"job": "backup"},
]
# `racine route test` in tests/cli/test_k8s_cli.cpp (RouteCli) and docs/routing.md.
ROUTE_TEST = [
    {"job": "x"},
    {"a": "b"},
    {"alertname": "TargetDown", "namespace": "shop"},
    {"alertname": "KubePodCrashLooping", "namespace": "shop", "severity": "warning"},
    {"alertname": "KubePodCrashLooping", "namespace": "shop", "severity": "critical"},
]

# Rules of this test: every form of glob and matcher the export writes, against the
# built-in matrix's activities.
RULES = r"""racine-kubernetes: 1
sets:
  teams: ["team-*", "squad-?"]
rules:
  - name: objects-only
    kind: Pod
    activity: deployer-et-gerer-les-applications-dans-kubernetes
  - name: team-namespaces
    namespace: ["@teams", "!team-b*"]
    activity: gerer-les-alertes-liees-aux-applications
  - name: brackets
    alertname: "Disk.*"
    namespace: ["[a-c]?-prod", "x[!0-9]", "[]z]-y", "[[:digit:]]x"]
    activity: gerer-les-alertes-liees-au-service-kubernetes
  - name: literals
    namespace: ['lit\*eral', "dot.ns", "a|b", "(paren)", "caret^$"]
    labels: ['severity=~"critical|page"', 'team!="ops"']
    activity: mettre-en-oeuvre-et-gerer-les-sauvegardes-des-applications
  - name: quoted-values
    labels: ['summary="say \"hi\" \\ bye"', 'tier!~"gold|silver"', 'zone=~"eu-.*"']
    activity: configurer-les-pipelines-ci-cd
  - name: no-namespace
    alertname: ".+"
    namespace: ""
    activity: gerer-les-certificats-ssl-tls-pour-le-service-kubernetes
  - name: any-namespace
    namespace: "?*"
    labels: ['severity!=""']
    activity: gerer-les-images-de-conteneurs-et-les-registres
"""
RULES_ALERTS = [
    {"alertname": "X", "namespace": "team-a"},
    {"alertname": "X", "namespace": "team-b1"},
    {"alertname": "X", "namespace": "squad-1"},
    {"alertname": "X", "namespace": "squad-12", "severity": "warning"},
    {"alertname": "DiskFull", "namespace": "ab-prod"},
    {"alertname": "DiskFull", "namespace": "c9-prod"},
    {"alertname": "DiskFull", "namespace": "d1-prod"},
    {"alertname": "DiskFull", "namespace": "xq"},
    {"alertname": "DiskFull", "namespace": "x5"},
    {"alertname": "DiskFull", "namespace": "]-y"},
    {"alertname": "DiskFull", "namespace": "z-y"},
    {"alertname": "DiskFull", "namespace": "7x"},
    {"alertname": "Other", "namespace": "7x"},
    {"namespace": "lit*eral", "severity": "page"},
    {"namespace": "litXeral", "severity": "page"},
    {"namespace": "dot.ns", "severity": "critical"},
    {"namespace": "dotXns", "severity": "critical"},
    {"namespace": "a|b", "severity": "critical"},
    {"namespace": "a", "severity": "critical"},
    {"namespace": "(paren)", "severity": "critical", "team": "dev"},
    {"namespace": "(paren)", "severity": "critical", "team": "ops"},
    {"namespace": "caret^$", "severity": "page"},
    {"namespace": "dot.ns", "severity": "warning"},
    {"summary": 'say "hi" \\ bye', "zone": "eu-west"},
    {"summary": 'say "hi" \\ bye', "zone": "eu-west", "tier": "gold"},
    {"summary": "say hi", "zone": "eu-west"},
    {"alertname": "Lonely"},
    {"alertname": "Lonely", "namespace": ""},
    {"severity": "info"},
    {"namespace": "shop", "severity": "info"},
    {"namespace": "shop"},
]

CONTRACTS = [
    ([], None),
    (["infogerance-complementaire"], None),
    ([], "cloud-temple"),
    (["infogerance-complementaire"], "Cloud Temple"),
]


def missing(what):
    message = f"alertmanager export test: {what} (make deps-test installs it)"
    if os.environ.get("CI") == "true":
        print(message, file=sys.stderr)
        sys.exit(1)
    print(message + "; skipped", file=sys.stderr)
    sys.exit(77)


def quoted(value):
    """A label as amtool's arguments take it: Alertmanager's matcher syntax."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def live(racine, tmp, problems):
    """The built-in export in a real Alertmanager: escalation, silence, resolution."""
    port_file, out = os.path.join(tmp, "sink.port"), os.path.join(tmp, "sink.jsonl")
    procs = [subprocess.Popen([sys.executable, os.path.join(HERE, "sink.py"), port_file, out])]
    try:
        wait_until("the sink", lambda: os.path.exists(port_file))
        with open(port_file, encoding="utf-8") as f:
            sink = f"http://127.0.0.1:{f.read().strip()}"
        config = os.path.join(tmp, "live.yml")
        r = subprocess.run([racine, "export", "--format", "alertmanager", "--escalate-after",
                            "6s", "-o", config], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"live: export: exit {r.returncode}: {r.stderr}")
            return
        with open(config, encoding="utf-8") as f:
            text = f.read()
        # What a client adds: its waits, and an integration per receiver.
        text = text.replace("  group_by: ['...']", "  group_by: ['...']\n  group_wait: 500ms\n"
                            "  group_interval: 1s\n  repeat_interval: 1h", 1)
        for party in ("client", "cloud-temple"):
            text = text.replace(f"  - name: {party}  #", f"  - name: {party}\n    webhook_configs:"
                                f" [{{url: '{sink}/{party}', send_resolved: true}}]\n    #", 1)
        with open(config, "w", encoding="utf-8") as f:
            f.write(text)
        am_port = free_port()
        am = f"http://127.0.0.1:{am_port}"
        procs.append(subprocess.Popen(
            [ALERTMANAGER, f"--config.file={config}", f"--storage.path={tmp}/am-data",
             f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "am.log"), "w")))
        wait_until("Alertmanager", lambda: _ready(f"{am}/-/ready"))

        def alert(labels, ends=None):
            a = {"labels": labels}
            if ends:
                a["endsAt"] = ends
            return a

        platform = {"alertname": "KubeNodeNotReady", "namespace": "kube-system"}
        a1, a2 = dict(platform, node="a1"), dict(platform, node="a2")
        a3 = {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "a3"}
        start, posted = time.monotonic(), time.time()
        status, body = http("POST", f"{am}/api/v2/alerts", None, [alert(a1), alert(a2),
                                                                  alert(a3)])
        if status != 200:
            problems.append(f"live: Alertmanager refused the alerts: {status} {body}")
            return

        def seen():
            if not os.path.exists(out):
                return []
            got = []
            with open(out, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    b = json.loads(r["body"])
                    for a in b["alerts"]:
                        who = a["labels"].get("node") or a["labels"].get("pod")
                        got.append((r["path"].lstrip("/"), a["status"], who, r["received_at"]))
            return got

        # The pages and notices at once: Cloud Temple R and the client I of the platform
        # alerts, the client R of the application one.
        wait_until("the first notifications", lambda: len(seen()) >= 5, seconds=20)
        # a2 acknowledged by a silence, a3 resolved, both before the escalation's wait ends.
        silence = {"matchers": [{"name": "node", "value": "a2", "isRegex": False}],
                   "startsAt": datetime.now(timezone.utc).isoformat(),
                   "endsAt": (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(),
                   "createdBy": "test", "comment": "acknowledged"}
        status, body = http("POST", f"{am}/api/v2/silences", None, silence)
        if status != 200:
            problems.append(f"live: Alertmanager refused the silence: {status} {body}")
            return
        now = datetime.now(timezone.utc).isoformat()
        http("POST", f"{am}/api/v2/alerts", None, [alert(a3, now)])
        escalated = time.monotonic()
        if escalated - start > 5:
            problems.append(f"live: the first notifications took {escalated - start:.1f} s, "
                            "too long to tell them from escalations")
            return
        try:
            wait_until("the escalation", lambda: len(seen()) >= 7, seconds=20)
        except AssertionError as e:
            problems.append(f"live: {e}; the sink got {sorted(g[:3] for g in seen())}")
            return
        time.sleep(3)  # nothing more comes: no escalation of a2 or a3
        got = seen()
        expected = sorted([("cloud-temple", "firing", "a1"), ("client", "firing", "a1"),
                           ("cloud-temple", "firing", "a2"), ("client", "firing", "a2"),
                           ("client", "firing", "a3"), ("client", "resolved", "a3"),
                           ("cloud-temple", "firing", "a1")])
        if sorted(g[:3] for g in got) != expected:
            problems.append(f"live: the sink got {sorted(g[:3] for g in got)}, not {expected}")
            return
        a1_pages = sorted(g[3] for g in got if g[:3] == ("cloud-temple", "firing", "a1"))
        page, escalation = a1_pages[0] - posted, a1_pages[1] - posted
        if page > 5 or escalation < 5.95:
            problems.append(f"live: Cloud Temple was paged {page:.1f} s and escalated to "
                            f"{escalation:.1f} s after the alert, not at once and after "
                            "escalate_after (6s)")
        print(f"alertmanager export, live: paged {page:.1f} s after the alert, escalated "
              f"{escalation:.1f} s after it (escalate_after 6s); the silenced alert and the "
              "resolved one were not escalated")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


def _ready(url):
    try:
        return http("GET", url)[0] == 200
    except OSError:
        return False


def main():
    racine, source = sys.argv[1], sys.argv[2]
    if not os.access(AMTOOL, os.X_OK):
        missing(f"no {AMTOOL} (Debian package prometheus-alertmanager)")
    if not os.access(ALERTMANAGER, os.X_OK):
        missing(f"no {ALERTMANAGER} (Debian package prometheus-alertmanager)")
    with open(os.path.join(source, "tests/data/k8s/alerts.json"), encoding="utf-8") as f:
        payload_alerts = [a["labels"] for a in json.load(f)["alerts"]]
    builtin_alerts = ROUTING_TESTS + ROUTE_TEST + payload_alerts
    problems = []
    checks = 0
    with tempfile.TemporaryDirectory(prefix="racine-amexport-") as tmp:
        rules_file = os.path.join(tmp, "rules.k8s.yaml")
        with open(rules_file, "w", encoding="utf-8") as f:
            f.write(RULES)
        for rules, alerts in ((None, builtin_alerts), (rules_file, RULES_ALERTS)):
            for options, party in CONTRACTS:
                args = [a for o in options for a in ("--with", o)]
                if party:
                    args += ["--party", party]
                if rules:
                    args += ["--rules", rules]
                config = os.path.join(tmp, "alertmanager.yml")
                r = subprocess.run([racine, "export", "--format", "alertmanager", "-o", config]
                                   + args, capture_output=True, text=True)
                if r.returncode != 0:
                    problems.append(f"export {args}: exit {r.returncode}: {r.stderr}")
                    continue
                c = subprocess.run([AMTOOL, "check-config", config], capture_output=True,
                                   text=True)
                if c.returncode != 0 or "SUCCESS" not in c.stdout:
                    problems.append(f"amtool check-config refuses the export {args}:\n"
                                    f"{c.stdout}{c.stderr}")
                    continue
                for labels in alerts:
                    route = subprocess.run(
                        [racine, "route", "test", "--json"] + args
                        + [a for k, v in labels.items() for a in ("--label", f"{k}={v}")],
                        capture_output=True, text=True)
                    if route.returncode not in (0, 1):
                        problems.append(f"route test {args} {labels}: exit "
                                        f"{route.returncode}: {route.stderr}")
                        continue
                    plan = json.loads(route.stdout)
                    expected = [d["party"] for d in plan["deliveries"]]
                    am = subprocess.run(
                        [AMTOOL, "config", "routes", "test", f"--config.file={config}"]
                        + [f"{k}={quoted(v)}" for k, v in labels.items()],
                        capture_output=True, text=True)
                    got = [x for x in am.stdout.strip().split(",") if x and x != NOBODY]
                    checks += 1
                    if am.returncode != 0 or got != expected:
                        roles = [d["role"] for d in plan["deliveries"]]
                        problems.append(
                            f"{labels} {args}: racine delivers to {expected} ({roles}, rule "
                            f"{plan['rule']}), amtool names {am.stdout.strip()!r} "
                            f"(exit {am.returncode}) {am.stderr.strip()}")
        live(racine, tmp, problems)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"alertmanager export: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"alertmanager export: accepted by amtool check-config for {len(CONTRACTS) * 2} "
          f"contracts; amtool names the parties racine delivers to for {checks} alerts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
