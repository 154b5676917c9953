"""Host pages that fight the widget unwittingly, each served from another origin than the API.

Pages that rebuild their whole document, pages where the visitor is typing when `ask()` fires,
`fetch` replaced by an ad blocker's shim or a wrapper with a poor imitation of a Response,
sandboxed frames without `allow-forms`, a broken queue stub, garbage in `data-api`, an unknown
site key, and a visitor coming back online inside a Retry-After window.
"""

import json

import pytest

from .conftest import host_html, posts_of, stub_script, wait_for_widget
from .test_widget_host_pages import OUTBOX, answer_with, load, send, serve_fixture

SHADOW = "document.querySelector('touchpoint-widget').shadowRoot"


@pytest.mark.parametrize("rebuild", ["write", "replace"])
def test_a_rebuilt_document_gets_the_widget_back_and_it_works(
    browser_page, live_server, host_pages, site_key, rebuild
):
    url = serve_fixture(host_pages, live_server, "rebuilt_document.html", site_key)
    page = load(browser_page.page, url)
    page.evaluate(f"rebuilds.{rebuild}()")
    trigger = page.get_by_role("button", name="Feedback")
    trigger.wait_for()
    assert page.evaluate("document.documentElement.lastElementChild.localName") == (
        "touchpoint-widget"
    )
    # From a task of its own: a widget that loops would freeze the page, and the wait fail.
    page.evaluate("setTimeout(() => Touchpoint.open())")
    send(page)
    page.get_by_text("Your feedback was sent").wait_for(timeout=5000)
    page.get_by_role("button", name="Close").click()
    trigger.click()
    page.get_by_role("dialog").wait_for(timeout=5000)
    assert len(live_server.wait_for_rows(site_key, 1)) == 1
    assert page.locator("touchpoint-widget").count() == 1
    assert browser_page.page_errors == []


def test_ask_waits_while_the_visitor_types_and_no_key_of_theirs_answers_it(
    browser_page, live_server, host_pages, site_key
):
    url = serve_fixture(host_pages, live_server, "typing_form.html", site_key)
    page = load(browser_page.page, url)
    bodies = posts_of(page, live_server)
    page.locator("#name").click()
    page.evaluate("setTimeout(() => Touchpoint.ask(), 50)")
    page.keyboard.type("Jane Doe, 1 Main Street", delay=40)
    page.keyboard.press("Tab")
    page.keyboard.type("Ring twice please", delay=30)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    assert not dialog.is_visible()

    # Leaving the fields lets the prompt open, with focus on the dialog, not on a score.
    page.keyboard.press("Tab")
    dialog.wait_for()
    assert page.evaluate(f"{SHADOW}.activeElement.localName") == "dialog"
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate(f"{SHADOW}.querySelector(':checked')") is None
    assert bodies == [] and live_server.rows(site_key) == []
    assert page.locator("#name").input_value() == "Jane Doe, 1 Main Street"
    assert page.locator("#note").input_value() == "Ring twice please\n"


def test_ask_waits_for_an_editable_field_in_an_open_shadow_root(
    browser_page, live_server, host_pages, site_key
):
    url = serve_fixture(host_pages, live_server, "typing_form.html", site_key)
    page = load(browser_page.page, url)
    page.get_by_role("textbox", name="Gift message").click()
    page.evaluate("Touchpoint.ask()")
    page.keyboard.type(" birthday", delay=30)
    page.wait_for_timeout(300)
    assert not page.get_by_role("dialog").is_visible()
    page.locator("#order").focus()
    page.get_by_role("dialog").wait_for()


@pytest.mark.parametrize("press", ["click on Send", "Enter on a score"])
def test_a_sandboxed_frame_without_allow_forms_still_sends(
    browser_page, live_server, host_pages, site_key, press
):
    inner = serve_fixture(host_pages, live_server, "styled_root.html", site_key, style="")
    outer = serve_fixture(host_pages, live_server, "sandboxed_frame.html", site_key, inner=inner)
    page = browser_page.page
    page.goto(outer)
    frame = page.frame_locator("iframe")
    frame.get_by_role("button", name="Feedback").click()
    score = frame.get_by_role("radio", name="4 \N{EN DASH} satisfied", exact=True)
    score.check()
    if press == "click on Send":
        frame.get_by_role("button", name="Send").click()
    else:
        score.press("Enter")
    frame.get_by_text("Your feedback was sent").wait_for()
    assert len(live_server.wait_for_rows(site_key, 1)) == 1


WRAPPERS = {
    "throws at once (ad blocker shim)": (
        "window.fetch = (url, init) => { if (init && init.method === 'POST') "
        "throw new TypeError('blocked'); return realFetch(url, init); };"
    ),
    "rejects with no Error": (
        "window.fetch = (url, init) => init && init.method === 'POST' "
        "? Promise.reject() : realFetch(url, init);"
    ),
    "resolves to nothing": (
        "window.fetch = (url, init) => init && init.method === 'POST' "
        "? Promise.resolve() : realFetch(url, init);"
    ),
}


