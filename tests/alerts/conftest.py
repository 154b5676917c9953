"""Real components for alert tests: HTTP receivers, an SMTP server, and a running worker."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from conftest import REDIS_URL, base_config, postgres_uri, skip_or_fail
from queue_consumer import running_consumer
from redis import Redis

#: Seconds a test waits for the worker before it fails (never a timing assertion).
PATIENCE = 30


@pytest.fixture(params=["sqlite"])
def queue_storage(request) -> str:
    """Name the queue storage the worker uses; tests that take it on Redis too override it."""
    return request.param


@pytest.fixture
def queue_url(queue_storage, tmp_path) -> str:
    """Return the queue URL: a SQLite file of its own, or a Redis database emptied first."""
    if queue_storage == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    if not REDIS_URL:
        skip_or_fail("queue tests on Redis need TOUCHPOINT_TEST_REDIS_URL")
    Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


@pytest.fixture
def app_config(backend, tmp_path, queue_url) -> dict:
    """Run on a SQLite file (the worker's threads share it), private targets allowed."""
    uri = f"sqlite:///{tmp_path / 'touchpoint.db'}" if backend == "sqlite" else postgres_uri()
    return {
        **base_config(uri),
        "TOUCHPOINT_QUEUE_URL": queue_url,
        "TOUCHPOINT_ALERTS_ALLOW_PRIVATE": True,
        "TOUCHPOINT_ALERTS_SLACK_HOSTS": ("hooks.slack.com", "127.0.0.1"),
        "TOUCHPOINT_ALERTS_RETRY_SECONDS": 1,
        "TOUCHPOINT_ALERTS_TIMEOUT_SECONDS": 2,
        "TOUCHPOINT_PUBLIC_URL": "https://feedback.example",
    }


@pytest.fixture
def worker(app):
    """Run the app's queue consumer in this process (threads) for the test's length."""
    with running_consumer(app) as consumer:
        yield consumer


def wait_for(check, what: str):
    """Return `check()` once it is truthy; fail after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what}")


class Receiver:
    """An HTTP server that records each POST and answers with the statuses it is given."""

    def __init__(self, statuses=(200,), hang: bool = False):
        self.statuses = list(statuses)
        self.hang = hang
        self.requests: list[dict] = []
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if receiver.hang:
                    receiver.released.wait(PATIENCE)
                    return
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.location = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_receiver():
    """Return a factory of HTTP receivers, all stopped after the test."""
    made = []

    def factory(*args, **kwargs) -> Receiver:
        made.append(Receiver(*args, **kwargs))
        return made[-1]

    yield factory
    for receiver in made:
        receiver.close()


class Mailbox:
    """An aiosmtpd handler keeping every message it accepts; `refusals` maps a recipient to
    the reply its RCPT gets instead of 250 (e.g. "550 5.1.1 No such user")."""

    def __init__(self):
        self.messages = []
        self.refusals: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app):
    """Run an SMTP server in this process and point TOUCHPOINT_SMTP_URL at it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config["TOUCHPOINT_SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    app.config["TOUCHPOINT_SMTP_FROM"] = "alerts@feedback.example"
    yield box
    controller.stop()


@pytest.fixture
def create_rule(client, site, admin_headers):
    """Return a factory that creates a rule through the admin API and returns its answer."""

    def factory(**fields):
        fields.setdefault("name", "Detractors")
        fields.setdefault("on", "response")
        answer = client.post(
            f"/api/v1/admin/sites/{site.key}/alerts", json=fields, headers=admin_headers
        )
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    return factory
