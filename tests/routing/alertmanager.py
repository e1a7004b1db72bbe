#!/usr/bin/env python3
"""Alert routing with a real Alertmanager (Debian's 0.25) in front of a real `racine serve`.

usage: alertmanager.py RACINE_BINARY

Everything runs as private processes on 127.0.0.1 with ports of their own and stops at
the end: an Alertmanager (temporary config and storage, clustering off) whose webhook
receiver posts to racine with an ingest token; a webhook sink (sink.py) for Cloud Temple;
an SMTP sink (aiosmtpd, a Maildir) for the client, whose receiver is an email address.
Alerts are posted to Alertmanager's API, then resolved. Checked: who gets what (R, I, A),
the escalation when nobody acknowledges, the resolution, and the emails' headers.
Exit 0 when all holds, 1 with what differs, 77 (skip) when a tool is missing outside CI.
"""
import email
import email.header
import json
import mailbox
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from racine_http import http, wait_until  # noqa: E402
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
PYTHON = "/usr/bin/python3"  # Debian's, with python3-aiosmtpd


def missing(what):
    message = f"alertmanager test: {what} (make deps-test installs it)"
    if os.environ.get("CI") == "true":
        print(message, file=sys.stderr)
        sys.exit(1)
    print(message + "; skipped", file=sys.stderr)
    sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    racine = sys.argv[1]
    if not os.access(ALERTMANAGER, os.X_OK):
        missing(f"no {ALERTMANAGER} (Debian package prometheus-alertmanager)")
    if subprocess.run([PYTHON, "-c", "import aiosmtpd"], capture_output=True).returncode != 0:
        missing("no aiosmtpd for /usr/bin/python3 (Debian package python3-aiosmtpd)")

    tmp = tempfile.mkdtemp(prefix="racine-am-")
    procs = []

    def start(args, **kw):
        p = subprocess.Popen(args, **kw)
        procs.append(p)
        return p

    try:
        # Receivers: a webhook sink for Cloud Temple, an SMTP sink for the client.
        sink_out = os.path.join(tmp, "sink.jsonl")
        start([sys.executable, os.path.join(HERE, "sink.py"), os.path.join(tmp, "sink.port"),
               sink_out])
        sink_port = int(wait_until("the webhook sink", lambda: os.path.exists(
            os.path.join(tmp, "sink.port")) and open(os.path.join(tmp, "sink.port")).read()))
        maildir = os.path.join(tmp, "mail")
        smtp_port = free_port()
        start([PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c",
               "aiosmtpd.handlers.Mailbox", maildir], stderr=subprocess.DEVNULL)
        wait_until("the SMTP sink", lambda: _listening(smtp_port))

        # A fixed port: Alertmanager's configuration names it, and racine comes back on
        # it after being killed.
        port = free_port()

        def start_racine():
            serve = start([racine, "serve", "--listen", f"127.0.0.1:{port}", "--data",
                           os.path.join(tmp, "data"), "--smtp", f"smtp://127.0.0.1:{smtp_port}",
                           "--smtp-from", "racine@provider.example", "--retry-initial", "1s",
                           "--delivery-lease", "2s"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            token = None
            for line in serve.stdout:
                if "the first admin token is in " in line:
                    path = line.split("the first admin token is in ", 1)[1].split(" (")[0]
                    with open(path) as f:
                        token = f.read().strip()
                if "serving on http://127.0.0.1:" in line:
                    return serve, token
            raise AssertionError("racine serve did not start")

        serve, admin = start_racine()
        assert admin, "no admin token on the first start"
        api = f"http://127.0.0.1:{port}/api/v1"
        assert http("PUT", f"{api}/tenants/acme", admin, {"name": "ACME"})[0] == 201
        status, body = http("PUT", f"{api}/tenants/acme/contracts/main", admin,
                            {"matrix": "managed-kubernetes", "version": 1, "party": "client",
                             "escalate_after": "3s"})
        assert status == 201, body
        assert http("PUT", f"{api}/tenants/acme/receivers/client", admin,
                    {"type": "email", "to": "ops@acme.example"})[0] == 201
        assert http("PUT", f"{api}/receivers/cloud-temple", admin,
                    {"type": "webhook", "url": f"http://127.0.0.1:{sink_port}/provider"})[0] == 201
        status, body = http("POST", f"{api}/tokens", admin,
                            {"role": "ingest", "tenant": "acme", "name": "alertmanager"})
        ingest = json.loads(body)["token"]

        am_port = free_port()
        config = os.path.join(tmp, "alertmanager.yml")
        with open(config, "w") as f:
            f.write(f"""route:
  receiver: racine
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: racine
    webhook_configs:
      - url: {api}/tenants/acme/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {ingest}
""")
        start([ALERTMANAGER, f"--config.file={config}", f"--storage.path={tmp}/am",
               f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address=",
               "--log.level=warn"], stderr=open(os.path.join(tmp, "am.log"), "w"))
        am = f"http://127.0.0.1:{am_port}"
        wait_until("Alertmanager", lambda: _ok(f"{am}/-/ready"))

        now = datetime.now(timezone.utc)
        alerts = [
            {"labels": {"alertname": "KubeNodeNotReady", "namespace": "kube-system",
                        "node": "worker-1"},
             "annotations": {"summary": "worker-1 is not ready"}},
            {"labels": {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": "cart-0"},
             "annotations": {"summary": "cart-0 restarts"}},
        ]
        for a in alerts:
            a["startsAt"] = now.isoformat()
        status, body = http("POST", f"{am}/api/v2/alerts", None, alerts)
        assert status == 200, body

        def webhooks():
            out = []
            if os.path.exists(sink_out):
                for line in open(sink_out):
                    r = json.loads(line)
                    b = json.loads(r["body"])
                    out.append(f'{r["path"]} {b["kind"]} {b["role"]} '
                               f'{b["alert"]["labels"]["alertname"]}')
            return sorted(out)

        def mails():
            out = []
            if os.path.isdir(maildir):
                for m in mailbox.Maildir(maildir, create=False):
                    subject = str(email.header.make_header(email.header.decode_header(
                        m["Subject"])))
                    out.append((m["To"], subject, m))
            return sorted(out, key=lambda t: t[1])

        # Firing: Cloud Temple R for the platform alert (A too: escalated after 3 s, nobody
        # acknowledges); the client I for it, and R and A for the application alert.
        expected_hooks = ["/provider escalation A KubeNodeNotReady",
                          "/provider firing R KubeNodeNotReady"]
        expected_mails = [
            "[racine] ESCALATION KubePodCrashLooping: Gérer les alertes liées aux applications "
            "(acme/main)",
            "[racine] FIRING KubePodCrashLooping: Gérer les alertes liées aux applications "
            "(acme/main)",
            "[racine] INFORMED KubeNodeNotReady: Gérer les alertes liées au service Kubernetes "
            "(acme/main)",
        ]
        wait_until("the firing deliveries",
                   lambda: len(webhooks()) >= 2 and len(mails()) >= 3, seconds=40)
        time.sleep(1)
        problems = []
        if webhooks() != expected_hooks:
            problems.append(f"webhooks: {webhooks()} != {expected_hooks}")
        got = [s for _, s, _ in mails()]
        if got != expected_mails:
            problems.append(f"mails: {got} != {expected_mails}")
        for to, subject, m in mails():
            if to != "ops@acme.example" or m["From"] != "racine@provider.example":
                problems.append(f"mail headers: To {to}, From {m['From']}")
            if not m["Message-ID"].startswith("<dlv-"):
                problems.append(f"Message-ID {m['Message-ID']}")
            text = m.get_payload(decode=True).decode()
            if "/api/v1/tenants/acme/events/" not in text or "Labels:" not in text:
                problems.append(f"mail body of '{subject}': {text!r}")

        # Resolved (endsAt in the past): the Responsible parties hear it.
        for a in alerts:
            a["endsAt"] = (datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat()
        status, body = http("POST", f"{am}/api/v2/alerts", None, alerts)
        assert status == 200, body
        wait_until("the resolved deliveries",
                   lambda: len(webhooks()) >= 3 and len(mails()) >= 4, seconds=40)
        time.sleep(1)
        if webhooks() != sorted(expected_hooks + ["/provider resolved R KubeNodeNotReady"]):
            problems.append(f"after resolving, webhooks: {webhooks()}")
        got = [s for _, s, _ in mails()]
        resolved = ("[racine] RESOLVED KubePodCrashLooping: Gérer les alertes liées aux "
                    "applications (acme/main)")
        if got != sorted(expected_mails + [resolved]):
            problems.append(f"after resolving, mails: {got}")

        # The events as the client sees them.
        status, body = http("GET", f"{api}/tenants/acme/events", admin)
        events = json.loads(body)
        if [e["status"] for e in events] != ["resolved", "resolved"]:
            problems.append(f"events: {body}")
        # Nothing lost: racine is killed (SIGKILL) while Alertmanager sends a stream of
        # platform alerts; Alertmanager retries what got no answer, racine comes back on
        # the same port and store, and every alert reaches Cloud Temple as R exactly once
        # after deduplication by Idempotency-Key.
        def post_nodes(first, last):
            batch = [{"labels": {"alertname": "KubeNodeNotReady", "namespace": "kube-system",
                                 "node": f"node-{i}"},
                      "startsAt": datetime.now(timezone.utc).isoformat()}
                     for i in range(first, last)]
            status, body = http("POST", f"{am}/api/v2/alerts", None, batch)
            assert status == 200, body

        nodes = 30
        post_nodes(0, 10)
        time.sleep(0.5)
        post_nodes(10, 20)
        serve.kill()
        serve.wait()
        post_nodes(20, nodes)
        time.sleep(2)
        serve, _ = start_racine()

        def firing_keys():
            keys = {}
            for line in open(sink_out):
                r = json.loads(line)
                b = json.loads(r["body"])
                node = b["alert"]["labels"].get("node", "")
                if b["kind"] == "firing" and node.startswith("node-") and r["status"] == 200:
                    keys.setdefault(node, set()).add(r["idempotency_key"])
            return keys

        try:
            wait_until("every node alert at Cloud Temple",
                       lambda: len(firing_keys()) == nodes, seconds=90)
        except AssertionError:
            pass
        keys = firing_keys()
        if len(keys) != nodes:
            problems.append(f"after the kill, {len(keys)} of {nodes} node alerts reached Cloud "
                            f"Temple: missing {sorted(set(f'node-{i}' for i in range(nodes)) - set(keys))}")
        twice = {n: k for n, k in keys.items() if len(k) != 1}
        if twice:
            problems.append(f"after the kill, alerts delivered under several keys: {twice}")

        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        print("alertmanager: firing, escalation, informed and resolved reached Cloud Temple "
              "(webhook) and the client (email) as the contract says; after a SIGKILL, all "
              f"{nodes} alerts of the stream reached Cloud Temple once")
        return 0
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
