#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible transcription server, for e2e tests.

Usage: asr_server.py RESPONSE.json LOG PORTFILE
Listens on 127.0.0.1 (a free port, written to PORTFILE), answers every POST
with the contents of RESPONSE.json, and appends what it received to LOG as one
JSON line: path, headers and the multipart body's size and field names, so
the test can check the upload. Standard library only (Debian's python3)."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

response, log, portfile = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        fields = [p.split(b'"')[0].decode() for p in body.split(b'; name="')[1:]]
        with open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers),
                                "body_size": len(body), "fields": fields,
                                "riff": body.count(b"RIFF")}) + "\n")
        data = open(response, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(portfile, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
