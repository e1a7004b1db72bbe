"""What the failover and upgrade tests share: prerequisites, ports, private processes,
`racine serve` started on a PostgreSQL URL, HTTP calls that keep their headers, and the
load (uploads, Alertmanager alerts, acknowledgements) whose answers are all recorded."""
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

PG_BIN = os.environ.get("RACINE_PG_BIN", "/usr/lib/postgresql/15/bin")


def missing(test, what):
    """Under CI=true a missing tool fails the test; elsewhere it is skipped (exit 77)."""
    message = f"{test}: {what} (make deps-test installs it)"
    if os.environ.get("CI") == "true":
        print("error: CI=true and " + message, file=sys.stderr)
        sys.exit(1)
    print("skipped: " + message, file=sys.stderr)
    sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args):
    """PostgreSQL refuses to run as root: run its tools as the user postgres then."""
    if os.getuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + args
    return args


def wait_until(what, check, seconds=30, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - a server not up yet
            value = None
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def call(method, url, token=None, body=None, content_type="application/json", timeout=30):
    """(status, headers, body text); an HTTP error is returned; a transport error gives
    status 0 with the exception's text as body."""
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()
    except Exception as e:  # noqa: BLE001 - connection refused or reset: recorded
        return 0, {}, f"{type(e).__name__}: {e}"


class Racine:
    """`racine serve` on a database URL, on a port of its own, admin token in a file."""

    def __init__(self, binary, url, tmp, name, extra=()):
        self.name = name
        self.token_file = os.path.join(tmp, f"{name}-admin-token")
        self.log = open(os.path.join(tmp, f"{name}.log"), "w")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--database", url,
             "--admin-token-file", self.token_file, "--rate-limit", "0", "--retry-initial", "1s",
             "--delivery-lease", "2s", *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()
            if "serving on http://127.0.0.1:" in line:
                break
        else:
            raise AssertionError(f"{name}: racine serve did not start (see {self.log.name})")
        threading.Thread(target=self._drain, daemon=True).start()
        self.api = f"http://127.0.0.1:{self.port}/api/v1"

    def _drain(self):
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()

    def admin_token(self):
        return open(self.token_file).read().strip() if os.path.exists(self.token_file) else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def setup_tenant(api, admin, sink_port):
    """A tenant acme with a contract on the built-in matrix, both parties' receivers on the
    webhook sink, and the tokens the load uses."""
    def ok(answer, *expected):
        assert answer[0] in expected, answer
        return answer[2]

    ok(call("PUT", f"{api}/tenants/acme", admin, {"name": "ACME"}), 201, 200)
    ok(call("PUT", f"{api}/tenants/acme/contracts/main", admin,
            {"matrix": "managed-kubernetes", "version": 1, "party": "client",
             "escalate_after": "1h"}), 201, 200)
    ok(call("PUT", f"{api}/tenants/acme/receivers/client", admin,
            {"type": "webhook", "url": f"http://127.0.0.1:{sink_port}/acme"}), 201, 200)
    ok(call("PUT", f"{api}/receivers/cloud-temple", admin,
            {"type": "webhook", "url": f"http://127.0.0.1:{sink_port}/provider"}), 201, 200)

    def token(role, name, tenant=None):
        body = {"role": role, "name": name}
        if tenant:
            body["tenant"] = tenant
        return json.loads(ok(call("POST", f"{api}/tokens", admin, body), 201))["token"]

    return {"editor": token("editor", "load-editor"),
            "ingest": token("ingest", "load-alertmanager", "acme")}


def alert_payload(fingerprint, starts):
    alert = {"status": "firing",
             "labels": {"alertname": "KubeNodeNotReady", "namespace": "kube-system",
                        "node": fingerprint},
             "annotations": {"summary": "from the failover test"},
             "startsAt": starts, "endsAt": "0001-01-01T00:00:00Z",
             "generatorURL": "http://prometheus.example/graph", "fingerprint": fingerprint}
    return {"version": "4", "groupKey": "{}:{alertname=\"x\"}", "truncatedAlerts": 0,
            "status": "firing", "receiver": "racine", "groupLabels": {}, "commonLabels": {},
            "commonAnnotations": {}, "externalURL": "http://alertmanager.example",
            "alerts": [alert]}


class Load:
    """Clients writing in threads until stopped, each answer recorded with its time:
    uploads of new versions (201 expected), alerts (200, the event's id), acknowledgements
    of the events accepted (200). `apis` is a list of base URLs the clients take turns on."""

    def __init__(self, apis, tokens, seed, matrix_doc, uploaders=2, senders=2, ackers=1):
        self.apis = apis
        self.tokens = tokens
        self.doc = matrix_doc
        self.seed = seed
        self.lock = threading.Lock()
        self.answers = []  # (time, kind, status, retry_after, client, detail)
        self.versions = {}  # matrix -> {version: sha256} answered 201 (or 200)
        self.events = {}  # event id -> fingerprint, answered 200
        self.acked = set()
        self.to_ack = []
        self.stopping = threading.Event()
        self.threads = []
        for i in range(uploaders):
            self.threads.append(threading.Thread(target=self._upload, args=(i,), daemon=True))
        for i in range(senders):
            self.threads.append(threading.Thread(target=self._alert, args=(i,), daemon=True))
        for i in range(ackers):
            self.threads.append(threading.Thread(target=self._ack, args=(i,), daemon=True))

    def start(self):
        for t in self.threads:
            t.start()

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=60)

    def _record(self, kind, answer, client, detail=""):
        status, headers, body = answer
        with self.lock:
            self.answers.append((time.monotonic(), kind, status, headers.get("Retry-After"),
                                 client, detail if status in (200, 201) else body[:200]))

    def _api(self, n):
        return self.apis[n % len(self.apis)]

    def _upload(self, i):
        matrix = f"ha-{self.seed}-{i}"
        n = 0
        while not self.stopping.is_set():
            n += 1
            doc = (self.doc + f"\n<!-- upload {i}.{n} -->\n").encode()
            sha = hashlib.sha256(doc).hexdigest()
            answer = call("POST", f"{self._api(n + i)}/matrices/{matrix}/versions?force=true",
                          self.tokens["editor"], doc, "text/markdown")
            detail = ""
            if answer[0] in (200, 201):
                # 201: stored now; 200: these bytes were stored already (a write whose
                # commit was answered by a failure, then tried again): acknowledged too.
                version = json.loads(answer[2]).get("version")
                with self.lock:
                    self.versions.setdefault(matrix, {})[version] = sha
                detail = f"{matrix}@{version}"
            self._record("upload", answer, f"uploader-{i}", detail)
            time.sleep(0.02)

    def _alert(self, i):
        n = 0
        base = datetime(2026, 12, 1, tzinfo=timezone.utc)
        while not self.stopping.is_set():
            n += 1
            fingerprint = f"{self.seed}-{i}-{n}"
            starts = (base + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            answer = call("POST", f"{self._api(n + i)}/tenants/acme/alertmanager",
                          self.tokens["ingest"], alert_payload(fingerprint, starts))
            detail = ""
            if answer[0] == 200:
                events = json.loads(answer[2]).get("events", [])
                if len(events) != 1 or not events[0].get("event"):
                    answer = (-1, {}, f"not one event: {answer[2][:200]}")
                else:
                    with self.lock:
                        self.events[events[0]["event"]] = fingerprint
                        self.to_ack.append(events[0]["event"])
                    detail = events[0]["event"]
            self._record("alert", answer, f"sender-{i}", detail)
            time.sleep(0.02)

    def _ack(self, i):
        n = 0
        while not self.stopping.is_set():
            with self.lock:
                event = self.to_ack.pop(0) if self.to_ack else None
            if event is None:
                time.sleep(0.05)
                continue
            n += 1
            answer = call("POST", f"{self._api(n + i)}/tenants/acme/events/{event}/ack",
                          self.tokens["editor"])
            if answer[0] == 200:
                with self.lock:
                    self.acked.add(event)
            elif answer[0] == 503:
                with self.lock:
                    self.to_ack.append(event)  # tried again later, as a client would
            self._record("ack", answer, f"acker-{i}", event)

    def counts(self):
        with self.lock:
            return (sum(len(v) for v in self.versions.values()), len(self.events), len(self.acked))

    def wrong_answers(self):
        """Answers other than 2xx and 503-with-Retry-After (none are expected here)."""
        with self.lock:
            return [a for a in self.answers
                    if not (a[2] in (200, 201) or (a[2] == 503 and a[3]))]

    def check_present(self, api, admin):
        """Every acknowledged write read back: (problems, counts)."""
        problems = []
        for matrix, versions in sorted(self.versions.items()):
            status, _, body = call("GET", f"{api}/matrices/{matrix}/versions", admin)
            stored = {v["version"]: v["sha256"] for v in json.loads(body)} if status == 200 else {}
            for version, sha in sorted(versions.items()):
                if stored.get(version) != sha:
                    problems.append(f"{matrix}@{version} answered 201 but stored as "
                                    f"{stored.get(version)}")
        status, _, body = call("GET", f"{api}/tenants/acme/events", admin)
        listed = json.loads(body) if status == 200 else []
        if isinstance(listed, dict):
            listed = listed.get("events", [])
        by_id = {e["id"]: e for e in listed}
        for event in sorted(self.events):
            e = by_id.get(event)
            if e is None:
                status, _, body = call("GET", f"{api}/tenants/acme/events/{event}", admin)
                e = json.loads(body) if status == 200 else None
            if e is None:
                problems.append(f"event {event} answered 200 but missing")
            elif event in self.acked and not e.get("acknowledged_at"):
                problems.append(f"event {event} acknowledged (200) but not stored as such: {e}")
        return problems
