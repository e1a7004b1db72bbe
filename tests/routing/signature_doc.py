#!/usr/bin/env python3
"""The receiver's check documented in docs/routing.md ("Checking a delivery"), run on a
real delivery.

usage: signature_doc.py RACINE_BINARY SOURCE_DIR

The Python block of that section (the one that starts with `# verify_racine_delivery`)
is taken from SOURCE_DIR/docs/routing.md and executed as it is. A private `racine serve`
(127.0.0.1, a port of its choosing, a temporary SQLite store) gets a tenant, a contract,
a webhook receiver with a secret for the client (a small HTTP server of this script that
records headers and raw body) and one Alertmanager alert; the delivery it sends is then
checked with the documented function: accepted when it arrives; refused 301 s later (a
replay), with one byte of the body changed, with a wrong secret, and with a timestamp
301 s ahead of the receiver's clock. When `go` is on PATH, the Go block of the section
(`// verifyRacineDelivery`) is compiled in a temporary module and given the same cases;
otherwise that part is skipped and said so. Exit 0 when all holds, 1 otherwise.
"""
import base64
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from racine_http import http, wait_until  # noqa: E402

SECRET = b"s3cret"
ALERT = {"version": "4", "status": "firing",
         "alerts": [{"status": "firing",
                     "labels": {"alertname": "KubePodCrashLooping", "namespace": "shop"},
                     "annotations": {}, "startsAt": "2026-12-06T10:00:00Z",
                     "fingerprint": "f1"}]}


def doc_block(doc, language, first_line):
    """The one fenced block of `language` in `doc` whose first line starts `first_line`."""
    blocks = [b for b in re.findall(r"^```" + language + r"\n(.*?)^```$", doc, re.M | re.S)
              if b.startswith(first_line)]
    if len(blocks) != 1:
        raise AssertionError(f"docs/routing.md: {len(blocks)} ```{language} blocks start with "
                             f"'{first_line}', expected 1")
    return blocks[0]


def expect(what, status_body, status):
    if status_body[0] != status:
        raise AssertionError(f"{what}: {status_body[0]} {status_body[1]}, expected {status}")
    return status_body[1]


class Receiver(BaseHTTPRequestHandler):
    """Records every POST (time, path, headers, raw body) and answers 200."""
    received = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        record = {"received_at": time.time(), "path": self.path,
                  "headers": dict(self.headers.items()), "body": body}
        with Receiver.lock:
            Receiver.received.append(record)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


def start_racine(racine, data, stderr):
    """`racine serve` on 127.0.0.1:0; returns the process, its port and the admin token.
    A thread keeps reading its standard output so that the pipe never fills."""
    serve = subprocess.Popen([racine, "serve", "--listen", "127.0.0.1:0", "--data", data],
                             stdout=subprocess.PIPE, stderr=stderr, text=True)
    lines = queue.Queue()

    def read():
        for line in serve.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    token, port = None, None
    deadline = time.monotonic() + 30
    while port is None:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError("racine serve did not say where it serves within 30 s")
        if line is None:
            raise AssertionError(f"racine serve stopped (exit {serve.wait()}) before serving")
        if "the first admin token is in " in line:
            path = line.split("the first admin token is in ", 1)[1].split(" (")[0]
            with open(path) as f:
                token = f.read().strip()
        m = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
    if not token:
        raise AssertionError("racine serve printed no admin token file on its first start")
    return serve, port, token


def cases(delivery):
    """(name, secret, body, now, expected) for the documented function."""
    ts = int(delivery["timestamp"])
    body = delivery["body"]
    i = len(body) // 2
    changed = body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1:]
    return [
        ("accepted as received", SECRET, body, delivery["received_at"], True),
        ("refused 301 s later (a replay)", SECRET, body, ts + 301, False),
        ("refused with one byte of the body changed", SECRET, changed,
         delivery["received_at"], False),
        ("refused with a wrong secret", b"s3cret2", body, delivery["received_at"], False),
        ("refused with a timestamp 301 s in the future", SECRET, body, ts - 301, False),
    ]


GO_MAIN = """package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

type check struct {
	Name      string `json:"name"`
	Secret    []byte `json:"secret"`
	Timestamp string `json:"timestamp"`
	Signature string `json:"signature"`
	Body      []byte `json:"body"`
	Now       int64  `json:"now"`
	Want      bool   `json:"want"`
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	var checks []check
	if err := json.Unmarshal(data, &checks); err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	for _, c := range checks {
		got := verifyRacineDelivery(c.Secret, c.Timestamp, c.Signature, c.Body, time.Unix(c.Now, 0))
		fmt.Printf("%t %s\\n", got, c.Name)
	}
}
"""


