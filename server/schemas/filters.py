"""Define the common response filters every listing, export and report accepts."""

from datetime import UTC, datetime

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..insight.filters import UNKNOWN_PHASE, read_in_zone, zone_of
from ..insight.themes import THEMES
from ..models import METRICS, PHASES
from .fields import Instant, PagePath, TimeZone

WINDOW_ERROR = "`from` must not be after `to`."


class ResponseFilterSchema(Schema):
    """The filters every response query accepts."""

    class Meta:
        # The dashboard ignores parameters it does not know; the admin API refuses them
        # (`AdminBlueprint.arguments`).
        unknown = EXCLUDE

    start = Instant(
        local=True,
        data_key="from",
        metadata={
            "description": "Inclusive lower bound: a date or a date and time, read in the "
            "reporting time zone unless it carries an offset; not after `to` (in stats and "
            "moments, not after now when `to` is not given)."
        },
    )
    end = Instant(
        local=True,
        data_key="to",
        metadata={
            "description": "Exclusive upper bound: a date or a date and time, read in the "
            "reporting time zone unless it carries an offset."
        },
    )
    tz = TimeZone(
        metadata={
            "description": "The reporting time zone (IANA name): `from` and `to` without an "
            "offset are read in it and day, week and month buckets are cut in it. Default: "
            "the site's `timezone`, itself UTC by default."
        }
    )
    metric = fields.String(validate=validate.OneOf(METRICS))
    phase = fields.String(validate=validate.OneOf((*PHASES, UNKNOWN_PHASE)))
    path = PagePath(
        metadata={
            "description": "Only responses on this page path, read as paths are stored: "
            "`/caf%C3%A9/1` and `/café/1` are the same path."
        }
    )
    theme = fields.String(
        validate=validate.OneOf(THEMES),
        metadata={"description": "Only responses whose comment raises this complaint theme."},
    )

    def window_end(self, data: dict) -> datetime | None:
        """Return the end the query's window has when `to` is not given: none (everything)."""
        return data.get("end")

    @validates_schema
    def check_window(self, data, **kwargs):
        """Refuse a window whose start is after its end.

        Wall-clock bounds are compared as read in `tz`; without one, in UTC: the site's zone
        is not known here, and only a window mixing a bound with an offset and one without
        could compare otherwise in it (then it is merely empty).
        """
        zone = zone_of(data.get("tz"))
        start, end = data.get("start"), self.window_end(data)
        if start and end and read_in_zone(start, zone) > read_in_zone(end, zone):
            raise ValidationError(WINDOW_ERROR, field_name="from")


class ReportFilterSchema(ResponseFilterSchema):
    """The filters of a report (stats, moments), whose window ends now unless `to` is given."""

    def window_end(self, data: dict) -> datetime:
        """Return the window's end: `to`, else now."""
        return data.get("end") or datetime.now(UTC)
