"""Time `site_stats` for every group_by against hand-written SQL giving the same numbers.

    python bench/stats.py --database sqlite:////tmp/tp-bench.db [--best-index]
    python bench/stats.py --database postgresql://postgres@127.0.0.1:5432/tp_bench
    python bench/stats.py --database … --tz Europe/Amsterdam --group-by day week month

Seed first with bench/seed.py. After one untimed warm-up round, both sides run alternately
in the same process against the same rows and window (every row of the metric), and the
median of each is compared; the numbers of both are checked to agree. `--best-index` first
adds an index that covers the hand-written queries (it stays; drop `bench_stats_covering`
to undo).

With `--tz`, buckets are cut in that zone: the hand-written SQL is PostgreSQL's `AT TIME ZONE`,
and on SQLite (which knows no zones) a CASE over the UTC instants where the zone's offset
changes within the rows' years, shifting each span by its offset.
"""

import argparse
import os
import statistics
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text

from server import create_app
from server.extensions import db
from server.insight.score_summary import METRIC_PARTS
from server.insight.stats import GROUP_BYS, site_stats
from server.insight.zones import offset_spans
from server.models import Response, Site

BUDGET = 1.5
WINDOW = {"start": datetime(2000, 1, 1, tzinfo=UTC), "end": datetime(2100, 1, 1, tzinfo=UTC)}

SQLITE_KEYS = {
    "phase": "coalesce(phase, 'unknown')",
    "page": "page_path",
    "device": "device",
    "locale": "locale",
    "day": "substr(received_at, 1, 10)",
    "week": "date(substr(received_at, 1, 10), '-6 days', 'weekday 1')",
    "month": "substr(received_at, 1, 7)",
}
POSTGRES_KEYS = {
    "phase": "coalesce(phase, 'unknown')",
    "page": "page_path",
    "device": "device",
    "locale": "locale",
    "day": "to_char(date_trunc('day', received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
    "week": "to_char(date_trunc('week', received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
    "month": "to_char(date_trunc('month', received_at AT TIME ZONE 'UTC'), 'YYYY-MM')",
}
COVERING_INDEX = {
    "sqlite": "CREATE INDEX IF NOT EXISTS bench_stats_covering ON responses "
    "(site_id, metric, received_at, score, phase, device, locale, page_path)",
    "postgresql": "CREATE INDEX IF NOT EXISTS bench_stats_covering ON responses "
    "(site_id, metric, received_at) INCLUDE (score, phase, device, locale, page_path)",
}


def zoned_keys(dialect: str, zone: str, spans: list) -> dict:
    """Return the time-bucket keys cut in `zone`; SQLite shifts each span by its offset."""
    if dialect == "postgresql":
        return {
            group_by: key.replace("'UTC'", f"'{zone}'") for group_by, key in POSTGRES_KEYS.items()
        }
    shifts = [f"datetime(substr(received_at, 1, 19), '{offset:+d} seconds')" for _, offset in spans]
    whens = "".join(
        f"WHEN received_at < '{begin:%Y-%m-%d %H:%M:%S.%f}' THEN {shift} "
        for (begin, _), shift in zip(spans[1:], shifts, strict=False)
    )
    local = f"CASE {whens}ELSE {shifts[-1]} END" if whens else shifts[0]
    return {
        group_by: key.replace("received_at", f"({local})")
        if group_by in ("day", "week", "month")
        else key
        for group_by, key in SQLITE_KEYS.items()
    }


def hand_written_sql(dialect: str, metric: str, group_by: str, keys: dict | None = None) -> str:
    """Return the SQL an engineer would write by hand for the same sums."""
    parts = []
    for low, high in METRIC_PARTS[metric].values():
        condition = f"score BETWEEN {low} AND {high}"
        parts.append(
            f"count(*) FILTER (WHERE {condition})"
            if dialect == "postgresql"
            else f"sum({condition})"
        )
    marker = "%s" if dialect == "postgresql" else "?"
    keys = keys or (POSTGRES_KEYS if dialect == "postgresql" else SQLITE_KEYS)
    key = "NULL" if group_by == "none" else keys[group_by]
    return (
        f"SELECT {key} AS key, count(*), sum(score), sum(score * score), {', '.join(parts)} "
        f"FROM responses WHERE site_id = {marker} AND metric = {marker} "
        f"AND received_at >= {marker} AND received_at < {marker}"
        + ("" if group_by == "none" else " GROUP BY 1")
    )


