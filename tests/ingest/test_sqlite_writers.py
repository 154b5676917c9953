"""SQLite writers' turns: one thread of one process at a time, handed on without sleeping."""

import fcntl
import os
import threading
import time

from server.ingest.sqlite_writers import LOCK_FILE_SUFFIX, WriterQueue, writer_queue


def test_a_file_database_queues_its_processes_on_a_file_beside_it(tmp_path):
    database = str(tmp_path / "touchpoint.db")
    queue = writer_queue(database)
    assert queue.lock_path == database + LOCK_FILE_SUFFIX
    assert writer_queue(database) is queue


def test_an_in_memory_database_queues_threads_only():
    assert writer_queue(None).lock_path is None
    assert writer_queue(":memory:").lock_path is None
    with writer_queue(":memory:").turn():
        pass


def test_a_writer_waits_while_another_process_holds_the_file(tmp_path):
    queue = WriterQueue(str(tmp_path / "db") + LOCK_FILE_SUFFIX)
    # Another open file of the lock conflicts as another process's would.
    other = os.open(queue.lock_path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    entered = threading.Event()

    def write():
        with queue.turn():
            entered.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert not entered.wait(0.2)
    fcntl.flock(other, fcntl.LOCK_UN)
    assert entered.wait(5)
    writer.join()
    os.close(other)


def test_threads_of_one_process_take_turns(tmp_path):
    queue = WriterQueue(str(tmp_path / "db") + LOCK_FILE_SUFFIX)
    inside, most_inside = [0], [0]

    def write():
        for _ in range(20):
            with queue.turn():
                inside[0] += 1
                most_inside[0] = max(most_inside[0], inside[0])
                time.sleep(0.0005)
                inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most_inside[0] == 1


def test_a_forked_process_opens_the_lock_file_anew(tmp_path, monkeypatch):
    queue = WriterQueue(str(tmp_path / "db") + LOCK_FILE_SUFFIX)
    first = queue.lock_file()
    assert queue.lock_file() == first
    monkeypatch.setattr(os, "getpid", lambda: -1)
    second = queue.lock_file()
    assert second != first
    os.close(first)
    os.close(second)
