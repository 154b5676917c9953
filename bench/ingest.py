"""Measure ingest's requests/s against a bare Flask app under the same gunicorn settings.

Usage: .venv/bin/python bench/ingest.py [--duration 10] [--rounds 2]
           [--postgres postgresql://…] [--redis redis://…] [--tree LABEL=PATH …]

Each round runs the bare app, then Touchpoint on SQLite (WAL, in a temporary directory),
then Touchpoint on PostgreSQL when a URL is given (with Redis limiter storage when given),
one after the other (in reverse order every other round) on 127.0.0.1, driven by `wrk`
posting a valid response with a fresh event_id per request. Every non-2xx answer counts as
a failure. Ratios are taken within a round, since the machine is shared and absolute figures
drift.

`--alert-rules 3` also serves this tree on SQLite with three enabled `response` alert rules
that match none of the benchmark's responses (SPEC's ingest budget), beside the plain one.

`--tree before=/path/to/checkout` also serves Touchpoint from another source tree (say, an
older commit checked out elsewhere) in the same rounds, next to this tree's, so two versions
are compared side by side under the same load. Trees share the PostgreSQL database (their
migrations must agree); each gets its own site and its own SQLite file.
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "post_response.lua"
BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync", "--threads", "1"]
#: Far above any load wrk can offer here, so the limiter counts but never refuses.
UNREACHABLE_LIMIT = "100000000/minute"
BARE = "bare Flask"


@dataclass
class Target:
    """One server to measure: a WSGI app in a source tree, with its environment."""

    name: str
    app: str
    env: dict
    tree: Path = ROOT
    site_key: str = "pk_bare"
    rates: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def path(self) -> str:
        """Return the URL path submissions are posted to."""
        return f"/api/v1/sites/{self.site_key}/responses"


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


def tree_env(tree: Path) -> dict:
    """Return this process's environment with `tree` first on the import path."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")])),
    }


def touchpoint_env(database_url: str, redis_url: str | None, tree: Path = ROOT) -> dict:
    """Return the environment of a Touchpoint server for the benchmark."""
    env = tree_env(tree)
    env.update(
        TOUCHPOINT_DATABASE_URL=database_url,
        TOUCHPOINT_RATELIMIT=UNREACHABLE_LIMIT,
        TOUCHPOINT_RATELIMIT_STORAGE_URI=redis_url or "memory://",
        TOUCHPOINT_SECRET_KEY="benchmark",
    )
    return env


#: Response alert rules that no benchmark response (csat, /checkout…) matches.
NON_MATCHING_RULES = (
    "    from server.alerts.rules import create_rule\n"
    "    for number, wanted in enumerate(({'metric': 'nps', 'max_score': 6},\n"
    "            {'path': '/never'}, {'phase': 'loyalty', 'themes': ['waiting']})):\n"
    "        create_rule(site, name=f'rule {number}', on='response', channel='email',\n"
    "            target='team@shop.example', filter=wanted)\n"
)


