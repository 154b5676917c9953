"""Turn every failure into Touchpoint's one JSON error shape."""

import logging
import sqlite3
from http import HTTPStatus

import psycopg
from flask import Flask, Response, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from .database import RefusedValue, refused_value
from .security import DASHBOARD_PREFIX

log = logging.getLogger(__name__)

#: Seconds a client should wait before retrying when the database is down.
DATABASE_RETRY_AFTER = 5

#: DB-API errors that reach a view unwrapped by SQLAlchemy: `engine.raw_connection()` raises
#: the driver's own error when the pool cannot connect (say, while PostgreSQL shuts down).
DRIVER_UNAVAILABLE_ERRORS = (psycopg.OperationalError, sqlite3.OperationalError)

#: Why a value the schemas let through was refused (a rule they lack; the cause is logged).
UNSTORABLE = "The database cannot store a value of this response."


#: Request locations webargs nests field errors under; SPEC's `errors` is flat.
ARGUMENT_LOCATIONS = ("json", "query", "querystring", "form", "headers", "path", "view_args")


def child_path(prefix: str, key) -> str:
    """Return the dotted path of `key` under `prefix`.

    A nested schema's own error (`page._schema`: not an object) is the field's error, so it
    keeps the field's path.
    """
    if not prefix:
        return str(key)
    return prefix if key == "_schema" else f"{prefix}.{key}"


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """Flatten marshmallow's nested error messages into `{"dotted.path": [...]}`."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if not prefix and key in ARGUMENT_LOCATIONS and isinstance(value, dict):
                flat.update(flatten_errors(value))
                continue
            flat.update(flatten_errors(value, child_path(prefix, key)))
    elif isinstance(messages, list) and all(isinstance(item, str) for item in messages):
        flat.setdefault(prefix or "_schema", []).extend(messages)
    elif isinstance(messages, list):
        for item in messages:
            for key, value in flatten_errors(item, prefix).items():
                flat.setdefault(key, []).extend(value)
    else:
        flat.setdefault(prefix or "_schema", []).append(str(messages))
    return flat


def error_response(
    code: int,
    message: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """Return the JSON error body of SPEC for status `code`."""
    status = HTTPStatus(code)
    body = {"code": code, "status": status.phrase, "message": message or status.description}
    if errors:
        body["errors"] = flatten_errors(errors)
    response = jsonify(body)
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def dashboard_request() -> bool:
    """Tell whether this request belongs to the HTML dashboard rather than the JSON API."""
    return request.path.startswith(DASHBOARD_PREFIX)


def handle_http_exception(exc: HTTPException):
    """Render an HTTP error: HTML for the dashboard, SPEC's JSON everywhere else."""
    if dashboard_request():
        return html_error_page(exc.code or 500, exc.description)
    data = getattr(exc, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    headers = dict(data.get("headers") or {})
    if exc.response is not None:
        headers.update({k: v for k, v in exc.response.headers.items() if k == "Retry-After"})
    for name, value in exc.get_headers():
        if name not in ("Content-Type", "Content-Length"):
            headers[name] = value
    message = data.get("message") or exc.description
    return error_response(exc.code or 500, message, errors, headers)


def handle_validation_error(exc: ValidationError):
    """Answer 422 naming every field a schema refused (views let the schema's error rise)."""
    if dashboard_request():
        return html_error_page(422, None)
    return error_response(422, "Some fields are not valid.", exc.messages)


def handle_database_error(exc: Exception):
    """Answer 503 while the database cannot be reached, 422 when it refused a value (the
    cause logged: a rule the schemas lack); log anything else as a 500."""
    if refused_value(getattr(exc, "orig", exc)):
        # Ingest logs its refusals where it knows what it was storing.
        if not isinstance(exc, RefusedValue):
            log.error("the database refused a value: %s", exc)
        if dashboard_request():
            return html_error_page(422, UNSTORABLE)
        return error_response(422, "A value cannot be stored.", {"_schema": [UNSTORABLE]})
    unavailable = (OperationalError, *DRIVER_UNAVAILABLE_ERRORS)
    if isinstance(exc, unavailable) or getattr(exc, "connection_invalidated", False):
        log.warning("database unavailable: %s", exc.__class__.__name__)
        headers = {"Retry-After": str(DATABASE_RETRY_AFTER)}
        if dashboard_request():
            return html_error_page(503, "The database is unavailable; try again shortly.")
        return error_response(503, "The database is unavailable; try again shortly.", None, headers)
    return handle_unexpected(exc)


def handle_unexpected(exc: Exception):
    """Log an unexpected exception and answer 500 without a traceback."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    if dashboard_request():
        return html_error_page(500, "Something went wrong on our side.")
    return error_response(500, "Something went wrong on our side.")


def html_error_page(code: int, message: str | None):
    """Render the dashboard's HTML error page (its own texts, in the reader's language)."""
    from flask import render_template

    page = render_template(
        "admin/error.html", code=code, phrase=HTTPStatus(code).phrase, message=message, token=None
    )
    return page, code, {"Content-Type": "text/html; charset=utf-8"}


def init_app(app: Flask) -> None:
    """Register the error handlers (after flask-smorest, so these win)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    for error in DRIVER_UNAVAILABLE_ERRORS:
        app.register_error_handler(error, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
