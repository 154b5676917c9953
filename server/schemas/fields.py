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

#: C0 control characters and DEL: never in one line of text (PostgreSQL refuses NUL in text).
CONTROL = r"\x00-\x1f\x7f"
#: What Python's `str.strip()` removes beyond the control characters, spelled out because
#: `\s` means a different set in Python and in ECMA-262.
SPACE = r"\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: The invisible format characters (Unicode category Cf) of the Basic Multilingual Plane: a
#: zero-width space, joiners, direction marks, a byte order mark. Text made of them and
#: spaces shows as blank. (The few beyond the BMP, tag characters say, are left out: an
#: ECMA-262 class without the `u` flag cannot name them.)
FORMAT = (
    r"\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
#: The C1 control characters (NEL among them) and the line and paragraph separators: text
#: that is one line holds none of them.
LINE_BREAKS = r"\x80-\x9f\u2028\u2029"
#: Characters beyond spaces and format characters that show nothing on their own: the
#: combining grapheme joiner, the Hangul fillers, the Braille blank, variation selectors.
BLANK = r"\u034f\u115f\u1160\u2800\u3164\ufe00-\ufe0f\uffa0"
SINGLE_LINE = rf"^[^{CONTROL}]*$"
#: One line that starts with `/` (stored paths all do) and holds no `?` or `#`: a stored
#: path is a URL's path alone, so a query or a fragment is never part of it (an escaped one,
#: `%3F`, stays escaped and may be).
ABSOLUTE_PATH = rf"^/[^{CONTROL}?#]*$"
#: A glob over a whole path (phase rules, trigger paths).
GLOB = rf"^[/*][^{CONTROL}]*$"
LOCALE_TAG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
#: One line holding something besides spaces and characters that show nothing.
TEXT_LINE = (
    rf"^[^{CONTROL}{LINE_BREAKS}]*"
    rf"[^{CONTROL}{LINE_BREAKS}{SPACE}{FORMAT}{BLANK}]"
    rf"[^{CONTROL}{LINE_BREAKS}]*$"
)

_YEAR = r"(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_TIME = r"T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
#: A calendar date (2026-03-01) or a date and time (2026-03-01T12:00, seconds and fraction
#: optional) with an optional offset (`Z`, `+01:00`): exactly what `Instant` accepts.
INSTANT = rf"^(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)(?:{_TIME}{_OFFSET}?)?$"

#: A letter or digit of a host name: ASCII ones, or any character beyond U+00A0 (an
#: international name, written in its ASCII (IDNA) form once loaded). Spelled as a negated
#: class so that it means the same in Python and in ECMA-262, astral characters included.
_HOST_CHARACTER = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xa0]"
_HOST_NAME = rf"{_HOST_CHARACTER}(?:[^\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\xa0]*{_HOST_CHARACTER})?"
_H16 = "[0-9A-Fa-f]{1,4}"
_IPV6 = (
    rf"(?:(?:{_H16}:){{7}}{_H16}"
    rf"|(?:{_H16}:){{1,7}}:"
    rf"|(?:{_H16}:){{1,6}}:{_H16}"
    rf"|(?:{_H16}:){{1,5}}(?::{_H16}){{1,2}}"
    rf"|(?:{_H16}:){{1,4}}(?::{_H16}){{1,3}}"
    rf"|(?:{_H16}:){{1,3}}(?::{_H16}){{1,4}}"
    rf"|(?:{_H16}:){{1,2}}(?::{_H16}){{1,5}}"
    rf"|{_H16}:(?::{_H16}){{1,6}}"
    rf"|:(?:(?::{_H16}){{1,7}}|:))"
)
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
#: `http://` or `https://` in any letter case, a host name (international ones included) or a
#: bracketed IPv6 address, a port.
HTTP_AUTHORITY = rf"[Hh][Tt][Tt][Pp][Ss]?://(?:{_HOST_NAME}|\[{_IPV6}\])(?::{_PORT})?"
#: An http(s) origin, in any letter case, with an optional port and a lone trailing `/`; or `*`.
#: Every origin it admits is one `normalize_origin` can write as browsers send it.
ORIGIN = rf"^(?:\*|{HTTP_AUTHORITY}/?)$"

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
