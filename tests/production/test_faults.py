"""Load with faults: workers killed and PostgreSQL restarted, every response stored exactly once.

The test runs its own throwaway PostgreSQL cluster (other people share the machine's main
one), serves it through the image's entrypoint under gunicorn, and drives 16 clients that
retry a failed send with the same event_id, as the widget does.
"""

import http.client
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from conftest import skip_or_fail
from live_server import LiveServer, create_site_in, free_port, image_command, service_environment

pytestmark = pytest.mark.production

EVENTS = 3000
CLIENTS = 16
#: The whole load phase must end well inside this many seconds.
LOAD_DEADLINE = 120
#: How long PostgreSQL stays down.
OUTAGE_SECONDS = 2.0


@dataclass
class Cluster:
    """A private PostgreSQL cluster managed with Debian's postgresql-common tools."""

    version: str
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/touchpoint"

    def ctl(self, action: str, *options: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", self.version, self.name, action, *options],
            check=True,
            capture_output=True,
        )


@contextmanager
def throwaway_postgres():
    """Create, start and finally drop a private PostgreSQL cluster on a free port."""
    for tool in ("pg_createcluster", "pg_ctlcluster", "pg_dropcluster"):
        if shutil.which(tool) is None:
            skip_or_fail(f"the faults test needs {tool} (postgresql-common)")
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not versions:
        skip_or_fail("the faults test needs a PostgreSQL server installation")
    if os.geteuid() != 0:
        skip_or_fail("the faults test creates a PostgreSQL cluster, which needs root")
    cluster = Cluster(versions[-1].parent.parent.name, f"tp_faults_{os.getpid()}", free_port())
    subprocess.run(
        [
            "pg_createcluster",
            cluster.version,
            cluster.name,
            "--port",
            str(cluster.port),
            "--",
            "--auth=trust",
        ],
        check=True,
        capture_output=True,
    )
    try:
        cluster.ctl("start")
        admin = cluster.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE touchpoint")
        yield cluster
    finally:
        subprocess.run(
            ["pg_dropcluster", "--stop", cluster.version, cluster.name], capture_output=True
        )


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    done: int = 0
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    unavailable_without_retry_after: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def submission(event_id: str) -> dict:
    return {
        "metric": "nps",
        "score": 9,
        "comment": "Fast delivery",
        "page": {"url": "https://shop.example/checkout/done"},
        "event_id": event_id,
    }


def send_until_stored(server: LiveServer, path: str, event_id: str, tally: Tally, deadline):
    """Send one response until it is stored, retrying with the same event_id; return statuses."""
    seen = []
    while time.monotonic() < deadline:
        try:
            status, headers, _ = server.request("POST", path, submission(event_id), timeout=15)
        except (OSError, http.client.HTTPException):
            with tally.lock:
                tally.connection_errors += 1  # a killed worker drops its connections
            time.sleep(0.05)
            continue
        seen.append(status)
        with tally.lock:
            tally.statuses[status] += 1
            if status == 503 and not headers.get("Retry-After", "").isdigit():
                tally.unavailable_without_retry_after += 1
        if status in (200, 201):
            return seen
        # The widget retries 429 and every 5xx after a pause; a short one keeps the test short.
        time.sleep(0.1)
    raise AssertionError(f"event {event_id} was never stored (statuses {seen})")


def wait_for_progress(tally: Tally, share: float, deadline: float) -> None:
    while tally.done < EVENTS * share:
        assert time.monotonic() < deadline, "the load stalled"
        time.sleep(0.01)


def kill_one_worker(server: LiveServer) -> int:
    pid = server.worker_pids()[0]
    os.kill(pid, signal.SIGKILL)
    return pid


def test_load_survives_killed_workers_and_a_postgres_restart():
    with throwaway_postgres() as cluster:
        env = service_environment(
            TOUCHPOINT_ENV="production",
            TOUCHPOINT_SECRET_KEY="faults-test-secret",
            TOUCHPOINT_DATABASE_URL=cluster.url,
            TOUCHPOINT_RATELIMIT="1000000/minute",
            TOUCHPOINT_WORKERS="2",
            TOUCHPOINT_THREADS="4",
        )
        with LiveServer(image_command(), env) as server:
            server.wait_until_listening(probe="/readyz")
            master = server.process.pid
            path = f"/api/v1/sites/{create_site_in(cluster.url)}/responses"
            events = [str(uuid.uuid4()) for _ in range(EVENTS)]
            tally = Tally()
            deadline = time.monotonic() + LOAD_DEADLINE
            outage: dict = {}

            def client(mine: list[str]) -> None:
                for event_id in mine:
                    send_until_stored(server, path, event_id, tally, deadline)
                    with tally.lock:
                        tally.done += 1

            def chaos() -> None:
                wait_for_progress(tally, 0.15, deadline)
                outage["first_killed"] = kill_one_worker(server)

                wait_for_progress(tally, 0.35, deadline)
                cluster.ctl("stop", "--mode", "fast")
                outage["readyz"] = server.request("GET", "/readyz")
                outage["probe_event"] = str(uuid.uuid4())
                outage["probe"] = server.request("POST", path, submission(outage["probe_event"]))
                time.sleep(OUTAGE_SECONDS)
                cluster.ctl("start")

                wait_for_progress(tally, 0.70, deadline)
                outage["second_killed"] = kill_one_worker(server)

            threads = [threading.Thread(target=chaos)] + [
                threading.Thread(target=client, args=(events[n::CLIENTS],)) for n in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert set(outage) == {
                "first_killed",
                "readyz",
                "probe_event",
                "probe",
                "second_killed",
            }

            # Afterwards: the same Touchpoint serves again, the probe's retry included.
            send_until_stored(server, path, outage["probe_event"], tally, time.monotonic() + 30)
            assert server.request("GET", "/readyz")[0] == 200
            assert server.process.poll() is None and server.process.pid == master
            workers = server.wait_for_workers(2)
            logged_errors = [line for line in server.stderr().splitlines() if '"error"' in line]
            assert len(workers) == 2
            assert not {outage["first_killed"], outage["second_killed"]} & set(workers)

        with psycopg.connect(cluster.url) as connection:
            stored = Counter(
                dict(
                    connection.execute(
                        "SELECT event_id, count(*) FROM responses GROUP BY event_id"
                    ).fetchall()
                )
            )

    assert tally.statuses[500] == 0, f"500s: {tally.statuses}; first errors: {logged_errors[:3]}"
    assert set(tally.statuses) <= {200, 201, 503}, tally.statuses
    assert tally.statuses[503] > 0, "the outage was not seen by any client"
    assert tally.unavailable_without_retry_after == 0

    readyz_status, readyz_headers, _ = outage["readyz"]
    assert readyz_status == 503 and readyz_headers["Retry-After"].isdigit()
    probe_status, probe_headers, _ = outage["probe"]
    assert probe_status == 503 and probe_headers["Retry-After"].isdigit()

    expected = {*events, outage["probe_event"]}
    assert set(stored) == expected
    assert set(stored.values()) == {1}, "an event_id was stored more than once"
