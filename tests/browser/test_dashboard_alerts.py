"""The dashboard's alert pages in a real Chromium: a webhook rule made through the form, its
secret shown once, a test alert sent by a queue worker and signed as Standard Webhooks says,
private targets and forms without a CSRF token refused, read-only tokens kept to looking, and
no accessibility violations."""

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect
from queue_consumer import running_consumer
from sqlalchemy import select
from standardwebhooks import Webhook

from server.extensions import db
from server.jobs.queue import EXTENSION, Queue
from server.models import AlertRule, Site

from .conftest import run_axe, sign_in, token_secret

#: Seconds a test waits for the worker before it fails (never a timing assertion).
PATIENCE = 30
RULE_NAME = "Checkout detractors"


class Receiver(ThreadingHTTPServer):
    """A webhook receiver on 127.0.0.1 that records each POST and answers 200."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.requests: list[dict] = []
        self.arrived = threading.Event()
        self.url = f"http://127.0.0.1:{self.server_port}/hook"


class RecordingHandler(BaseHTTPRequestHandler):
    """Record a POST's headers and body on the receiver, then answer 200."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append({"headers": dict(self.headers), "body": body})
        self.server.arrived.set()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    """Yield a webhook receiver serving from a thread."""
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def private_targets(live_server, monkeypatch):
    """Let the live server's rules reach this machine for the test only."""
    monkeypatch.setitem(live_server.app.config, "TOUCHPOINT_ALERTS_ALLOW_PRIVATE", True)


@pytest.fixture
def alert_worker(live_server, tmp_path, monkeypatch):
    """Give the live server a queue of the test's own and run a consumer of it in threads.

    A queue of its own, so the worker never runs jobs other tests left in the shared one.
    """
    app = live_server.app
    monkeypatch.setitem(app.config, "TOUCHPOINT_QUEUE_URL", f"sqlite:///{tmp_path / 'queue.db'}")
    monkeypatch.setitem(app.extensions, EXTENSION, Queue(app))
    with running_consumer(app) as consumer:
        yield consumer


@pytest.fixture
def alert_site(live_server) -> str:
    """Return the key of a fresh site named "Alert shop"."""
    return live_server.create_site(name="Alert shop", allowed_origins=["*"])


def stored_rules(live_server, key) -> list[tuple]:
    """Return the (name, target, enabled) of the site's rules, oldest first."""
    with live_server.app.app_context():
        db.session.expire_all()
        query = select(AlertRule).join(Site).where(Site.key == key).order_by(AlertRule.id)
        rules = db.session.scalars(query)
        return [(rule.name, rule.target, rule.enabled) for rule in rules]


def open_alerts(page, live_server, key, token) -> None:
    """Sign in with `token` and open the site's alert rules from its navigation."""
    sign_in(page, live_server.url, token)
    page.goto(f"{live_server.url}/admin/sites/{key}")
    page.get_by_role("navigation", name="Alert shop").get_by_role("link", name="Alerts").click()
    page.get_by_role("heading", name="Alerts of Alert shop").wait_for()


def fill_rule(page, target: str, max_score: str = "6") -> None:
    """Fill the new-rule form: a webhook to `target` for NPS detractors, and submit it."""
    page.get_by_label("Name").fill(RULE_NAME)
    page.get_by_label("Channel").select_option("webhook")
    page.get_by_label("Target (URL or e-mail address)").fill(target)
    page.get_by_label("Metric").select_option("nps")
    page.get_by_label("Highest score (responses only)").fill(max_score)
    page.get_by_role("button", name="Create rule").click()


def click_action(page, action: str) -> None:
    """Click the rule's `action` (link or button), named with the rule for screen readers."""
    name = f"{action} · {RULE_NAME}"
    link = page.get_by_role("link", name=name, exact=True)
    link.or_(page.get_by_role("button", name=name, exact=True)).click()


def send_test_and_wait(page, receiver) -> dict:
    """Send a test from the rules list; return the request once the log shows it delivered."""
    page.get_by_role("button", name=f"Send a test · {RULE_NAME}").click()
    page.get_by_role("heading", name=f"Delivery log of {RULE_NAME}").wait_for()
    assert receiver.arrived.wait(PATIENCE), "the worker sent nothing"
    delivered = page.locator("tr[data-outcome=delivered]")
    deadline = time.monotonic() + PATIENCE
    while delivered.count() == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # the poll's interval: the worker records after the answer
        page.reload()
    expect(delivered).to_have_count(1)
    return receiver.requests[0]


