"""The job queue: built from TOUCHPOINT_QUEUE_URL, run for real on a SQLite file and on Redis."""

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from conftest import REDIS_URL, base_config, skip_or_fail
from huey import RedisHuey, SqliteHuey
from redis import Redis

from server import create_app
from server.config import ConfigError
from server.jobs.queue import JOBS, build_queue, enqueue, job, once_per_period, queue_of

ROOT = Path(__file__).resolve().parents[2]
PATIENCE = 60
DONE: dict[str, threading.Event] = {}


@job
def note_done(token: str) -> None:
    """Mark `token` done, from inside the app context the queue gives every job."""
    from flask import current_app

    assert current_app.config["TESTING"]
    DONE[token].set()


def queue_url(storage: str, tmp_path: Path) -> str:
    if storage == "sqlite":
        return f"sqlite:///{tmp_path / 'jobs' / 'queue.db'}"
    if not REDIS_URL:
        skip_or_fail("queue tests on Redis need TOUCHPOINT_TEST_REDIS_URL")
    Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


def test_urls_pick_the_storage(tmp_path):
    assert isinstance(build_queue(f"sqlite:///{tmp_path / 'a' / 'q.db'}"), SqliteHuey)
    assert (tmp_path / "a" / "q.db").exists()
    assert isinstance(build_queue("redis://127.0.0.1:1/0"), RedisHuey)  # connects lazily
    with pytest.raises(ConfigError):
        build_queue("amqp://broker/")


def test_default_queue_is_a_file_in_the_instance_folder_not_the_database(monkeypatch):
    monkeypatch.delenv("TOUCHPOINT_QUEUE_URL", raising=False)
    config = base_config("sqlite://")
    del config["TOUCHPOINT_QUEUE_URL"]
    app = create_app(config)
    assert app.config["TOUCHPOINT_QUEUE_URL"] == f"sqlite:///{app.instance_path}/queue.db"


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_a_consumer_runs_queued_jobs_in_the_app(storage, tmp_path):
    app = create_app(
        {**base_config("sqlite://"), "TOUCHPOINT_QUEUE_URL": queue_url(storage, tmp_path)}
    )
    token = f"{storage}-{time.monotonic()}"
    DONE[token] = threading.Event()
    with app.app_context():
        enqueue("note_done", token)  # queued before any consumer runs
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    consumer = queue_of(app).huey.create_consumer(workers=1, periodic=False, max_delay=0.2)
    consumer.start()
    try:
        assert DONE[token].wait(PATIENCE)
    finally:
        consumer.stop(graceful=True)
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_a_periodic_job_runs_once_per_period_however_many_workers(storage, tmp_path):
    url = queue_url(storage, tmp_path)
    runs = []
    workers = [once_per_period(build_queue(url), "digest", lambda: runs.append(1)) for _ in "abc"]
    for run in workers:
        run()
    assert len(runs) == 1


def test_touchpoint_worker_runs_jobs_and_stops_on_sigterm(tmp_path):
    """Start the real command, queue a job from another process, stop it gracefully."""
    database = tmp_path / "touchpoint.db"
    queue = tmp_path / "queue.db"
    marker = tmp_path / "marker"
    environment = {
        "TOUCHPOINT_DATABASE_URL": f"sqlite:///{database}",
        "TOUCHPOINT_QUEUE_URL": f"sqlite:///{queue}",
        "TOUCHPOINT_SECRET_KEY": "test",
        "PATH": str(Path(sys.executable).parent),
        "PYTHONPATH": str(ROOT),
    }
    upgrade = [sys.executable, "-c", "from server.cli import main; main()", "db", "upgrade"]
    subprocess.run(upgrade, env=environment, check=True, capture_output=True)
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER_WITH_MARKER_JOB, str(marker)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while not marker.exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        assert marker.read_text() == "ran"
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=PATIENCE)
    assert worker.returncode == 0, output


# A job queued before the worker starts, and `touchpoint worker` itself (main()).
WORKER_WITH_MARKER_JOB = """
import sys
from pathlib import Path
from server.jobs.queue import job, enqueue
from server import create_app

@job
def write_marker(path):
    Path(path).write_text("ran")

app = create_app()
with app.app_context():
    enqueue("write_marker", sys.argv[1])
sys.argv = ["touchpoint", "worker", "--threads", "1"]
from server.cli import main
main()
"""


def test_compose_runs_a_worker_from_the_same_image_on_the_redis_queue():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker, app = services["worker"], services["app"]
    assert worker["build"] == app["build"] and worker["command"] == ["touchpoint", "worker"]
    assert "ports" not in worker and "expose" not in worker
    queue = worker["environment"]["TOUCHPOINT_QUEUE_URL"]
    assert queue == app["environment"]["TOUCHPOINT_QUEUE_URL"] and "redis://redis" in queue


def test_make_run_starts_the_worker_beside_the_server():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "touchpoint worker &" in recipe and "trap" in recipe and "touchpoint serve" in recipe


def test_jobs_of_the_alerts_are_registered():
    from server.alerts import jobs  # noqa: F401

    assert {
        "alert_response",
        "deliver",
        "purge_alert_deliveries",
        "alert_changes",
        "alert_digests",
        "sweep_stuck_deliveries",
    } <= set(JOBS)
