"""Aggregate a site's responses into scores with 95 % intervals, overall and per group.

The database only sums integers (COUNT, SUM(score), SUM(score²) and one COUNT(*) FILTER (…)
per part); every score, mean and interval is computed from those exact sums
(`score_summary`), so SQLite and PostgreSQL give identical numbers.
"""

from sqlalchemy import and_, case, func, select

from ..extensions import db
from ..models import Response
from .filters import (
    UNKNOWN_PHASE,
    constant,
    has_detected_theme,
    has_reported_theme,
    has_theme,
    in_reporting_zone,
    iso_utc,
    report_conditions,
)
from .score_summary import METRIC_PARTS, Aggregates, empty_aggregates, read_aggregates, summarize
from .themes import THEMES
from .zones import UTC_BUCKETS, Buckets, sqlite_local_time, time_buckets

TIME_BUCKETS = ("day", "week", "month")
GROUP_BYS = ("none", "phase", "page", "day", "week", "month", "device", "locale", "theme")

#: Groupings with as many groups as visitors care to make: only the largest are listed.
LIMITED_GROUP_BYS = ("page", "locale")
DEFAULT_GROUP_LIMIT = 100
MAX_GROUP_LIMIT = 1000
#: The key of the group that sums every group beyond the limit (no path or locale tag).
OTHER_KEY = "_other"

# How each database truncates a UTC timestamp to its bucket. SQLite stores naive UTC text
# `YYYY-MM-DD HH:MM:SS.ffffff`; going back 6 days then forward to the next Monday lands on
# the ISO week's Monday. Only the date is handed to `date()`, which keeps milliseconds and
# would round 23:59:59.9995 up into the next day.
SQLITE_BUCKETS = {
    "day": lambda column: func.substr(column, constant(1), constant(10)),
    "week": lambda column: func.date(
        func.substr(column, constant(1), constant(10)), constant("-6 days"), constant("weekday 1")
    ),
    "month": lambda column: func.substr(column, constant(1), constant(7)),
}
POSTGRES_BUCKET_FORMATS = {"day": "YYYY-MM-DD", "week": "YYYY-MM-DD", "month": "YYYY-MM"}


def restricted(aggregate, *conditions):
    """Return `aggregate` over just the rows meeting every given condition (None: any row)."""
    kept = [condition for condition in conditions if condition is not None]
    return aggregate.filter(and_(*kept)) if kept else aggregate


def aggregate_columns(metric: str, only=None, prefix: str = "") -> list:
    """Return the labelled SQL aggregates `read_aggregates` expects, in order.

    With `only`, every aggregate covers just the rows meeting it, so one scan can sum
    overlapping sets of rows (a response has any number of themes).
    """
    columns = [
        restricted(func.count(), only).label(prefix + "count"),
        restricted(func.sum(Response.score), only).label(prefix + "total"),
        restricted(func.sum(Response.score * Response.score), only).label(prefix + "squares"),
    ]
    for name, (low, high) in METRIC_PARTS[metric].items():
        within = Response.score.between(constant(low), constant(high))
        columns.append(restricted(func.count(), only, within).label(prefix + name))
    return columns


def group_key(group_by: str, dialect: str, buckets: Buckets = UTC_BUCKETS):
    """Return the SQL expression whose value names a response's group.

    Time buckets are cut in the reporting zone; with UTC the expressions are the plain UTC
    ones (PostgreSQL reads the zone itself, SQLite shifts by the zone's offsets).
    """
    if group_by == "phase":
        return func.coalesce(Response.phase, constant(UNKNOWN_PHASE))
    if group_by == "page":
        return Response.page_path
    if group_by == "device":
        return Response.device
    if group_by == "locale":
        return Response.locale
    if dialect == "sqlite":
        utc = buckets.zone.key == "UTC"
        local = Response.received_at if utc else sqlite_local_time(buckets)
        return SQLITE_BUCKETS[group_by](local)
    # The zone's name was checked against the zone database (`schemas.fields.TimeZone`).
    local = func.timezone(constant(buckets.zone.key), Response.received_at)
    return func.to_char(
        func.date_trunc(constant(group_by), local), constant(POSTGRES_BUCKET_FORMATS[group_by])
    )


def group_order(group_by: str):
    """Return the sort key of groups: time buckets oldest first, others largest first."""
    if group_by in TIME_BUCKETS:
        return lambda group: group["key"]
    # Missing devices and locales (key None) come after named ones of the same size.
    return lambda group: (-group["count"], group["key"] is None, group["key"] or "")


def largest_first(key, dialect: str) -> list:
    """Return the ORDER BY of groups by size, largest first, ties by key, missing keys last."""
    # PostgreSQL's "C" collation orders by code point, as SQLite and Python do.
    by_code_point = key.collate("C") if dialect == "postgresql" else key
    return [func.count().desc(), key.is_(None), by_code_point]


