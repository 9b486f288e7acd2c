#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible transcription server, for e2e tests.

Usage: asr_server.py RESPONSE.json LOG PORTFILE [DELAY_S]
Listens on 127.0.0.1 (a free port, written to PORTFILE), answers every POST
with the contents of RESPONSE.json after DELAY_S (default 0), one thread per
request so concurrent uploads overlap, and appends what it received to LOG as
one JSON line: path, headers, the multipart body's size and field names, and
when the request arrived and was answered, so the test can check the upload
and how requests were spaced. Standard library only (Debian's python3)."""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

response, log, portfile = sys.argv[1], sys.argv[2], sys.argv[3]
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
log_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        start = time.time()
        fields = [p.split(b'"')[0].decode() for p in body.split(b'; name="')[1:]]
        time.sleep(delay)
        with log_lock, open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers),
                                "body_size": len(body), "fields": fields,
                                "riff": body.count(b"RIFF"), "start": start,
                                "end": time.time()}) + "\n")
        data = open(response, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
