"""Aggregate a site's responses into scores with 95 % intervals, overall and per group.

The database only sums integers (COUNT, SUM(score), SUM(score²) and one SUM(CASE …) per
part); every score, mean and interval is computed here from those exact sums, so SQLite and
PostgreSQL give identical numbers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

from sqlalchemy import and_, case, func, literal_column, select

from ..extensions import db
from ..models import Response
from .filters import UNKNOWN_PHASE, has_theme, iso_utc, response_conditions, stats_window
from .themes import THEMES

#: The parts of each metric's summary: name → inclusive score range.
METRIC_PARTS = {
    "nps": {"promoters": (9, 10), "passives": (7, 8), "detractors": (0, 6)},
    "csat": {"satisfied": (4, 5)},
    "ces": {"easy": (5, 7)},
    "thumbs": {"up": (1, 1)},
}

#: Bounds a metric's score (and its interval) lives in.
SCORE_BOUNDS = {"nps": (-100, 100), "csat": (0, 100), "ces": (1, 7), "thumbs": (0, 100)}

TIME_BUCKETS = ("day", "week", "month")
GROUP_BYS = ("none", "phase", "page", "day", "week", "month", "device", "locale", "theme")

Z95 = Fraction(196, 100)
TWO_PLACES = Decimal("0.01")
# Square roots are taken with this many significant digits, far beyond the two decimals
# kept, so rounding half to even never depends on float error.
SQRT_DIGITS = 40

# How each database truncates a UTC timestamp to its bucket. SQLite stores naive UTC text
# `YYYY-MM-DD HH:MM:SS.ffffff`; going back 6 days then forward to the next Monday lands on
# the ISO week's Monday. Only the date is handed to `date()`, which keeps milliseconds and
# would round 23:59:59.9995 up into the next day.
SQLITE_BUCKETS = {
    "day": lambda column: func.substr(column, 1, 10),
    "week": lambda column: func.date(
        func.substr(column, 1, 10), constant("-6 days"), constant("weekday 1")
    ),
    "month": lambda column: func.substr(column, 1, 7),
}
POSTGRES_BUCKET_FORMATS = {"day": "YYYY-MM-DD", "week": "YYYY-MM-DD", "month": "YYYY-MM"}


def constant(value: int | str):
    """Return one of our own constants written into the SQL rather than bound.

    PostgreSQL then plans and evaluates the expressions around it exactly as it would a
    hand-written query (bound parameters arrive typed `VARCHAR` and are cast per row).
    """
    return literal_column(str(value) if isinstance(value, int) else f"'{value}'")


@dataclass(frozen=True)
class Aggregates:
    """The exact integer sums a summary is computed from."""

    count: int
    total: int
    squares: int
    parts: dict[str, int]

    def __add__(self, other: "Aggregates") -> "Aggregates":
        parts = {name: value + other.parts[name] for name, value in self.parts.items()}
        return Aggregates(
            self.count + other.count, self.total + other.total, self.squares + other.squares, parts
        )


def empty_aggregates(metric: str) -> Aggregates:
    """Return the aggregates of no responses at all."""
    return Aggregates(0, 0, 0, dict.fromkeys(METRIC_PARTS[metric], 0))


def aggregate_columns(metric: str) -> list:
    """Return the labelled SQL aggregates `read_aggregates` expects, in order."""
    columns = [
        func.count().label("count"),
        func.sum(Response.score).label("total"),
        func.sum(Response.score * Response.score).label("squares"),
    ]
    for name, (low, high) in METRIC_PARTS[metric].items():
        within = Response.score.between(constant(low), constant(high))
        columns.append(func.sum(case((within, constant(1)), else_=constant(0))).label(name))
    return columns


def filtered_aggregate_columns(metric: str, only, prefix: str) -> list:
    """Return the aggregates of `aggregate_columns` over just the rows meeting `only`."""
    columns = [
        func.count().filter(only).label(prefix + "count"),
        func.sum(Response.score).filter(only).label(prefix + "total"),
        func.sum(Response.score * Response.score).filter(only).label(prefix + "squares"),
    ]
    for name, (low, high) in METRIC_PARTS[metric].items():
        within = Response.score.between(constant(low), constant(high))
        columns.append(func.count().filter(and_(only, within)).label(prefix + name))
    return columns


def read_aggregates(metric: str, values) -> Aggregates:
    """Build aggregates from the values of `aggregate_columns` (SUM is NULL over no rows)."""
    count, total, squares, *parts = (int(value or 0) for value in values)
    return Aggregates(count, total, squares, dict(zip(METRIC_PARTS[metric], parts, strict=True)))


def sqrt(value: Fraction) -> Decimal:
    """Return the square root of a non-negative fraction to SQRT_DIGITS digits."""
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        return (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()


def to_decimal(value: Fraction) -> Decimal:
    """Return a fraction as a decimal precise to SQRT_DIGITS digits."""
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        return Decimal(value.numerator) / Decimal(value.denominator)


def two_places(value: Fraction | Decimal) -> float:
    """Round half to even to two decimals and return the float JSON carries."""
    if isinstance(value, Fraction):
        return float(round(value, 2))
    return float(value.quantize(TWO_PLACES, rounding=ROUND_HALF_EVEN))


def interval(center: Fraction, half_width: Decimal, metric: str) -> list[float]:
    """Return `center ± half_width` clipped to the metric's bounds and rounded."""
    low_bound, high_bound = SCORE_BOUNDS[metric]
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        middle = to_decimal(center)
        low = max(middle - half_width, Decimal(low_bound))
        high = min(middle + half_width, Decimal(high_bound))
    return [two_places(low), two_places(high)]


