"""Alerts when the queue misbehaves, and which rules a response and its late comment fire."""

import json
import logging
import socket
import sqlite3
import threading
import uuid

import pytest
from sqlalchemy import func, select

from server.alerts.notify import EXTENSION, Handoff, handoff
from server.extensions import db
from server.jobs.queue import queue_of
from server.models import AlertDelivery

from .conftest import wait_for

ORIGIN = "https://shop.example"


def submit(client, site, **fields):
    body = {"metric": "nps", "score": 3, "hp": "", "page": {"url": "https://shop.example/c"}}
    body.update(fields)
    return client.post(
        f"/api/v1/sites/{site.key}/responses",
        data=json.dumps(body),
        headers={"Origin": ORIGIN, "Content-Type": "application/json"},
    )


class SilentRedis:
    """A TCP server that accepts connections, records what it reads, and never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.received = bytearray()
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self.read, args=(connection,), daemon=True).start()

    def read(self, connection):
        while chunk := connection.recv(4096):
            self.received += chunk

    def close(self):
        self.listener.close()
        for connection in self.connections:
            # Wakes this server's reader and ends the client's wait at once (no timeout).
            connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.connections.clear()


@pytest.fixture
def silent_redis(app):
    server = SilentRedis()
    app.config["TOUCHPOINT_QUEUE_URL"] = server.url
    yield server
    server.close()


@pytest.fixture
def locked_queue(app, tmp_path):
    """Hold an exclusive lock on the app's SQLite queue file until released (or the end)."""
    path = tmp_path / "locked-queue.db"
    app.config["TOUCHPOINT_QUEUE_URL"] = f"sqlite:///{path}"
    queue_of(app)  # creates the file and its tables
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    yield holder
    if holder.in_transaction:
        holder.rollback()
    holder.close()


def delivery_count(**where) -> int:
    db.session.expire_all()
    wanted = select(func.count()).select_from(AlertDelivery).filter_by(**where)
    return db.session.scalar(wanted)


def test_ingest_returns_while_a_silent_redis_holds_the_enqueue(
    app, client, site, create_rule, silent_redis, caplog
):
    create_rule(channel="webhook", target="https://hooks.example/x")
    answer = submit(client, site, score=1)
    assert answer.status_code == 201
    # The enqueue has reached Redis and waits for an answer that never comes.
    wait_for(lambda: silent_redis.received, "the enqueue to reach the silent Redis")
    assert handoff(app).unfinished() == 1
    with caplog.at_level(logging.ERROR, logger="server.alerts.notify"):
        silent_redis.close()
        wait_for(lambda: handoff(app).unfinished() == 0, "the hand-off to give up")
    assert handoff(app).dropped == 1
    assert "not queued" in caplog.text


def test_ingest_returns_while_the_sqlite_queue_is_locked(
    app, client, site, create_rule, locked_queue
):
    create_rule(channel="webhook", target="https://hooks.example/x")
    answer = submit(client, site, score=1)
    assert answer.status_code == 201
    # The lock is still held: the enqueue cannot have finished.
    assert handoff(app).unfinished() == 1
    locked_queue.rollback()
    wait_for(lambda: handoff(app).unfinished() == 0, "the hand-off to drain")
    assert queue_of(app).huey.pending_count() == 1
    assert handoff(app).dropped == 0


def test_a_full_handoff_drops_and_counts(app, locked_queue, caplog):
    full = app.extensions[EXTENSION] = Handoff(app, size=1)
    with caplog.at_level(logging.ERROR, logger="server.alerts.notify"):
        for response_id in (1, 2, 3):
            full.put([1], response_id)
    # One may be held by the blocked enqueue and one waits; the third at least is dropped.
    assert full.dropped >= 1
    assert "dropped" in caplog.text
    locked_queue.rollback()
    wait_for(lambda: full.unfinished() == 0, "the hand-off to drain")


def test_a_refused_redis_costs_the_alert_not_the_answer(app, client, site, create_rule, caplog):
    app.config["TOUCHPOINT_QUEUE_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    create_rule(channel="webhook", target="https://hooks.example/x")
    with caplog.at_level(logging.ERROR, logger="server.alerts.notify"):
        assert submit(client, site, score=1).status_code == 201
        wait_for(lambda: handoff(app).unfinished() == 0, "the hand-off to give up")
    assert handoff(app).dropped == 1 and "not queued" in caplog.text


def send_test(client, site, rule_id, headers):
    return client.post(f"/api/v1/admin/sites/{site.key}/alerts/{rule_id}/test", headers=headers)


def assert_queue_unavailable(answer):
    assert answer.status_code == 503, answer.get_json()
    assert int(answer.headers["Retry-After"]) > 0
    assert "alert queue" in answer.get_json()["message"]
    assert "database" not in answer.get_json()["message"]


def test_a_test_alert_refused_by_redis_is_a_clean_503(
    app, client, site, admin_headers, create_rule
):
    rule = create_rule(channel="webhook", target="https://hooks.example/x")
    app.config["TOUCHPOINT_QUEUE_URL"] = "redis://127.0.0.1:1/0"
    assert_queue_unavailable(send_test(client, site, rule["id"], admin_headers))
    assert delivery_count(rule_id=rule["id"]) == 0


def test_a_test_alert_on_a_locked_queue_is_a_clean_503(
    client, site, admin_headers, create_rule, locked_queue
):
    rule = create_rule(channel="webhook", target="https://hooks.example/x")
    assert_queue_unavailable(send_test(client, site, rule["id"], admin_headers))
    assert delivery_count(rule_id=rule["id"]) == 0


def test_reasons_count_as_themes(client, site, create_rule, make_receiver, worker):
    receiver = make_receiver()
    rule = create_rule(channel="webhook", target=receiver.url, filter={"themes": ["waiting"]})
    assert submit(client, site, score=2, reasons=["waiting"]).status_code == 201
    wait_for(lambda: receiver.requests, "the alert for the visitor's reason")
    assert delivery_count(rule_id=rule["id"]) == 1


@pytest.mark.parametrize("queue_storage", ["sqlite", "redis"], indirect=True)
def test_a_late_comment_fires_only_the_theme_rules_it_now_matches(
    client, site, create_rule, make_receiver, worker
):
    any_low, slow, returns = make_receiver(), make_receiver(), make_receiver()
    first = create_rule(channel="webhook", target=any_low.url, filter={"max_score": 6})
    second = create_rule(channel="webhook", target=slow.url, filter={"themes": ["speed"]})
    third = create_rule(channel="webhook", target=returns.url, filter={"themes": ["returns"]})
    event_id = str(uuid.uuid4())
    assert submit(client, site, score=3, event_id=event_id).status_code == 201
    wait_for(lambda: any_low.requests, "the alert for the half answer")
    late = submit(client, site, score=3, event_id=event_id, comment="Checkout was so slow")
    assert late.status_code == 200 and late.get_json()["duplicate"]
    wait_for(lambda: slow.requests, "the alert for the late comment")
    # The late job carried the `speed` rule alone: once it was sent, the job is done.
    assert delivery_count(rule_id=first["id"]) == 1
    assert delivery_count(rule_id=second["id"]) == 1
    assert delivery_count(rule_id=third["id"]) == 0
    assert len(any_low.requests) == 1 and not returns.requests
