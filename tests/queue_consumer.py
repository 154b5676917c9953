"""Run an app's job queue consumer in this process, in threads, as `touchpoint worker` would."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from server.jobs.queue import queue_of


@contextmanager
def running_consumer(app) -> Iterator:
    """Consume `app`'s queue in two threads for the `with` block; polls every 0.05 to 0.2 s.

    huey's consumer installs SIGINT/SIGTERM handlers; they are put back afterwards.
    """
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    consumer = queue_of(app).huey.create_consumer(
        workers=2, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2
    )
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for number, handler in handlers.items():
            signal.signal(number, handler)