def run_go(go, snippet, delivery, tmp):
    """The Go block compiled with a main that runs the same cases; {name: result}."""
    module = os.path.join(tmp, "go")
    os.makedirs(module)
    with open(os.path.join(module, "go.mod"), "w") as f:
        f.write("module racinecheck\n\ngo 1.18\n")
    with open(os.path.join(module, "verify.go"), "w") as f:
        f.write("package main\n\n" + snippet)
    with open(os.path.join(module, "main.go"), "w") as f:
        f.write(GO_MAIN)
    checks = [{"name": name, "secret": base64.b64encode(secret).decode(),
               "timestamp": delivery["timestamp"], "signature": delivery["signature"],
               "body": base64.b64encode(body).decode(), "now": int(now), "want": want}
              for name, secret, body, now, want in cases(delivery)]
    with open(os.path.join(tmp, "checks.json"), "w") as f:
        json.dump(checks, f)
    env = dict(os.environ, GOCACHE=os.path.join(tmp, "gocache"),
               GOPATH=os.path.join(tmp, "gopath"), GOPROXY="off", GOTOOLCHAIN="local",
               CGO_ENABLED="0")
    r = subprocess.run([go, "run", ".", os.path.join(tmp, "checks.json")], cwd=module, env=env,
                       capture_output=True, text=True, timeout=180)
    if r.returncode != 0:
        raise AssertionError(f"the Go block did not build or run (exit {r.returncode}):\n"
                             f"{r.stdout}{r.stderr}")
    results = {}
    for line in r.stdout.splitlines():
        got, name = line.split(" ", 1)
        results[name] = got == "true"
    return results


def main():
    racine, source = sys.argv[1], sys.argv[2]
    with open(os.path.join(source, "docs", "routing.md"), encoding="utf-8") as f:
        doc = f.read()
    try:
        namespace = {}
        exec(doc_block(doc, "python", "# verify_racine_delivery"), namespace)
        verify = namespace["verify_racine_delivery"]
        go_snippet = doc_block(doc, "go", "// verifyRacineDelivery")
    except Exception as e:
        print(f"FAIL: {e}", file=sys.stderr)
        print("signature_doc: 0 passed, 1 failed")
        return 1

    tmp = tempfile.mkdtemp(prefix="racine-sigdoc-")
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    receiver.daemon_threads = True
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    serve, stderr = None, None
    passed, failed = 0, 0
    try:
        stderr = open(os.path.join(tmp, "serve.err"), "w")
        serve, port, admin = start_racine(racine, os.path.join(tmp, "data"), stderr)
        api = f"http://127.0.0.1:{port}/api/v1"
        expect("PUT tenant", http("PUT", f"{api}/tenants/acme", admin, {"name": "ACME"}), 201)
        expect("PUT contract", http("PUT", f"{api}/tenants/acme/contracts/main", admin,
                                    {"matrix": "managed-kubernetes", "version": 1,
                                     "options": [], "party": "client"}), 201)
        hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        expect("PUT receiver", http("PUT", f"{api}/tenants/acme/receivers/client", admin,
                                    {"type": "webhook", "url": hook, "secret": "s3cret"}), 201)
        ingest = json.loads(expect("POST token", http(
            "POST", f"{api}/tokens", admin, {"role": "ingest", "tenant": "acme", "name": "am"}),
            201))["token"]
        expect("POST alertmanager", http("POST", f"{api}/tenants/acme/alertmanager", ingest,
                                         ALERT), 200)

        def first_delivery():
            with Receiver.lock:
                return next((r for r in Receiver.received if r["path"] == "/hook"), None)

        record = wait_until("the delivery to the client's webhook", first_delivery, 20)
        headers = {k.lower(): v for k, v in record["headers"].items()}
        for name in ("x-racine-timestamp", "x-racine-signature", "idempotency-key"):
            if name not in headers:
                raise AssertionError(f"the delivery has no {name} header: {record['headers']}")
        payload = json.loads(record["body"])
        if headers["idempotency-key"] != payload["delivery"]:
            raise AssertionError(f"Idempotency-Key {headers['idempotency-key']} is not the "
                                 f"delivery id {payload['delivery']}")
        delivery = {"timestamp": headers["x-racine-timestamp"],
                    "signature": headers["x-racine-signature"], "body": record["body"],
                    "received_at": record["received_at"]}

        for name, secret, body, now, want in cases(delivery):
            got = verify(secret, delivery["timestamp"], delivery["signature"], body, now)
            if got is want:
                passed += 1
            else:
                failed += 1
                print(f"FAIL python: {name}: {got}, expected {want}", file=sys.stderr)

        go = shutil.which("go")
        if go:
            results = run_go(go, go_snippet, delivery, tmp)
            for name, _, _, _, want in cases(delivery):
                if results.get(name) is want:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL go: {name}: {results.get(name)}, expected {want}",
                          file=sys.stderr)
            print("signature_doc: the Go block checked too")
        else:
            print("signature_doc: no go on PATH: the Go block not checked")
    except Exception as e:  # a broken step is one failure, said plainly
        failed += 1
        print(f"FAIL: {e}", file=sys.stderr)
        err = os.path.join(tmp, "serve.err")
        if os.path.exists(err):
            sys.stderr.write(open(err).read()[-4000:])
    finally:
        if serve is not None and serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(timeout=15)
            except subprocess.TimeoutExpired:
                failed += 1
                print("FAIL: racine serve did not stop within 15 s of SIGTERM; killed",
                      file=sys.stderr)
                serve.kill()
                serve.wait()
        if stderr is not None:
            stderr.close()
        receiver.shutdown()
        receiver.server_close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"signature_doc: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
