"""Speak of a site's report period in its reporting time zone: presets, days and times."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from flask_babel import lazy_gettext as _l

from .i18n import language

UTC_ZONE = ZoneInfo("UTC")

#: The period presets beside the date fields: key → (label, days, or None for this quarter).
PRESETS = {
    "7d": (_l("Last 7 days"), 7),
    "30d": (_l("Last 30 days"), 30),
    "90d": (_l("Last 90 days"), 90),
    "quarter": (_l("This quarter"), None),
}


def reporting_zone(site) -> ZoneInfo:
    """Return the site's reporting time zone: its `timezone` when it has a known one, else UTC."""
    name = getattr(site, "timezone", None) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def preset_days(key: str, today: date) -> tuple[date, date]:
    """Return the first and last day (both included) of a preset period ending `today`."""
    _, days = PRESETS[key]
    if days is None:
        first_month = 3 * ((today.month - 1) // 3) + 1
        return today.replace(month=first_month, day=1), today
    return today - timedelta(days=days - 1), today


def preset_links(today: date) -> list[dict]:
    """Return each preset's label and its `from` / `until` query values."""
    links = []
    for key, (label, _) in PRESETS.items():
        first, last = preset_days(key, today)
        links.append(
            {"key": key, "label": label, "from": first.isoformat(), "until": last.isoformat()}
        )
    return links


def local_today(zone: ZoneInfo, now: datetime) -> date:
    """Return the day it is at `now` in `zone`."""
    return now.astimezone(zone).date()


def last_day(end: datetime, zone: ZoneInfo) -> date:
    """Return the last day a window ending (exclusively) at `end` touches in `zone`."""
    try:
        return (end - timedelta(microseconds=1)).astimezone(zone).date()
    except OverflowError:
        return end.date()


def local_time(moment: datetime, zone: ZoneInfo, width: str = "medium") -> str:
    """Format an instant in `zone` and the reader's locale, with the zone's name when not UTC."""
    return format_datetime(moment, width, tzinfo=zone, locale=language())
