"""Alert deliveries through a running worker to real receivers: signed webhooks, Slack,
email, retries, timeouts, redirects and refused addresses."""

import json
import re
from email import message_from_bytes
from email.policy import default as email_policy
from html import unescape

import pytest
from dashboard_session import secret_of, sign_in
from email_clients import unsupported_in_mail_clients
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from server.extensions import db
from server.models import AlertDelivery, Response

from .conftest import free_port, wait_for

ORIGIN = "https://shop.example"


def attempts() -> list[AlertDelivery]:
    """Return every delivery attempt, oldest first, read afresh."""
    db.session.expire_all()
    return db.session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()


def finished(count: int = 1):
    """Return a check that holds once `count` attempts ended (delivered or failed)."""

    def check():
        done = [row for row in attempts() if row.outcome in ("delivered", "failed")]
        return done if len(done) >= count else None

    return check


def send_test(client, site, rule, headers):
    answer = client.post(
        f"/api/v1/admin/sites/{site.key}/alerts/{rule['id']}/test", headers=headers
    )
    assert answer.status_code == 202, answer.get_json()
    return answer.get_json()


def submit(client, site, **fields):
    body = {"metric": "nps", "score": 3, "comment": "Checkout was slow", "hp": ""}
    body.update(fields)
    body.setdefault("page", {"url": "https://shop.example/checkout"})
    return client.post(
        f"/api/v1/sites/{site.key}/responses",
        data=json.dumps(body),
        headers={"Origin": ORIGIN, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize("queue_storage", ["sqlite", "redis"], indirect=True)
def test_webhook_is_signed_as_standard_webhooks_says(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver()
    rule = create_rule(channel="webhook", target=receiver.url)
    queued = send_test(client, site, rule, admin_headers)
    wait_for(finished(), "the webhook")
    (request,) = receiver.requests
    body = Webhook(rule["secret"]).verify(request["body"], request["headers"])
    assert body["type"] == "test" and body["site_key"] == site.key
    assert set(body) == {"type", "timestamp", "site_key", "data"}
    assert request["headers"]["webhook-id"] == queued["message_id"]
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43).verify(request["body"], request["headers"])


def test_matching_response_alerts_and_others_do_not(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver()
    rule = create_rule(
        channel="webhook",
        target=receiver.url,
        filter={"metric": "nps", "max_score": 6, "phase": "conversion", "themes": ["speed"]},
    )
    assert submit(client, site, score=9).status_code == 201  # a promoter
    assert (
        submit(client, site, score=2, page={"url": "https://shop.example/blog"}).status_code == 201
    )
    stored = submit(client, site, score=3)
    assert stored.status_code == 201
    wait_for(finished(), "the response alert")
    (request,) = receiver.requests
    body = Webhook(rule["secret"]).verify(request["body"], request["headers"])
    assert body["type"] == "response.created"
    assert body["data"]["id"] == stored.get_json()["id"]
    assert body["data"]["score"] == 3 and body["data"]["themes"] == ["speed"]
    assert len(attempts()) == 1


def test_a_failing_receiver_is_retried_with_the_same_webhook_id(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver(statuses=[500, 503, 200])
    rule = create_rule(channel="webhook", target=receiver.url)
    send_test(client, site, rule, admin_headers)
    rows = wait_for(finished(), "the third attempt")
    rows = attempts()
    assert [(row.attempt, row.outcome, row.status_code) for row in rows] == [
        (1, "retrying", 500),
        (2, "retrying", 503),
        (3, "delivered", 200),
    ]
    assert [row.error for row in rows] == [
        "the receiver answered 500 Internal Server Error",
        "the receiver answered 503 Service Unavailable",
        None,
    ]
    assert len({request["headers"]["webhook-id"] for request in receiver.requests}) == 1
    assert len(receiver.requests) == 3
    assert rows[1].attempted_at > rows[0].attempted_at


def test_a_receiver_that_never_answers_times_out(
    app, client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver(hang=True)
    rule = create_rule(channel="webhook", target=receiver.url)
    send_test(client, site, rule, admin_headers)

    def first_attempt_ended():
        rows = attempts()
        return rows if rows and rows[0].outcome == "retrying" else None

    rows = wait_for(first_attempt_ended, "the timeout")
    assert rows[0].status_code is None and "did not answer within" in rows[0].error
    app.config["TOUCHPOINT_ALERTS_RETRY_SECONDS"] = 3600  # no more attempts in this test


def test_a_loopback_target_is_refused_when_private_addresses_are_not_allowed(
    app, client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver()
    rule = create_rule(channel="webhook", target=receiver.url)
    app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"] = False
    send_test(client, site, rule, admin_headers)
    (row,) = wait_for(finished(), "the refusal")
    assert row.outcome == "failed" and "loopback" in row.error
    assert receiver.requests == []


def test_redirects_are_followed_three_times_at_most(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    final = make_receiver()
    hop = make_receiver(statuses=[307, 200])
    hop.location = final.url
    rule = create_rule(channel="webhook", target=hop.url)
    send_test(client, site, rule, admin_headers)
    (row,) = wait_for(finished(), "the redirected webhook")
    assert row.outcome == "delivered" and len(final.requests) == 1

    loop = make_receiver(statuses=[307] * 10)
    looping = create_rule(channel="webhook", target=loop.url)
    send_test(client, site, looping, admin_headers)

    def looped():
        rows = [row for row in attempts() if row.rule_id == looping["id"]]
        return rows if rows and rows[0].outcome != "pending" and rows[0].error else None

    rows = wait_for(looped, "the redirect limit")
    assert "redirects" in rows[0].error and len(loop.requests) == 4


def test_slack_gets_blocks_with_a_dashboard_link(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver()
    create_rule(channel="slack", target=receiver.url)
    submit(client, site, score=1, comment="<!channel> *bold* & rude")
    wait_for(finished(), "the Slack message")
    message = json.loads(receiver.requests[0]["body"])
    button = message["blocks"][-1]["elements"][0]
    section = message["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt;" in section and "<!channel>" not in section
    # The button opens the response in the inbox, on the page that starts with it.
    base = f"https://feedback.example/admin/sites/{site.key}/inbox?cursor="
    assert button["url"].startswith(base)
    assert_link_shows_the_response(client, admin_headers, button["url"])


def assert_link_shows_the_response(client, admin_headers, url: str) -> None:
    """Follow an alert's dashboard link, signed in: the response it names is listed first."""
    (response,) = db.session.scalars(select(Response)).all()
    assert url.endswith(f"#row-{response.id}")
    assert sign_in(client, secret_of(admin_headers)).status_code == 302
    page = client.get(url.removeprefix("https://feedback.example").partition("#")[0])
    rows = re.findall(r'<li[^>]* id="row-(\d+)"', page.get_data(as_text=True))
    assert page.status_code == 200 and rows[:1] == [str(response.id)]


def test_a_response_without_comment_links_to_the_site_page(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver()
    create_rule(channel="slack", target=receiver.url)
    submit(client, site, score=1, comment=None)
    wait_for(finished(), "the Slack message")
    message = json.loads(receiver.requests[0]["body"])
    assert message["blocks"][-1]["elements"][0]["url"] == (
        f"https://feedback.example/admin/sites/{site.key}"
    )


def test_email_goes_out_as_text_and_html(client, site, admin_headers, create_rule, mailbox, worker):
    rule = create_rule(channel="email", target="team@shop.example")
    assert rule["target"] == "team@shop.example"
    submit(client, site, score=2, comment="Bestelling <b>kwijt</b>, ÉÉN ster")
    (row,) = wait_for(finished(), "the email")
    assert row.outcome == "delivered", row.error
    (envelope,) = mailbox.messages
    assert envelope.rcpt_tos == ["team@shop.example"]
    message = message_from_bytes(envelope.content, policy=email_policy)
    assert message["From"] == "alerts@feedback.example"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "ÉÉN ster" in text and "&lt;b&gt;kwijt&lt;/b&gt;" in html
    (link,) = re.findall(r'<a href="([^"]+)"', html)
    assert_link_shows_the_response(client, admin_headers, unescape(link))
    assert "<link" not in html and "<script" not in html
    assert unsupported_in_mail_clients(html) == []


def test_email_without_smtp_fails_saying_why(client, site, admin_headers, create_rule, worker, app):
    app.config["TOUCHPOINT_ALERTS_RETRY_SECONDS"] = 3600
    rule = create_rule(channel="email", target="team@shop.example")
    send_test(client, site, rule, admin_headers)
    (row, *_) = wait_for(ended_attempt(), "the attempt")
    assert "TOUCHPOINT_SMTP_URL" in row.error


def ended_attempt():
    """Return a check for the first attempt's end (any outcome but pending or sending)."""

    def check():
        rows = attempts()
        return rows if rows and rows[0].outcome not in ("pending", "sending") else None

    return check


def test_a_refused_connection_says_where_and_why(
    app, client, site, admin_headers, create_rule, worker
):
    app.config["TOUCHPOINT_ALERTS_RETRY_SECONDS"] = 3600  # one attempt in this test
    port = free_port()
    rule = create_rule(channel="webhook", target=f"http://127.0.0.1:{port}/hook")
    send_test(client, site, rule, admin_headers)
    (row, *_) = wait_for(ended_attempt(), "the attempt")
    assert (row.outcome, row.status_code) == ("retrying", None)
    assert row.error == f"could not connect to 127.0.0.1:{port}: Connection refused"


def test_a_receiver_that_is_gone_is_not_retried(
    app, client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver(statuses=[410, 200])
    rule = create_rule(channel="webhook", target=receiver.url)
    send_test(client, site, rule, admin_headers)
    (row, *later) = wait_for(ended_attempt(), "the attempt")
    assert (row.outcome, row.status_code, later) == ("failed", 410, [])
    assert "410 Gone" in row.error and len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("reply", "outcome"),
    [("550 5.1.1 No such user here", "failed"), ("452 4.2.2 Mailbox full", "retrying")],
)
def test_a_mailbox_refused_for_good_is_not_retried(
    app, client, site, admin_headers, create_rule, mailbox, worker, reply, outcome
):
    app.config["TOUCHPOINT_ALERTS_RETRY_SECONDS"] = 3600  # one attempt in this test
    mailbox.refusals["gone@shop.example"] = reply
    rule = create_rule(channel="email", target="gone@shop.example")
    send_test(client, site, rule, admin_headers)
    (row, *_) = wait_for(ended_attempt(), "the attempt")
    assert (row.outcome, row.status_code) == (outcome, int(reply[:3]))
    assert row.error == f"recipient refused: gone@shop.example: {reply}"
    assert mailbox.messages == []


def test_a_host_that_does_not_resolve_is_retried_not_refused(
    app, client, site, admin_headers, create_rule, worker
):
    app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"] = False
    rule = create_rule(channel="webhook", target="https://does-not-exist.invalid/hook")
    app.config["TOUCHPOINT_ALERTS_RETRY_SECONDS"] = 3600
    send_test(client, site, rule, admin_headers)

    def ended():
        rows = attempts()
        return rows if rows and rows[0].outcome not in ("pending", "sending") else None

    (row, *_) = wait_for(ended, "the attempt")
    assert row.outcome == "retrying" and "does not resolve" in row.error
