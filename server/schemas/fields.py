"""Hold the fields the schemas share: one-line text, instants, origins, cursors, theme names.

The OpenAPI document is generated from these fields' validators, and clients (and the fuzzer)
read its patterns as JSON Schema, that is ECMA-262, regular expressions. So every pattern here
is written to mean the same in Python and in ECMA-262, is matched against the whole text as
sent (`Pattern`), and a field that converts its text (trims, parses, normalises) converts only
text its pattern admits (`CheckedString`): what the document says is what the server accepts.
"""

import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, validate

from ..ingest.normalize import MAX_URL_LENGTH, iri_path, nfc, normalize_origin
from ..insight.filters import EARLIEST, LATEST, iso_utc
from ..insight.listing import CURSOR, decode_cursor
from ..insight.themes import THEMES, mask_themes
from ..sites.settings import ANY_ORIGIN
from .patterns import ABSOLUTE_PATH, BLANK, INSTANT, ORIGIN, SINGLE_LINE, TEXT_LINE

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
QUERY_INTEGER = re.compile("-?[0-9]+")


class Pattern(validate.Regexp):
    """Match the whole text against a regular expression, as JSON Schema's `pattern` does.

    `Regexp` uses `re.match`, whose `$` also matches before a final newline; JSON Schema's
    does not. Text holding a lone surrogate never matches: it is not Unicode text, so no
    client can send it knowingly (and it cannot be stored as UTF-8).
    """

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None or LONE_SURROGATE.search(value):
            raise ValidationError(self._format_error(value))
        return value


class CheckedString(fields.String):
    """A string checked by its validators as it was sent, then converted by `convert`.

    marshmallow validates what `_deserialize` returns; these fields validate the text the
    client sent, which is what the document (generated from the same validators) describes.
    """

    def deserialize(self, value, attr=None, data=None, **kwargs):
        text = super().deserialize(value, attr, data, **kwargs)
        return self.convert(text) if isinstance(text, str) else text

    def convert(self, text: str):
        """Return the loaded value of `text`, which passed the validators."""
        return text


class NormalString(CheckedString):
    """A string checked by its validators as it was sent; loads in NFC, as text is stored."""

    def convert(self, text: str) -> str:
        return nfc(text)


def characters(min_length: int, max_length: int) -> validate.Length:
    """Return the length check of a text: 1 to `max_length` characters, saying "characters"
    (marshmallow's message says "length", which reads as entries once translated)."""
    return validate.Length(
        min=min_length, max=max_length, error="Give between {min} and {max} characters."
    )


class PagePath(CheckedString):
    """A page path to compare with stored paths: one line, loaded in their form (`iri_path`),
    so `/caf%C3%A9/1` finds `/café/1`."""

    #: An escaped character takes up to 12 characters (4 UTF-8 bytes), as sent.
    MAX_SENT_LENGTH = 12 * MAX_URL_LENGTH

    def __init__(self, *, absolute=False, **kwargs):
        # One pattern, as JSON Schema has one per field: an absolute path starts with `/`.
        if absolute:
            pattern = Pattern(
                ABSOLUTE_PATH,
                error="A path starts with / and is one line, without a query (?) or a "
                "fragment (#): give the page's path alone.",
            )
        else:
            pattern = Pattern(SINGLE_LINE, error="Not a path.")
        checks = [characters(1, self.MAX_SENT_LENGTH), pattern]
        super().__init__(validate=checks, **kwargs)

    def convert(self, text: str) -> str:
        # A path longer than any stored one once normalised is no error: it matches nothing.
        return iri_path(text)


def invisible(character: str) -> bool:
    """Tell whether `character` shows nothing: a space, a format character (Unicode
    category Cf: zero-width, tag and direction characters) or one of `BLANK`."""
    return (
        character.isspace()
        or unicodedata.category(character) == "Cf"
        or bool(re.fullmatch(f"[{BLANK}]", character))
    )


class Text(CheckedString):
    """One line of text, 1 to `max_length` characters as sent and once in NFC, not only
    characters that show nothing (spaces, format characters, `BLANK`); loads trimmed, in NFC."""

    def __init__(self, max_length: int, **kwargs):
        self.max_length = max_length
        checks = [
            characters(1, max_length),
            Pattern(TEXT_LINE, error="One line of text, not only spaces."),
        ]
        super().__init__(validate=checks, **kwargs)

    def convert(self, text: str) -> str:
        text = nfc(text.strip())
        # A few characters (U+FB2C, say) decompose in NFC: the stored text must still fit.
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than {self.max_length} characters once normalised.")
        # TEXT_LINE cannot name format characters beyond the BMP (tag characters, say).
        if all(invisible(character) for character in text):
            raise ValidationError("One line of text, not only spaces.")
        return text


