"""The demo shop at /demo/: every journey phase, the real snippet, a strict CSP, no inline code."""

import re

import pytest

from server import create_app
from server.demo.seed import DEMO_SITE_NAME
from server.demo.shop import CONTENT_SECURITY_POLICY
from server.extensions import db

PAGES = [
    "/demo/",
    "/demo/blog",
    "/demo/blog/layering",
    "/demo/products",
    "/demo/products/rain-jacket",
    "/demo/cart",
    "/demo/checkout",
    "/demo/checkout/pay",
    "/demo/account",
    "/demo/orders",
    "/demo/review",
    "/demo/refer",
]


@pytest.fixture
def demo_site(make_site):
    return make_site(name=DEMO_SITE_NAME, allowed_origins=["http://localhost"])


@pytest.mark.parametrize("path", PAGES)
def test_every_page_embeds_the_demo_sites_snippet(client, demo_site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    snippet = f'<script src="http://localhost/widget.js" data-site="{demo_site.key}" defer>'
    assert snippet in html
    assert "touchpoint demo" not in html
    # Every script is loaded from a file, so the strict CSP needs no 'unsafe-inline'.
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "style=" not in html and "<style" not in html


def test_pages_say_how_to_create_the_missing_demo_site(client):
    html = client.get("/demo/checkout").get_data(as_text=True)
    assert "run <code>touchpoint demo</code>" in html
    assert "widget.js" not in html


def test_the_newest_sites_do_not_hide_the_demo_site(client, make_site, demo_site):
    make_site(name="Another shop")
    assert demo_site.key in client.get("/demo/").get_data(as_text=True)


def test_the_pay_button_asks_the_ces_question(client):
    page = client.get("/demo/checkout/pay").get_data(as_text=True)
    assert 'id="pay"' in page
    with client.get("/demo/shop.js") as script:
        assert script.headers["Content-Type"].startswith("text/javascript")
        source = script.get_data(as_text=True)
    assert "(Touchpoint.q = Touchpoint.q || []).push(arguments)" in source
    assert "Touchpoint.ask({ metric: 'ces' })" in source


def test_the_stylesheet_is_served(client):
    with client.get("/demo/shop.css") as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/demo/products/no-such-thing", "/demo/blog/no-such-post"])
def test_unknown_items_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("environment", "demo", "status"),
    [
        ("production", None, 404),
        ("production", "0", 404),
        ("development", "off", 404),
        ("production", "1", 200),
        ("development", None, 200),
    ],
)
def test_the_shop_is_served_only_when_the_demo_is_on(monkeypatch, environment, demo, status):
    monkeypatch.setenv("TOUCHPOINT_ENV", environment)
    monkeypatch.setenv("TOUCHPOINT_SECRET_KEY", "a-secret-as-production-requires")
    if demo is None:
        monkeypatch.delenv("TOUCHPOINT_DEMO", raising=False)
    else:
        monkeypatch.setenv("TOUCHPOINT_DEMO", demo)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "memory://"})
    assert app.config["TOUCHPOINT_ENV"] == environment
    with app.app_context():
        db.create_all()
        client = app.test_client()
        for path in ("/demo/", "/demo/checkout/pay", "/demo/shop.js"):
            with client.get(path) as response:
                assert response.status_code == status, path
        db.session.remove()
        db.engine.dispose()
