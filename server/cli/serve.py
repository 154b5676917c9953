"""Serve Touchpoint with gunicorn, the production server."""

import os
import sys

import click


def gunicorn_argv(
    host: str | None = None, port: int | None = None, workers: int | None = None
) -> list[str]:
    """Return the argv that starts gunicorn on Touchpoint with the project's configuration.

    Options left out fall back to `server/gunicorn_conf.py` (TOUCHPOINT_BIND, TOUCHPOINT_WORKERS).
    """
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:server.gunicorn_conf"]
    if host is not None or port is not None:
        host = host or "127.0.0.1"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        argv += ["--bind", f"{host}:{8000 if port is None else port}"]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return [*argv, "server.wsgi:app"]


@click.command("serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1, or TOUCHPOINT_BIND).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on (default 8000).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes (default TOUCHPOINT_WORKERS, else 1 with memory:// rate-limit "
    "storage, one per core with shared storage such as redis://).",
)
def serve_command(host, port, workers):
    """Serve Touchpoint with gunicorn, the production server."""
    argv = gunicorn_argv(host, port, workers)
    # Replace this process so signals from the shell or a supervisor reach gunicorn itself.
    os.execvp(argv[0], argv)
