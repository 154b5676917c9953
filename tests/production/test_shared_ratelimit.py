"""Rate limits held in Redis bind every gunicorn worker together; Redis down lets ingest go on."""

import json
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REDIS_URL, skip_or_fail
from live_server import create_site_in, free_port, gunicorn_server

pytestmark = pytest.mark.production

LIMIT = 10
ATTEMPTS = 40


def submission() -> dict:
    return {
        "metric": "csat",
        "score": 4,
        "page": {"url": "https://shop.example/checkout"},
        "event_id": str(uuid.uuid4()),
    }


@contextmanager
def served_site(storage_uri: str, ratelimit: str):
    """Serve a fresh SQLite database with one site under 2 gunicorn workers; yield both."""
    with tempfile.TemporaryDirectory(prefix="tp-limits-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'touchpoint.db'}"
        site_key = create_site_in(database_url, create_schema=True)
        server = gunicorn_server(
            TOUCHPOINT_DATABASE_URL=database_url,
            TOUCHPOINT_RATELIMIT_STORAGE_URI=storage_uri,
            TOUCHPOINT_RATELIMIT=ratelimit,
            TOUCHPOINT_WORKERS="2",
            TOUCHPOINT_THREADS="4",
        )
        with server:
            server.wait_until_listening()
            yield server, site_key


def access_pids(server, path: str) -> set[int]:
    """Return the pids of the workers whose access log shows a request to `path`."""
    entries = [json.loads(line) for line in server.stdout().splitlines()]
    return {entry["pid"] for entry in entries if entry.get("path") == path}


def test_a_redis_limit_holds_across_workers():
    if not REDIS_URL:
        skip_or_fail("shared rate limits need TOUCHPOINT_TEST_REDIS_URL")
    with served_site(REDIS_URL, f"{LIMIT}/minute") as (server, site_key):
        path = f"/api/v1/sites/{site_key}/responses"
        # Eight senders on fresh connections: the kernel spreads them over both workers.
        with ThreadPoolExecutor(8) as pool:
            answers = list(
                pool.map(lambda _: server.request("POST", path, submission()), range(ATTEMPTS))
            )
        time.sleep(0.5)  # let the access log lines land
        pids = access_pids(server, path)
    statuses = [status for status, _, _ in answers]
    assert len(pids) == 2, "both workers must have served submissions"
    assert statuses.count(201) == LIMIT
    assert statuses.count(429) == ATTEMPTS - LIMIT
    assert all(headers["Retry-After"].isdigit() for status, headers, _ in answers if status == 429)


@contextmanager
def throwaway_redis():
    """Run a private redis-server on a free 127.0.0.1 port; yield its URL and process."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("the Redis-down test needs redis-server")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        process.kill()
        process.wait()


def test_ingest_fails_open_when_redis_goes_down():
    with (
        throwaway_redis() as (redis_url, redis_process),
        served_site(redis_url, "3/minute") as (
            server,
            site_key,
        ),
    ):
        path = f"/api/v1/sites/{site_key}/responses"
        before = [server.request("POST", path, submission())[0] for _ in range(4)]
        assert before == [201, 201, 201, 429]  # Redis is counting

        redis_process.kill()
        redis_process.wait()
        during = [server.request("POST", path, submission())[0] for _ in range(6)]
        assert during == [201] * 6  # fail open: feedback is worth more than the limit

        time.sleep(0.5)
        warnings = [
            json.loads(line)
            for line in server.stderr().splitlines()
            if '"level": "warning"' in line and "rate-limit" in line
        ]
    assert warnings, "a storage failure must be logged"
    assert all(entry["request_id"] for entry in warnings)
