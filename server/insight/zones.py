"""Cut time buckets in a reporting time zone: the offsets a zone keeps over a window.

SQLite knows no time zones, so a bucket in a zone is the UTC instant shifted by the offset
in force at that instant. Offsets change only at a zone's transitions (twice a year where
clocks change), so a window splits into a few spans of one offset each, found here.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Response
from .filters import constant

#: How far apart the instants are at which the offset is sampled; a transition between two
#: samples is then found to the second. No zone changes its offset twice within a day.
SAMPLE_STEP = 86_400


def offset_at(zone: ZoneInfo, second: int) -> int:
    """Return the zone's UTC offset in seconds at a POSIX second."""
    return int(datetime.fromtimestamp(second, zone).utcoffset().total_seconds())


def transition_after(zone: ZoneInfo, before: int, after: int) -> int:
    """Return the first second in (before, after] whose offset differs from `before`'s."""
    offset = offset_at(zone, before)
    while after - before > 1:
        middle = (before + after) // 2
        if offset_at(zone, middle) == offset:
            before = middle
        else:
            after = middle
    return after


def offset_spans(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """Return the spans of one offset covering [start, end]: `(first instant, seconds)` each.

    The first span starts at `start`; each next one at a transition of the zone.
    """
    first, last = int(start.timestamp()), int(end.timestamp()) + 1
    spans = [(start, offset_at(zone, first))]
    second = first
    while second < last:
        step = min(second + SAMPLE_STEP, last)
        if offset_at(zone, step) != spans[-1][1]:
            step = transition_after(zone, second, step)
            moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=step)
            spans.append((moment, offset_at(zone, step)))
        second = step
    return spans


@dataclass(frozen=True)
class Buckets:
    """Where time buckets are cut: the reporting zone, and the window whose rows they hold."""

    zone: ZoneInfo
    start: datetime
    end: datetime


UTC_BUCKETS = Buckets(ZoneInfo("UTC"), datetime.min, datetime.max)


def sqlite_local_time(buckets: Buckets):
    """Return SQLite's text of the wall-clock time of `received_at` in the reporting zone.

    `received_at` is stored as naive UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`), compared here
    with each transition written the same way.
    Each span of one offset in the window shifts by that offset (`zones.offset_spans`); the
    window is first narrowed to the site's rows in it, so a window of centuries costs no more
    than the rows' own years. Whole seconds are shifted: a fraction could round up a day.
    """
    column = Response.received_at
    seconds = func.substr(column, constant(1), constant(19))
    spans = offset_spans(buckets.zone, buckets.start, buckets.end)
    shifted = [func.datetime(seconds, constant(f"{offset:+d} seconds")) for _, offset in spans]
    if len(spans) == 1:
        return shifted[0]
    # Constants, not bound parameters: the key is written twice (SELECT and GROUP BY), and
    # SQLite computes it once only when both are the same text.
    whens = [
        (column < constant(f"{begin:%Y-%m-%d %H:%M:%S.%f}"), local)
        for (begin, _), local in zip(spans[1:], shifted, strict=False)
    ]
    return case(*whens, else_=shifted[-1])


def time_buckets(site, zone: ZoneInfo, start: datetime, end: datetime) -> Buckets:
    """Return where the site's time buckets are cut: `zone`, over its rows in the window."""
    if zone.key == "UTC" or db.session.get_bind().dialect.name != "sqlite":
        return Buckets(zone, start, end)
    first, last = db.session.execute(
        select(func.min(Response.received_at), func.max(Response.received_at)).where(
            Response.site_id == site.id,
            Response.received_at >= start,
            Response.received_at < end,
        )
    ).one()
    return Buckets(zone, first or start, last or start)
