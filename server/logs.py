"""Write structured JSON log lines that carry each request's id, and never a secret."""

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, has_request_context, request
from gunicorn import glogging

REQUEST_ID_HEADER = "X-Request-ID"
#: Where a request's id is kept in its WSGI environ.
REQUEST_ID_KEY = "touchpoint.request_id"

#: An incoming request id is kept only when it is short and plain; anything else is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

#: Record attributes every LogRecord has; anything else was passed through `extra=`.
STANDARD_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in STANDARD_RECORD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            # The traceback stays in the log, escaped onto the one line; never in a response.
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    """Stamp every record made while serving a request with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context():
            record.request_id = request.environ.get(REQUEST_ID_KEY)
        return True


def request_id_from(value: str | None) -> str:
    """Return `value` when it is a sane request id, otherwise a fresh one."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIds:
    """WSGI middleware giving every request its id and echoing it in `X-Request-ID`.

    The id is the caller's `X-Request-ID` when sane, else a new one. A middleware rather than
    a pair of before/after-request hooks, which cost several times as much on every request
    (docs/performance.md).
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[REQUEST_ID_KEY] = request_id

        def start_with_request_id(status, headers, *exc_info):
            return start_response(status, [*headers, (REQUEST_ID_HEADER, request_id)], *exc_info)

        return self.wsgi_app(environ, start_with_request_id)


def configure_logging(level: str) -> None:
    """Send every log record to standard error as a JSON line (once per process)."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    if any(getattr(handler, "_touchpoint", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler._touchpoint = True
    root.addHandler(handler)


def init_app(app: Flask) -> None:
    """Log as JSON lines and give every request an id echoed in `X-Request-ID`."""
    configure_logging(app.config["TOUCHPOINT_LOG_LEVEL"])
    app.wsgi_app = RequestIds(app.wsgi_app)


class GunicornJsonLogger(glogging.Logger):
    """Write gunicorn's error log and access log as JSON lines.

    The access line names the method, path (no query string), status, size, duration and
    request id; it never holds headers, bodies or the client's address.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = dict((name.lower(), value) for name, value in resp.headers)
        self.access_log.info(
            "request",
            extra={
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "status": int(status),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(request_time.total_seconds() * 1000, 3),
                "request_id": headers.get(REQUEST_ID_HEADER.lower()),
            },
        )