def test_a_webhook_rule_is_made_switched_tested_and_deleted(
    browser_page, live_server, alert_site, private_targets, alert_worker, receiver
):
    page = browser_page.page
    open_alerts(page, live_server, alert_site, token_secret(live_server.app))
    fill_rule(page, receiver.url)
    expect(page.get_by_role("status")).to_have_text("Alert rule created.")
    shown_secret = page.locator("[data-revealed] [data-secret]").inner_text()
    assert shown_secret.startswith("whsec_")
    expect(page.locator("[data-revealed] [data-target]")).to_have_text(receiver.url)
    assert stored_rules(live_server, alert_site) == [(RULE_NAME, receiver.url, True)]

    # Once: after a reload the list and the rule page show both masked.
    page.reload()
    expect(page.locator("[data-revealed]")).to_have_count(0)
    expect(page.get_by_role("row", name=RULE_NAME)).to_contain_text("…hook")
    click_action(page, "Edit")
    page.get_by_role("group", name=f"Change “{RULE_NAME}”").wait_for()
    expect(page.locator("[data-secret]")).to_have_text("…" + shown_secret[-4:])
    target = page.get_by_label("Target (URL or e-mail address)")
    expect(target).to_have_attribute("placeholder", "…hook")
    assert shown_secret not in page.content() and receiver.url not in page.content()
    page.get_by_role("link", name="Cancel").click()

    click_action(page, "Turn off")
    expect(page.get_by_role("status")).to_have_text("Alert rule turned off.")
    expect(page.get_by_role("row", name=RULE_NAME).locator("td").nth(4)).to_have_text("off")
    assert stored_rules(live_server, alert_site)[0][2] is False
    click_action(page, "Turn on")
    expect(page.get_by_role("status")).to_have_text("Alert rule turned on.")
    assert stored_rules(live_server, alert_site)[0][2] is True

    sent = send_test_and_wait(page, receiver)
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= {
        name.lower() for name in sent["headers"]
    }
    event = Webhook(shown_secret).verify(sent["body"], sent["headers"])
    assert event["type"] == "test" and event["site_key"] == alert_site
    row = page.locator("tr[data-outcome=delivered]")
    expect(row.locator("td").nth(1)).to_have_text("test")
    expect(row.locator("td").nth(4)).to_have_text("200")

    page.get_by_role("link", name="Back to the alert rules").click()
    click_action(page, "Delete")
    expect(page.get_by_role("status")).to_have_text("Alert rule deleted.")
    expect(page.get_by_text("No alert rules yet.")).to_be_visible()
    assert stored_rules(live_server, alert_site) == []
    assert browser_page.page_errors == [] and browser_page.console_errors == []


def test_a_private_target_and_a_form_without_csrf_token_are_refused(
    browser_page, live_server, alert_site
):
    page = browser_page.page
    assert live_server.app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"] is False
    open_alerts(page, live_server, alert_site, token_secret(live_server.app))
    fill_rule(page, "http://127.0.0.1:9/hook")
    expect(page.get_by_role("alert")).to_have_text("The alert rule needs another look.")
    target = page.get_by_label("Target (URL or e-mail address)")
    expect(page.locator("#rule-target + p.error")).to_contain_text("loopback")
    expect(target).to_have_accessible_description(re.compile("loopback address"))
    expect(target).to_have_value("http://127.0.0.1:9/hook")
    expect(page.get_by_label("Name")).to_have_value(RULE_NAME)
    expect(page.get_by_label("Metric")).to_have_value("nps")
    expect(page.get_by_label("Highest score (responses only)")).to_have_value("6")
    assert stored_rules(live_server, alert_site) == []

    fields = {"name": RULE_NAME, "on": "response", "channel": "email", "target": "a@b.example"}
    answer = page.request.post(f"{live_server.url}/admin/sites/{alert_site}/alerts", form=fields)
    assert answer.status == 400
    assert stored_rules(live_server, alert_site) == []
    # Chromium reports the refused form's 422 answer; nothing else may go wrong.
    assert browser_page.page_errors == []
    assert browser_page.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)"
    ]


def test_read_only_sees_rules_and_log_but_cannot_change_them(
    browser_page, live_server, alert_site, private_targets, alert_worker, receiver
):
    page = browser_page.page
    open_alerts(page, live_server, alert_site, token_secret(live_server.app))
    fill_rule(page, receiver.url)
    send_test_and_wait(page, receiver)
    page.get_by_role("button", name="Sign out").click()

    open_alerts(page, live_server, alert_site, token_secret(live_server.app, read_only=True))
    expect(page.get_by_role("row", name=RULE_NAME)).to_contain_text("…hook")
    expect(page.locator("main form, main button")).to_have_count(0)
    expect(page.get_by_role("link", name=f"Edit · {RULE_NAME}")).to_have_count(0)
    click_action(page, "Delivery log")
    expect(page.locator("tr[data-outcome=delivered]")).to_have_count(1)
    expect(page.locator("main form, main button")).to_have_count(0)

    token = page.locator("form.sign-out input[name=csrf_token]").input_value()
    base = page.url.removesuffix("/deliveries")
    for path in (base, f"{base}/switch", f"{base}/test", f"{base}/delete"):
        answer = page.request.post(path, form={"csrf_token": token, "name": "Renamed"})
        assert answer.status == 403, path
    assert stored_rules(live_server, alert_site) == [(RULE_NAME, receiver.url, True)]
    assert browser_page.page_errors == [] and browser_page.console_errors == []


def test_the_alert_pages_have_no_accessibility_violations(
    axe_page, live_server, alert_site, private_targets, alert_worker, receiver
):
    page = axe_page
    open_alerts(page, live_server, alert_site, token_secret(live_server.app))
    assert run_axe(page) == []
    fill_rule(page, receiver.url, max_score="six")
    expect(page.get_by_role("alert")).to_be_visible()
    assert run_axe(page) == []
    page.get_by_label("Highest score (responses only)").fill("6")
    page.get_by_role("button", name="Create rule").click()
    page.locator("[data-revealed]").wait_for()
    assert run_axe(page) == []
    click_action(page, "Edit")
    page.get_by_role("group", name=f"Change “{RULE_NAME}”").wait_for()
    assert run_axe(page) == []
    page.get_by_role("link", name="Cancel").click()
    send_test_and_wait(page, receiver)
    assert run_axe(page) == []
