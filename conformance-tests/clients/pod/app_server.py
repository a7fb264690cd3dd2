"""The app of a test pod: answers every GET with who it is and which client certificate Envoy saw.

Usage: app_server.py PORT NAME

Listens on 0.0.0.0:PORT, as an app in a pod does; the body is "NAME xfcc=<x-forwarded-client-cert
or ->". The sidecar puts the caller's SPIFFE ID in that header when it terminated mutual TLS.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"{sys.argv[2]} xfcc={self.headers.get('x-forwarded-client-cert', '-')}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