def share_interval(successes: int, count: int, metric: str) -> list[float]:
    """Return the Wilson score interval of `successes / count`, in percent."""
    share = Fraction(successes, count)
    z2 = Z95 * Z95
    denominator = 1 + z2 / count
    center = (share + z2 / (2 * count)) / denominator
    spread = sqrt(share * (1 - share) / count + z2 / (4 * count * count))
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        half_width = to_decimal(Z95 / denominator) * spread * 100
    return interval(center * 100, half_width, metric)


def nps_interval(aggregates: Aggregates, score: Fraction) -> list[float]:
    """Return score +- 1.96 * 100 * sqrt((p + d - (p - d)^2) / n)."""
    n = aggregates.count
    promoters = Fraction(aggregates.parts["promoters"], n)
    detractors = Fraction(aggregates.parts["detractors"], n)
    variance = (promoters + detractors - (promoters - detractors) ** 2) / n
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        half_width = to_decimal(Z95 * 100) * sqrt(variance)
    return interval(score, half_width, "nps")


def mean_interval(aggregates: Aggregates, mean: Fraction) -> list[float]:
    """Return mean +- 1.96 * s / sqrt(n) with s the sample standard deviation."""
    n = aggregates.count
    sample_variance = Fraction(aggregates.squares * n - aggregates.total**2, n * (n - 1))
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        half_width = to_decimal(Z95) * sqrt(sample_variance / n)
    return interval(mean, half_width, "ces")


def summarize(metric: str, aggregates: Aggregates) -> dict:
    """Return SPEC's SUMMARY (count, mean, score, ci95 and the metric's parts)."""
    n = aggregates.count
    summary = {"count": n, "mean": None, "score": None, "ci95": None}
    if n:
        mean = Fraction(aggregates.total, n)
        if metric == "nps":
            parts = aggregates.parts
            score = Fraction(100 * (parts["promoters"] - parts["detractors"]), n)
        elif metric == "ces":
            score = mean
        else:
            (successes,) = aggregates.parts.values()
            score = Fraction(100 * successes, n)
        summary["mean"] = two_places(mean)
        summary["score"] = two_places(score)
        if n >= 2:
            if metric == "nps":
                summary["ci95"] = nps_interval(aggregates, score)
            elif metric == "ces":
                summary["ci95"] = mean_interval(aggregates, mean)
            else:
                (successes,) = aggregates.parts.values()
                summary["ci95"] = share_interval(successes, n, metric)
    summary.update(aggregates.parts)
    return summary


