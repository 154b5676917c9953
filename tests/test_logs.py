"""JSON log lines, request ids, and nothing secret in logs or error bodies."""

import json
import logging

import pytest

from server.logs import JsonFormatter, RequestIdFilter, request_id_from


@pytest.fixture
def failing_app(own_app):
    """Add a route that fails after reading its body, as a bug in a view would."""
    app = own_app

    @app.post("/api/v1/explode")
    def explode():
        from flask import request

        request.get_data()
        raise RuntimeError("kaboom in the view")

    return app


@pytest.fixture
def json_log(failing_app):
    """Collect the app's log records formatted exactly as the JSON handler writes them."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_a_sane_incoming_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.9:2"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.9:2"


@pytest.mark.parametrize(
    "incoming",
    ["", "has space", 'quote"', "<script>", "x" * 129, "-leading-dash", "ünïcode", "a;b"],
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    echoed = response.headers["X-Request-ID"]
    assert echoed != incoming
    assert len(echoed) == 32
    assert echoed.isalnum()


def test_every_request_gets_its_own_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


def test_error_answers_carry_the_request_id(client):
    response = client.get("/api/v1/nowhere", headers={"X-Request-ID": "trace-404"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-404"


def test_a_failing_view_answers_json_500_without_traceback(failing_app, json_log):
    client = failing_app.test_client()
    response = client.post(
        "/api/v1/explode",
        data="secret body text",
        headers={"Authorization": "Bearer tp_never_in_logs", "X-Request-ID": "boom-1"},
    )
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert json.loads(body)["code"] == 500
    assert "Traceback" not in body
    assert "kaboom" not in body
    assert response.headers["X-Request-ID"] == "boom-1"

    entries = [json.loads(line) for line in json_log]
    failure = [e for e in entries if e["level"] == "error"]
    assert len(failure) == 1
    assert failure[0]["request_id"] == "boom-1"
    assert "kaboom in the view" in failure[0]["exception"]
    assert all("\n" not in line for line in json_log)
    logged = "\n".join(json_log)
    assert "tp_never_in_logs" not in logged
    assert "secret body text" not in logged


def test_formatter_writes_one_json_object_with_extra_fields():
    record = logging.LogRecord("server.x", logging.WARNING, __file__, 1, "hi %s", ("there",), None)
    record.site = "pk_abc"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "hi there"
    assert entry["level"] == "warning"
    assert entry["logger"] == "server.x"
    assert entry["site"] == "pk_abc"
    assert entry["time"].endswith("+00:00")


@pytest.mark.parametrize("value", [None, "", "bad id"])
def test_request_id_from_generates_when_needed(value):
    assert len(request_id_from(value)) == 32


def test_database_errors_hide_their_parameters(app):
    from server.extensions import db

    assert db.engine.hide_parameters is True
