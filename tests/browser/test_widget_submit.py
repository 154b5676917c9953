"""Sending feedback: what is stored, honest states, offline retries and exactly-once delivery."""

import json

import pytest

from .conftest import ROOT, host_html, posts_of, wait_for_widget

# Polled with page.wait_for_function, which evaluates it as a string in the page: fine on these
# host pages, which send no Content-Security-Policy (under one without 'unsafe-eval' it may not be).
OUTBOX = "localStorage.getItem('touchpoint:outbox')"


def answer(page, score_name, comment=None):
    """Choose a score, maybe type a comment, and press Send."""
    page.get_by_role("radio", name=score_name, exact=True).check()
    if comment is not None:
        page.get_by_role("textbox").fill(comment)
    page.get_by_role("button", name="Send").click()


def test_submit_stores_metric_score_comment_page_and_rule_phase(
    open_host_page, site_key, live_server
):
    page = open_host_page(site_key, path="/checkout/pay")
    page.evaluate("window.seen = []; Touchpoint.on('submit', d => seen.push(d.result))")
    bodies = posts_of(page, live_server)
    page.get_by_role("button", name="Feedback").click()
    answer(page, "4 \N{EN DASH} satisfied", "  The payment page was quick.  ")
    page.get_by_text("Thank you! Your feedback was sent.").wait_for()
    assert page.get_by_role("status").inner_text() == "Thank you! Your feedback was sent."

    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.metric, row.score, row.comment) == ("csat", 4, "The payment page was quick.")
    assert (row.page_path, row.phase, row.phase_source) == ("/checkout/pay", "conversion", "rule")
    assert row.page_title == "Host shop"
    assert row.locale == "en-US"
    assert row.event_id == bodies[0]["event_id"]
    assert bodies[0]["hp"] == ""
    assert page.evaluate("seen") == ["sent"]


@pytest.mark.parametrize(
    ("attributes", "script", "phase"),
    [
        ({"phase": "loyalty"}, "", "loyalty"),
        ({"phase": "loyalty"}, "Touchpoint.setPhase('advocacy')", "advocacy"),
        ({}, "Touchpoint.setPhase('awareness')", "awareness"),
    ],
)
def test_the_page_can_name_the_phase(
    open_host_page, site_key, live_server, attributes, script, phase
):
    page = open_host_page(site_key, path="/checkout", attributes=attributes)
    if script:
        page.evaluate(script)
    page.evaluate("Touchpoint.setTags({plan: 'pro', seats: 3})")
    page.evaluate("Touchpoint.open({metric: 'nps'})")
    answer(page, "9")
    page.get_by_text("Your feedback was sent").wait_for()
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.metric, row.score, row.phase, row.phase_source) == ("nps", 9, phase, "client")
    assert row.tags == {"plan": "pro", "seats": 3}


def test_ask_sends_its_metric_phase_and_tags(open_host_page, site_key, live_server):
    page = open_host_page(site_key, path="/checkout/pay")
    page.evaluate("Touchpoint.ask({metric: 'thumbs', phase: 'loyalty', tags: {step: 'pay'}})")
    answer(page, "1 \N{EN DASH} yes")
    page.get_by_text("Your feedback was sent").wait_for()
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.metric, row.score, row.phase, row.tags) == ("thumbs", 1, "loyalty", {"step": "pay"})


@pytest.mark.parametrize("answered", [True, False])
def test_ask_is_quiet_during_the_cooldown_but_open_is_not(open_host_page, site_key, answered):
    page = open_host_page(site_key)
    page.evaluate("Touchpoint.ask()")
    if answered:
        answer(page, "5 \N{EN DASH} very satisfied")
        page.get_by_text("Your feedback was sent").wait_for()
        page.get_by_role("button", name="Close").click()
    else:
        page.get_by_role("dialog").wait_for()
        page.keyboard.press("Escape")

    page.reload()
    wait_for_widget(page)
    with page.expect_response(lambda answer: answer.url.endswith("/config")):
        page.evaluate("Touchpoint.ask()")
    page.wait_for_timeout(200)
    assert not page.get_by_role("dialog").is_visible()
    page.evaluate("Touchpoint.open()")
    page.get_by_role("dialog").wait_for()


