"""Hold the regular expressions the schemas check text with, as the OpenAPI document
publishes them: each means the same in Python and in ECMA-262 (the JSON Schema dialect
clients and the fuzzer read), and is matched against the whole text as sent (see `Pattern`
in fields.py). Character classes are spelled out, since `\\s` and friends differ between the two.
"""

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
