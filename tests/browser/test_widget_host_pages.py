"""Host pages of every kind (fixtures in host_pages/), each served from another origin than the API.

Each kind comes from public bug reports of comparable widgets: pages whose fetch is wrapped by
tracing, single-page apps that replace <body>, right-to-left pages, pages that style <html> and
<body>, pages with huge URLs and titles, pages on an origin the site does not allow.
"""

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import RefusedOrigin

from .conftest import posts_of, wait_for_widget

HOST_PAGES = Path(__file__).parent / "host_pages"
OUTBOX = "localStorage.getItem('touchpoint:outbox')"
TRACING_HEADERS = ("traceparent", "baggage", "sentry-trace")


def serve_fixture(host_pages, live_server, name, site_key, path="/", **fields):
    """Serve host page `name` embedding the widget for `site_key` at `path`; return its URL."""
    snippet = f'<script src="{live_server.url}/widget.js" data-site="{site_key}" defer></script>'
    html = (HOST_PAGES / name).read_text().replace("{widget}", snippet)
    for field, value in fields.items():
        html = html.replace("{" + field + "}", value)
    return host_pages.add(html, path)


def load(page, url):
    """Load `url` and wait for the widget."""
    page.goto(url)
    wait_for_widget(page)
    return page


def send(page, score_name="4 \N{EN DASH} satisfied"):
    """Choose a score in the open dialog and press Send."""
    page.get_by_role("radio", name=score_name, exact=True).check()
    page.get_by_role("button", name="Send").click()


def test_a_page_whose_fetch_adds_tracing_headers_still_sends(
    browser_page, live_server, host_pages, site_key
):
    page = load(browser_page.page, serve_fixture(host_pages, live_server, "tracing.html", site_key))
    sent = []
    page.on("request", lambda r: r.method == "POST" and sent.append(r.headers))
    page.get_by_role("button", name="Feedback").click()
    send(page)
    page.get_by_text("Thank you! Your feedback was sent.").wait_for()
    assert len(live_server.wait_for_rows(site_key, 1)) == 1
    assert all(header in sent[0] for header in TRACING_HEADERS)


@pytest.mark.parametrize("navigation", ["turbo", "htmx", "pjax", "document"])
def test_a_single_page_app_gets_the_trigger_back_and_sends_the_new_url(
    browser_page, live_server, host_pages, site_key, navigation
):
    url = serve_fixture(host_pages, live_server, "single_page_app.html", site_key, "/blog/start")
    page = load(browser_page.page, url)
    page.evaluate(f"navigations.{navigation}('/checkout/step-2')")
    trigger = page.get_by_role("button", name="Feedback")
    trigger.wait_for()
    trigger.click()
    send(page)
    page.get_by_text("Your feedback was sent").wait_for()
    page.get_by_role("button", name="Close").click()

    page.evaluate(f"navigations.{navigation}('/checkout/step-3')")
    page.evaluate("Touchpoint.open({metric: 'thumbs'})")
    send(page, "1 \N{EN DASH} yes")
    page.get_by_text("Your feedback was sent").wait_for()
    first, second = live_server.wait_for_rows(site_key, 2)
    assert (first.page_path, first.phase) == ("/checkout/step-2", "conversion")
    assert second.page_path == "/checkout/step-3"
    # No host global was patched to notice the navigations.
    assert page.evaluate("history.pushState === History.prototype.pushState")
    assert page.locator("touchpoint-widget").count() == 1
    assert browser_page.page_errors == []


def test_ask_works_after_the_body_is_replaced(browser_page, live_server, host_pages, site_key):
    url = serve_fixture(host_pages, live_server, "single_page_app.html", site_key)
    page = load(browser_page.page, url)
    page.evaluate("navigations.turbo('/after'); Touchpoint.ask({metric: 'nps'})")
    page.get_by_role("dialog", name="How likely are you to recommend us?").wait_for()
    assert browser_page.page_errors == [] and browser_page.console_errors == []


