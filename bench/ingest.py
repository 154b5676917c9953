"""Measure ingest's requests/s against a bare Flask app under the same gunicorn settings.

Usage: .venv/bin/python bench/ingest.py [--duration 10] [--rounds 2]
           [--postgres postgresql://…] [--redis redis://…]

Each round runs the bare app, then Touchpoint on SQLite (WAL, in a temporary directory),
then Touchpoint on PostgreSQL when a URL is given (with Redis limiter storage when given),
one after the other (in reverse order every other round) on 127.0.0.1, driven by `wrk`
posting a valid response with a fresh event_id per request. Every non-2xx answer counts as
a failure. Ratios are taken within a round, since the machine is shared and absolute figures
drift.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "post_response.lua"
BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync", "--threads", "1"]
#: Far above any load wrk can offer here, so the limiter counts but never refuses.
UNREACHABLE_LIMIT = "100000000/minute"


def free_port(first: int, last: int) -> int:
    """Return a free port in [first, last] on 127.0.0.1."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {first}-{last}")


def wait_until_answering(port: int, path: str, server: subprocess.Popen, timeout: float = 90):
    """Wait until both workers can answer a submission (they import slowly on a busy machine)."""
    body = b'{"metric":"csat","score":5,"page":{"url":"https://shop.example/"}}'
    deadline = time.monotonic() + timeout
    answered = 0
    while answered < 4:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server on {port} does not answer")
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                answered += response.status < 300
        except OSError:
            time.sleep(0.2)


def touchpoint_env(database_url: str, redis_url: str | None) -> dict:
    """Return the environment of a Touchpoint server for the benchmark."""
    env = dict(os.environ)
    env.update(
        TOUCHPOINT_DATABASE_URL=database_url,
        TOUCHPOINT_RATELIMIT=UNREACHABLE_LIMIT,
        TOUCHPOINT_RATELIMIT_STORAGE_URI=redis_url or "memory://",
        TOUCHPOINT_SECRET_KEY="benchmark",
    )
    return env


def prepare_database(env: dict) -> str:
    """Migrate the database, empty the responses and create the benchmark's site."""
    script = (
        "from server import create_app\n"
        "from server.extensions import db\n"
        "from server.sites.manage import create_site\n"
        "from sqlalchemy import text\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    db.session.execute(text('DELETE FROM responses'))\n"
        "    db.session.commit()\n"
        "    site = create_site('Bench', ['https://shop.example'], keep_query_params=['step'],\n"
        "        phase_rules=[{'match': '/checkout*', 'phase': 'conversion'}])\n"
        "    print(site.key)\n"
    )
    subprocess.run(
        [str(BIN / "touchpoint"), "db", "upgrade"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    done = subprocess.run(
        [str(BIN / "python"), "-c", script],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def run_wrk(port: int, path: str, duration: int, connections: int) -> tuple[float, int, int]:
    """Drive the server with wrk; return (requests/s, requests, failures)."""
    env = dict(os.environ, BENCH_PATH=path)
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    output = done.stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failures = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        failures += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        failures += sum(int(group) for group in match.groups())
    return rate, requests, failures


def measure(name: str, app: str, env: dict, path: str, args, port: int) -> float:
    """Start gunicorn serving `app`, warm it up, measure it, stop it; return requests/s."""
    log = args.workdir / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}", app],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_answering(port, path, server)
            run_wrk(port, path, 2, args.connections)
            rate, requests, failures = run_wrk(port, path, args.duration, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if failures or not requests:
        print(log.read_text()[-3000:], file=sys.stderr)
        raise SystemExit(f"{name}: {failures} of {requests} requests failed")
    print(f"  {name:<28} {rate:9.0f} req/s  ({requests} requests, 0 failures)", flush=True)
    return rate


def main() -> None:
    """Run the rounds and print each figure and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--postgres", help="postgresql://… of a database the benchmark may fill")
    parser.add_argument("--redis", help="redis://… for the limiter when on PostgreSQL")
    parser.add_argument("--port", type=int, default=free_port(8300, 8349))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    workdir = args.workdir = Path(tempfile.mkdtemp(prefix="touchpoint-bench-"))
    targets = [("bare Flask", "bench.bare_app:app", dict(os.environ), None)]
    sqlite_env = touchpoint_env(f"sqlite:///{workdir / 'bench.db'}", None)
    targets.append(("Touchpoint, SQLite WAL", "server.wsgi:app", sqlite_env, None))
    if args.postgres:
        pg_env = touchpoint_env(args.postgres, args.redis)
        storage = "Redis" if args.redis else "memory"
        targets.append((f"Touchpoint, PostgreSQL+{storage}", "server.wsgi:app", pg_env, None))
    keys = {name: prepare_database(env) for name, app, env, _ in targets if app != targets[0][1]}

    results: dict[str, list[float]] = {name: [] for name, *_ in targets}
    try:
        for number in range(1, args.rounds + 1):
            print(f"round {number}: wrk -t2 -c{args.connections} -d{args.duration}s", flush=True)
            # Every other round runs in reverse order, so a load that drifts during a round
            # favours neither the bare app nor Touchpoint over the whole run.
            for name, app, env, _ in targets if number % 2 else reversed(targets):
                path = f"/api/v1/sites/{keys.get(name, 'pk_bare')}/responses"
                results[name].append(measure(name, app, env, path, args, args.port))
            bare = results["bare Flask"][-1]
            for name in list(results)[1:]:
                print(f"  ratio {name:<22} {results[name][-1] / bare:.2f}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print("median over rounds:")
    bare = statistics.median(results["bare Flask"])
    for name, rates in results.items():
        ratios = [rate / base for rate, base in zip(rates, results["bare Flask"], strict=True)]
        print(
            f"  {name:<28} {statistics.median(rates):9.0f} req/s  "
            f"ratio {statistics.median(ratios):.2f}"
            if name != "bare Flask"
            else f"  {name:<28} {bare:9.0f} req/s"
        )


if __name__ == "__main__":
    main()
