"""Names that cross the widget's edge keep their spelling in the minified, property-mangled bundle.

The build renames internal properties (those ending with `_`). These tests read every name the
widget shares with the outside, as the outside sees it: `window.Touchpoint`, the JSON posted to
the server, the `submit` event, localStorage written by an earlier release, and `/config`.
"""

import json
import time

from .conftest import host_html, posts_of

DAY_MS = 864e5
API = ["ask", "close", "loaded", "on", "open", "setPhase", "setTags", "track"]
RESPONSE = ["comment", "event_id", "hp", "locale", "metric", "page", "phase", "score", "tags"]
#: An outbox entry of an earlier release; this one adds the query parameters its page kept.
EARLIER_OUTBOX_ITEM = ["body", "due", "since", "tries", "url"]
OUTBOX_ITEM = ["body", "due", "kept", "since", "tries", "url"]
#: An entry resent in vain also holds the end of the server's Retry-After, which `online` keeps.
RESENT_OUTBOX_ITEM = sorted([*OUTBOX_ITEM, "hold"])


def test_the_public_api_the_posted_json_and_the_submit_event_keep_their_names(
    open_host_page, site_key, live_server
):
    page = open_host_page(site_key, path="/checkout", attributes={"phase": "loyalty"})
    assert page.evaluate("Object.keys(Touchpoint).sort()") == API
    page.evaluate(
        "window.seen = []; Touchpoint.on('submit', d => seen.push(JSON.parse(JSON.stringify(d))))"
    )
    page.evaluate("Touchpoint.setTags({plan: 'pro'})")
    bodies = posts_of(page, live_server)
    page.evaluate("Touchpoint.open({metric: 'nps', tags: {step: 'pay'}})")
    page.get_by_role("radio", name="9", exact=True).check()
    page.get_by_role("textbox").fill("Quick")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your feedback was sent").wait_for()

    (body,) = bodies
    assert sorted(body) == RESPONSE
    assert sorted(body["page"]) == ["title", "url"]
    assert body["tags"] == {"plan": "pro", "step": "pay"}
    (detail,) = page.evaluate("seen")
    assert sorted(detail) == sorted([*RESPONSE, "result"])
    assert {**detail, "result": None} == {**body, "result": None}
    assert detail["result"] == "sent"
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.metric, row.score, row.comment, row.phase) == ("nps", 9, "Quick", "loyalty")
    assert isinstance(page.evaluate("JSON.parse(localStorage.getItem('touchpoint:asked'))"), int)


def outbox_item(live_server, site_key, page_origin, score, since, due=0, tries=0):
    """Return a response waiting in the outbox, as any release of the widget stores it,
    sent from a page on `page_origin` (the site refuses pages on origins it does not allow)."""
    return {
        "url": f"{live_server.url}/api/v1/sites/{site_key}/responses",
        "body": {
            "metric": "csat",
            "score": score,
            "page": {"url": f"{page_origin}/kept", "title": "Kept"},
            "event_id": f"00000000-0000-4000-8000-00000000000{score}",
            "hp": "",
        },
        "tries": tries,
        "due": due,
        "since": since,
    }


def test_an_outbox_written_by_an_earlier_release_is_read_by_its_names(
    browser_page, live_server, host_pages, site_key
):
    now = time.time() * 1000
    origin = host_pages.url
    fresh = outbox_item(live_server, site_key, origin, 1, since=now - DAY_MS)
    stale = outbox_item(live_server, site_key, origin, 2, since=now - 31 * DAY_MS)
    later = outbox_item(live_server, site_key, origin, 3, since=now, due=now + 36e5, tries=3)
    page = browser_page.page
    page.goto(host_pages.add(host_html(live_server.url, None)))
    page.evaluate(
        "items => localStorage.setItem('touchpoint:outbox', JSON.stringify(items))",
        [fresh, stale, later],
    )
    bodies = posts_of(page, live_server)
    page.goto(host_pages.add(host_html(live_server.url, site_key)))
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.score, row.event_id) == (1, fresh["body"]["event_id"])
    # `since` dropped the stale response unsent; `due` keeps the last one for later.
    page.get_by_role("button", name="Feedback").wait_for()
    page.wait_for_timeout(300)
    assert [body["event_id"] for body in bodies] == [fresh["body"]["event_id"]]
    kept = json.loads(page.evaluate("localStorage.getItem('touchpoint:outbox')"))
    assert kept == [later]
    assert sorted(kept[0]) == EARLIER_OUTBOX_ITEM


def test_a_failed_resend_stores_its_tries_and_due_time_by_their_names(
    open_host_page, site_key, live_server
):
    page = open_host_page(site_key)
    route = f"{live_server.url}/api/v1/sites/*/responses"
    page.route(route, lambda route: route.abort("internetdisconnected"))
    page.evaluate("Touchpoint.open()")
    page.get_by_role("radio", name="3 \N{EN DASH} neutral").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_text("will be sent later").wait_for()
    (item,) = json.loads(page.evaluate("localStorage.getItem('touchpoint:outbox')"))
    assert sorted(item) == OUTBOX_ITEM
    assert item["tries"] == 0
    assert item["due"] <= time.time() * 1000  # due at once: no Retry-After

    page.evaluate("dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 10
    while item["tries"] == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        (item,) = json.loads(page.evaluate("localStorage.getItem('touchpoint:outbox')"))
    assert sorted(item) == RESENT_OUTBOX_ITEM
    assert item["tries"] == 1
    assert item["due"] > time.time() * 1000 + 30_000
    assert item["hold"] <= time.time() * 1000  # no Retry-After: `online` may resend at once


def test_config_settings_are_read_by_their_names(open_host_page, live_server, host_pages):
    key = live_server.create_site(
        allowed_origins=[host_pages.url],
        widget={
            "metric": "thumbs",
            "questions": {"en": {"thumbs": "Did this help?"}},
            "label": "Opinion",
            "color": "#ffd400",
            "position": "left",
            "cooldown_days": 0,
        },
    )
    page = open_host_page(key)
    page.evaluate("Touchpoint.ask()")
    page.get_by_role("dialog", name="Did this help?").wait_for()
    trigger = page.get_by_role("button", name="Opinion")
    assert trigger.get_attribute("data-position") == "left"
    assert trigger.evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    page.get_by_role("radio", name="1 \N{EN DASH} yes").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your feedback was sent").wait_for()
    page.get_by_role("button", name="Close").click()
    # cooldown_days 0: `ask` may prompt again at once.
    page.evaluate("Touchpoint.ask()")
    page.get_by_role("dialog", name="Did this help?").wait_for()