def test_an_arabic_page_gets_an_arabic_dialog_right_to_left(
    browser_page, live_server, host_pages, site_key
):
    # Without data-locale the page's <html lang="ar"> chooses the widget's language.
    url = serve_fixture(host_pages, live_server, "right_to_left.html", site_key)
    page = load(browser_page.page, url)
    trigger = page.get_by_role("button", name="رأيك")
    assert trigger.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.evaluate("Touchpoint.open({metric: 'nps'})")
    page.get_by_role("heading", name="ما مدى احتمال أن توصي بنا؟").wait_for()
    zero, ten = (page.locator(f"touchpoint-widget input[value='{n}']") for n in (0, 10))
    assert zero.bounding_box()["x"] > ten.bounding_box()["x"]


def test_a_right_to_left_page_keeps_an_english_dialog_left_to_right(
    browser_page, live_server, host_pages, site_key
):
    snippet = (
        f'<script src="{live_server.url}/widget.js" data-site="{site_key}" '
        'data-locale="en" defer></script>'
    )
    html = (HOST_PAGES / "right_to_left.html").read_text().replace("{widget}", snippet)
    page = load(browser_page.page, host_pages.add(html))
    trigger = page.get_by_role("button", name="Feedback")
    assert trigger.evaluate("el => getComputedStyle(el).direction") == "ltr"
    page.evaluate("Touchpoint.open({metric: 'nps'})")
    dialog = page.get_by_role("dialog", name="How likely are you to recommend us?")
    dialog.wait_for()
    heading = page.get_by_role("heading", name="How likely are you to recommend us?")
    assert heading.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert heading.evaluate("el => getComputedStyle(el).unicodeBidi") != "bidi-override"
    radios = page.get_by_role("radio")
    # The scale runs 0 … 10 from left to right.
    zero, ten = radios.first.bounding_box(), radios.last.bounding_box()
    assert zero["x"] < ten["x"]


#: What a host page may do to <html> and <body>; the widget must not notice (SPEC).
ROOT_STYLES = {
    "html transform": "html { transform: translateX(40px) scale(0.9); }",
    "body transform": "body { transform: translateY(30px); }",
    "html filter": "html { filter: grayscale(1); }",
    "body filter": "body { filter: blur(0); }",
    "html perspective": "html { perspective: 500px; }",
    "html contain": "html { contain: layout paint; }",
    "body contain": "body { contain: paint; height: 300px; }",
    "html will-change": "html { will-change: transform; }",
    "root font size": "html { font-size: 40px; } body { font-size: 3rem; }",
    "html zoom": "html { zoom: 1.5; }",
    "body zoom": "body { zoom: 0.5; }",
    "overflow hidden": "html, body { overflow: hidden; height: 100%; }",
    "dir and writing mode": "html { direction: rtl; } body { writing-mode: vertical-rl; }",
}


def widget_geometry(page):
    """Return the trigger's box (before and after scrolling) and the open dialog's size."""
    trigger = page.get_by_role("button", name="Feedback")
    before = trigger.bounding_box()
    page.mouse.wheel(0, 800)
    page.wait_for_timeout(100)
    after = trigger.bounding_box()
    page.emulate_media(reduced_motion="reduce")
    page.evaluate("Touchpoint.open()")
    page.get_by_role("radio").first.wait_for()
    dialog = page.get_by_role("dialog").bounding_box()
    page.keyboard.press("Escape")
    return before, after, (round(dialog["width"]), round(dialog["height"]))


@pytest.mark.parametrize("style", ROOT_STYLES.values(), ids=ROOT_STYLES.keys())
def test_host_root_styles_do_not_move_or_resize_the_widget(
    browser_page, live_server, host_pages, site_key, style
):
    page = browser_page.page
    plain = serve_fixture(host_pages, live_server, "styled_root.html", site_key, style="")
    expected = widget_geometry(load(page, plain))
    styled = serve_fixture(host_pages, live_server, "styled_root.html", site_key, style=style)
    before, after, dialog = widget_geometry(load(page, styled))
    assert before == expected[0]
    assert after == before
    assert dialog == expected[2]


