"""Queue the alerts of a stored response, from the ingest path, without ever failing it.

The request has committed its response already; matching is done in memory against the
site's cached rules, and only a match touches the queue. A queue that is down costs the
alert (logged), never the visitor's answer.
"""

import logging

from ..jobs.queue import enqueue
from . import jobs  # noqa: F401  (registers the jobs this module queues)
from .rule_cache import rule_cache

log = logging.getLogger(__name__)


def notify_response(site_id: int, response_id: int, row: dict) -> None:
    """Queue `response.created` alerts for the enabled rules the stored `row` matches."""
    try:
        matched = [rule.id for rule in rule_cache().get(site_id) if rule.matches(row)]
        if matched:
            enqueue("alert_response", matched, response_id)
    except Exception:
        # Anything at all (database, Redis, SQLite file): the response is stored already.
        log.exception("alerts for response %s not queued", response_id)
