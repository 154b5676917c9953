"""GET /widget.js: the committed bundle, a strong content-hash ETag, 304s and cache headers."""

import hashlib
from pathlib import Path

import pytest

import server.api.widget
from server.api.widget import CACHE_CONTROL

DIST = Path(__file__).resolve().parents[2] / "widget" / "dist" / "widget.js"


def test_widget_js_serves_the_built_bundle(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.data == DIST.read_bytes()
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == CACHE_CONTROL
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["ETag"] == f'"{hashlib.sha256(response.data).hexdigest()[:32]}"'


@pytest.mark.parametrize("weak", [False, True])
def test_widget_js_answers_304_when_the_client_copy_is_current(client, weak):
    etag = client.get("/widget.js").headers["ETag"]
    response = client.get("/widget.js", headers={"If-None-Match": f"W/{etag}" if weak else etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == CACHE_CONTROL


def test_widget_js_answers_200_to_a_stale_etag(client):
    response = client.get("/widget.js", headers={"If-None-Match": '"an-older-release"'})
    assert response.status_code == 200
    assert response.data == DIST.read_bytes()


def test_widget_js_answers_head(client):
    response = client.head("/widget.js")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == DIST.stat().st_size


def test_widget_js_refuses_other_methods_as_json(client):
    response = client.post("/widget.js")
    assert response.status_code == 405
    assert response.get_json()["code"] == 405


def test_a_missing_bundle_is_a_json_error(client, monkeypatch, tmp_path):
    monkeypatch.setattr(server.api.widget, "BUNDLE", tmp_path / "widget.js")
    response = client.get("/widget.js")
    assert response.status_code == 500
    body = response.get_json()
    assert body["code"] == 500
    assert "make widget" in body["message"]


def test_a_rebuilt_bundle_is_served_with_a_new_etag(client, monkeypatch, tmp_path):
    bundle = tmp_path / "widget.js"
    monkeypatch.setattr(server.api.widget, "BUNDLE", bundle)
    bundle.write_text("console.log(1)")
    first = client.get("/widget.js").headers["ETag"]
    bundle.write_text("console.log(2)")
    second = client.get("/widget.js")
    assert second.data == b"console.log(2)"
    assert second.headers["ETag"] != first


def test_widget_js_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "text/javascript" in paths["/widget.js"]["get"]["responses"]["200"]["content"]
