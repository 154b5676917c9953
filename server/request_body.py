"""Bound every request body, and answer a body that cannot be read as the client's error.

Views, forms and the admin API's parser all read the body through `request.stream`, which
werkzeug takes from the WSGI server's input; this module guards that input once for all.
"""

import logging

from flask import Flask
from werkzeug.exceptions import BadRequest, HTTPException

log = logging.getLogger(__name__)


class BodyUnreadable(BadRequest):
    """The body could not be read to its end (answered 400)."""

    description = "The body could not be read."


class GuardedInput:
    """The server's request input, any failure to read it raised as `BodyUnreadable`.

    The server raises its own errors from it: gunicorn an `InvalidChunkSize` for a malformed
    chunked body, `NoMoreData` for one the client cut short, a socket error for a client that
    stalls past the read timeout. Each is the client's doing. They are caught here, where
    only reading the body raises, rather than by type in server/errors.py, where an `OSError`
    may as well come from the database's socket and must stay a server-side failure.
    """

    def __init__(self, stream):
        self.stream = stream

    def read(self, *args):
        """Read like the server's input."""
        return self.guarded(self.stream.read, *args)

    def readline(self, *args):
        """Read a line like the server's input."""
        return self.guarded(self.stream.readline, *args)

    def readlines(self, *args):
        """Read lines like the server's input."""
        return self.guarded(self.stream.readlines, *args)

    def __iter__(self):
        return iter(self.readline, b"")

    @staticmethod
    def guarded(read, *args):
        """Call `read`; raise `BodyUnreadable` when it fails."""
        try:
            return read(*args)
        except HTTPException:
            raise
        except Exception as exc:
            # gunicorn closes the connection after a failed read: where the next request
            # would start is unknown.
            log.info("the request body could not be read: %s: %s", type(exc).__name__, exc)
            raise BodyUnreadable() from exc


class GuardedBody:
    """WSGI middleware: give the app the request input wrapped in `GuardedInput`."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        stream = environ.get("wsgi.input")
        if stream is not None:
            environ["wsgi.input"] = GuardedInput(stream)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Refuse bodies over the request limit unread (413) and guard reading the rest."""
    # Werkzeug refuses a larger Content-Length before reading, and stops a chunked body at the
    # limit. Ingest keeps its own, smaller limit (server/api/admission.py).
    app.config["MAX_CONTENT_LENGTH"] = max(
        app.config["TOUCHPOINT_MAX_REQUEST_BYTES"], app.config["TOUCHPOINT_MAX_BODY_BYTES"]
    )
    app.wsgi_app = GuardedBody(app.wsgi_app)
