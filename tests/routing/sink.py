#!/usr/bin/env python3
"""A webhook receiver for the routing tests: records every POST, PUT or PATCH it gets as one
JSON line (method, path, headers, body) in OUT, and answers as told.

usage: sink.py PORT_FILE OUT [--status CODE] [--fail-first N] [--retry-after S] [--delay S]
               [--arrivals FILE] [--keep-alive]

It listens on 127.0.0.1 on a port of its own choosing, written to PORT_FILE once ready.
--status: the answer to every request (default 200); --fail-first N: answer 500 to the
first N requests of each Idempotency-Key, then --status; --delay: wait before answering
(a receiver that times out); --arrivals: also one line per request in FILE as it arrives
(before the delay); --keep-alive: speak HTTP/1.1 and keep each connection open (each
record then says the client's port, "peer": one per connection). It stops when its parent
(the test) goes away.
"""
import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time

args = argparse.ArgumentParser()
args.add_argument("port_file")
args.add_argument("out")
args.add_argument("--status", type=int, default=200)
args.add_argument("--fail-first", type=int, default=0)
args.add_argument("--retry-after", default=None)
args.add_argument("--delay", type=float, default=0)
args.add_argument("--arrivals", default=None)
args.add_argument("--keep-alive", action="store_true")
opts = args.parse_args()

lock = threading.Lock()
tries = {}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        key = self.headers.get("Idempotency-Key", "")
        if opts.arrivals:
            with lock, open(opts.arrivals, "a", encoding="utf-8") as f:
                f.write(json.dumps({"at": time.time(), "idempotency_key": key}) + "\n")
        with lock:
            tries[key] = tries.get(key, 0) + 1
            n = tries[key]
        if opts.delay:
            time.sleep(opts.delay)
        status = 500 if n <= opts.fail_first else opts.status
        record = {
            "received_at": time.time(),
            "path": self.path,
            "status": status,
            "idempotency_key": key,
            "signature": self.headers.get("X-Racine-Signature"),
            "timestamp": self.headers.get("X-Racine-Timestamp"),
            "content_type": self.headers.get("Content-Type"),
            "method": self.command,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        if opts.keep_alive:
            record["peer"] = self.client_address[1]
        with lock, open(opts.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        self.send_response(status)
        if opts.retry_after is not None and status >= 300:
            self.send_header("Retry-After", opts.retry_after)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_POST
    do_PATCH = do_POST

    def log_message(self, *a):
        pass


if opts.keep_alive:
    Handler.protocol_version = "HTTP/1.1"
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
tmp = opts.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, opts.port_file)
parent = os.getppid()


def watch():
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


threading.Thread(target=watch, daemon=True).start()
signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
server.serve_forever()
