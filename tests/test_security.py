"""Security headers on every response; the API's strict policy stays off pages and the widget."""

import pytest

from server.security import API_CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/nope"])
def test_api_answers_carry_the_strict_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/widget.js", "/demo/", "/demo/shop", "/admin/", "/admin/x"])
def test_script_and_pages_do_not_get_the_api_policy(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Content-Security-Policy") != API_CONTENT_SECURITY_POLICY
    assert "X-Frame-Options" not in response.headers


def test_a_policy_a_view_sets_is_kept(own_app):
    app = own_app

    @app.get("/api/v1/own-policy")
    def own_policy():
        return {"ok": True}, 200, {"Content-Security-Policy": "default-src 'self'"}

    response = app.test_client().get("/api/v1/own-policy")
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://feedback.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_header_a_view_sets_in_other_case_is_not_doubled(own_app):
    app = own_app

    @app.get("/api/v1/lower-case-policy")
    def lower_case_policy():
        return {"ok": True}, 200, {"x-frame-options": "SAMEORIGIN"}

    response = app.test_client().get("/api/v1/lower-case-policy")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["Content-Security-Policy"] == API_CONTENT_SECURITY_POLICY
