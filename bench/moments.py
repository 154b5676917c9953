"""Time `site_moments` against the grouped stats query it is built on, and stats by theme.

    python bench/moments.py --database sqlite:////tmp/tp-bench.db
    python bench/moments.py --database postgresql://postgres@127.0.0.1:5432/tp_bench

Seed first with bench/seed.py (which tags each comment's themes as ingest does); the seeded
scores are random, so `--plant N` first gives the N busiest pages the lowest score of the
metric (changing the database), so that moments and their comments are found. Each pair
runs alternately in the same process against the same rows and window (every row of the
metric), and the medians are compared:

- moments (`by` page and phase) against `site_stats` grouped the same way: the budget is 2x;
- `site_stats(group_by="theme")` against the hand-written one-pass SQL giving the same
  numbers (one filtered aggregate per theme): the stats budget is 1.5x.
"""

import argparse
import os
import statistics
import time

from sqlalchemy import func, select, update
from stats import WINDOW, run_hand_written, window_parameters

from server import create_app
from server.extensions import db
from server.insight.moments import site_moments
from server.insight.score_summary import METRIC_PARTS
from server.insight.stats import site_stats
from server.insight.themes import THEME_BITS, THEMES
from server.models import SCORE_RANGES, Response, Site

MOMENTS_BUDGET = 2.0
STATS_BUDGET = 1.5


def timed(function, *args) -> tuple[float, object]:
    """Return the seconds `function(*args)` took and its result."""
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def median_pair(repeat: int, product, reference) -> tuple[float, float, object, object]:
    """Run both callables `repeat` times, alternating; return their medians and last results."""
    product_times, reference_times = [], []
    for _ in range(repeat):
        seconds, product_result = timed(product)
        product_times.append(seconds)
        db.session.rollback()
        seconds, reference_result = timed(reference)
        reference_times.append(seconds)
        db.session.rollback()
    return (
        statistics.median(product_times),
        statistics.median(reference_times),
        product_result,
        reference_result,
    )


def hand_written_theme_sql(dialect: str, metric: str) -> str:
    """Return the one-pass SQL an engineer would write for the per-theme sums."""
    marker = "%s" if dialect == "postgresql" else "?"
    # The overall summary needs its own sums; then the same sums per theme.
    columns = ["count(*)", "sum(score)", "sum(score * score)"]
    for low, high in METRIC_PARTS[metric].values():
        columns.append(f"count(*) FILTER (WHERE score BETWEEN {low} AND {high})")
    for theme in THEMES:
        # A response's themes are its comment's and its visitor's (`reasons`) together.
        bit = THEME_BITS[theme]
        where = f"(themes | reasons) & {bit} <> 0"
        columns += [
            f"count(*) FILTER (WHERE {where})",
            f"sum(score) FILTER (WHERE {where})",
            f"sum(score * score) FILTER (WHERE {where})",
        ]
        for low, high in METRIC_PARTS[metric].values():
            columns.append(f"count(*) FILTER (WHERE {where} AND score BETWEEN {low} AND {high})")
        columns += [
            f"count(*) FILTER (WHERE reasons & {bit} <> 0)",
            f"count(*) FILTER (WHERE themes & {bit} <> 0)",
        ]
    return (
        f"SELECT {', '.join(columns)} FROM responses WHERE site_id = {marker} "
        f"AND metric = {marker} AND received_at >= {marker} AND received_at < {marker}"
    )


def check_theme_numbers(stats: dict, row: tuple, metric: str) -> None:
    """Fail loudly when the product and the hand-written SQL disagree."""
    width = 3 + len(METRIC_PARTS[metric])
    count, _, _, *parts = (int(value or 0) for value in row[:width])
    assert stats["overall"]["count"] == count
    assert [stats["overall"][name] for name in METRIC_PARTS[metric]] == parts
    groups = {group["key"]: group for group in stats["groups"]}
    # Per theme: the sums, then the reported and the detected counts.
    for index, theme in enumerate(THEMES):
        start = width + index * (width + 2)
        values = [int(value or 0) for value in row[start : start + width + 2]]
        (count, _, _, *parts), origins = values[:width], values[width:]
        if count == 0:
            assert theme not in groups
            continue
        assert groups[theme]["count"] == count
        assert [groups[theme][name] for name in METRIC_PARTS[metric]] == parts
        assert [groups[theme]["reported"], groups[theme]["detected"]] == origins


def plant_despair(site, metric: str, pages: int) -> None:
    """Give the `pages` busiest pages of `metric` its lowest score, so they become moments."""
    count = func.count().label("count")
    busiest = db.session.scalars(
        select(Response.page_path)
        .where(Response.site_id == site.id, Response.metric == metric)
        .group_by(Response.page_path)
        .order_by(count.desc(), Response.page_path)
        .limit(pages)
    ).all()
    db.session.execute(
        update(Response)
        .where(
            Response.site_id == site.id,
            Response.metric == metric,
            Response.page_path.in_(busiest),
        )
        .values(score=SCORE_RANGES[metric][0])
    )
    db.session.commit()


def main() -> None:
    """Print the medians and ratios of moments and of stats by theme."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--metric", default="csat", choices=sorted(METRIC_PARTS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=30)
    parser.add_argument("--plant", type=int, default=0, metavar="N", help="pages to make bad")
    args = parser.parse_args()

    os.environ["TOUCHPOINT_DATABASE_URL"] = args.database
    app = create_app({"SECRET_KEY": "bench"})
    with app.app_context():
        dialect = db.engine.dialect.name
        site = db.session.scalar(select(Site).order_by(Site.id).limit(1))
        if args.plant:
            plant_despair(site, args.metric, args.plant)
        print(f"{dialect}, metric={args.metric}, median of {args.repeat}, side by side")
        print(f"{'what':<22} {'groups':>6} {'found':>5} {'product':>9} {'reference':>9} ratio")
        for by in ("page", "phase"):
            moments_time, stats_time, moments, stats = median_pair(
                args.repeat,
                lambda by=by: site_moments(site, args.metric, by, WINDOW, args.min_count),
                lambda by=by: site_stats(site, args.metric, by, WINDOW),
            )
            assert moments["baseline"] == stats["overall"]
            ratio = moments_time / stats_time
            verdict = "ok" if ratio <= MOMENTS_BUDGET else "OVER"
            print(
                f"{'moments by ' + by:<22} {len(stats['groups']):>6} {len(moments['moments']):>5}"
                f" {moments_time * 1000:>7.1f}ms {stats_time * 1000:>7.1f}ms {ratio:.2f} {verdict}"
            )

        raw = db.engine.raw_connection()
        statement = hand_written_theme_sql(dialect, args.metric)
        parameters = (site.id, args.metric, *window_parameters(dialect))

        def hand_written():
            rows = run_hand_written(raw, statement, parameters)
            raw.rollback()
            return rows

        product_time, hand_time, stats, row = median_pair(
            args.repeat, lambda: site_stats(site, args.metric, "theme", WINDOW), hand_written
        )
        raw.close()
        check_theme_numbers(stats, row[0], args.metric)
        ratio = product_time / hand_time
        verdict = "ok" if ratio <= STATS_BUDGET else "OVER"
        print(
            f"{'stats group_by=theme':<22} {len(stats['groups']):>6} {'':>5}"
            f" {product_time * 1000:>7.1f}ms {hand_time * 1000:>7.1f}ms {ratio:.2f} {verdict}"
        )


if __name__ == "__main__":
    main()
