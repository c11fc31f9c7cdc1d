#!/usr/bin/python3
# https_server.py — serves a directory over HTTPS for the Outbound test harness.
#
# Copyright 2026 The Outbound authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Listens on 127.0.0.1, port 0, and writes the port it got to --port-file
# once it accepts connections. Each connection's TLS handshake runs in its
# own thread, so a stalled client does not block the others.

import argparse
import functools
import http.server
import os
import signal
import ssl
import sys
import threading


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stderr.flush()


class TLSServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, context):
        self.context = context
        super().__init__(address, handler)

    def finish_request(self, request, client_address):
        # Runs in the connection's thread: the handshake happens here.
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            sys.stderr.write("TLS handshake with %s failed: %s\n" % (client_address, e))
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


def main():
    p = argparse.ArgumentParser(description="HTTPS server for the Outbound test harness")
    p.add_argument("--docroot", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--port-file", required=True)
    args = p.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    handler = functools.partial(Handler, directory=os.path.abspath(args.docroot))
    server = TLSServer(("127.0.0.1", 0), handler, context)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    main()
