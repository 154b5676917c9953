"""Build the job queue (huey) from TOUCHPOINT_QUEUE_URL and run registered jobs in the app.

Jobs are plain functions registered with `job` or `periodic_job`; each app builds its own
queue on first use (so a server that never enqueues never opens the queue's storage) and
runs every job inside its application context. The default storage is a SQLite file of its
own in the instance folder, never the responses database, so the queue never contends
with ingest; `redis://…` in production, shared by every worker.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from threading import Lock

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab
from redis import ConnectionPool, RedisError

from ..config import ConfigError

QUEUE_NAME = "touchpoint"
EXTENSION = "touchpoint.queue"
#: A Redis that stops answering must cost an enqueue half a second, not a TCP timeout.
REDIS_CONNECT_SECONDS = 0.5
#: Longer than the consumer's blocking read (1 s), or every idle read would time out.
REDIS_READ_SECONDS = 5
#: Request threads may ask for the queue at once; one of them builds it.
BUILDING = Lock()
#: What a queue whose storage is down, silent or locked raises while taking a job.
STORAGE_ERRORS = (RedisError, sqlite3.Error, OSError)


class QueueUnavailable(RuntimeError):
    """The queue's storage did not take a job (Redis down or silent, SQLite file locked)."""


@dataclass(frozen=True)
class Job:
    """A function the queue runs: on demand, or every `period` (a huey crontab)."""

    function: Callable
    period: Callable | None = None


JOBS: dict[str, Job] = {}


def job(function: Callable) -> Callable:
    """Register `function` as a job that `enqueue` can run later, by its name."""
    JOBS[function.__name__] = Job(function)
    return function


def periodic_job(**schedule) -> Callable:
    """Register a job run on a crontab `schedule` (huey's), once per deployment per period.

    Every worker's scheduler enqueues periodic jobs; the first run of a period claims it in
    the queue's storage and the others return at once, so N workers still run it once.
    """

    def decorator(function: Callable) -> Callable:
        JOBS[function.__name__] = Job(function, crontab(**schedule))
        return function

    return decorator


def build_queue(url: str) -> Huey:
    """Return a huey for `url`: `sqlite:///path` (a file) or `redis://…`; else ConfigError."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        pool = ConnectionPool.from_url(
            url, socket_connect_timeout=REDIS_CONNECT_SECONDS, socket_timeout=REDIS_READ_SECONDS
        )
        return RedisHuey(QUEUE_NAME, connection_pool=pool, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    raise ConfigError(f"TOUCHPOINT_QUEUE_URL must start with sqlite:/// or redis://, not {url!r}")


class Queue:
    """An app's huey with every registered job on it, each run in the app's context."""

    def __init__(self, app: Flask):
        self.huey = build_queue(app.config["TOUCHPOINT_QUEUE_URL"])
        self.tasks = {}
        for name, registered in JOBS.items():
            run = in_app_context(app, registered.function)
            if registered.period is None:
                self.tasks[name] = self.huey.task(name=name)(run)
            else:
                guarded = once_per_period(self.huey, name, run)
                self.tasks[name] = self.huey.periodic_task(registered.period, name=name)(guarded)

    def enqueue(self, name: str, *args, delay: float = 0) -> None:
        """Queue job `name` with `args`, to run after `delay` seconds."""
        if delay:
            self.tasks[name].schedule(args, delay=delay)
        else:
            self.tasks[name](*args)


def in_app_context(app: Flask, function: Callable) -> Callable:
    """Return `function` run inside an application context of `app`."""

    def run(*args):
        with app.app_context():
            return function(*args)

    run.__name__ = function.__name__
    return run


def once_per_period(huey: Huey, name: str, function: Callable) -> Callable:
    """Return `function` run only by the first worker to claim the current minute."""

    def run():
        minute = datetime.now(UTC).replace(second=0, microsecond=0)
        if not huey.put_if_empty(period_key(name, minute), "claimed"):
            return None
        # Periodic jobs run at most every minute: a claim a day old is no longer contested.
        huey.delete(period_key(name, minute - timedelta(days=1)))
        return function()

    run.__name__ = function.__name__
    return run


def period_key(name: str, minute: datetime) -> str:
    """Return the storage key a run of `name` claims for `minute`."""
    return f"period:{name}:{minute:%Y-%m-%dT%H:%M}"


def queue_of(app: Flask | None = None) -> Queue:
    """Return the app's queue (the current app's by default), building it on first use."""
    if app is None:
        app = current_app._get_current_object()
    queue = app.extensions.get(EXTENSION)
    if queue is None:
        with BUILDING:
            queue = app.extensions.get(EXTENSION)
            if queue is None:
                queue = app.extensions[EXTENSION] = Queue(app)
    return queue


def enqueue(name: str, *args, delay: float = 0) -> None:
    """Queue job `name` with `args` on the current app's queue, to run after `delay` seconds.

    Raise QueueUnavailable when the queue's storage cannot take it.
    """
    try:
        queue_of().enqueue(name, *args, delay=delay)
    except STORAGE_ERRORS as exc:
        raise QueueUnavailable(f"The alert queue did not take job {name}: {exc}") from exc
