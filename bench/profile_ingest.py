"""Profile ingest in-process: CPU time per request next to the bare app, and where it goes.

Usage: .venv/bin/python bench/profile_ingest.py [--requests 3000] [--database URL]
           [--redis redis://…] [--top 25] [--ablate]

`--ablate` instead measures Touchpoint with and without the insert itself, and the bare app,
the minimum of three runs each, to show what the insert costs.

Requests are prebuilt WSGI environs fed straight to each app, so the figures leave out the
HTTP server (the same for both apps under gunicorn). CPU time (`time.process_time`) rather
than wall time keeps the comparison meaningful on a busy, shared machine.
"""

import argparse
import cProfile
import itertools
import json
import pstats
import sys
import tempfile
import time
import timeit
import uuid
from pathlib import Path
from types import SimpleNamespace

from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

import server.ingest.record
from bench.bare_app import app as bare_app
from server import create_app
from server.extensions import db
from server.ingest.store import Outcome
from server.ratelimit import RateLimit, parse_limits
from server.schemas.ingest import load_response
from server.sites.manage import create_site

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def submission() -> bytes:
    """Return the benchmark's submission with a fresh event_id."""
    return json.dumps(
        {
            "metric": "csat",
            "score": 4,
            "comment": "Checkout was quick",
            "hp": "",
            "page": {
                "url": "https://shop.example/checkout/pay?step=2&utm_source=mail",
                "title": "Pay",
                "referrer": "https://www.google.com/",
            },
            "locale": "nl-NL",
            "tags": {"plan": "pro"},
            "event_id": str(uuid.uuid4()),
        }
    ).encode()


def environs(path: str, count: int) -> list[dict]:
    """Return `count` WSGI environs posting a submission to `path`."""
    headers = {
        "Content-Type": "text/plain",
        "Origin": "https://shop.example",
        "User-Agent": USER_AGENT,
    }
    return [
        EnvironBuilder(path=path, method="POST", data=submission(), headers=headers).get_environ()
        for _ in range(count)
    ]


def cpu_per_request(app, requests: list[dict]) -> float:
    """Run the requests through `app`; return CPU microseconds per request."""

    def start_response(status, headers, exc_info=None):
        if not status.startswith("20"):
            raise RuntimeError(f"unexpected answer {status}")

    started = time.process_time()
    for environ in requests:
        b"".join(app(environ, start_response))
    return (time.process_time() - started) / len(requests) * 1e6


def build_app(args, workdir: Path):
    """Create Touchpoint with one site; return the app and the site's responses path."""
    config = {
        "SECRET_KEY": "profile",
        "SQLALCHEMY_DATABASE_URI": args.database or f"sqlite:///{workdir / 'profile.db'}",
        "RATELIMIT_STORAGE_URI": args.redis or "memory://",
        "TOUCHPOINT_RATELIMIT": "100000000/minute",
    }
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        key = create_site("Profile", ["https://shop.example"], keep_query_params=["step"]).key
        db.session.remove()
    return app, f"/api/v1/sites/{key}/responses"


def ablate(args, workdir: Path) -> None:
    """Print CPU µs per request with parts of the request taken out, minimum of 3 runs."""
    store = server.ingest.record.store_response
    variants = [(), ("insert",)]
    results: dict[str, list[float]] = {}
    for _, variant in itertools.product(range(3), [*variants, "bare"]):
        if variant == "bare":
            requests = environs("/api/v1/sites/pk_bare/responses", 200 + args.requests)
            cpu_per_request(bare_app, requests[:200])
            results.setdefault("bare Flask", []).append(cpu_per_request(bare_app, requests[200:]))
            continue
        app, path = build_app(args, Path(tempfile.mkdtemp(dir=workdir)))
        server.ingest.record.store_response = (
            (lambda site_id, fields: Outcome(1, False, None)) if "insert" in variant else store
        )
        requests = environs(path, 200 + args.requests)
        cpu_per_request(app, requests[:200])
        name = "Touchpoint" + "".join(f" without {part}" for part in variant)
        results.setdefault(name, []).append(cpu_per_request(app, requests[200:]))
    server.ingest.record.store_response = store
    for name, figures in results.items():
        print(f"{name:<60} {min(figures):6.0f} µs CPU per request")


def time_parts() -> None:
    """Print the µs of ingest's own steps on the benchmark's payload (timeit, best of 3)."""
    body = submission()
    payload = json.loads(body)
    site = SimpleNamespace(keep_query_params=frozenset({"step"}), collect_email=False)
    limit = RateLimit(
        FixedWindowRateLimiter(MemoryStorage()),
        parse_limits("20000000/minute;200000000/day"),
        "ingest",
    )
    parts = {
        "json.loads": lambda: json.loads(body),
        "load_response (schema)": lambda: load_response(site, payload),
        "rate limit, two limits, memory": lambda: limit.hit("192.0.2.1", "pk_x"),
    }
    for name, call in parts.items():
        best = min(timeit.repeat(call, number=5000, repeat=3)) / 5000
        print(f"{name:<32} {best * 1e6:6.1f} µs")


def main() -> None:
    """Measure both apps, then profile Touchpoint (or run the ablation)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database", help="SQLAlchemy URL; default: a temporary SQLite file")
    parser.add_argument("--redis", help="redis://… for the limiter; default: memory")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--ablate", action="store_true", help="measure parts taken out")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="touchpoint-profile-"))
    if args.ablate:
        ablate(args, workdir)
        return
    app, path = build_app(args, workdir)
    warm = 200
    bare_requests = environs(path, warm + args.requests)
    ingest_requests = environs(path, warm + 2 * args.requests)
    cpu_per_request(bare_app, bare_requests[:warm])
    cpu_per_request(app, ingest_requests[:warm])
    bare = cpu_per_request(bare_app, bare_requests[warm:])
    ingest = cpu_per_request(app, ingest_requests[warm : warm + args.requests])
    print(f"bare Flask   {bare:8.0f} µs CPU per request")
    print(
        f"Touchpoint   {ingest:8.0f} µs CPU per request ({app.config['SQLALCHEMY_DATABASE_URI']})"
    )
    print(f"bare / Touchpoint: {bare / ingest:.2f} (the app's share only, no HTTP server)")
    time_parts()

    profile = cProfile.Profile(time.process_time)
    profile.enable()
    cpu_per_request(app, ingest_requests[warm + args.requests :])
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
