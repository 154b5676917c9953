"""Show the settings form's validation errors in the reader's language.

The form is checked by the admin API's schema, whose messages stay English for the API; the
dashboard translates them when it shows them. A message nobody translated is shown as it is.
"""

import re

from flask_babel import gettext as _


def N_(text: str) -> str:
    """Mark `text` for the catalogs without translating it here (gettext does, when shown)."""
    return text


NOT_SENT = N_("This field was not sent; reload the page and try again.")
SENT_TWICE = N_("This field was sent more than once; reload the page and try again.")

#: The schema's fixed messages the settings form can show (marshmallow's and our fields').
FIXED = frozenset(
    {
        N_("Missing data for required field."),
        N_("Field may not be null."),
        N_("Not a valid string."),
        N_("Not a valid integer."),
        N_("Not a valid boolean."),
        N_("Not a valid list."),
        N_("Unknown field."),
        N_("One line of text, not only spaces."),
        N_("Not an origin: give scheme and host (and port), no path, like https://shop.example."),
        N_('"*" allows every origin and must be the only entry.'),
        N_("A glob starts with / or * and has no control characters."),
        N_("Not a locale tag."),
        N_("A CSS hex colour like #0a7 or #00aa77."),
    }
)

#: The schema's messages with a value in them: the English pattern and the text to show.
WITH_VALUES = (
    (
        re.compile(
            r"Must be greater than or equal to (?P<low>-?\d+) and less than or equal to "
            r"(?P<high>-?\d+)\."
        ),
        N_("Must be between %(low)s and %(high)s."),
    ),
    (
        re.compile(r"Length must be between (?P<low>\d+) and (?P<high>\d+)\."),
        N_("Give between %(low)s and %(high)s entries."),
    ),
    (
        re.compile(r"Give between (?P<low>\d+) and (?P<high>\d+) characters\."),
        N_("Give between %(low)s and %(high)s characters."),
    ),
    (
        re.compile(r"Longer than (?P<count>\d+) characters once normalised\."),
        N_("Longer than %(count)s characters."),
    ),
    (re.compile(r"At most (?P<count>\d+) entries\."), N_("At most %(count)s entries.")),
    (re.compile(r"Must be one of: (?P<choices>.+)\."), N_("Must be one of: %(choices)s.")),
)


def translated_message(message: str) -> str:
    """Return one schema message in the reader's language (unknown ones unchanged)."""
    if message in FIXED:
        return _(message)
    for pattern, text in WITH_VALUES:
        if found := pattern.fullmatch(message):
            return _(text, **found.groupdict())
    return message


def translated_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Translate flat `{"path": [message, ...]}` errors for the page."""
    return {path: [translated_message(m) for m in messages] for path, messages in errors.items()}
