"""Let ingest's writers into a SQLite database one at a time, without SQLite's busy sleeps.

SQLite admits one writer at a time. The others get SQLITE_BUSY and sleep in its busy handler,
in steps of 1, 2, 5, 10 … up to 100 ms, before they try again: a writer often sleeps on long
after the one before it has committed, and a process whose writers keep backing off falls
behind the other one. Ingest's writers queue instead, the threads of a process on a lock and
the processes on an exclusive `flock` of a file beside the database, and each is woken the
moment the writer before it is done (docs/performance.md has the measurements). Other writers
(the dashboard, the admin API) still meet SQLite's busy handler, which stays the arbiter.
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Appended to the database's path to name the file the processes' writers queue on.
LOCK_FILE_SUFFIX = "-ingest.lock"


class WriterQueue:
    """Hand out turns to write one SQLite database: one thread of one process at a time."""

    def __init__(self, lock_path: str | None):
        self.lock_path = lock_path
        self.threads = threading.Lock()
        self.owner_pid: int | None = None
        self.descriptor: int | None = None

    def lock_file(self) -> int:
        """Return this process's descriptor of the lock file, opened on first use."""
        # flock excludes open files, not processes: a descriptor inherited across a fork would
        # let parent and child in together, so every process opens the file for itself.
        if self.owner_pid != os.getpid():
            self.descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self.owner_pid = os.getpid()
        return self.descriptor

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this writer's turn and hold it for the `with` block."""
        with self.threads:
            if self.lock_path is None:
                yield
                return
            descriptor = self.lock_file()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)


QUEUES: dict[str | None, WriterQueue] = {}
QUEUES_LOCK = threading.Lock()


def writer_queue(database: str | None) -> WriterQueue:
    """Return the queue of SQLite database `database` (a path, or None/":memory:").

    An in-memory database belongs to one process, so its queue is the threads' lock alone.
    """
    queue = QUEUES.get(database)
    if queue is None:
        in_memory = not database or database == ":memory:" or database.startswith("file:")
        lock_path = None if in_memory else os.path.abspath(database) + LOCK_FILE_SUFFIX
        with QUEUES_LOCK:
            queue = QUEUES.setdefault(database, WriterQueue(lock_path))
    return queue
