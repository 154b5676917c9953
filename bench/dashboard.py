"""Time the dashboard's site page against the sum of the queries it is built on.

    python bench/dashboard.py --database sqlite:////tmp/tp-dash.db --rows 1000000
    python bench/dashboard.py --database postgresql://postgres@127.0.0.1:5432/tp_dashboard_bench

Seeds the database (with bench/seed.py's rows) when it holds no site yet, then, in one
process and side by side, alternates two measurements for `--rounds` rounds: the GET of
`/admin/sites/<key>` through the WSGI app (session check, every query, SVG charts, template)
and each plain function the page calls, timed one by one and summed. Prints the medians and
their ratio; the budget is a ratio of at most 2.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed

from server import create_app
from server.auth.tokens import create_token
from server.extensions import db
from server.insight.filters import stats_window
from server.insight.listing import list_responses
from server.insight.moments import DEFAULT_MIN_COUNT, site_moments
from server.insight.overview import COMMENT_ROWS, trend_bucket
from server.insight.stats import site_stats
from server.models import METRICS, PHASES, Site
from server.sites.manage import create_site

BUDGET = 2.0


def seeded_site(app, database: str, rows: int, days: int) -> str:
    """Return the key of the database's site, seeding one with `rows` responses if none."""
    with app.app_context():
        upgrade()
        site = db.session.scalar(select(Site).order_by(Site.id))
        if site is not None:
            return site.key
        site = create_site("Bench shop", ["https://shop.example"])
        site_id, key = site.id, site.key
    started = time.perf_counter()
    generated = seed.responses(site_id, rows, 1, days)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        seed.seed_sqlite(uri.removeprefix("sqlite:///"), generated)
    else:
        seed.seed_postgres(database, generated)
    print(f"seeded {rows} responses in {time.perf_counter() - started:.1f} s")
    return key


def signed_in_client(app):
    """Return a test client holding a dashboard session."""
    with app.app_context():
        _, secret = create_token("bench")
    client = app.test_client()
    page = client.get("/admin/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/admin/sign-in", data={"token": secret, "csrf_token": csrf})
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed with {answer.status_code}")
    return client


def time_page(client, key: str) -> float:
    """Return the seconds one GET of the site page takes."""
    started = time.perf_counter()
    answer = client.get(f"/admin/sites/{key}")
    seconds = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"the site page answered {answer.status_code}")
    return seconds


def time_queries(app, key: str) -> float:
    """Return the summed seconds of every plain function the site page calls, each timed alone."""
    total = 0.0
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.key == key))
        start, end = stats_window({})
        filters = {"start": start, "end": end}
        bucket = trend_bucket(start, end)
        metric = site.widget.get("metric") or "csat"
        calls = [(site_stats, (site, other, bucket, filters)) for other in METRICS]
        calls += [
            (site_stats, (site, metric, "phase", filters)),
            (site_stats, (site, metric, "page", filters)),
            *(
                (site_stats, (site, metric, "theme", {**filters, "phase": phase}))
                for phase in PHASES
            ),
            (site_moments, (site, metric, "page", filters, DEFAULT_MIN_COUNT)),
            (
                list_responses,
                (site, {**filters, "metric": metric, "limit": COMMENT_ROWS}),
                {"with_comment": True},
            ),
        ]
        for function, arguments, *keywords in calls:
            started = time.perf_counter()
            function(*arguments, **(keywords[0] if keywords else {}))
            total += time.perf_counter() - started
        db.session.remove()
    return total


def main() -> None:
    """Seed if needed, then measure the page and its queries side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="sqlite:///path or postgresql://…")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365, help="spread rows over this many days")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    os.environ["TOUCHPOINT_DATABASE_URL"] = args.database
    app = create_app({"SECRET_KEY": "bench", "TOUCHPOINT_SIGN_IN_RATELIMIT": "1000/minute"})
    key = seeded_site(app, args.database, args.rows, args.days)
    client = signed_in_client(app)
    time_page(client, key)  # warm caches and the template once
    time_queries(app, key)
    pages, queries = [], []
    for _ in range(args.rounds):
        pages.append(time_page(client, key))
        queries.append(time_queries(app, key))
    page, query = statistics.median(pages), statistics.median(queries)
    ratio = page / query
    print(f"site page      median {page * 1000:8.1f} ms over {args.rounds} rounds")
    print(f"its queries    median {query * 1000:8.1f} ms (summed, each timed alone)")
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"ratio page / queries = {ratio:.2f} ({verdict} the budget of {BUDGET})")


if __name__ == "__main__":
    main()