def limited_groups(query, columns: list, key, dialect: str, limit: int):
    """Return `query`'s groups with those beyond the `limit` largest summed into one.

    One statement, so the kept groups and the rest come from the same snapshot: the groups
    are ranked by `largest_first`, then summed by rank, every rank past `limit` as one.
    Each of `columns` must be a sum or a count. The summed rest comes last, keyed None.
    """
    rank = func.row_number().over(order_by=largest_first(key, dialect)).label("rank")
    ranked = query.add_columns(rank).subquery()
    bucket = case((ranked.c.rank <= limit, ranked.c.rank), else_=limit + 1)
    kept = ranked.c.rank <= limit
    sums = [func.sum(ranked.c[column.name]) for column in columns]
    rows = db.session.execute(
        select(func.min(case((kept, ranked.c.key))), *sums).group_by(bucket).order_by(bucket)
    )
    return list(rows)


def query_aggregates(
    conditions: list,
    metric: str,
    group_by: str = "none",
    extra: tuple | list = (),
    limit: int | None = None,
    buckets: Buckets = UTC_BUCKETS,
) -> list[tuple]:
    """Return `(key, Aggregates, extra values)` per group of the responses meeting `conditions`.

    Ungrouped (`none`) there is one row, keyed None, even when no response matches. The
    `extra` columns are selected after the sums and come back as the database gives them.
    With a `limit`, the groups come largest first and all beyond the `limit` largest come
    last as one, keyed `OTHER_KEY` (only when there are any); `extra` must then be counts.
    """
    sums = aggregate_columns(metric)
    columns = [*sums, *extra]
    dialect = db.session.get_bind().dialect.name
    if group_by == "none":
        rows = [(None, *db.session.execute(select(*columns).where(*conditions)).one())]
    else:
        key = group_key(group_by, dialect, buckets)
        query = select(key.label("key"), *columns).where(*conditions).group_by(key)
        if limit is None:
            rows = db.session.execute(query)
        else:
            rows = limited_groups(query, columns, key, dialect, limit)
            if len(rows) > limit:
                rows[limit] = (OTHER_KEY, *rows[limit][1:])
    width = 1 + len(sums)
    return [(row[0], read_aggregates(metric, row[1:width]), tuple(row[width:])) for row in rows]


def theme_columns(metric: str, theme: str) -> list:
    """Return a theme's aggregates and its counts of reported and of detected responses."""
    return [
        *aggregate_columns(metric, has_theme(theme), f"{theme}_"),
        restricted(func.count(), has_reported_theme(theme)).label(f"{theme}_reported"),
        restricted(func.count(), has_detected_theme(theme)).label(f"{theme}_detected"),
    ]


def theme_aggregates(conditions: list, metric: str) -> tuple[Aggregates, list[tuple]]:
    """Return the overall aggregates and `(theme, Aggregates, {"reported", "detected"})` per
    theme, in one pass.

    A response counts once in each of its themes (those its comment raises and those its
    visitor reported) and in none when it has no theme, so themes are not a partition: each
    theme's sums are filtered aggregates of one scan. A response both reported and detected
    counts in both counts, so they may add up to more than the theme's `count`.
    """
    per_theme = [theme_columns(metric, theme) for theme in THEMES]
    extra = [column for columns in per_theme for column in columns]
    ((_, overall, values),) = query_aggregates(conditions, metric, extra=extra)
    width = len(per_theme[0])
    groups = []
    for index, theme in enumerate(THEMES):
        *sums, reported, detected = values[index * width : (index + 1) * width]
        aggregates = read_aggregates(metric, sums)
        if aggregates.count:
            origins = {"reported": int(reported or 0), "detected": int(detected or 0)}
            groups.append((theme, aggregates, origins))
    return overall, groups


def site_stats(
    site,
    metric: str,
    group_by: str = "none",
    filters: dict | None = None,
    limit: int = DEFAULT_GROUP_LIMIT,
) -> dict:
    """Return a site's stats for `metric`, overall and per `group_by` group, in its window.

    Grouped by page or locale, only the `limit` largest groups are listed; the rest follow
    as one group keyed `OTHER_KEY`.
    """
    filters = in_reporting_zone(site, filters)
    start, end, conditions = report_conditions(site, metric, filters)
    if group_by == "theme":
        overall, rows = theme_aggregates(conditions, metric)
    else:
        kept = limit if group_by in LIMITED_GROUP_BYS else None
        buckets = (
            time_buckets(site, filters["tz"], start, end) if group_by in TIME_BUCKETS else None
        )
        rows = [
            (key, sums, {})
            for key, sums, _ in query_aggregates(
                conditions, metric, group_by, limit=kept, buckets=buckets or UTC_BUCKETS
            )
        ]
        # Every response falls in exactly one group, so the groups add up to the whole.
        overall = sum((sums for _, sums, _ in rows), empty_aggregates(metric))
    # Ungrouped, the one row is the whole: there are no groups to list.
    shown = [] if group_by == "none" else rows
    groups = [
        {"key": key, **summarize(metric, sums), **more}
        for key, sums, more in shown
        if key != OTHER_KEY
    ]
    groups.sort(key=group_order(group_by))
    # The summed rest is not one group among others: it comes last whatever its size.
    groups += [
        {"key": key, **summarize(metric, sums)} for key, sums, _ in shown if key == OTHER_KEY
    ]
    return {
        "metric": metric,
        "group_by": group_by,
        "from": iso_utc(start),
        "to": iso_utc(end),
        "overall": summarize(metric, overall),
        "groups": groups,
    }
