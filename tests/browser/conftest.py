"""Browser harness: one Chromium, a live Touchpoint server and a host-page server on another origin.

The host pages play a customer's website: they are served from a different port (so a
different origin) than the Touchpoint server, exactly as on a real site.
"""

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pytest
from conftest import base_config, skip_or_fail
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as WsgiResponse

from server import create_app
from server.auth.tokens import create_token
from server.extensions import db
from server.models import Response, Site
from server.sites.manage import create_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"

#: Phase rules of the sites the browser tests create.
PHASE_RULES = [
    {"match": "/blog*", "phase": "awareness"},
    {"match": "/checkout*", "phase": "conversion"},
]


def whole_answers(wsgi_app):
    """Return `wsgi_app` answering with its whole body at once, its iterable closed.

    werkzeug's development server skips the answer's `close()` when the browser drops the
    connection mid-write (a page left while its favicon still loads), which leaves a served
    file open until garbage collection warns about it in some later test.
    """

    def app(environ, start_response):
        answer = wsgi_app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return app


class ServerThread:
    """Serve a WSGI app from a werkzeug server on 127.0.0.1 and an ephemeral port."""

    def __init__(self, wsgi_app):
        self.server = make_server("127.0.0.1", 0, whole_answers(wsgi_app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@dataclass
class HostPages:
    """A customer's website: HTML pages registered by the tests, served with chosen headers."""

    url: str = ""
    pages: dict = field(default_factory=dict)
    numbers: itertools.count = field(default_factory=itertools.count)

    def add(self, html: str, path: str = "/", headers: dict | None = None) -> str:
        """Serve `html` at `path` (made unique with a query the server drops) and return its URL."""
        key = f"{path}?page={next(self.numbers)}"
        self.pages[key] = (html, headers or {})
        return self.url + key

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/favicon.ico":
            return WsgiResponse(status=204)(environ, start_response)
        key = f"{request.path}?{request.query_string.decode()}"
        html, headers = self.pages.get(key, ("<!doctype html><title>Not found</title>", {}))
        status = 200 if key in self.pages else 404
        response = WsgiResponse(html, status=status, mimetype="text/html", headers=headers)
        return response(environ, start_response)


@dataclass
class LiveServer:
    """The real Touchpoint app served over HTTP, with helpers to make sites and read rows."""

    app: object
    url: str

    def create_site(self, **settings) -> str:
        """Create a site (allowing the host pages' origin by default) and return its key."""
        with self.app.app_context():
            settings.setdefault("name", "Browser test shop")
            settings.setdefault("phase_rules", PHASE_RULES)
            return create_site(**settings).key

    def rows(self, site_key: str) -> list[Response]:
        """Return the responses stored for `site_key`, oldest first."""
        with self.app.app_context():
            query = (
                select(Response)
                .join(Site)
                .where(Site.key == site_key)
                .order_by(Response.id)
                .execution_options(populate_existing=True)
            )
            rows = list(db.session.scalars(query))
            db.session.expunge_all()
            db.session.remove()
            return rows

    def wait_for_rows(self, site_key: str, count: int, timeout: float = 10.0) -> list[Response]:
        """Return the site's rows once there are at least `count` of them (or when time is up)."""
        deadline = time.monotonic() + timeout
        rows = self.rows(site_key)
        while len(rows) < count and time.monotonic() < deadline:
            time.sleep(0.05)
            rows = self.rows(site_key)
        return rows


@pytest.fixture(scope="session")
def chromium():
    """Launch Debian's Chromium once for the whole session."""
    if not CHROMIUM.exists():
        skip_or_fail("browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(chromium, tmp_path_factory):
    """Serve the real app, on a temporary SQLite file, for the whole session."""
    database = tmp_path_factory.mktemp("live") / "touchpoint.db"
    app = create_app(
        {**base_config(f"sqlite:///{database}"), "TOUCHPOINT_RATELIMIT": "10000/minute"}
    )
    with app.app_context():
        db.create_all()
    server = ServerThread(app)
    yield LiveServer(app=app, url=server.url)
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def host_pages(chromium):
    """Serve the host pages from their own origin for the whole session."""
    pages = HostPages()
    server = ServerThread(pages)
    pages.url = server.url
    yield pages
    server.stop()


@pytest.fixture
def site_key(live_server, host_pages) -> str:
    """Return the key of a fresh site that accepts the host pages' origin."""
    return live_server.create_site(allowed_origins=[host_pages.url])


@dataclass
class BrowserPage:
    """A Playwright page plus what the page reported: console errors and uncaught errors."""

    page: object
    context: object
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)


@pytest.fixture
def browser_page(chromium):
    """Yield a page in a fresh context (no cookies, empty storage), English by default."""
    context = chromium.new_context(locale="en-US")
    page = context.new_page()
    record = BrowserPage(page=page, context=context)
    page.on("console", lambda m: m.type == "error" and record.console_errors.append(m.text))
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    yield record
    context.close()


def host_html(
    live_url: str, site_key: str | None, attributes: dict | None = None, head: str = ""
) -> str:
    """Return a host page that embeds the widget with the snippet a site owner pastes."""
    snippet = ""
    if site_key is not None:
        extra = "".join(
            f' data-{name}="{escape(str(value))}"' for name, value in (attributes or {}).items()
        )
        snippet = (
            f'<script src="{live_url}/widget.js" data-site="{site_key}"{extra} defer></script>'
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host shop</title>'
        f"{head}{snippet}</head><body><main><h1>Host shop</h1>"
        '<p>A page of a site that embeds Touchpoint.</p><button type="button" id="buy">Buy</button>'
        "</main></body></html>"
    )


@pytest.fixture
def open_host_page(browser_page, live_server, host_pages):
    """Return a function that serves a host page embedding the widget and loads it."""

    def load(site_key, path="/", attributes=None, head="", headers=None):
        html = host_html(live_server.url, site_key, attributes, head)
        url = host_pages.add(html, path, headers)
        browser_page.page.goto(url)
        if site_key is not None:
            wait_for_widget(browser_page.page)
        return browser_page.page

    return load


def wait_for_widget(page) -> None:
    """Wait until the widget has published `window.Touchpoint` and mounted its element.

    A locator wait, not `page.wait_for_function`: that one evaluates its predicate as a string
    inside the page, which a Content-Security-Policy without 'unsafe-eval' (the demo shop, the
    CSP test) may refuse with an EvalError. The widget sets `window.Touchpoint` just before it
    appends `<touchpoint-widget>`, so the element being there means both are.
    """
    page.locator("touchpoint-widget").wait_for(state="attached")


def stub_script(*calls) -> str:
    """Return an inline script with the pre-load queue stub and the calls made before load."""
    lines = [
        "window.Touchpoint = window.Touchpoint || function () "
        "{ (Touchpoint.q = Touchpoint.q || []).push(arguments) };"
    ]
    lines += [f"Touchpoint({', '.join(map(json.dumps, call))});" for call in calls]
    return "<script>" + "\n".join(lines) + "</script>"


@pytest.fixture
def axe_page(chromium):
    """Return a page whose context lets axe-core's injected script past the CSP (the flows
    run under the dashboard's CSP; only the accessibility checks bypass it)."""
    context = chromium.new_context(locale="en-US", bypass_csp=True)
    yield context.new_page()
    context.close()


def token_secret(app, site_key: str | None = None, read_only: bool = False) -> str:
    """Create an admin token on the live server (for one site, or instance-wide); return its
    secret."""
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == site_key)) if site_key else None
        return create_token("browser", site=site, read_only=read_only)[1]