def test_long_urls_and_titles_send_only_what_the_server_keeps(
    browser_page, live_server, host_pages
):
    key = live_server.create_site(allowed_origins=[host_pages.url], keep_query_params=["q"])
    page = browser_page.page
    bodies = posts_of(page, live_server)
    page.route(f"{live_server.url}/api/v1/sites/*/responses", lambda r: r.abort("failed"))
    url = serve_fixture(host_pages, live_server, "long_page.html", key, "/search")
    page.goto(url, referer=f"{host_pages.url}/reset?token=secret-in-referrer")
    wait_for_widget(page)
    page.get_by_role("button", name="Feedback").click()
    send(page)
    page.get_by_text("will be sent later").wait_for()

    stored = page.evaluate("JSON.stringify(localStorage)")
    for secret in ("secret-in-query", "secret-in-fragment", "secret-in-referrer", "facets"):
        assert secret not in stored
        assert secret not in json.dumps(bodies)
    assert len(stored) < 2000
    assert bodies[0]["page"]["url"] == f"{host_pages.url}/search?q=shoes"
    assert bodies[0]["page"]["referrer"] == host_pages.url
    assert len(bodies[0]["page"]["title"]) <= 300

    page.unroute(f"{live_server.url}/api/v1/sites/*/responses")
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function(f"!{OUTBOX}")
    (row,) = live_server.wait_for_rows(key, 1)
    assert (row.page_url, row.page_path) == (f"{host_pages.url}/search?q=shoes", "/search")
    assert row.page_title.startswith("Shoes \N{ATHLETIC SHOE} very long title")
    assert len(row.page_title) == 300


def test_an_outbox_entry_of_an_earlier_release_is_cleaned_when_read(
    browser_page, live_server, host_pages, site_key
):
    page = browser_page.page
    secret_url = f"{host_pages.url}/account?reset_token=secret-a#access_token=secret-b"
    earlier = {
        "url": f"{live_server.url}/api/v1/sites/{site_key}/responses",
        "body": {
            "metric": "csat",
            "score": 2,
            "page": {"url": secret_url, "title": "Account", "referrer": secret_url},
            "event_id": "00000000-0000-4000-8000-000000000042",
            "hp": "",
        },
        "tries": 0,
        "due": 0,
        "since": time.time() * 1000,
    }
    page.goto(serve_fixture(host_pages, live_server, "styled_root.html", None, style=""))
    page.evaluate(
        "item => localStorage.setItem('touchpoint:outbox', JSON.stringify([item]))", earlier
    )
    bodies = posts_of(page, live_server)
    page.route(f"{live_server.url}/api/v1/sites/*/responses", lambda r: r.abort("failed"))
    load(page, serve_fixture(host_pages, live_server, "styled_root.html", site_key, style=""))
    page.wait_for_function(f"{OUTBOX} && JSON.parse({OUTBOX})[0].tries === 1")
    assert "secret" not in page.evaluate(OUTBOX)
    assert bodies[0]["page"] == {
        "url": f"{host_pages.url}/account",
        "title": "Account",
        "referrer": host_pages.url,
    }


def test_a_refused_origin_is_told_so_not_retried_and_counted(browser_page, live_server, host_pages):
    key = live_server.create_site(allowed_origins=["https://elsewhere.example"])
    url = serve_fixture(host_pages, live_server, "styled_root.html", key, style="")
    page = load(browser_page.page, url)
    page.evaluate("window.errors = []; Touchpoint.on('error', d => errors.push(d.result))")
    page.get_by_role("button", name="Feedback").click()
    send(page)
    status = page.get_by_role("status")
    page.get_by_text("this page may not send feedback").wait_for()
    assert status.inner_text() == "Sorry, this page may not send feedback, so yours was not sent."
    assert page.evaluate("errors") == ["refused"]
    assert page.evaluate(OUTBOX) is None

    bodies = posts_of(page, live_server)
    page.reload()
    wait_for_widget(page)
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_timeout(300)
    assert bodies == []
    with live_server.app.app_context():
        origins = db.session.scalars(select(RefusedOrigin.origin)).all()
        db.session.remove()
    assert host_pages.url in origins