def test_a_disabled_site_says_feedback_is_closed_and_sends_nothing(
    open_host_page, live_server, host_pages
):
    key = live_server.create_site(allowed_origins=[host_pages.url], enabled=False)
    page = open_host_page(key)
    requests = []
    page.on("request", lambda request: request.method == "POST" and requests.append(request))
    page.get_by_role("button", name="Feedback").click()
    page.get_by_text("Feedback is closed for this site.").wait_for()
    assert page.get_by_role("radio").count() == 0
    assert not page.get_by_role("button", name="Send").is_visible()
    assert requests == []


def fail_by_aborting(route):
    route.abort("internetdisconnected")


def fail_after_storing(route):
    # The server stores the response, but its answer never reaches the browser.
    route.fetch()
    route.fulfill(status=503, json={"code": 503}, headers={"Retry-After": "1"})


def fail_with_429(route):
    route.fulfill(status=429, json={"code": 429}, headers={"Retry-After": "1"})


@pytest.mark.parametrize(
    ("failure", "stored_at_first"),
    [(fail_by_aborting, 0), (fail_after_storing, 1), (fail_with_429, 0)],
)
def test_a_response_kept_offline_arrives_exactly_once(
    browser_page, open_host_page, site_key, live_server, failure, stored_at_first
):
    page = open_host_page(site_key, path="/blog/post")
    bodies = posts_of(page, live_server)
    route = f"{live_server.url}/api/v1/sites/*/responses"
    page.route(route, failure)
    page.get_by_role("button", name="Feedback").click()
    answer(page, "2 \N{EN DASH} dissatisfied", "Slow")
    page.get_by_text("will be sent later").wait_for()
    assert len(live_server.rows(site_key)) == stored_at_first
    kept = json.loads(page.evaluate(OUTBOX))
    assert [item["body"]["event_id"] for item in kept] == [bodies[0]["event_id"]]

    page.unroute(route)
    page.reload()
    page.wait_for_function(f"!{OUTBOX}")
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.score, row.comment, row.phase) == (2, "Slow", "awareness")
    assert [body["event_id"] for body in bodies] == [row.event_id, row.event_id]
    assert browser_page.page_errors == []


def test_the_online_event_resends_at_once(open_host_page, site_key, live_server):
    page = open_host_page(site_key)
    route = f"{live_server.url}/api/v1/sites/*/responses"
    page.route(route, fail_by_aborting)
    page.evaluate("Touchpoint.open()")
    answer(page, "3 \N{EN DASH} neutral")
    page.get_by_text("will be sent later").wait_for()
    page.unroute(route)
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function(f"!{OUTBOX}")
    assert len(live_server.wait_for_rows(site_key, 1)) == 1


def test_a_refused_response_is_final_and_not_retried(open_host_page, site_key, live_server):
    page = open_host_page(site_key, attributes={"phase": "not-a-phase"})
    page.evaluate("window.errors = []; Touchpoint.on('error', d => errors.push(d.result))")
    page.evaluate("Touchpoint.open()")
    answer(page, "4 \N{EN DASH} satisfied")
    page.get_by_text("Sorry, your feedback could not be sent.").wait_for()
    assert page.evaluate("errors") == ["failed"]
    assert page.evaluate(OUTBOX) is None

    bodies = posts_of(page, live_server)
    page.reload()
    wait_for_widget(page)
    page.wait_for_timeout(300)
    assert bodies == []
    assert live_server.rows(site_key) == []


def test_the_honeypot_is_hidden_from_people(open_host_page, site_key):
    page = open_host_page(site_key)
    page.evaluate("Touchpoint.open()")
    honeypot = page.locator("input[name=hp]")
    # The dialog is built once the site's settings have been fetched; wait for it.
    honeypot.first.wait_for(state="attached")
    assert honeypot.count() == 1
    assert not honeypot.is_visible()
    assert honeypot.get_attribute("tabindex") == "-1"


def test_data_api_sends_to_the_server_named_there(browser_page, live_server, host_pages, site_key):
    # The script comes from the host's own server (as from a CDN); the responses still go to
    # the Touchpoint server that data-api names.
    bundle = (ROOT / "widget" / "dist" / "widget.js").read_text()
    script_url = host_pages.add(bundle, "/assets/widget.js", {"Content-Type": "text/javascript"})
    html = host_html(live_server.url, site_key, {"api": live_server.url + "/"}).replace(
        f"{live_server.url}/widget.js", script_url
    )
    page = browser_page.page
    page.goto(host_pages.add(html, "/blog/a"))
    wait_for_widget(page)
    page.evaluate("Touchpoint.open()")
    answer(page, "3 \N{EN DASH} neutral")
    page.get_by_text("Your feedback was sent").wait_for()
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert row.page_path == "/blog/a"
