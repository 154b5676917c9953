"""Deliver alert messages: one record per attempt, retried with back-off for a day.

A message's first attempt is recorded and queued; the worker claims an attempt
(pending → sending) before it sends, so an attempt is sent at most once even if the queue
hands its job out twice. A failed attempt queues the next one, later each time (1, 2, 4 …
minutes, at most an hour apart) until a day has passed since the first, then the message is
`failed`. Every attempt shares the message's `message_id`: receivers drop repeats by the
`webhook-id` header. huey's own retries wait a fixed delay and re-run one job, which would
re-send one record; hence one job per attempt.
"""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ..extensions import db
from ..jobs.queue import QueueUnavailable, enqueue
from ..models import AlertDelivery, AlertRule
from .channels import send

log = logging.getLogger(__name__)

#: Deliveries are kept this long (SPEC), then purged.
KEPT = timedelta(days=30)
#: Attempts go on this long after the first, then the message has failed.
RETRY_FOR = timedelta(days=1)
MAX_RETRY_DELAY = timedelta(hours=1)
MAX_ERROR_LENGTH = 500


def event(kind: str, site_key: str, data: dict) -> dict:
    """Return an alert event as webhooks receive it: type, timestamp, site_key, data."""
    return {
        "type": kind,
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "site_key": site_key,
        "data": data,
    }


def start_delivery(rule: AlertRule, message: dict) -> AlertDelivery:
    """Record the first attempt to send `message` for `rule` and queue it, or store nothing.

    The record is committed before it is queued (the worker must find it); when the queue
    does not take it, it is deleted again and QueueUnavailable rises.
    """
    first = AlertDelivery(
        rule_id=rule.id,
        message_id=f"msg_{uuid.uuid4().hex}",
        event=message["type"],
        attempt=1,
        outcome="pending",
        payload=message,
    )
    db.session.add(first)
    db.session.commit()
    try:
        enqueue("deliver", first.id)
    except QueueUnavailable:
        db.session.rollback()
        db.session.delete(first)
        db.session.commit()
        raise
    return first


def start_test_delivery(rule: AlertRule, site_key: str) -> AlertDelivery:
    """Record and queue a `test` alert to the rule's target."""
    message = {"rule": rule.name, "message": f"Alert rule “{rule.name}” reaches its target."}
    return start_delivery(rule, event("test", site_key, message))


def retry_delay(attempt: int) -> timedelta:
    """Return how long after attempt number `attempt` failed the next one is made."""
    first = timedelta(seconds=current_app.config["TOUCHPOINT_ALERTS_RETRY_SECONDS"])
    return min(first * 2 ** (attempt - 1), MAX_RETRY_DELAY)


def claim(delivery_id: int) -> bool:
    """Mark a pending attempt as being sent; False when it was claimed or sent already."""
    claimed = db.session.execute(
        update(AlertDelivery)
        .where(AlertDelivery.id == delivery_id, AlertDelivery.outcome == "pending")
        .values(outcome="sending", attempted_at=datetime.now(UTC))
    ).rowcount
    db.session.commit()
    return bool(claimed)


def attempt_delivery(delivery_id: int) -> None:
    """Make one attempt: send, record what happened, and queue the next one if due."""
    if not claim(delivery_id):
        return
    delivery = db.session.get(AlertDelivery, delivery_id)
    rule = db.session.get(AlertRule, delivery.rule_id)
    sent = send(rule, delivery.message_id, delivery.payload)
    db.session.refresh(delivery)
    if delivery.outcome != "sending":
        # The stuck sweep gave up on this attempt and queued the next one already.
        return
    delivery.status_code = sent.status_code
    delivery.error = sent.error[:MAX_ERROR_LENGTH] if sent.error else None
    delivery.duration_ms = sent.duration_ms
    if sent.delivered:
        delivery.outcome = "delivered"
    elif sent.final:
        delivery.outcome = "failed"
    else:
        delivery.outcome = queue_retry(delivery)
    db.session.commit()


def queue_retry(failed: AlertDelivery) -> str:
    """Record and queue the attempt after `failed`; return its outcome (`retrying`/`failed`)."""
    first_queued = db.session.scalar(
        select(AlertDelivery.created_at)
        .where(AlertDelivery.message_id == failed.message_id, AlertDelivery.attempt == 1)
        .limit(1)
    )
    delay = retry_delay(failed.attempt)
    if datetime.now(UTC) + delay - (first_queued or failed.created_at) > RETRY_FOR:
        return "failed"
    following = AlertDelivery(
        rule_id=failed.rule_id,
        message_id=failed.message_id,
        event=failed.event,
        attempt=failed.attempt + 1,
        outcome="pending",
        payload=failed.payload,
    )
    db.session.add(following)
    db.session.flush()
    # Committed before it is queued, so the worker that picks it up finds the record.
    db.session.commit()
    enqueue("deliver", following.id, delay=delay.total_seconds())
    return "retrying"


def list_deliveries(rule: AlertRule, query: dict) -> dict:
    """Return one page of the rule's attempts, newest first (`limit`, `cursor`)."""
    limit = query["limit"]
    wanted = select(AlertDelivery).where(AlertDelivery.rule_id == rule.id)
    if "cursor" in query:
        wanted = wanted.where(AlertDelivery.id < query["cursor"])
    rows = db.session.scalars(wanted.order_by(AlertDelivery.id.desc()).limit(limit + 1)).all()
    items = rows[:limit]
    return {"items": items, "next_cursor": str(items[-1].id) if len(rows) > limit else None}


def purge_deliveries(now: datetime | None = None) -> int:
    """Delete attempts older than 30 days; return how many."""
    cutoff = (now or datetime.now(UTC)) - KEPT
    deleted = db.session.execute(
        delete(AlertDelivery).where(AlertDelivery.created_at < cutoff)
    ).rowcount
    db.session.commit()
    return deleted