def test_ask_during_the_cooldown_says_why_in_one_console_line(
    browser_page, open_host_page, site_key
):
    page = open_host_page(site_key)
    lines = []
    page.on("console", lambda message: lines.append((message.type, message.text)))
    page.get_by_role("button", name="Feedback").click()
    send(page)
    page.get_by_text("Your feedback was sent").wait_for()
    page.get_by_role("button", name="Close").click()
    assert lines == []

    page.evaluate("Touchpoint.ask()")
    deadline = time.monotonic() + 10
    while not lines and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)
    assert not page.get_by_role("dialog").is_visible()
    assert lines == [
        ("info", "Touchpoint: ask() stays quiet for cooldown_days (30) after an answer")
    ]


BELOW_BASELINE = {
    "no modal dialog": "delete HTMLDialogElement.prototype.showModal",
    "no constructable stylesheets": "delete Document.prototype.adoptedStyleSheets",
}


@pytest.mark.parametrize("missing", BELOW_BASELINE.values(), ids=BELOW_BASELINE.keys())
def test_below_the_baseline_no_trigger_is_shown(
    browser_page, live_server, host_pages, site_key, missing
):
    page = browser_page.page
    page.add_init_script(missing)
    requests = []
    page.on("request", lambda r: r.url.startswith(live_server.url) and requests.append(r.url))
    page.goto(serve_fixture(host_pages, live_server, "styled_root.html", site_key, style=""))
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert page.locator("touchpoint-widget").count() == 0
    assert requests == [f"{live_server.url}/widget.js"]
    assert browser_page.page_errors == [] and browser_page.console_errors == []


def answer_with(status):
    """Return a route handler: the server stores the response, the browser gets `status`."""

    def handle(route):
        real = route.fetch()
        headers = {**real.headers, "retry-after": "120"}
        route.fulfill(status=status, headers=headers, body=json.dumps({"code": status}))

    return handle


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_read_and_honoured(
    browser_page, open_host_page, site_key, live_server, status
):
    page = open_host_page(site_key)
    route = f"{live_server.url}/api/v1/sites/*/responses"
    page.route(route, answer_with(status))
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("will be sent later").wait_for()
    (item,) = json.loads(page.evaluate(OUTBOX))
    assert item["due"] > time.time() * 1000 + 100_000

    page.unroute(route)
    bodies = posts_of(page, live_server)
    page.reload()
    wait_for_widget(page)
    page.wait_for_timeout(300)
    # Not due yet: the next page load leaves it waiting.
    assert bodies == []
    assert json.loads(page.evaluate(OUTBOX)) == [item]


def test_a_page_enforcing_trusted_types_lets_the_widget_work(
    browser_page, live_server, host_pages, site_key
):
    # The widget builds its DOM with createElement and textContent: no Trusted Types sink.
    policy = "require-trusted-types-for 'script'; trusted-types 'none'"
    snippet = f'<script src="{live_server.url}/widget.js" data-site="{site_key}" defer></script>'
    html = (HOST_PAGES / "styled_root.html").read_text()
    html = html.replace("{widget}", snippet).replace("{style}", "")
    page = load(
        browser_page.page, host_pages.add(html, headers={"Content-Security-Policy": policy})
    )
    page.get_by_role("button", name="Feedback").click()
    send(page)
    page.get_by_text("Your feedback was sent").wait_for()
    assert browser_page.console_errors == [] and browser_page.page_errors == []


def test_a_page_whose_storage_refuses_writes_is_told_the_truth_offline(
    browser_page, live_server, host_pages, site_key
):
    # Safari's private browsing of old, a full quota, storage blocked by the visitor.
    page = browser_page.page
    page.add_init_script(
        "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError') }"
    )
    load(page, serve_fixture(host_pages, live_server, "styled_root.html", site_key, style=""))
    page.route(f"{live_server.url}/api/v1/sites/*/responses", lambda r: r.abort("failed"))
    page.get_by_role("button", name="Feedback").click()
    send(page)
    # Nothing could be kept for later, so "saved" would be a lie.
    page.get_by_text("Sorry, your feedback could not be sent.").wait_for()
    assert browser_page.page_errors == []
