"""Request bodies everywhere: too large is 413 unread, unreadable is 400, over-long integers
are a field's error; the JSON API answers in JSON, the dashboard with its HTML page."""

import json

import pytest
from gunicorn.http.errors import InvalidChunkSize, NoMoreData

from server.ingest import site_cache

LONG_INTEGER = "9" * 5000  # past Python's 4,300 digits


class FailingInput:
    """A server's request input that fails as gunicorn's does when the body goes wrong."""

    def __init__(self, error: Exception):
        self.error = error

    def read(self, size=-1):
        raise self.error


class EndlessInput:
    """A body that never ends (chunked, no Content-Length); counts the bytes read from it."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 65536 if size is None or size < 0 else size
        self.read_bytes += size
        return b"a" * size


def body_requests(site, admin_headers) -> dict:
    """Return one request per way a body is read: ingest, admin API JSON, dashboard form."""
    return {
        "ingest": ("POST", f"/api/v1/sites/{site.key}/responses", "text/plain", {}),
        "admin api": (
            "PATCH",
            f"/api/v1/admin/sites/{site.key}",
            "application/json",
            admin_headers,
        ),
        "dashboard form": (
            "POST",
            "/admin/sign-in",
            "application/x-www-form-urlencoded",
            {},
        ),
    }


WAYS = ["ingest", "admin api", "dashboard form"]


def send(client, request, stream, content_length: int | None):
    """Send `request` with `stream` as the server's input; no length means chunked."""
    method, path, kind, headers = request
    environ = {"wsgi.input": stream}
    if content_length is None:
        environ["wsgi.input_terminated"] = True  # what gunicorn says: it ends the stream
    else:
        environ["CONTENT_LENGTH"] = str(content_length)
    return client.open(
        path, method=method, content_type=kind, headers=headers, environ_overrides=environ
    )


FAILURES = {
    "malformed chunk": InvalidChunkSize(b"zz"),
    "cut short": NoMoreData(b""),
    "stalled": TimeoutError("timed out"),
}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_body_that_cannot_be_read_is_400(client, site, admin_headers, way, failure):
    request = body_requests(site, admin_headers)[way]
    response = send(client, request, FailingInput(FAILURES[failure]), 1000)
    assert response.status_code == 400
    if way == "dashboard form":
        assert response.mimetype == "text/html"
    else:
        assert response.get_json()["message"] == "The body could not be read."


def test_an_os_error_outside_the_body_stays_a_server_error(client, site, monkeypatch):
    # Only reading the body is the client's doing; a socket failing elsewhere (here, while
    # the site is read) is not a 400.
    def broken(key):
        raise ConnectionResetError("the database's socket")

    monkeypatch.setattr(site_cache, "load_public_site", broken)
    response = client.post(f"/api/v1/sites/{site.key}/responses", data="{}")
    assert response.status_code == 500


@pytest.mark.parametrize("way", WAYS)
def test_a_body_said_to_be_over_the_limit_is_413_unread(client, site, admin_headers, way):
    stream = EndlessInput()
    response = send(client, body_requests(site, admin_headers)[way], stream, 100_000_000)
    assert response.status_code == 413
    assert stream.read_bytes == 0
    if way == "dashboard form":
        assert response.mimetype == "text/html"
    else:
        assert response.get_json()["code"] == 413


@pytest.mark.parametrize("way", ["admin api", "dashboard form"])
def test_an_endless_body_is_cut_at_the_limit(app, client, site, admin_headers, way):
    # A chunked body says no length: werkzeug reads it up to the limit, no further, and the
    # body cut there is refused like any broken one (a 413 only when the view reads past).
    stream = EndlessInput()
    response = send(client, body_requests(site, admin_headers)[way], stream, None)
    assert response.status_code in (400, 413)
    limit = app.config["TOUCHPOINT_MAX_REQUEST_BYTES"]
    assert stream.read_bytes <= limit + 65536


@pytest.mark.parametrize("way", ["admin api", "dashboard form"])
def test_a_body_under_the_limit_is_read(client, site, admin_headers, way):
    method, path, kind, headers = body_requests(site, admin_headers)[way]
    if way == "admin api":
        data = json.dumps({"name": "n" * 100, "phase_rules": [], "allowed_origins": []})
    else:
        data = "token=" + "x" * 400_000
    response = client.open(path, method=method, data=data, content_type=kind, headers=headers)
    assert response.status_code != 413


def test_the_request_limit_follows_its_setting(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1_048_576


@pytest.mark.parametrize("sign", ["", "-"])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"metric":"csat","score":%s,"page":{"url":"https://shop.example/"}}', "score"),
        (
            '{"metric":"csat","score":4,"page":{"url":"https://shop.example/"},"tags":{"n":%s}}',
            "tags.n",
        ),
    ],
    ids=["score", "tag"],
)
def test_an_integer_too_long_to_parse_is_a_field_error(client, site, body, field, sign):
    # As `1e400`: a number no field holds, not a body that is not JSON.
    response = client.post(
        f"/api/v1/sites/{site.key}/responses",
        data=body % (sign + LONG_INTEGER),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_an_integer_too_long_to_parse_is_a_field_error_in_the_admin_api(
    client, site, admin_headers
):
    response = client.patch(
        f"/api/v1/admin/sites/{site.key}",
        data='{"widget":{"cooldown_days":' + LONG_INTEGER + "}}",
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert "widget.cooldown_days" in response.get_json()["errors"]


def test_a_long_integer_python_parses_is_kept_as_sent(client, site):
    long = "9" * 4000
    body = '{"metric":"csat","score":4,"page":{"url":"https://shop.example/"},"tags":{"n":%s}}'
    response = client.post(f"/api/v1/sites/{site.key}/responses", data=body % long)
    assert response.status_code == 201
