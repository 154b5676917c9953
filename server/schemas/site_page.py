"""Read the dashboard site page's query: dates in the site's reporting time zone, an inclusive
last day, and the comment listing's own metric."""

from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from marshmallow import ValidationError, fields, pre_load, validate

from ..models import METRICS
from .responses import SiteOverviewQuerySchema

UTC_ZONE = ZoneInfo("UTC")


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Return the UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time(), zone).astimezone(UTC)


def parsed_date(text) -> date | None:
    """Return the calendar date `text` names, or None when it names none."""
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None


class SitePageQuerySchema(SiteOverviewQuerySchema):
    """The site page's query: `from` and `until` are days in the site's zone, `until` counted
    in full (the window ends at the midnight after it); `until` wins over `to`."""

    until = fields.Date(metadata={"description": "The report's last day, included."})
    comment_metric = fields.String(validate=validate.OneOf(METRICS))

    def __init__(self, zone: ZoneInfo = UTC_ZONE, **kwargs):
        super().__init__(**kwargs)
        self.zone = zone

    @pre_load
    def local_days(self, data, **kwargs):
        """Turn the date inputs into the instants the report window is made of."""
        data = dict(data)
        start = parsed_date(data.get("from"))
        if start is not None:
            # The first day of the calendar, east of UTC, is read as UTC, as the admin API does.
            with suppress(OverflowError):
                data["from"] = local_midnight(start, self.zone).isoformat()
        until = parsed_date(data.get("until"))
        if until is not None:
            try:
                data["to"] = local_midnight(until + timedelta(days=1), self.zone).isoformat()
            except OverflowError as exc:
                raise ValidationError("The calendar ends on this day.", "until") from exc
        return data
