"""Digests: composed from planted responses, sent once per period, received as a two-part
email by a real SMTP server (comments escaped), as a signed webhook and as Slack blocks."""

import json
import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as email_policy

from email_clients import unsupported_in_mail_clients
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from server.alerts.digest import send_digests
from server.alerts.digest_messages import digest_slack
from server.extensions import db
from server.insight.themes import THEME_BITS
from server.models import AlertDelivery, AlertDigest, AlertRule, Response

from .conftest import wait_for

HOSTILE = '<script>alert("x")</script> & <img src=https://evil.example/p.png> slow'


def next_due(weekday: int | None = None) -> datetime:
    """Return 09:00 UTC of the first day (a `weekday`, 0 = Monday, if given) whose 08:00 is
    still to come: the first digest of a rule made now is due then, whatever the hour now."""
    now = datetime.now(UTC)
    day = now.date() + timedelta(days=0 if now.hour < 8 else 1)
    if weekday is not None:
        day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def plant_day(site, end: datetime) -> None:
    """Store 40 csat responses in the day before `end`'s 08:00, one with a hostile comment."""
    eight = end.replace(hour=8, minute=0)
    db.session.add_all(
        Response(
            site_id=site.id,
            metric="csat",
            score=5 if number % 4 else 2,
            phase="conversion" if number % 2 else "consideration",
            page_path="/checkout",
            page_url="https://shop.example/checkout",
            comment=HOSTILE if number == 0 else None,
            themes=THEME_BITS["speed"] if number == 0 else 0,
            received_at=eight - timedelta(hours=23) + timedelta(minutes=30 * number),
        )
        for number in range(40)
    )
    # Outside the day: must not be counted.
    db.session.add(
        Response(
            site_id=site.id,
            metric="csat",
            score=1,
            page_path="/",
            page_url="https://shop.example/",
            received_at=eight + timedelta(minutes=5),
        )
    )
    db.session.commit()


def test_a_digest_is_sent_once_per_period(site, create_rule, make_receiver):
    rule = create_rule(on="digest", schedule="daily", channel="webhook", target=make_receiver().url)
    now = next_due()
    assert send_digests(now - timedelta(days=1)) == 0  # before the rule existed
    assert send_digests(now) == 1
    assert send_digests(now + timedelta(hours=1)) == 0
    assert send_digests(now + timedelta(days=1)) == 1
    periods = db.session.scalars(select(AlertDigest.period).order_by(AlertDigest.id)).all()
    assert periods == [now.date().isoformat(), (now.date() + timedelta(days=1)).isoformat()]
    assert rule["id"] == db.session.scalars(select(AlertDelivery.rule_id)).first()


def test_disabled_and_weekly_rules_wait(client, site, admin_headers, create_rule, make_receiver):
    weekly = create_rule(
        on="digest", schedule="weekly", channel="webhook", target=make_receiver().url
    )
    monday = next_due(weekday=0)  # the first Monday 09:00 whose 08:00 is still to come
    assert send_digests(monday - timedelta(days=1)) == 0
    client.patch(
        f"/api/v1/admin/sites/{site.key}/alerts/{weekly['id']}",
        json={"enabled": False},
        headers=admin_headers,
    )
    assert send_digests(monday) == 0
    db.session.get(AlertRule, weekly["id"]).enabled = True
    db.session.commit()
    assert send_digests(monday) == 1


def test_the_email_has_both_parts_and_escapes_comments(site, create_rule, mailbox, worker):
    create_rule(
        on="digest",
        schedule="daily",
        channel="email",
        target="team@shop.example",
        filter={"metric": "csat"},
    )
    now = next_due()
    plant_day(site, now)
    assert send_digests(now) == 1
    wait_for(lambda: mailbox.messages, "the digest email")
    message = message_from_bytes(mailbox.messages[0].content, policy=email_policy)
    assert message["Subject"] == "Daily Touchpoint digest: Shop"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Whole site | 40 | 75 | " in text and "Conversion | 20 | 100 |" in text
    assert HOSTILE in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    assert "<script" not in html and "<img" not in html and "<style" not in html
    assert "<table" in html and 'style="' in html
    assert unsupported_in_mail_clients(html) == []
    # No resource is fetched: the only URL in a tag is the dashboard link.
    links = re.findall(r"<[^>]*\b(?:src|href|background)=\"?([^\" >]*)", html)
    assert links == [f"https://feedback.example/admin/sites/{site.key}"]


def test_the_webhook_carries_the_figures(site, create_rule, make_receiver, worker):
    receiver = make_receiver()
    rule = create_rule(
        on="digest",
        schedule="daily",
        channel="webhook",
        target=receiver.url,
        filter={"metric": "csat"},
    )
    now = next_due()
    plant_day(site, now)
    send_digests(now)
    wait_for(lambda: receiver.requests, "the digest webhook")
    body = Webhook(rule["secret"]).verify(
        receiver.requests[0]["body"], receiver.requests[0]["headers"]
    )
    assert body["type"] == "digest.sent"
    (figures,) = body["data"]["metrics"]
    assert figures["overall"]["count"] == 40 and figures["overall"]["score"] == 75.0
    phases = {group["key"]: group for group in figures["phases"]}
    assert phases["conversion"]["score"] == 100.0 and phases["consideration"]["score"] == 50.0
    assert len(phases["consideration"]["ci95"]) == 2
    assert body["data"]["themes"]["speed"][0]["comment"] == HOSTILE
    slack = json.dumps(digest_slack(body))
    assert "&lt;script&gt;" in slack and "<script>" not in slack