def window_parameters(dialect: str) -> tuple:
    """Return the window as the driver must receive it for this database."""
    if dialect == "sqlite":
        return tuple(WINDOW[bound].strftime("%Y-%m-%d %H:%M:%S.%f") for bound in ("start", "end"))
    return WINDOW["start"], WINDOW["end"]


def run_hand_written(connection, statement: str, parameters: tuple) -> list:
    """Run the hand-written query and fetch every row."""
    cursor = connection.cursor()
    cursor.execute(statement, parameters)
    rows = cursor.fetchall()
    cursor.close()
    return rows


def main() -> None:
    """Time every group_by and print a table of medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--metric", default="nps", choices=sorted(METRIC_PARTS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--best-index", action="store_true")
    parser.add_argument("--tz", help="Cut time buckets in this IANA zone.")
    # group_by=theme is one filtered pass, not a GROUP BY: bench/moments.py times it.
    grouped = [group_by for group_by in GROUP_BYS if group_by != "theme"]
    parser.add_argument("--group-by", nargs="*", default=grouped, choices=grouped)
    args = parser.parse_args()

    os.environ["TOUCHPOINT_DATABASE_URL"] = args.database
    app = create_app({"SECRET_KEY": "bench"})
    with app.app_context():
        dialect = db.engine.dialect.name
        if args.best_index:
            with db.engine.begin() as connection:
                connection.execute(text(COVERING_INDEX[dialect]))
                connection.execute(text("ANALYZE responses"))
        site = db.session.scalar(select(Site).order_by(Site.id).limit(1))
        window = {**WINDOW, "tz": args.tz} if args.tz else WINDOW
        keys = None
        if args.tz:
            first, last = db.session.execute(
                select(func.min(Response.received_at), func.max(Response.received_at))
            ).one()
            keys = zoned_keys(dialect, args.tz, offset_spans(ZoneInfo(args.tz), first, last))
        raw = db.engine.raw_connection()
        parameters = (site.id, args.metric, *window_parameters(dialect))
        index = "covering index" if args.best_index else "model's indexes"
        zone = f", tz={args.tz}" if args.tz else ""
        print(f"{dialect}, metric={args.metric}{zone}, {index}, median of {args.repeat}")
        print(f"{'group_by':<9} {'groups':>6} {'rows':>8} {'product':>9} {'hand SQL':>9} ratio")
        worst = 0.0
        for group_by in args.group_by:
            statement = hand_written_sql(dialect, args.metric, group_by, keys)
            product_times, hand_times = [], []
            # One untimed round first, so neither side pays for a cold cache.
            site_stats(site, args.metric, group_by, window)
            run_hand_written(raw, statement, parameters)
            for _ in range(args.repeat):
                started = time.perf_counter()
                stats = site_stats(site, args.metric, group_by, window)
                product_times.append(time.perf_counter() - started)
                db.session.rollback()
                started = time.perf_counter()
                rows = run_hand_written(raw, statement, parameters)
                hand_times.append(time.perf_counter() - started)
                raw.rollback()
            check_same_numbers(stats, rows, group_by)
            product, hand = statistics.median(product_times), statistics.median(hand_times)
            worst = max(worst, product / hand)
            print(
                f"{group_by:<9} {len(stats['groups']):>6} {stats['overall']['count']:>8} "
                f"{product * 1000:>7.1f}ms {hand * 1000:>7.1f}ms {product / hand:.2f}"
            )
        raw.close()
        verdict = "within" if worst <= BUDGET else "OVER"
        print(f"worst ratio {worst:.2f} ({verdict} the {BUDGET}x budget)")


def check_same_numbers(stats: dict, rows: list, group_by: str) -> None:
    """Fail loudly when the product and the hand-written SQL disagree."""
    hand = {row[0]: tuple(int(value or 0) for value in row[1:]) for row in rows}
    if group_by == "none":
        product = {None: stats["overall"]}
    else:
        product = {group["key"]: group for group in stats["groups"]}
    assert set(hand) == set(product), f"{group_by}: groups differ"
    for key, sums in hand.items():
        summary = product[key]
        counted = (summary["count"], *(summary[name] for name in METRIC_PARTS[stats["metric"]]))
        assert counted == (sums[0], *sums[3:]), f"{group_by} {key}: {counted} != {sums}"


if __name__ == "__main__":
    main()
