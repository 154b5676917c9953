"""Tell when a digest is due: 08:00 on the site's wall clock, daily or on Mondays."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SEND_AT = time(8, 0)
MONDAY = 0
#: The days a digest covers, by schedule.
SPANS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def send_time(day: date, zone: str) -> datetime:
    """Return 08:00 of `day` in `zone` (an aware datetime); 08:00 exists on every DST day."""
    return datetime.combine(day, SEND_AT, tzinfo=ZoneInfo(zone))


def latest_send_day(schedule: str, zone: str, now: datetime) -> date:
    """Return the local date of the latest 08:00 (a Monday's, weekly) at or before `now`."""
    local = now.astimezone(ZoneInfo(zone))
    day = local.date() if local.time() >= SEND_AT else local.date() - timedelta(days=1)
    if schedule == "weekly":
        day -= timedelta(days=(day.weekday() - MONDAY) % 7)
    return day


def due_day(schedule: str, zone: str, now: datetime, since: datetime) -> date | None:
    """Return the local date of the digest due at `now`, or None when none is.

    A digest is due from its 08:00 on, for a rule made before that 08:00 (a rule made at
    15:00 waits for the next one); whether it went out already is the caller's record.
    """
    day = latest_send_day(schedule, zone, now)
    return day if send_time(day, zone) >= since else None


def covered(schedule: str, day: date, zone: str) -> tuple[datetime, datetime]:
    """Return the UTC (start, end) a digest of `day` covers: the day or week before its 08:00.

    Days are counted on the wall clock, so a week across a DST change is 167 or 169 hours.
    """
    end = send_time(day, zone).astimezone(UTC)
    start = send_time(day - SPANS[schedule], zone).astimezone(UTC)
    return start, end
