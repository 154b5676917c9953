"""Parse the common response filters (`from`, `to`, `metric`, `phase`, `path`, `theme`) into SQL."""

from datetime import UTC, datetime, timedelta
from typing import ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from .models import METRICS, PHASES, Response
from .themes import THEME_BITS, THEMES

UNKNOWN_PHASE = "unknown"
# Text the database can store and a path can hold: no control characters (PostgreSQL refuses
# NUL in text) and no lone surrogates (they cannot be encoded as UTF-8).
UNPRINTABLE = r"\x00-\x1f\x7f\ud800-\udfff"
SINGLE_LINE = rf"^[^{UNPRINTABLE}]*$"
DEFAULT_STATS_WINDOW = timedelta(days=30)


class Instant(fields.Field):
    """An ISO 8601 date or datetime, read as UTC when it carries no offset."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Not a valid ISO 8601 date or datetime."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            moment = datetime.fromisoformat(value.strip())
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        except (ValueError, OverflowError) as exc:  # an offset can leave years 1..9999
            raise self.make_error("invalid") from exc

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else iso_utc(value)


def iso_utc(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with microseconds and a `Z`."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class ResponseFilterSchema(Schema):
    """The filters every response query accepts."""

    class Meta:
        unknown = EXCLUDE

    start = Instant(
        data_key="from",
        metadata={"type": "string", "description": "Inclusive lower bound: ISO 8601 (UTC)."},
    )
    end = Instant(
        data_key="to",
        metadata={"type": "string", "description": "Exclusive upper bound: ISO 8601 (UTC)."},
    )
    metric = fields.String(validate=validate.OneOf(METRICS))
    phase = fields.String(validate=validate.OneOf((*PHASES, UNKNOWN_PHASE)))
    path = fields.String(
        validate=[
            validate.Length(min=1, max=2048),
            validate.Regexp(SINGLE_LINE, error="Not a path."),
        ]
    )
    theme = fields.String(
        validate=validate.OneOf(THEMES),
        metadata={"description": "Only responses whose comment raises this complaint theme."},
    )

    @validates_schema
    def check_window(self, data, **kwargs):
        """Refuse a window whose start is after its end."""
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError("`from` must not be after `to`.", field_name="from")


def stats_window(filters: dict, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Return the (start, end) window of a stats query: the last 30 days unless given."""
    end = filters.get("end") or now or datetime.now(UTC)
    start = filters.get("start") or end - DEFAULT_STATS_WINDOW
    if start > end:
        raise ValidationError({"from": ["`from` must not be after `to`."]})
    return start, end


def has_theme(theme: str):
    """Return the SQL condition that a response's comment raises complaint `theme`."""
    return Response.themes.bitwise_and(THEME_BITS[theme]) != 0


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
