"""GET /widget.js, /widget/<module> and /w/<key>.js: the build, compressed, ETags, 304s, caching."""

import gzip
import hashlib
import json
from pathlib import Path

import brotli
import pytest

import server.api.widget
from server.api.widget import CACHE_CONTROL
from server.state import app_state

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


# Compressed forms, lazily loaded modules and the per-site script.

DIST_DIR = DIST.parent
SITES = "/api/v1/admin/sites"
LITERAL = b'"__TOUCHPOINT_SITE_SETTINGS__"'


def decoded(response) -> bytes:
    """Return a response's body with its Content-Encoding undone."""
    coding = response.headers.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(response.data)
    if coding == "gzip":
        return gzip.decompress(response.data)
    assert coding is None
    return response.data


def lazy_names() -> list[str]:
    return sorted(path.name for path in DIST_DIR.glob("*.js") if path != DIST)


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("", None),
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("deflate", None),
        ("*", "br"),
        ("gzip;q=0.4, identity", None),
        ("GZIP", "gzip"),
    ],
)
def test_widget_js_is_compressed_as_the_client_accepts(client, accept, coding):
    response = client.get("/widget.js", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == coding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decoded(response) == DIST.read_bytes()


@pytest.mark.parametrize("path", ["/widget.js", "/widget/{lazy}"])
def test_each_encoding_has_its_own_etag_and_304(client, path):
    path = path.format(lazy=lazy_names()[0])
    etags = {}
    for accept in ("identity", "gzip", "br"):
        response = client.get(path, headers={"Accept-Encoding": accept})
        etag = response.headers["ETag"]
        assert not etag.startswith("W/")
        etags[accept] = etag
        again = client.get(path, headers={"Accept-Encoding": accept, "If-None-Match": etag})
        assert again.status_code == 304
        assert again.headers["ETag"] == etag
        assert "Accept-Encoding" in again.headers["Vary"]
    assert len(set(etags.values())) == 3
    # A copy in another encoding is not the one asked for.
    other = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": etags["gzip"]})
    assert other.status_code == 200


@pytest.mark.parametrize("name", lazy_names())
def test_every_lazy_module_is_served_for_long_to_any_origin(client, name):
    response = client.get(f"/widget/{name}", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert decoded(response) == (DIST_DIR / name).read_bytes()


@pytest.mark.parametrize(
    "name",
    ["widget.js", "widget.js.br", "nothing.js", "..%2Fwidget.js", ".js", "en.js", "x.json"],
)
def test_nothing_else_is_served_under_widget(client, name):
    response = client.get(f"/widget/{name}")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def inlined_settings(script: bytes) -> dict:
    """Return the settings object a per-site script carries where the bundle has its literal."""
    start, end = DIST.read_bytes().split(LITERAL)
    assert script.startswith(start) and script.endswith(end)
    return json.loads(script[len(start) : len(script) - len(end)])


@pytest.mark.parametrize("accept", ["", "gzip", "br"])
def test_the_per_site_script_carries_the_site_settings(client, make_site, accept):
    site = make_site(widget={"metric": "nps", "color": "#0a6"}, keep_query_params=["q", "page"])
    response = client.get(f"/w/{site.key}.js", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == (accept or None)
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "Accept-Encoding" in response.headers["Vary"]
    settings = inlined_settings(decoded(response))
    config = client.get(f"/api/v1/sites/{site.key}/config").get_json()
    assert settings == {"site": site.key, "config": config, "keep_query_params": ["page", "q"]}
    again = client.get(
        f"/w/{site.key}.js",
        headers={"Accept-Encoding": accept, "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_a_settings_change_gives_the_per_site_script_a_new_etag(
    app, client, make_site, admin_headers
):
    site = make_site(widget={"metric": "ces"})
    before = client.get(f"/w/{site.key}.js", headers={"Accept-Encoding": "br"})
    changed = client.patch(
        f"{SITES}/{site.key}",
        json={"widget": {"metric": "thumbs"}},
        headers=admin_headers,
    )
    assert changed.status_code == 200, changed.get_json()
    # As every worker does once the site cache's time to live is over.
    app_state().sites.forget(site.key)
    after = client.get(
        f"/w/{site.key}.js",
        headers={"Accept-Encoding": "br", "If-None-Match": before.headers["ETag"]},
    )
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert inlined_settings(decoded(after))["config"]["widget"]["metric"] == "thumbs"


def test_per_site_scripts_of_two_sites_differ(client, make_site):
    one, two = make_site(), make_site()
    first = client.get(f"/w/{one.key}.js")
    second = client.get(f"/w/{two.key}.js")
    assert first.headers["ETag"] != second.headers["ETag"]
    assert inlined_settings(second.data)["site"] == two.key


@pytest.mark.parametrize("disabled", [False, True])
def test_an_unknown_or_disabled_site_has_no_script(client, make_site, disabled):
    key = make_site(enabled=False).key if disabled else "pk_unknown-site-0000000000"
    response = client.get(f"/w/{key}.js")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404
