"""Attempts a killed worker left `sending`: failed with a reason after the bound, never sent
again themselves, followed by a new attempt while the retry day lasts."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.alerts.sweep import stuck_after, sweep_stuck
from server.extensions import db
from server.jobs.queue import enqueue
from server.models import AlertDelivery

from .conftest import wait_for


def left_sending(rule_id: int, attempted_at: datetime, created_at: datetime) -> AlertDelivery:
    """Store an attempt as a worker killed mid-send leaves it."""
    delivery = AlertDelivery(
        rule_id=rule_id,
        message_id="msg_stuck",
        event="test",
        attempt=1,
        outcome="sending",
        payload={"type": "test", "timestamp": "…", "site_key": "pk_x", "data": {}},
        created_at=created_at,
        attempted_at=attempted_at,
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def rows() -> list[AlertDelivery]:
    db.session.expire_all()
    return db.session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()


def test_the_bound_is_twice_the_longest_honest_attempt(app):
    # 2 * 4 hops * (5 s to connect + 2 s to read) with the tests' 2 s timeout.
    assert stuck_after() == timedelta(seconds=56)


def test_a_stuck_attempt_fails_once_and_the_next_is_queued(create_rule, make_receiver):
    rule = create_rule(channel="webhook", target=make_receiver().url)
    now = datetime.now(UTC)
    left_sending(rule["id"], now - stuck_after() - timedelta(seconds=1), now - timedelta(minutes=2))
    left_sending(rule["id"], now - timedelta(seconds=5), now - timedelta(seconds=5))
    assert sweep_stuck(now) == 1
    stuck, recent, following = rows()
    assert stuck.outcome == "failed" and "worker stopped while sending" in stuck.error
    assert recent.outcome == "sending"
    assert (following.attempt, following.outcome) == (2, "pending")
    assert following.message_id == stuck.message_id
    assert sweep_stuck(now) == 0 and len(rows()) == 3


def test_past_the_retry_day_nothing_more_is_queued(create_rule, make_receiver):
    rule = create_rule(channel="webhook", target=make_receiver().url)
    now = datetime.now(UTC)
    left_sending(rule["id"], now - timedelta(hours=2), now - timedelta(days=1))
    assert sweep_stuck(now) == 1
    (stuck,) = rows()
    assert stuck.outcome == "failed"


@pytest.mark.parametrize("queue_storage", ["sqlite", "redis"], indirect=True)
def test_the_periodic_sweep_runs_on_a_worker_and_the_next_attempt_is_delivered(
    create_rule, make_receiver, worker
):
    receiver = make_receiver()
    rule = create_rule(channel="webhook", target=receiver.url)
    now = datetime.now(UTC)
    left_sending(rule["id"], now - timedelta(minutes=5), now - timedelta(minutes=5))
    enqueue("sweep_stuck_deliveries")
    wait_for(lambda: [row for row in rows() if row.outcome == "delivered"], "the next attempt")
    stuck, delivered = rows()
    assert (stuck.outcome, delivered.attempt) == ("failed", 2)
    assert [request["headers"]["webhook-id"] for request in receiver.requests] == ["msg_stuck"]
