"""Find significant changes over time: each phase's last window against the baseline before it.

One grouped query sums every (period, phase) of the window and its baseline; the whole site
(key `"all"`) is the sum of its phases, which split it. Each key with enough responses in
both periods is tested with the moments' test for the metric, window against baseline, and
the p-values of all tested keys are corrected together with Benjamini-Hochberg.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, select

from ..extensions import db
from ..models import PHASES, Response
from .filters import EARLIEST, LATEST, UNKNOWN_PHASE, constant, iso_utc, response_conditions
from .moments import DEFAULT_MIN_COUNT, newest_comments, theme_columns
from .score_summary import Aggregates, compared, empty_aggregates, read_aggregates
from .significance import (
    FALSE_DISCOVERY_RATE,
    benjamini_hochberg,
    comparison_z,
    minimum_side,
    two_sided_p,
)
from .stats import aggregate_columns, group_key
from .themes import THEMES

#: The window lengths, in days, a change can be looked for over.
WINDOW_DAYS = (1, 7, 14, 28)
DEFAULT_WINDOW_DAYS = 7
MIN_BASELINE_DAYS, MAX_BASELINE_DAYS = 7, 90
DEFAULT_BASELINE_DAYS = 28
#: The key of the whole site among the phases.
SITE_KEY = "all"
WINDOW, BASELINE = "window", "baseline"
#: The keys in the order they are tested and listed on ties: the journey, then the rest.
KEYS = (SITE_KEY, *PHASES, UNKNOWN_PHASE)


def days_before(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Return the instant `days` days of the reporting time zone's calendar before `moment`.

    Days are counted on the zone's wall clock, so across a daylight-saving change a day is
    23 or 25 hours; in UTC every day is 24 hours. Near the calendar's ends, where the zone's
    wall clock cannot be written, days are 24 hours, and none goes before its first instant.
    """
    span = timedelta(days=days)
    try:
        return (moment.astimezone(zone) - span).astimezone(UTC)
    except OverflowError:
        return max(moment, EARLIEST + span) - span


def in_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return `moment` in UTC, read in `zone` when it has no offset (clipped to the calendar)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return EARLIEST if moment.year == 1 else LATEST


def periods(
    to: datetime | None, window_days: int, baseline_days: int, tz: str | None
) -> tuple[datetime, datetime, datetime]:
    """Return the baseline's start, the window's start and the window's (exclusive) end.

    `to` defaults to now; one without an offset is read in `tz` (UTC when not given).
    """
    zone = ZoneInfo(tz or "UTC")
    end = in_utc(to or datetime.now(UTC), zone)
    window_start = days_before(end, window_days, zone)
    return days_before(window_start, baseline_days, zone), window_start, end


def period_rows(conditions: list, metric: str, window_start: datetime) -> dict:
    """Return `{(period, phase): (Aggregates, theme counts)}` from one grouped query."""
    period = case(
        (Response.received_at >= window_start, constant(WINDOW)), else_=constant(BASELINE)
    ).label("period")
    phase = group_key("phase", db.session.get_bind().dialect.name).label("key")
    sums = aggregate_columns(metric)
    query = (
        select(period, phase, *sums, *theme_columns()).where(*conditions).group_by(period, phase)
    )
    width = 2 + len(sums)
    rows = {}
    for row in db.session.execute(query):
        counts = (int(value or 0) for value in row[width:])
        rows[row[0], row[1]] = (
            read_aggregates(metric, row[2:width]),
            dict(zip(THEMES, counts, strict=True)),
        )
    return rows


def with_site_total(metric: str, rows: dict) -> dict:
    """Return the rows with each period's whole site added under `SITE_KEY`."""
    totals = dict(rows)
    for name in (WINDOW, BASELINE):
        aggregates, themes = empty_aggregates(metric), dict.fromkeys(THEMES, 0)
        for (period, _), (sums, counts) in rows.items():
            if period == name:
                aggregates += sums
                themes = {theme: themes[theme] + counts[theme] for theme in THEMES}
        totals[name, SITE_KEY] = (aggregates, themes)
    return totals


def change_of(metric: str, key: str, window: Aggregates, baseline: Aggregates, z: float) -> dict:
    """Return the comparison fields of one key's window against its baseline."""
    summary, baseline_score, delta = compared(metric, window, baseline)
    return {
        "key": key,
        "kind": "drop" if z < 0 else "rise",
        "count": window.count,
        "score": summary["score"],
        "baseline_count": baseline.count,
        "baseline_score": baseline_score,
        "delta": float(delta),
        "ci95": summary["ci95"],
        "impact": float(window.count * abs(delta)),
    }


def tested_keys(metric: str, rows: dict, min_count: int) -> list[tuple]:
    """Return `(key, window, baseline, z, p)` for each key large enough in both periods."""
    empty = (empty_aggregates(metric), {})
    smallest = max(min_count, minimum_side(metric))
    tested = []
    for key in KEYS:
        window, baseline = rows.get((WINDOW, key), empty)[0], rows.get((BASELINE, key), empty)[0]
        if window.count < smallest or baseline.count < smallest:
            continue
        z = comparison_z(metric, window, baseline)
        tested.append((key, window, baseline, z, two_sided_p(z)))
    return tested


def significant_changes(metric: str, rows: dict, min_count: int) -> list[dict]:
    """Return the keys whose window differs from their baseline (q < 0.05), largest impact first.

    `rows` maps `(period, key)` to `(Aggregates, theme counts)`, `"all"` included.
    """
    tested = tested_keys(metric, rows, min_count)
    q_values = benjamini_hochberg([p_value for *_, p_value in tested])
    changes = []
    for (key, window, baseline, z, p_value), q_value in zip(tested, q_values, strict=True):
        if q_value >= FALSE_DISCOVERY_RATE:
            continue
        change = change_of(metric, key, window, baseline, z)
        change.update(p_value=p_value, q_value=q_value, themes=rows[WINDOW, key][1])
        changes.append(change)
    changes.sort(key=lambda change: (-change["impact"], KEYS.index(change["key"])))
    return changes


def key_condition(key: str) -> list:
    """Return the SQL conditions selecting one key's responses (none for the whole site)."""
    if key == SITE_KEY:
        return []
    return [group_key("phase", db.session.get_bind().dialect.name) == key]


def find_changes(
    site,
    metric: str,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    baseline_days: int = DEFAULT_BASELINE_DAYS,
    to: datetime | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    tz: str | None = None,
) -> dict:
    """Return SPEC's `changes` answer: the site's and its phases' significant changes.

    The window is the `window_days` days before `to` (exclusive; default now), the baseline
    the `baseline_days` days before the window; days are rolling, counted in `tz` (default:
    the site's reporting time zone).
    """
    baseline_start, window_start, end = periods(to, window_days, baseline_days, tz or site.timezone)
    conditions = response_conditions(
        site.id, {"metric": metric, "start": baseline_start, "end": end}
    )
    rows = with_site_total(metric, period_rows(conditions, metric, window_start))
    changes = significant_changes(metric, rows, min_count)
    window_conditions = [*conditions, Response.received_at >= window_start]
    for change in changes:
        change["comments"] = newest_comments([*window_conditions, *key_condition(change["key"])])
    return {
        "metric": metric,
        "window": {"from": iso_utc(window_start), "to": iso_utc(end)},
        "baseline": {"from": iso_utc(baseline_start), "to": iso_utc(window_start)},
        "changes": changes,
    }