@pytest.mark.parametrize("wrapper", WRAPPERS.values(), ids=WRAPPERS.keys())
def test_a_host_fetch_that_fails_its_own_way_is_a_network_failure(
    browser_page, live_server, host_pages, site_key, wrapper
):
    url = serve_fixture(host_pages, live_server, "wrapped_fetch.html", site_key, wrapper=wrapper)
    page = load(browser_page.page, url)
    page.evaluate("window.errors = []; Touchpoint.on('error', d => errors.push(d.result))")
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("will be sent later").wait_for()
    assert page.evaluate("errors") == ["queued"]
    assert len(json.loads(page.evaluate(OUTBOX))) == 1
    assert page.evaluate("pageErrors") == [] and browser_page.page_errors == []
    # No outcome was a real one for the server, yet the visitor answered: the cooldown runs.
    assert page.evaluate("localStorage.getItem('touchpoint:asked')") is not None


def test_a_host_fetch_whose_answer_has_headers_without_get_still_says_sent(
    browser_page, live_server, host_pages, site_key
):
    wrapper = (
        "window.fetch = (url, init) => realFetch(url, init).then(r => "
        "({ok: r.ok, status: r.status, headers: {}, json: () => r.json()}));"
    )
    url = serve_fixture(host_pages, live_server, "wrapped_fetch.html", site_key, wrapper=wrapper)
    page = load(browser_page.page, url)
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("Your feedback was sent").wait_for()
    assert page.evaluate(OUTBOX) is None
    assert page.evaluate("pageErrors") == [] and browser_page.page_errors == []
    assert len(live_server.wait_for_rows(site_key, 1)) == 1


def test_a_never_answered_send_starts_no_cooldown(browser_page, live_server, host_pages, site_key):
    wrapper = (
        "window.fetch = (url, init) => init && init.method === 'POST' "
        "? new Promise(() => {}) : realFetch(url, init);"
    )
    url = serve_fixture(host_pages, live_server, "wrapped_fetch.html", site_key, wrapper=wrapper)
    page = load(browser_page.page, url)
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("Sending").wait_for()
    assert page.evaluate("localStorage.getItem('touchpoint:asked')") is None


def test_a_bad_entry_in_the_queue_stub_is_skipped_and_the_rest_replayed(
    browser_page, live_server, host_pages, site_key
):
    head = stub_script(["setTags", {"plan": "pro"}]) + (
        "<script>Touchpoint.q.push(null, 5, {}); Touchpoint('open', {metric: 'thumbs'});</script>"
    )
    page = browser_page.page
    page.goto(host_pages.add(host_html(live_server.url, site_key, head=head)))
    wait_for_widget(page)
    send(page, "1 \N{EN DASH} yes")
    page.get_by_text("Your feedback was sent").wait_for()
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.metric, row.tags) == ("thumbs", {"plan": "pro"})
    assert browser_page.page_errors == []


@pytest.mark.parametrize("api", ["  ", "javascript:alert(1)", "/relative", "feedback.example"])
def test_a_data_api_that_is_no_absolute_url_falls_back_to_the_script_origin(
    browser_page, open_host_page, live_server, site_key, api
):
    page = open_host_page(site_key, attributes={"api": api})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("Your feedback was sent").wait_for()
    assert len(live_server.wait_for_rows(site_key, 1)) == 1
    assert all(url.startswith(live_server.url) for url in requests)


def test_an_unknown_site_key_is_told_could_not_be_sent_and_not_retried(
    browser_page, open_host_page, live_server
):
    page = open_host_page("pk_doesnotexist")
    page.evaluate("window.errors = []; Touchpoint.on('error', d => errors.push(d.result))")
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("Sorry, your feedback could not be sent.").wait_for()
    assert page.evaluate("errors") == ["failed"]
    assert page.evaluate(OUTBOX) is None


@pytest.mark.parametrize("status", [429, 503])
def test_coming_back_online_inside_a_retry_after_window_waits(
    browser_page, open_host_page, site_key, live_server, status
):
    page = open_host_page(site_key)
    route = f"{live_server.url}/api/v1/sites/*/responses"
    page.route(route, answer_with(status))
    page.evaluate("Touchpoint.open()")
    send(page)
    page.get_by_text("will be sent later").wait_for()
    page.unroute(route)
    bodies = posts_of(page, live_server)
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_timeout(300)
    assert bodies == []
    assert len(json.loads(page.evaluate(OUTBOX))) == 1

    # Past the Retry-After, `online` resends at once (the back-off is for page loads).
    page.evaluate(
        f"localStorage.setItem('touchpoint:outbox', JSON.stringify("
        f"JSON.parse({OUTBOX}).map(item => ({{...item, due: Date.now() - 1}}))))"
    )
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function(f"!{OUTBOX}")
    assert len(bodies) == 1 and len(live_server.wait_for_rows(site_key, 1)) == 1
