"""Change alerts: a planted drop fires once, stays quiet while it lasts, fires again after it
cleared and came back; through the hourly job and a real worker to a real receiver."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from standardwebhooks.webhooks import Webhook

from server.alerts.change_alerts import check_changes
from server.alerts.messages import email_text, slack_message, title
from server.extensions import db
from server.jobs.queue import enqueue
from server.models import AlertDelivery, AlertState, Response

from .conftest import wait_for

#: The baseline's mix (80 % satisfied) and a far worse week (30 % satisfied).
GOOD = [5] * 8 + [2] * 2
BAD = [5] * 3 + [1] * 7


def plant(site, scores: list[int], start: datetime, days: int, count: int, phase="conversion"):
    """Store `count` csat responses of the repeating `scores` mix spread over `days` days."""
    step = timedelta(days=days) / count
    db.session.add_all(
        Response(
            site_id=site.id,
            metric="csat",
            score=scores[number % len(scores)],
            phase=phase,
            page_path="/checkout",
            page_url="https://shop.example/checkout",
            comment="Payment <b>failed</b>" if number == 0 else None,
            received_at=start + step * number,
        )
        for number in range(count)
    )
    db.session.commit()


def plant_weeks(site, now: datetime, week_scores: list[int]) -> None:
    """Store a good 28-day baseline and a 7-day window of `week_scores` before `now`."""
    window_start = now - timedelta(days=7)
    plant(site, GOOD, window_start - timedelta(days=28), 28, 200)
    plant(site, week_scores, window_start, 7, 100)


def replace_week(site, now: datetime, week_scores: list[int]) -> None:
    """Replace the window's responses by `week_scores`."""
    db.session.execute(delete(Response).where(Response.received_at >= now - timedelta(days=7)))
    db.session.commit()
    plant(site, week_scores, now - timedelta(days=7), 7, 100)


def change_deliveries() -> list[AlertDelivery]:
    db.session.expire_all()
    return db.session.scalars(
        select(AlertDelivery).where(AlertDelivery.event == "change.detected")
    ).all()


def test_a_drop_fires_once_and_again_only_after_it_cleared(site, create_rule, make_receiver):
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    rule = create_rule(
        on="change",
        channel="webhook",
        target=make_receiver().url,
        filter={"metric": "csat", "phase": "conversion"},
    )
    plant_weeks(site, now, BAD)
    assert check_changes(now) == 1
    (first,) = change_deliveries()
    data = first.payload["data"]
    assert first.payload["type"] == "change.detected" and first.payload["site_key"] == site.key
    assert (data["metric"], data["key"], data["kind"]) == ("csat", "conversion", "drop")
    assert (data["baseline_score"], data["score"]) == (80.0, 30.0)
    assert data["comments"][0]["comment"] == "Payment <b>failed</b>"
    # The rule names the phase: the whole site's drop ("all") is not its business.
    assert db.session.scalars(select(AlertState.key)).all() == ["conversion"]

    assert check_changes(now + timedelta(hours=1)) == 0
    replace_week(site, now, GOOD)
    assert check_changes(now + timedelta(hours=2)) == 0
    assert db.session.scalars(select(AlertState)).all() == []
    replace_week(site, now, BAD)
    assert check_changes(now + timedelta(hours=3)) == 1
    assert len(change_deliveries()) == 2
    assert rule["id"] == first.rule_id


def test_rises_fire_only_for_rules_asking_for_them(site, create_rule, make_receiver):
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    drops = create_rule(on="change", channel="webhook", target=make_receiver().url)
    rises = create_rule(
        on="change",
        channel="webhook",
        target=make_receiver().url,
        filter={"metric": "csat", "kinds": ["rise"]},
    )
    plant(site, BAD, now - timedelta(days=35), 28, 200)
    plant(site, GOOD, now - timedelta(days=7), 7, 100)
    assert check_changes(now) == 2  # the phase and the whole site
    fired = change_deliveries()
    assert {row.rule_id for row in fired} == {rises["id"]} != {drops["id"]}
    assert {row.payload["data"]["key"] for row in fired} == {"conversion", "all"}


def test_disabled_rules_and_other_sites_stay_quiet(
    client, site, make_site, admin_headers, create_rule, make_receiver
):
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    rule = create_rule(on="change", channel="webhook", target=make_receiver().url)
    other = make_site(name="Other")
    plant_weeks(other, now, BAD)
    assert check_changes(now) == 0
    plant_weeks(site, now, BAD)
    client.patch(
        f"/api/v1/admin/sites/{site.key}/alerts/{rule['id']}",
        json={"enabled": False},
        headers=admin_headers,
    )
    assert check_changes(now) == 0


def test_change_messages_say_what_dropped(app):
    data = {
        "metric": "nps",
        "key": "conversion",
        "kind": "drop",
        "score": 52.0,
        "baseline_score": 71.25,
        "count": 120,
        "baseline_count": 480,
        "q_value": 0.0012,
        "window": {"from": "2026-11-13T12:00:00Z", "to": "2026-11-20T12:00:00Z"},
        "themes": {"speed": 4, "returns": 0},
        "comments": [{"id": 1, "score": 2, "comment": "<@channel> slow", "received_at": "…"}],
    }
    message = {"type": "change.detected", "timestamp": "…", "site_key": "pk_x", "data": data}
    assert title(message) == "Conversion dropped from 71 to 52 this week"
    assert "Themes: speed (4)" in email_text(message)
    slack = json.dumps(slack_message(message))
    assert "Conversion dropped from 71 to 52 this week" in slack
    assert "&lt;@channel&gt; slow" in slack and "<@channel>" not in slack
    whole = {**message, "data": {**data, "key": "all", "kind": "rise", "metric": "ces"}}
    assert title(whole) == "The whole site rose from 71.2 to 52.0 this week"


@pytest.mark.parametrize("queue_storage", ["sqlite", "redis"], indirect=True)
def test_the_hourly_job_sends_through_a_worker(site, create_rule, make_receiver, worker):
    receiver = make_receiver()
    rule = create_rule(
        on="change", channel="webhook", target=receiver.url, filter={"metric": "csat"}
    )
    plant_weeks(site, datetime.now(UTC), BAD)
    enqueue("alert_changes")
    wait_for(lambda: len(receiver.requests) >= 2, "the change alerts")
    bodies = [
        Webhook(rule["secret"]).verify(request["body"], request["headers"])
        for request in receiver.requests
    ]
    assert {body["type"] for body in bodies} == {"change.detected"}
    assert {body["data"]["key"] for body in bodies} == {"conversion", "all"}
