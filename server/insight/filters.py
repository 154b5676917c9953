"""Turn the common response filters into SQL conditions and reporting windows."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import literal_column

from ..models import Response
from .themes import THEME_BITS

UNKNOWN_PHASE = "unknown"
DEFAULT_STATS_WINDOW = timedelta(days=30)
#: The first and last instants a filter can name.
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)

#: The order of a listing: newest first, the id breaking ties.
NEWEST_FIRST = (Response.received_at.desc(), Response.id.desc())


def constant(value: int | str):
    """Return one of our own constants written into the SQL rather than bound.

    PostgreSQL then plans and evaluates the expressions around it exactly as it would a
    hand-written query (bound parameters arrive typed `VARCHAR` and are cast per row).
    """
    return literal_column(str(value) if isinstance(value, int) else f"'{value}'")


def iso_utc(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with microseconds and a `Z`."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def stats_window(filters: dict, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Return the (start, end) window of a stats query: the 30 days before `end` unless given.

    `end` defaults to now. The query schemas refuse a window whose start is after its end
    before this is called (`schemas.filters.ReportFilterSchema`).
    """
    end = filters.get("end") or now or datetime.now(UTC)
    # Near the start of the calendar the default window is cut short rather than overflowing.
    start = filters.get("start") or max(end, EARLIEST + DEFAULT_STATS_WINDOW) - DEFAULT_STATS_WINDOW
    return start, end


def has_theme(theme: str):
    """Return the SQL condition that a response has complaint `theme`: its comment raises it
    or the visitor reported it (SPEC: `themes` is the union of both)."""
    both = Response.themes.bitwise_or(Response.reasons)
    return both.bitwise_and(constant(THEME_BITS[theme])) != constant(0)


def has_detected_theme(theme: str):
    """Return the SQL condition that a response's comment raises complaint `theme`."""
    return Response.themes.bitwise_and(constant(THEME_BITS[theme])) != constant(0)


def has_reported_theme(theme: str):
    """Return the SQL condition that the visitor reported complaint `theme` (`reasons`)."""
    return Response.reasons.bitwise_and(constant(THEME_BITS[theme])) != constant(0)


def has_comment() -> list:
    """Return the SQL conditions that a response carries a comment (not an empty one)."""
    return [Response.comment.is_not(None), Response.comment != ""]


def response_conditions(site_id: int, filters: dict) -> list:
    """Return the SQL conditions selecting a site's responses that pass `filters`."""
    conditions = [Response.site_id == site_id]
    if filters.get("start") is not None:
        conditions.append(Response.received_at >= filters["start"])
    if filters.get("end") is not None:
        conditions.append(Response.received_at < filters["end"])
    if filters.get("metric"):
        conditions.append(Response.metric == filters["metric"])
    if filters.get("phase") == UNKNOWN_PHASE:
        conditions.append(Response.phase.is_(None))
    elif filters.get("phase"):
        conditions.append(Response.phase == filters["phase"])
    if filters.get("path"):
        conditions.append(Response.page_path == filters["path"])
    if filters.get("theme"):
        conditions.append(has_theme(filters["theme"]))
    return conditions


def report_conditions(
    site_id: int, metric: str, filters: dict | None
) -> tuple[datetime, datetime, list]:
    """Return a report's `(start, end)` window and the conditions selecting its responses."""
    filters = dict(filters or {})
    start, end = stats_window(filters)
    filters.update(start=start, end=end, metric=metric)
    return start, end, response_conditions(site_id, filters)
