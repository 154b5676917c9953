"""Measure ingest against bare Flask under the production gunicorn settings.

Usage: .venv/bin/python bench/production.py [--postgres postgresql://… --redis redis://…]
           [--duration 10] [--rounds 1] [--connections 16] [--settings spec|all]
           [--tree LABEL=PATH …]

The default, `--settings spec`, is SPEC's budget: Touchpoint as `touchpoint serve --workers 2`
starts it (`gunicorn --config python:server.gunicorn_conf --workers 2`: gthread, 4 threads,
the JSON access log) against bench/bare_app.py under the same configuration file with 2 sync
workers. `--settings all` adds alternatives that serve both apps with the same workers,
threads and worker class. Touchpoint runs on SQLite (WAL, a temporary file) and, when a URL is
given, on PostgreSQL with Redis-backed rate limits (on SQLite the limits are in memory, so
two workers start with gunicorn's warning that each counts alone: the benchmark's limit is
far above its load either way). Both apps are driven by `wrk`
(bench/post_response.lua: a valid response, a fresh event_id per request); every non-2xx
answer or socket error counts as a failure and is left out of the rate. The machine is shared:
compare ratios taken side by side in one round, not absolute figures across runs.
`--tree LABEL=PATH` also serves Touchpoint from another source tree in the same rounds (see
bench/ingest.py).
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ingest import (
    BARE,
    ROOT,
    Target,
    free_port,
    load_average,
    process_tree_cpu,
    run_wrk,
    touchpoint_targets,
    tree_env,
    wait_until_answering,
)


@dataclass(frozen=True)
class Setting:
    """Gunicorn arguments and environment for the bare app and for Touchpoint."""

    label: str
    bare: tuple[list[str], dict]
    touchpoint: tuple[list[str], dict]


def same_for_both(label: str, arguments: list[str], env: dict) -> Setting:
    """Return a setting that serves both apps alike."""
    return Setting(label, (arguments, env), (arguments, env))


SYNC_2 = (["--worker-class", "sync", "--workers", "2", "--threads", "1"], {})
#: SPEC's budget: `touchpoint serve --workers 2` against bare Flask under 2 sync workers.
SPEC = Setting("SPEC: gthread 2w x 4t vs bare sync 2w", SYNC_2, (["--workers", "2"], {}))
ALTERNATIVES = [
    same_for_both("gthread 2w x 4t, both", ["--workers", "2"], {}),
    same_for_both("gthread 4w x 4t, both", ["--workers", "4"], {}),
    same_for_both("gthread 4w x 1t, both", ["--workers", "4", "--threads", "1"], {}),
    same_for_both("sync 2w, both", *SYNC_2),
]


def serve_and_measure(
    target: Target, served: tuple[list[str], dict], args
) -> tuple[float, float, int]:
    """Serve `target` under the production configuration, measure it with wrk.

    Return requests/s counting only 2xx answers, the server's CPU µs per request and the
    number of failed requests.
    """
    arguments, env = served
    log = args.workdir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:server.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{args.port}",
        *arguments,
        target.app,
    ]
    with log.open("w") as log_file:
        server = subprocess.Popen(
            command, env={**target.env, **env}, cwd=target.tree, stdout=log_file, stderr=log_file
        )
        try:
            wait_until_answering(args.port, target.path, server)
            run_wrk(args.port, target.path, 2, args.connections)
            cpu_before = process_tree_cpu(server.pid)
            rate, requests, failures = run_wrk(
                args.port, target.path, args.duration, args.connections
            )
            cpu = (process_tree_cpu(server.pid) - cpu_before) / max(requests, 1) * 1e6
        finally:
            server.terminate()
            server.wait(timeout=60)
    if not requests:
        raise SystemExit(f"no request was answered:\n{log.read_text()[-3000:]}")
    return rate * (requests - failures) / requests, cpu, failures


def main() -> None:
    """Measure every setting and print requests/s and the ingest/bare ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="postgresql://… the bench may fill")
    parser.add_argument("--redis", help="redis://… for the rate-limit storage on PostgreSQL")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--settings", choices=["spec", "all"], default="spec")
    parser.add_argument(
        "--tree", action="append", default=[], help="LABEL=PATH of another source tree to serve"
    )
    parser.add_argument("--port", type=int, default=free_port(8250, 8299))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    args.workdir = Path(tempfile.mkdtemp(prefix="touchpoint-prodbench-"))
    settings = [SPEC] + (ALTERNATIVES if args.settings == "all" else [])
    ratios: dict[tuple[str, str], list[float]] = {}
    cpu_ratios: dict[tuple[str, str], list[float]] = {}
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s", flush=True)
    try:
        bare = Target(BARE, "bench.bare_app:app", tree_env(ROOT))
        products = touchpoint_targets(args, args.workdir, {"TOUCHPOINT_ENV": "production"})
        for number in range(1, args.rounds + 1):
            print(f"round {number}, load average {load_average()}", flush=True)
            for setting in settings:
                rates, cpu, failures = {}, {}, {}
                # Every other round runs in reverse order (see bench/ingest.py).
                order = [bare, *products] if number % 2 else [*reversed(products), bare]
                for target in order:
                    served = setting.bare if target is bare else setting.touchpoint
                    measured = serve_and_measure(target, served, args)
                    rates[target.name], cpu[target.name], failures[target.name] = measured
                print(
                    f"  {setting.label}: bare {rates[BARE]:7.0f} req/s"
                    f" {cpu[BARE]:6.0f} µs CPU/request",
                    flush=True,
                )
                for target in products:
                    key = (setting.label, target.name)
                    ratio = rates[target.name] / rates[BARE]
                    ratios.setdefault(key, []).append(ratio)
                    cpu_ratios.setdefault(key, []).append(cpu[BARE] / cpu[target.name])
                    print(
                        f"    {target.name:<36} {rates[target.name]:7.0f} req/s"
                        f" {cpu[target.name]:6.0f} µs CPU/request   ratio {ratio:.2f}"
                        f"   (failures: {failures[BARE]} bare, {failures[target.name]} ingest)",
                        flush=True,
                    )
    finally:
        shutil.rmtree(args.workdir, ignore_errors=True)
    print("median over rounds (CPU ratio: bare's server CPU per request / Touchpoint's):")
    for (label, name), values in ratios.items():
        rounds = ", ".join(f"{value:.2f}" for value in values)
        print(
            f"  {label:<40} {name:<36} ratio {statistics.median(values):.2f}"
            f"  CPU ratio {statistics.median(cpu_ratios[label, name]):.2f}  (rounds: {rounds})"
        )


if __name__ == "__main__":
    main()