def prepare_database(env: dict, tree: Path = ROOT, name: str = "Bench", rules: str = "") -> str:
    """Migrate the database, empty the responses and create a site for the benchmark.

    `rules` is Python run with the new `site` bound (say, adding alert rules to it).
    """
    script = (
        "from server import create_app\n"
        "from server.extensions import db\n"
        "try:\n"
        "    from server.sites.manage import create_site\n"
        "except ImportError:  # a tree from before the server was arranged in parts\n"
        "    from server.sites import create_site\n"
        "from sqlalchemy import text\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    db.session.execute(text('DELETE FROM responses'))\n"
        "    db.session.commit()\n"
        f"    site = create_site({name!r}, ['https://shop.example'], keep_query_params=['step'],\n"
        "        phase_rules=[{'match': '/checkout*', 'phase': 'conversion'}])\n"
        + rules
        + "    print(site.key)\n"
    )
    subprocess.run(
        [str(BIN / "touchpoint"), "db", "upgrade"],
        env=env,
        check=True,
        cwd=tree,
        capture_output=True,
    )
    done = subprocess.run(
        [str(BIN / "python"), "-c", script],
        env=env,
        check=True,
        cwd=tree,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def load_average() -> str:
    """Return the machine's load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def process_tree_cpu(pid: int) -> float:
    """Return the CPU seconds (user + system) used so far by process `pid` and its children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        # After the command name: state, ppid, …; utime and stime are fields 14 and 15.
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / tick


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


def measure(target: Target, args) -> float:
    """Start gunicorn serving `target`, warm it up, measure it, stop it; return requests/s.

    Also keep the server's CPU time per request (its workers' user + system time over the
    run): less at the mercy of other processes on a shared machine than requests/s.
    """
    log = args.workdir / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{args.port}", target.app],
            env=target.env,
            cwd=target.tree,
            stdout=log_file,
            stderr=subprocess.STDOUT,
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
            server.wait(timeout=30)
    if failures or not requests:
        print(log.read_text()[-3000:], file=sys.stderr)
        raise SystemExit(f"{target.name}: {failures} of {requests} requests failed")
    target.cpu.append(cpu)
    print(
        f"  {target.name:<36} {rate:9.0f} req/s  {cpu:6.0f} µs CPU/request"
        f"  ({requests} requests, 0 failures)",
        flush=True,
    )
    return rate


def trees(specs: list[str]) -> list[tuple[str, Path]]:
    """Return (label, path) of this tree and of every `--tree LABEL=PATH`."""
    found = [("", ROOT)]
    for spec in specs:
        label, _, path = spec.partition("=")
        if not path:
            raise SystemExit(f"--tree wants LABEL=PATH, not {spec!r}")
        found.append((f"{label}: ", Path(path).resolve()))
    return found


def touchpoint_targets(args, workdir: Path, env_extra: dict | None = None) -> list[Target]:
    """Return Touchpoint on SQLite (and on PostgreSQL when asked), per database every tree.

    The trees of one database follow each other, so their figures are taken closest in time.
    """
    databases = [("SQLite WAL", None, None)]
    if args.postgres:
        databases.append(
            (f"PostgreSQL+{'Redis' if args.redis else 'memory'}", args.postgres, args.redis)
        )
    targets = []
    for kind, url, redis in databases:
        for number, (label, tree) in enumerate(trees(args.tree)):
            database = url or f"sqlite:///{workdir / f'bench-{number}.db'}"
            env = {**touchpoint_env(database, redis, tree), **(env_extra or {})}
            target = Target(f"{label}Touchpoint, {kind}", "server.wsgi:app", env, tree)
            target.site_key = prepare_database(env, tree, f"Bench {label or 'this tree'}")
            targets.append(target)
    if args.alert_rules:
        database = f"sqlite:///{workdir / 'bench-rules.db'}"
        env = {**touchpoint_env(database, None), **(env_extra or {})}
        target = Target("Touchpoint, SQLite WAL, 3 alert rules", "server.wsgi:app", env)
        target.site_key = prepare_database(env, ROOT, "Bench with rules", NON_MATCHING_RULES)
        targets.append(target)
    return targets


def medians(targets: list[Target]) -> None:
    """Print each target's median requests/s and median ratio to the bare app."""
    bare = next(target for target in targets if target.name == BARE)
    print("median over rounds (CPU ratio: the bare app's server CPU per request / this one's):")
    for target in targets:
        rate, cpu = statistics.median(target.rates), statistics.median(target.cpu)
        if target is bare:
            print(f"  {target.name:<36} {rate:9.0f} req/s  {cpu:6.0f} µs CPU/request")
            continue
        ratios = [rate / base for rate, base in zip(target.rates, bare.rates, strict=True)]
        print(
            f"  {target.name:<36} {rate:9.0f} req/s  {cpu:6.0f} µs CPU/request  "
            f"ratio {statistics.median(ratios):.2f}  CPU ratio "
            f"{statistics.median(bare.cpu) / cpu:.2f}  (ratios by round: "
            + ", ".join(f"{ratio:.2f}" for ratio in ratios)
            + ")"
        )


def main() -> None:
    """Run the rounds and print each figure and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--postgres", help="postgresql://… of a database the benchmark may fill")
    parser.add_argument("--redis", help="redis://… for the limiter when on PostgreSQL")
    parser.add_argument(
        "--tree", action="append", default=[], help="LABEL=PATH of another source tree to serve"
    )
    parser.add_argument(
        "--alert-rules",
        action="store_true",
        help="also serve SQLite with three response alert rules that match nothing",
    )
    parser.add_argument("--port", type=int, default=free_port(8300, 8349))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    workdir = args.workdir = Path(tempfile.mkdtemp(prefix="touchpoint-bench-"))
    try:
        targets = [Target(BARE, "bench.bare_app:app", tree_env(ROOT))]
        targets += touchpoint_targets(args, workdir)
        bare = targets[0]
        for number in range(1, args.rounds + 1):
            print(
                f"round {number}: wrk -t2 -c{args.connections} -d{args.duration}s, "
                f"load average {load_average()}",
                flush=True,
            )
            # Every other round runs in reverse order, so a load that drifts during a round
            # favours neither the bare app nor Touchpoint over the whole run.
            for target in targets if number % 2 else reversed(targets):
                target.rates.append(measure(target, args))
            for target in targets[1:]:
                ratio = target.rates[-1] / bare.rates[-1]
                print(f"  ratio {target.name:<30} {ratio:.2f}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    medians(targets)


if __name__ == "__main__":
    main()
