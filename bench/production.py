"""Measure ingest on PostgreSQL + Redis against bare Flask under the production gunicorn settings.

Usage: .venv/bin/python bench/production.py --postgres postgresql://… --redis redis://…
           [--duration 10] [--rounds 1] [--connections 16]

For each gunicorn setting (the chosen one from server/gunicorn_conf.py, then alternatives),
runs bench/bare_app.py and then Touchpoint on PostgreSQL with Redis-backed rate limits, both
under `gunicorn --config python:server.gunicorn_conf` with the same workers, threads and
worker class, driven by `wrk` (bench/post_response.lua: a valid response, a fresh event_id per
request). Every non-2xx answer counts as a failure. The machine is shared: compare the ratios
within a setting, taken side by side, rather than absolute figures across runs.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.ingest import (
    ROOT,
    free_port,
    prepare_database,
    run_wrk,
    touchpoint_env,
    wait_until_answering,
)
from server.gunicorn_conf import usable_cores

CORES = usable_cores()

#: (label, extra gunicorn arguments, environment): the chosen setting first.
SETTINGS = [
    (f"gthread {CORES}w x 4t (chosen)", [], {}),
    (f"gthread {2 * CORES}w x 4t", [], {"TOUCHPOINT_WORKERS": str(2 * CORES)}),
    (
        f"gthread {2 * CORES}w x 1t",
        [],
        {"TOUCHPOINT_WORKERS": str(2 * CORES), "TOUCHPOINT_THREADS": "1"},
    ),
    (
        "sync 2w (SPEC reference)",
        ["--worker-class", "sync"],
        {"TOUCHPOINT_WORKERS": "2", "TOUCHPOINT_THREADS": "1"},
    ),
]


def serve_and_measure(app: str, env: dict, path: str, extra: list[str], args) -> tuple[float, int]:
    """Serve `app` under the production configuration, measure it with wrk.

    Return requests/s counting only 2xx answers, and the number of failed requests.
    """
    log = args.workdir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:server.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{args.port}",
        *extra,
        app,
    ]
    with log.open("w") as log_file:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log_file, stderr=log_file)
        try:
            wait_until_answering(args.port, path, server)
            run_wrk(args.port, path, 2, args.connections)
            rate, requests, failures = run_wrk(args.port, path, args.duration, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=60)
    if not requests:
        raise SystemExit(f"no request was answered:\n{log.read_text()[-3000:]}")
    return rate * (requests - failures) / requests, failures


def main() -> None:
    """Measure every setting and print requests/s and the ingest/bare ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="postgresql://… the bench may fill")
    parser.add_argument("--redis", required=True, help="redis://… for the rate-limit storage")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=free_port(8250, 8299))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    args.workdir = Path(tempfile.mkdtemp(prefix="touchpoint-prodbench-"))

    product_env = touchpoint_env(args.postgres, args.redis)
    product_env["TOUCHPOINT_ENV"] = "production"
    site_key = prepare_database(product_env)
    product_path = f"/api/v1/sites/{site_key}/responses"
    bare_env = dict(os.environ)
    ratios: dict[str, list[float]] = {label: [] for label, *_ in SETTINGS}
    print(f"{CORES} cores; wrk -t2 -c{args.connections} -d{args.duration}s", flush=True)
    try:
        for number in range(1, args.rounds + 1):
            print(f"round {number}", flush=True)
            for label, extra, settings in SETTINGS:
                bare, bare_failures = serve_and_measure(
                    "bench.bare_app:app",
                    {**bare_env, **settings},
                    "/api/v1/sites/pk_bare/responses",
                    extra,
                    args,
                )
                product, product_failures = serve_and_measure(
                    "server.wsgi:app", {**product_env, **settings}, product_path, extra, args
                )
                ratios[label].append(product / bare)
                print(
                    f"  {label:<28} bare {bare:7.0f} req/s   PostgreSQL+Redis {product:7.0f}"
                    f" req/s   ratio {product / bare:.2f}"
                    f"   (failures: {bare_failures} bare, {product_failures} ingest)",
                    flush=True,
                )
    finally:
        shutil.rmtree(args.workdir, ignore_errors=True)
    if args.rounds > 1:
        print("median ratio over rounds:")
        for label, values in ratios.items():
            print(f"  {label:<28} {statistics.median(values):.2f}")


if __name__ == "__main__":
    main()
