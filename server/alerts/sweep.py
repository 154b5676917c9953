"""Fail attempts a killed worker left `sending`, and queue the next attempt in their place.

An attempt is claimed (pending → sending) before it is sent; a worker killed mid-send leaves
it `sending` forever. Past a bound no honest attempt reaches, the sweep marks it `failed`
with the reason and never sends that record again (the receiver may have had it: the next
attempt shares its `webhook-id`, so receivers drop the repeat). The next attempt is queued as
after any failure, while the message's retry day lasts.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import AlertDelivery
from .deliveries import queue_retry
from .http import MAX_CONNECT_SECONDS, MAX_REDIRECTS

STUCK_REASON = "the worker stopped while sending (left sending for over {seconds} s)"


def stuck_after() -> timedelta:
    """Return how long an attempt may stay `sending`: twice its longest honest duration.

    The longest is every hop (the first and up to 3 redirects) taking its whole connect and
    read timeouts.
    """
    read = current_app.config["TOUCHPOINT_ALERTS_TIMEOUT_SECONDS"]
    return timedelta(seconds=2 * (MAX_REDIRECTS + 1) * (MAX_CONNECT_SECONDS + read))


def sweep_stuck(now: datetime | None = None) -> int:
    """Mark attempts `sending` for longer than `stuck_after()` as failed; return how many."""
    bound = stuck_after()
    cutoff = (now or datetime.now(UTC)) - bound
    stuck = db.session.scalars(
        select(AlertDelivery.id).where(
            AlertDelivery.outcome == "sending", AlertDelivery.attempted_at < cutoff
        )
    ).all()
    swept = 0
    for delivery_id in stuck:
        # Conditional, so two sweeps (or a late worker) never both act on one record.
        marked = db.session.execute(
            update(AlertDelivery)
            .where(AlertDelivery.id == delivery_id, AlertDelivery.outcome == "sending")
            .values(
                outcome="failed",
                error=STUCK_REASON.format(seconds=int(bound.total_seconds())),
            )
        ).rowcount
        db.session.commit()
        if marked:
            queue_retry(db.session.get(AlertDelivery, delivery_id))
            swept += 1
    return swept
