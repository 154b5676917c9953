"""Hold the fields the schemas share: one-line text, instants, origins, cursors, theme names."""

from datetime import UTC
from typing import ClassVar

from marshmallow import ValidationError, fields, validate

from ..ingest.normalize import normalize_origin
from ..insight.filters import iso_utc
from ..insight.listing import decode_cursor
from ..insight.themes import THEMES, mask_themes
from ..sites.settings import ANY_ORIGIN

# Text the database can store and a path can hold: no control characters (PostgreSQL refuses
# NUL in text) and no lone surrogates (they cannot be encoded as UTF-8).
UNPRINTABLE = r"\x00-\x1f\x7f\ud800-\udfff"
SINGLE_LINE = rf"^[^{UNPRINTABLE}]*$"
MAX_CURSOR_LENGTH = 200


class Text(fields.String):
    """One line of text, trimmed, between 1 and `max_length` characters."""

    def __init__(self, max_length: int, **kwargs):
        checks = [
            validate.Length(min=1, max=max_length),
            validate.Regexp(SINGLE_LINE, error="Control characters are not allowed."),
        ]
        super().__init__(validate=checks, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class StrictBoolean(fields.Boolean):
    """A JSON `true` or `false`, nothing that merely looks like one (marshmallow's takes "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class WrittenInUtc:
    """Write a datetime field's aware value as ISO 8601 UTC with a `Z` (a field mixin)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else iso_utc(value)


class Timestamp(WrittenInUtc, fields.DateTime):
    """An aware datetime written as ISO 8601 UTC with a `Z`."""


class Instant(WrittenInUtc, fields.AwareDateTime):
    """An ISO 8601 date or datetime, read as UTC when it carries no offset, returned in UTC.

    marshmallow's `AwareDateTime` keeps the given offset; converting to UTC here is what lets
    an offset push a year-1 or year-9999 instant out of range be refused as invalid (422)
    instead of overflowing later in the database driver.
    """

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Not a valid ISO 8601 date or datetime."
    }

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=UTC, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:
            raise self.make_error("invalid") from exc


class Origin(fields.String):
    """A web origin (`https://shop.example`, `http://localhost:8000`) or `*`."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_origin": "Not an origin: give scheme and host (and port), no path, "
        "like https://shop.example; write international names in punycode.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text == ANY_ORIGIN:
            return text
        try:
            return normalize_origin(text)
        except ValueError as exc:
            raise self.make_error("invalid_origin") from exc


class Cursor(fields.String):
    """An opaque position in a listing, as given out in `next_cursor`."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_cursor": "Not a cursor this server gave out."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > MAX_CURSOR_LENGTH:
            raise self.make_error("invalid_cursor")
        try:
            return decode_cursor(text)
        except ValueError as exc:
            raise self.make_error("invalid_cursor") from exc


class ThemeNames(fields.List):
    """The complaint themes stored as a bit mask, written as a list of their names."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(validate=validate.OneOf(THEMES)), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return mask_themes(value or 0)


def at_most(count: int):
    """Return a validator refusing objects with more than `count` keys."""

    def check(value: dict) -> None:
        if len(value) > count:
            raise ValidationError(f"At most {count} entries.")

    return check
