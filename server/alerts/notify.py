"""Hand a stored response's alerts to the job queue, from the ingest path, without waiting.

The request has committed its response already; matching is done in memory against the
site's cached rules, and a match goes into a bounded in-process hand-off that one daemon
thread per process drains into the job queue. A queue that is slow, silent or down (a Redis
that never answers, a locked SQLite file) therefore costs the request nothing. The price: a
match that finds the hand-off full, or is still in it when the process ends, is lost —
logged and counted in `Handoff.dropped` (docs/alerts.md, "Delivery, retries, safety").
"""

import atexit
import logging
import queue
from threading import Lock, Thread

from flask import Flask, current_app

from ..jobs.queue import enqueue
from . import jobs  # noqa: F401  (registers the jobs this module queues)
from .rule_cache import rule_cache

log = logging.getLogger(__name__)

#: Matches waiting for the queue, per process; a queue down this long loses the rest.
HANDOFF_SIZE = 1000
EXTENSION = "touchpoint.alert_handoff"


class Handoff:
    """A bounded queue of matched alerts, drained into the job queue by one daemon thread."""

    def __init__(self, app: Flask, size: int = HANDOFF_SIZE):
        self.app = app
        self.waiting: queue.Queue = queue.Queue(maxsize=size)
        self.dropped = 0
        self.lock = Lock()
        self.thread: Thread | None = None
        atexit.register(self.abandon)

    def put(self, rule_ids: list[int], response_id: int) -> None:
        """Hand over `response.created` for `rule_ids`; drop it (logged) when full."""
        self.start()
        try:
            self.waiting.put_nowait((rule_ids, response_id))
        except queue.Full:
            self.drop(
                1,
                "alerts for response %s dropped: %d waiting for the queue",
                response_id,
                self.waiting.maxsize,
            )

    def start(self) -> None:
        """Start the draining thread unless it runs (a forked worker has none yet)."""
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = Thread(target=self.drain, name="alert-handoff", daemon=True)
                self.thread.start()

    def drain(self) -> None:
        """Enqueue each hand-off in turn, forever; one the queue refuses is dropped."""
        while True:
            rule_ids, response_id = self.waiting.get()
            try:
                with self.app.app_context():
                    enqueue("alert_response", rule_ids, response_id)
            except Exception:
                self.drop(1, "alerts for response %s not queued", response_id, exc_info=True)
            finally:
                self.waiting.task_done()

    def unfinished(self) -> int:
        """Return how many hand-offs are waiting or being enqueued now."""
        return self.waiting.unfinished_tasks

    def drop(self, count: int, message: str, *args, exc_info: bool = False) -> None:
        """Count `count` lost hand-offs and log why."""
        with self.lock:
            self.dropped += count
        log.error(message, *args, exc_info=exc_info)

    def abandon(self) -> None:
        """At process end, count and log the hand-offs that never reached the queue."""
        left = self.unfinished()
        if left:
            self.drop(left, "%d alert hand-offs lost: the process ended first", left)


def handoff(app: Flask | None = None) -> Handoff:
    """Return the app's hand-off (the current app's by default), made on first use."""
    if app is None:
        app = current_app._get_current_object()
    made = app.extensions.get(EXTENSION)
    if made is None:
        made = app.extensions.setdefault(EXTENSION, Handoff(app))
    return made


def notify_response(site_id: int, response_id: int, row: dict, late: bool = False) -> None:
    """Hand over `response.created` alerts for the enabled rules the stored `row` matches.

    `late`: `row` brought a late comment or reasons to a stored half answer. Only rules with
    a `themes` filter fire then: the half answer, without either, matched every other rule
    already and none of those.
    """
    try:
        matched = [
            rule.id
            for rule in rule_cache().get(site_id)
            if (rule.themes or not late) and rule.matches(row)
        ]
        if matched:
            handoff().put(matched, response_id)
    except Exception:
        # Anything at all (the rules' database read included): the response is stored already.
        log.exception("alerts for response %s not queued", response_id)
