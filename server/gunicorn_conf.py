"""Configure gunicorn for `touchpoint serve` and the container image.

Every setting can be changed through a `TOUCHPOINT_*` environment variable; docs/deploy.md
lists them and docs/performance.md holds the measurements behind the defaults.
"""

import json
import os

from gunicorn import util

from server.config import counts_per_process, env_int, ratelimit_storage_uri
from server.sites.served_url import forget_served_url, record_served_url


def usable_cores() -> int:
    """Return the cores this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS has no affinity call
        return os.cpu_count() or 1


bind = os.environ.get("TOUCHPOINT_BIND", "127.0.0.1:8000")

# gthread: the worker's main loop keeps beating the arbiter's heartbeat while request threads
# run, so `timeout` only catches a worker whose loop is stuck, never a long response. A sync
# worker beats only between requests, so a million-row export streaming for longer than
# `timeout` would be killed half-way (tests/test_gunicorn.py proves both).
# gthread with a read timeout on each client: a client that stops sending mid-request is
# dropped instead of holding a thread (server/gunicorn_worker.py).
worker_class = "server.gunicorn_worker.ThreadWorker"
# With `memory://` rate-limit storage each process counts alone, so a limit of N would let
# N x workers through: one process, its threads for concurrency, keeps the counts exact.
# With shared storage (Redis): one process per core, four threads each; the threads overlap
# each request's waits on PostgreSQL and Redis, while more processes than cores only fight
# the database (which often shares the machine) for CPU. docs/performance.md ("Production")
# has the measurements.
COUNTS_PER_PROCESS = counts_per_process(ratelimit_storage_uri())
workers = env_int("TOUCHPOINT_WORKERS", 1 if COUNTS_PER_PROCESS else usable_cores())
threads = env_int("TOUCHPOINT_THREADS", 4)
timeout = env_int("TOUCHPOINT_WORKER_TIMEOUT", 30)
# A stop or restart lets requests in flight (an export included) finish for this long.
graceful_timeout = env_int("TOUCHPOINT_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Preload: the app is built once in the master and forked, so a bad configuration (say, no
# TOUCHPOINT_SECRET_KEY in production) stops the server with one clear line instead of
# workers failing to boot in a loop, workers start fast after a crash, and memory is shared.
# Nothing opens a connection while the app is built; `post_fork` drops any pool regardless.
preload_app = True

# ProxyFix, sized by TOUCHPOINT_TRUSTED_PROXIES, is the one judge of forwarded headers. With
# no trusted proxy gunicorn believes none either (its default trusts 127.0.0.1's
# X-Forwarded-Proto); behind proxies the hop to believe is chosen by count, not by address.
forwarded_allow_ips = "*" if env_int("TOUCHPOINT_TRUSTED_PROXIES", 0) > 0 else ""

# Its default path is per user, so two servers on one host (or one container image run
# twice) would fight over it; nothing here uses it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("TOUCHPOINT_LOG_LEVEL", "info")
logger_class = "server.logs.GunicornJsonLogger"


def when_ready(server):
    """Announce the URL served in the instance folder (for the CLI's snippets) and warn that
    rate limits count per worker when several share no rate-limit storage."""
    app = server.app.wsgi()
    database = getattr(app, "config", {}).get("SQLALCHEMY_DATABASE_URI")
    listening = [str(listener) for listener in server.LISTENERS]
    http = [address for address in listening if address.startswith(("http://", "https://"))]
    if http and database:
        record_served_url(app.instance_path, database, http[0])
    # Here rather than at import: `--workers` on the command line is applied after this file.
    if COUNTS_PER_PROCESS and server.cfg.workers > 1:
        server.log.warning(
            "%d workers with memory:// rate-limit storage: each worker counts alone, so a "
            "client may get up to %d times the limit; set TOUCHPOINT_RATELIMIT_STORAGE_URI "
            "to redis://… for exact counts",
            server.cfg.workers,
            server.cfg.workers,
        )


def on_exit(server):
    """Withdraw the URL announced at start: no server answers there any more."""
    app = server.app.wsgi()
    database = getattr(app, "config", {}).get("SQLALCHEMY_DATABASE_URI")
    if database:
        forget_served_url(app.instance_path, database)


def post_worker_init(worker):
    """Have the worker answer the requests gunicorn itself refuses in the JSON error shape."""
    # A request line over `limit_request_line` (414), headers over their limits (431) or a
    # malformed request (400) never reach Flask: gunicorn answers them with an HTML page from
    # `util.write_error`, and offers no setting for its format (benoitc/gunicorn#993).
    util.write_error = write_json_error


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """Write gunicorn's refusal as SPEC's error body: `{"code", "status", "message"}`."""
    if status_int == 501:
        # A Transfer-Encoding gunicorn does not implement: the client's request is what is
        # wrong (SPEC allows no 5xx but 503), so it is a 400 like any malformed request.
        status_int, reason = 400, "Bad Request"
    body = json.dumps({"code": status_int, "status": reason, "message": mesg or reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def post_fork(server, worker):
    """Drop database connections inherited from the master so no two processes share one."""
    from server.extensions import db

    app = server.app.wsgi()
    if "sqlalchemy" in getattr(app, "extensions", {}):
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