class EmailAddress(fields.Email):
    """An email address, checked and loaded in NFC (so `ü` typed as `u` and a combining
    diaeresis is the same address)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return nfc(super()._deserialize(value, attr, data, **kwargs))


class StrictBoolean(fields.Boolean):
    """A JSON `true` or `false`, nothing that merely looks like one (marshmallow's takes "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Integer(fields.Integer):
    """A JSON integer as JSON Schema reads one: `30` or `30.0`, never `true`, `30.5` or `"30"`."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class QueryInteger(fields.Integer):
    """A whole number in a query string, in ASCII digits (full-width digits, `+1` refused)."""

    def __init__(self, **kwargs):
        super().__init__(strict=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not QUERY_INTEGER.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class WrittenInUtc:
    """Write a datetime field's aware value as ISO 8601 UTC with a `Z` (a field mixin)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else iso_utc(value)


class Timestamp(WrittenInUtc, fields.DateTime):
    """An aware datetime written as ISO 8601 UTC with a `Z`."""


class Instant(WrittenInUtc, CheckedString):
    """A date or a date and time (`INSTANT`), read as UTC when it carries no offset.

    Loads as an aware UTC datetime; with `local=True`, one without an offset loads as a
    naive wall-clock time, to be read in a reporting time zone (`insight.filters`). An
    offset that pushes an instant of year 1 or 9999 past the calendar loads as its first or
    last instant, which every filter treats alike.
    """

    def __init__(self, local: bool = False, **kwargs):
        self.local = local
        pattern = Pattern(INSTANT, error="Not an ISO 8601 date or date and time.")
        super().__init__(validate=pattern, **kwargs)

    def convert(self, text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            return moment if self.local else moment.replace(tzinfo=UTC)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            return EARLIEST if moment.year == 1 else LATEST


#: Every zone the server's zone database holds, by name.
TIME_ZONE_NAMES = tuple(sorted(available_timezones()))


class TimeZone(fields.String):
    """An IANA time zone name (`Europe/Amsterdam`, `America/Sao_Paulo`, `UTC`), loaded as is.

    Only zones the server's zone database holds are accepted, and the document lists them;
    PostgreSQL reads the same system database, so every name accepted here is one it knows.
    """

    def __init__(self, **kwargs):
        error = "Not an IANA time zone name, like Europe/Amsterdam or UTC."
        super().__init__(validate=validate.OneOf(TIME_ZONE_NAMES, error=error), **kwargs)


class Origin(CheckedString):
    """A web origin (`https://shop.example`, `http://localhost:8000`) or `*`, normalised:
    an international host name loads in its ASCII (IDNA) form, as browsers send it."""

    def __init__(self, **kwargs):
        error = (
            "Not an origin: give scheme and host (and port), no path, like https://shop.example."
        )
        super().__init__(validate=Pattern(ORIGIN, error=error), **kwargs)

    def convert(self, text: str) -> str:
        if text == ANY_ORIGIN:
            return text
        try:
            return normalize_origin(text)
        except ValueError as exc:
            # An international name whose IDNA form is no host name (`ü。` ends in a dot).
            raise ValidationError(f"Not an origin: {exc}.") from exc


class Cursor(CheckedString):
    """A position in a listing (`CURSOR`), as given out in `next_cursor`."""

    def __init__(self, **kwargs):
        super().__init__(validate=Pattern(CURSOR, error="Not a cursor."), **kwargs)

    def convert(self, text: str) -> tuple[datetime, int]:
        return decode_cursor(text)


class ThemeNames(fields.List):
    """The complaint themes stored as a bit mask, written as a list of their names; with
    `union_with`, the names of this mask and of that attribute's mask together."""

    def __init__(self, union_with: str | None = None, **kwargs):
        self.union_with = union_with
        super().__init__(fields.String(validate=validate.OneOf(THEMES)), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        mask = value or 0
        if self.union_with is not None:
            mask |= getattr(obj, self.union_with) or 0
        return mask_themes(mask)


class Entries(validate.Validator):
    """Refuse objects with more than `maximum` keys (documented as `maxProperties`)."""

    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, value: dict) -> dict:
        if len(value) > self.maximum:
            raise ValidationError(f"At most {self.maximum} entries.")
        return value