def sign_in(page, url: str, secret: str) -> None:
    """Sign in to the dashboard at `url` through its form."""
    page.goto(f"{url}/admin/")
    page.get_by_label("Admin token").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Sites").wait_for()


def run_axe(page) -> list[dict]:
    """Inject axe-core and return its violations for the current page."""
    if not AXE.exists():
        skip_or_fail("accessibility tests need axe-core: run `npm ci` in widget/")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
    )


def posts_of(page, live_server) -> list:
    """Record the JSON bodies the page posts to the Touchpoint server, as they are sent."""
    bodies = []

    def record(request):
        if request.method == "POST" and request.url.startswith(live_server.url):
            bodies.append(json.loads(request.post_data))

    page.on("request", record)
    return bodies


def site_script_html(live_url: str, site_key: str, head: str = "", body: str = "") -> str:
    """Return a host page that embeds the site's per-site script (settings inlined, no data-)."""
    snippet = f'<script src="{live_url}/w/{site_key}.js" defer></script>'
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host shop</title>'
        f"{head}{snippet}</head><body><main><h1>Host shop</h1>"
        '<p>A page of a site that embeds Touchpoint.</p><input id="search" aria-label="Search">'
        f"{body}</main></body></html>"
    )


def server_requests(page, live_server) -> list:
    """Record the URLs of every request the page makes to the Touchpoint server."""
    urls = []
    page.on("request", lambda r: r.url.startswith(live_server.url) and urls.append(r.url))
    return urls
