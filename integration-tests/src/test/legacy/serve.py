#!/usr/bin/python3
"""Runs one reference backend on loopback: ``python3 serve.py <backend> [--port N] [--port-file FILE]``.

Creates the schema first (Django's migrate, or the Flask backend's tables), then serves with the standard library's
WSGI server, one request at a time, until killed. The bound port is written to --port-file once the socket listens,
which is how the test harness knows the backend is ready.
"""
import argparse
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import backends


class Handler(WSGIRequestHandler):
    """wsgiref's handler, minus one invention of its own.

    wsgiref sets CONTENT_TYPE to "text/plain" when a request has no Content-Type header (Django's runserver inherits
    that); production servers such as gunicorn and uWSGI leave it out, which is what the originals ran behind.
    """

    def get_environ(self):
        env = super().get_environ()
        if self.headers.get('content-type') is None:
            env.pop('CONTENT_TYPE', None)
        return env

    def log_message(self, format, *args):
        sys.stderr.write('%s %s\n' % (self.log_date_time_string(), format % args))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('backend', choices=backends.ALL)
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--port-file')
    args = parser.parse_args()

    app = backends.prepare(args.backend)
    server = make_server('127.0.0.1', args.port, app, server_class=WSGIServer, handler_class=Handler)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as out:
            out.write(str(port))
        os.replace(tmp, args.port_file)
    sys.stderr.write('reference backend %s listening on http://127.0.0.1:%d\n' % (args.backend, port))
    sys.stderr.flush()
    server.serve_forever()


if __name__ == '__main__':
    main()
