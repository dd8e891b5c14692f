#!/usr/bin/python3
# The HTTP/1.1 peer of the HTTP client's interop test, built on Python's http.server (an independent
# implementation). Usage: http_test_server.py ADDRESS PORT
#   GET /hello      200, Content-Length, keep-alive; the body names the client's port (to see reuse)
#   GET /chunked    200, Transfer-Encoding: chunked, with a chunk extension and a trailer field
#   POST /echo      200, the request body back, Content-Length
#   GET /redirect   302 to /hello        GET /see-other (POST too)  303 to /hello
#   GET /big        200, 10000 bytes (i % 251), Content-Length
#   GET /until-close  200, no Content-Length, the connection closes after the body
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, body, content_type="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/hello":
            self.send_body(200, b"hello from port %d" % self.client_address[1])
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Checksum")
            self.end_headers()
            for piece in (b"first chunk, ", b"second;", b" and the last"):
                self.wfile.write(b"%x;name=value\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\nX-Checksum: 42\r\n\r\n")
        elif self.path == "/redirect":
            self.send_body(302, b"moved", extra=[("Location", "/hello")])
        elif self.path == "/see-other":
            self.send_body(303, b"", extra=[("Location", "http://%s:%d/hello" % self.server.server_address)])
        elif self.path == "/big":
            self.send_body(200, bytes(i % 251 for i in range(10000)), "application/octet-stream")
        elif self.path == "/until-close":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"read me until the end")
            self.close_connection = True
        else:
            self.send_body(404, b"no such path")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/echo":
            self.send_body(200, body, self.headers.get("Content-Type", "application/octet-stream"))
        elif self.path == "/see-other":
            self.send_body(303, b"", extra=[("Location", "/hello")])
        else:
            self.send_body(404, b"no such path")


ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
