"""Run the job queue's consumer: alert deliveries, digests and the other background jobs."""

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from ..alerts import jobs  # noqa: F401  (registers the alert jobs on the queue)
from ..jobs.queue import queue_of


@click.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Jobs run at once (deliveries mostly wait on the network).",
)
@with_appcontext
def worker_command(threads):
    """Run queued jobs until stopped (SIGTERM lets the jobs in hand finish; Ctrl-C does not)."""
    logging.getLogger("huey").setLevel(logging.INFO)
    consumer = queue_of(current_app._get_current_object()).huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, graceful_signal="TERM"
    )
    consumer.run()
