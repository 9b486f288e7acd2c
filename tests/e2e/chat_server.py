#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible chat-completions server, for e2e tests.

Usage: chat_server.py SCRIPT LOG PORTFILE
Listens on 127.0.0.1 (a free port, written to PORTFILE). Each POST takes the
next action from SCRIPT (one per line; the last repeats):
  ok         a valid answer (titles and summary as JSON in the message) with
             usage.total_tokens = 1500
  429        Too Many Requests with Retry-After: 1
  500        Internal Server Error
  slow       waits 5 s, then answers ok (the client should time out first)
  malformed  a 200 whose message content is not the expected JSON object
and appends one JSON line to LOG: time, path, Authorization header, the
model and whether the body mentions the offline keyphrases. Standard
library only (Debian's python3)."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

script_path, log, portfile = sys.argv[1], sys.argv[2], sys.argv[3]
actions = [l.strip() for l in open(script_path) if l.strip()]
state = {"n": 0}

ANSWER = {
    "titles": {
        "seo": "Ocean, Memory and Coffee: Three Topics in One Lesson",
        "curiosity": "What Do the Ocean, Memory and Coffee Have in Common?",
        "educational": "Learn How the Ocean, Computer Memory and Coffee Work",
        "listicle": "3 Lessons About the Ocean, Memory and Coffee",
        "emotional": "The Ocean, Memory and Coffee Finally Made Sense to Me",
    },
    "summary": "SERVER SUMMARY: a short lesson on the ocean, how computer memory "
               "stores programs, and where coffee and its caffeine come from.",
}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        action = actions[min(state["n"], len(actions) - 1)]
        state["n"] += 1
        try:
            req = json.loads(body)
        except ValueError:
            req = {}
        with open(log, "a") as f:
            f.write(json.dumps({"time": time.time(), "path": self.path, "action": action,
                                "auth": self.headers.get("Authorization"),
                                "model": req.get("model"),
                                "json_mode": req.get("response_format", {}).get("type"),
                                "messages": len(req.get("messages", []))}) + "\n")
        if action == "429":
            return self.reply(429, {"error": {"message": "rate limited"}}, {"Retry-After": "1"})
        if action == "500":
            return self.reply(500, {"error": {"message": "boom"}})
        if action == "slow":
            time.sleep(5)
        content = json.dumps(ANSWER)
        if action == "malformed":
            content = "Sure! Here are some titles: 1. Ocean 2. Memory"
        self.reply(200, {"id": "chatcmpl-test", "object": "chat.completion",
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": content}}],
                         "usage": {"prompt_tokens": 1200, "completion_tokens": 300,
                                   "total_tokens": 1500}})

    def reply(self, code, obj, headers=None):
        data = json.dumps(obj).encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
