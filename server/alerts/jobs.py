"""The alert jobs the worker runs: send a response's alerts, make an attempt, purge the log."""

import logging

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..jobs.queue import job, periodic_job
from ..models import AlertRule, Response
from ..schemas.responses import ResponseSchema
from .change_alerts import check_changes
from .deliveries import attempt_delivery, event, purge_deliveries, start_delivery
from .digest import send_digests
from .sweep import sweep_stuck

log = logging.getLogger(__name__)

RESPONSE_SCHEMA = ResponseSchema()


@job
def alert_response(rule_ids: list[int], response_id: int) -> None:
    """Start a delivery of `response.created` for each rule that matched the response."""
    response = db.session.get(Response, response_id, options=[joinedload(Response.site)])
    if response is None:  # deleted (or erased) before the worker got to it
        return
    message = event("response.created", response.site.key, RESPONSE_SCHEMA.dump(response))
    for rule_id in rule_ids:
        rule = db.session.get(AlertRule, rule_id)
        if rule is not None and rule.enabled:
            start_delivery(rule, message)


@job
def deliver(delivery_id: int) -> None:
    """Make one attempt to deliver an alert."""
    attempt_delivery(delivery_id)


@periodic_job(minute="17", hour="3")
def purge_alert_deliveries() -> None:
    """Delete delivery records older than 30 days (daily)."""
    log.info("purged %d alert deliveries older than 30 days", purge_deliveries())


@periodic_job(minute="7")
def alert_changes() -> None:
    """Alert `change` rules on newly significant changes (hourly)."""
    log.info("started %d change alerts", check_changes())


@periodic_job(minute="2")
def alert_digests() -> None:
    """Send the digests due (hourly: 08:00 comes in every site's time zone at some hour)."""
    log.info("started %d digests", send_digests())


@periodic_job(minute="*/5")
def sweep_stuck_deliveries() -> None:
    """Fail attempts a stopped worker left `sending`, and queue their next attempt."""
    log.info("swept %d stuck alert deliveries", sweep_stuck())
