#!/usr/bin/env python3
"""A stand-in OpenTelemetry collector for bench/observability.sh: accepts OTLP/HTTP trace exports on
127.0.0.1:PORT/v1/traces, answers 200 with an empty ExportTraceServiceResponse and counts the bytes received, so
the server pays the full cost of exporting (serialising, sending) while the sink stays cheap. Not a collector:
nothing is decoded or kept."""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = {"requests": 0, "bytes": 0}


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        received["requests"] += 1
        received["bytes"] += length
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def stop(*_):
    raise KeyboardInterrupt


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink)
    # bench/observability.sh stops the sink with SIGTERM: end as on Ctrl-C, so the totals are still printed.
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        print(f"otlp-sink: {received['requests']} exports, {received['bytes']} bytes", file=sys.stderr)
