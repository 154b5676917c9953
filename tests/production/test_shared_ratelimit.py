"""Rate limits: exact in the default single worker and across workers with Redis; Redis down lets
ingest go on; several workers counting alone in memory start with a warning."""

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
def served_site(storage_uri: str, ratelimit: str, *args: str, **env: str):
    """Serve a fresh SQLite database with one site under gunicorn (2 workers unless `args` or
    `env` say otherwise); yield the server and the site's key."""
    env = {"TOUCHPOINT_WORKERS": "2", **env} if not args else env
    with tempfile.TemporaryDirectory(prefix="tp-limits-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'touchpoint.db'}"
        site_key = create_site_in(database_url, create_schema=True)
        server = gunicorn_server(
            "server.wsgi:app",
            *args,
            TOUCHPOINT_DATABASE_URL=database_url,
            TOUCHPOINT_RATELIMIT_STORAGE_URI=storage_uri,
            TOUCHPOINT_RATELIMIT=ratelimit,
            TOUCHPOINT_THREADS="4",
            **env,
        )
        with server:
            server.wait_until_listening()
            yield server, site_key


def send_in_parallel(server, path: str) -> list[tuple[int, dict, bytes]]:
    """Send ATTEMPTS submissions from eight senders on fresh connections; return the answers."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: server.request("POST", path, submission()), range(ATTEMPTS)))


def count_warnings(server) -> list[str]:
    """Return the server's log lines warning that workers count alone."""
    return [line for line in server.stderr().splitlines() if "each worker counts alone" in line]


def storage_warnings(lines: list[str]) -> list[str]:
    """Return the log lines warning that the rate-limit storage failed."""
    return [line for line in lines if '"level": "warning"' in line and "rate-limit" in line]


def access_pids(server, path: str, count: int) -> set[int]:
    """Return the pids of the workers whose access log shows a request to `path`.

    Waits until the log shows `count` such requests (or 10 s have passed).
    """

    def requests(lines):
        entries = [json.loads(line) for line in lines]
        return [entry for entry in entries if entry.get("path") == path]

    lines = server.wait_for_log("stdout", lambda lines: len(requests(lines)) >= count)
    return {entry["pid"] for entry in requests(lines)}


def test_a_redis_limit_holds_across_workers():
    if not REDIS_URL:
        skip_or_fail("shared rate limits need TOUCHPOINT_TEST_REDIS_URL")
    with served_site(REDIS_URL, f"{LIMIT}/minute") as (server, site_key):
        path = f"/api/v1/sites/{site_key}/responses"
        # Eight senders on fresh connections: the kernel spreads them over both workers.
        answers = send_in_parallel(server, path)
        pids = access_pids(server, path, ATTEMPTS)
        assert count_warnings(server) == []
    statuses = [status for status, _, _ in answers]
    assert len(pids) == 2, "both workers must have served submissions"
    assert statuses.count(201) == LIMIT
    assert statuses.count(429) == ATTEMPTS - LIMIT
    assert all(headers["Retry-After"].isdigit() for status, headers, _ in answers if status == 429)


def test_the_default_memory_setup_is_one_worker_and_counts_exactly():
    with served_site("memory://", f"{LIMIT}/minute", TOUCHPOINT_WORKERS="") as (server, key):
        assert len(server.wait_for_workers(1)) == 1
        answers = send_in_parallel(server, f"/api/v1/sites/{key}/responses")
        assert len(server.worker_pids()) == 1
        assert count_warnings(server) == []
    statuses = [status for status, _, _ in answers]
    assert statuses.count(201) == LIMIT
    assert statuses.count(429) == ATTEMPTS - LIMIT


def test_more_workers_with_memory_storage_start_with_a_warning():
    with served_site("memory://", f"{LIMIT}/minute", "--workers", "2") as (server, key):
        assert len(server.wait_for_workers(2)) == 2
        assert server.request("POST", f"/api/v1/sites/{key}/responses", submission())[0] == 201
        (warning,) = count_warnings(server)
    entry = json.loads(warning)
    assert entry["level"] == "warning"
    assert "2 workers with memory://" in entry["message"]


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
        lines = server.wait_for_log("stderr", storage_warnings)
        warnings = [json.loads(line) for line in storage_warnings(lines)]
    assert warnings, "a storage failure must be logged"
    assert all(entry["request_id"] for entry in warnings)
