"""Define the changes query string and its answer: significant changes over time."""

from datetime import datetime
from zoneinfo import available_timezones

from marshmallow import Schema, fields, validate

from ..insight.changes import (
    DEFAULT_BASELINE_DAYS,
    DEFAULT_WINDOW_DAYS,
    MAX_BASELINE_DAYS,
    MIN_BASELINE_DAYS,
    WINDOW_DAYS,
)
from ..insight.moments import DEFAULT_MIN_COUNT
from ..models import METRICS
from .fields import Instant, QueryInteger
from .reports import CommentSchema

#: The IANA time zone names: listed whole in the document, so clients see what is accepted.
#: `localtime` is the machine's own zone file, not an IANA name.
ZONE_NAMES = sorted(available_timezones() - {"localtime"})


class WallClockInstant(Instant):
    """A date or a date and time; without an offset it loads naive, to be read in `tz`."""

    def convert(self, text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is None else super().convert(text)


class ChangesQuerySchema(Schema):
    """The changes query: a required metric, the window, its baseline, `to`, `min_count`, `tz`."""

    metric = fields.String(required=True, validate=validate.OneOf(METRICS))
    window_days = QueryInteger(
        data_key="window",
        load_default=DEFAULT_WINDOW_DAYS,
        validate=validate.OneOf(WINDOW_DAYS),
        metadata={"description": "Days of the window that ends at `to`."},
    )
    baseline_days = QueryInteger(
        data_key="baseline",
        load_default=DEFAULT_BASELINE_DAYS,
        validate=validate.Range(min=MIN_BASELINE_DAYS, max=MAX_BASELINE_DAYS),
        metadata={"description": "Days of the baseline just before the window."},
    )
    to = WallClockInstant(
        metadata={
            "description": "Exclusive end of the window (default now): a date or a date and "
            "time, read in `tz` unless it carries an offset."
        },
    )
    min_count = QueryInteger(
        load_default=DEFAULT_MIN_COUNT,
        validate=validate.Range(min=2),
        metadata={"description": "Responses a key needs in each period to be tested."},
    )
    tz = fields.String(
        validate=validate.OneOf(
            ZONE_NAMES, error="Not an IANA time zone name, like Europe/Amsterdam."
        ),
        metadata={
            "description": "IANA time zone name (default UTC): the days are counted, and a "
            "`to` without an offset is read, in it."
        },
    )


class PeriodSchema(Schema):
    """A period: inclusive start, exclusive end, ISO 8601 UTC."""

    start = fields.String(attribute="from", data_key="from")
    end = fields.String(attribute="to", data_key="to")


class ChangeSchema(Schema):
    """One significant change: a key whose window scores far from its baseline."""

    key = fields.String(metadata={"description": 'A phase, "unknown", or "all" (the site)'})
    kind = fields.String(metadata={"description": "`drop` below the baseline, `rise` above"})
    count = fields.Integer()
    score = fields.Float()
    baseline_count = fields.Integer()
    baseline_score = fields.Float()
    delta = fields.Float(metadata={"description": "score - baseline_score"})
    ci95 = fields.List(fields.Float(), metadata={"description": "The window's score interval"})
    p_value = fields.Float()
    q_value = fields.Float(metadata={"description": "Benjamini-Hochberg adjusted p-value"})
    impact = fields.Float(metadata={"description": "count * |delta|"})
    themes = fields.Dict(keys=fields.String(), values=fields.Integer())
    comments = fields.List(fields.Nested(CommentSchema))


class ChangesSchema(Schema):
    """A site's significant changes for one metric, largest impact first."""

    metric = fields.String()
    window = fields.Nested(PeriodSchema)
    baseline = fields.Nested(PeriodSchema)
    changes = fields.List(fields.Nested(ChangeSchema))
