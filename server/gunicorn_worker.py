"""gunicorn's threaded worker, dropping a client that stops sending in the middle of a request.

gthread waits for a connection's first bytes off the thread pool (5 s, then back to its
poller), but once a request has begun a thread reads it with a blocking socket and no
timeout: a client that sends half its headers, or 3 bytes of a 1000-byte body, holds that
thread for as long as it keeps the connection open. Four such clients hold every thread of
the default server, and /healthz goes unanswered.
"""

import socket
import struct

from gunicorn.workers import gthread

from .config import env_int

#: Seconds a request's reader waits for the client's next bytes before giving up.
READ_TIMEOUT = env_int("TOUCHPOINT_READ_TIMEOUT", 10)


class ThreadWorker(gthread.ThreadWorker):
    """gthread, with a receive timeout on every client socket (`TOUCHPOINT_READ_TIMEOUT`).

    The timeout is the kernel's (SO_RCVTIMEO), not Python's `settimeout`: gthread switches
    each socket between blocking and non-blocking, which resets Python's timeout but leaves
    the kernel's. A read that waits longer fails with an `OSError`; gunicorn then closes
    the connection (a stalled body is the app's 400, server/request_body.py). It bounds each
    wait, not the whole request: a client trickling a byte every few seconds is the front
    door's to stop (docs/deploy.md, "Slow clients").
    """

    def enqueue_req(self, conn):
        """Hand `conn` to a thread, its reads bounded by the read timeout."""
        timeout = struct.pack("ll", READ_TIMEOUT, 0)  # struct timeval: seconds, microseconds
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeout)
        super().enqueue_req(conn)