def group_key(group_by: str, dialect: str):
    """Return the SQL expression whose value names a response's group."""
    if group_by == "phase":
        return func.coalesce(Response.phase, constant(UNKNOWN_PHASE))
    if group_by == "page":
        return Response.page_path
    if group_by == "device":
        return Response.device
    if group_by == "locale":
        return Response.locale
    if dialect == "sqlite":
        return SQLITE_BUCKETS[group_by](Response.received_at)
    utc = func.date_trunc(constant(group_by), func.timezone(constant("UTC"), Response.received_at))
    return func.to_char(utc, constant(POSTGRES_BUCKET_FORMATS[group_by]))


def group_order(group_by: str):
    """Return the sort key of groups: time buckets oldest first, others largest first."""
    if group_by in TIME_BUCKETS:
        return lambda group: group["key"]
    # Missing devices and locales (key None) come after named ones of the same size.
    return lambda group: (-group["count"], group["key"] is None, group["key"] or "")


def grouped_aggregates(conditions: list, metric: str, group_by: str) -> list[tuple]:
    """Return `(key, Aggregates)` for each group of the responses matching `conditions`."""
    key = group_key(group_by, db.session.get_bind().dialect.name).label("key")
    query = select(key, *aggregate_columns(metric)).where(*conditions).group_by(key)
    return [(row[0], read_aggregates(metric, row[1:])) for row in db.session.execute(query)]


def theme_aggregates(conditions: list, metric: str) -> tuple[Aggregates, list[tuple]]:
    """Return the overall aggregates and `(theme, Aggregates)` per theme, in one pass.

    A response counts once in each of its themes and in none when it has no theme, so
    themes are not a partition: each theme's sums are filtered aggregates of one scan.
    """
    columns = aggregate_columns(metric)
    width = len(columns)
    for theme in THEMES:
        columns += filtered_aggregate_columns(metric, has_theme(theme), f"{theme}_")
    row = db.session.execute(select(*columns).where(*conditions)).one()
    overall = read_aggregates(metric, row[:width])
    groups = []
    for index, theme in enumerate(THEMES, start=1):
        aggregates = read_aggregates(metric, row[index * width : (index + 1) * width])
        if aggregates.count:
            groups.append((theme, aggregates))
    return overall, groups


def site_stats(site, metric: str, group_by: str = "none", filters: dict | None = None) -> dict:
    """Return a site's stats for `metric`, overall and per `group_by` group, in its window."""
    filters = dict(filters or {})
    start, end = stats_window(filters)
    filters.update(start=start, end=end, metric=metric)
    conditions = response_conditions(site.id, filters)
    if group_by == "none":
        row = db.session.execute(select(*aggregate_columns(metric)).where(*conditions)).one()
        overall, groups = read_aggregates(metric, row), []
    elif group_by == "theme":
        overall, rows = theme_aggregates(conditions, metric)
        groups = [{"key": key, **summarize(metric, aggregates)} for key, aggregates in rows]
        groups.sort(key=group_order(group_by))
    else:
        rows = grouped_aggregates(conditions, metric, group_by)
        # Every response falls in exactly one group, so the groups add up to the whole.
        overall = sum((aggregates for _, aggregates in rows), empty_aggregates(metric))
        groups = [{"key": key, **summarize(metric, aggregates)} for key, aggregates in rows]
        groups.sort(key=group_order(group_by))
    return {
        "metric": metric,
        "group_by": group_by,
        "from": iso_utc(start),
        "to": iso_utc(end),
        "overall": summarize(metric, overall),
        "groups": groups,
    }
