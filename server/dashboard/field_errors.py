"""Show the dashboard forms' validation errors in the reader's language.

The forms (settings, alert rules, …) are checked by the admin API's schemas, whose messages
stay English for the API; the dashboard translates them when it shows them. A message nobody
translated is shown as it is.
"""

import re

from flask_babel import gettext as _


def N_(text: str) -> str:
    """Mark `text` for the catalogs without translating it here (gettext does, when shown)."""
    return text


NOT_SENT = N_("This field was not sent; reload the page and try again.")
SENT_TWICE = N_("This field was sent more than once; reload the page and try again.")

#: The schemas' fixed messages the forms can show (marshmallow's and our fields'): the
#: settings form's, then the alert rule form's (schemas/alerts.py and alert_targets.py).
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
        N_("Not a valid URL."),
        N_("Not a valid email address."),
        N_("A target is one line with no control characters and no spaces at either end."),
        N_("Give channel and target together."),
        N_("The part before @ must be ASCII (SMTPUTF8 is not supported)."),
        N_("The domain is not a valid internationalised domain name."),
        N_("The port must be a number from 1 to 65535."),
        N_(
            "A path starts with / and is one line, without a query (?) or a fragment (#): "
            "give the page's path alone."
        ),
        N_("Each theme may be given once."),
        N_("Each kind may be given once."),
        N_("Only change rules have kinds."),
        N_("Only response rules filter by score."),
        N_("Only response rules filter by page path."),
        N_("Only response rules filter by themes."),
        N_("A digest covers every phase: it has no phase filter."),
        N_("A digest rule needs a schedule."),
        N_("Only digest rules have a schedule."),
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
    (
        re.compile(r"The part before @ is longer than (?P<count>\d+) characters\."),
        N_("The part before @ is longer than %(count)s characters."),
    ),
    (
        re.compile(r"The domain is longer than (?P<count>\d+) characters\."),
        N_("The domain is longer than %(count)s characters."),
    ),
    (
        re.compile(r"An address is at most (?P<count>\d+) characters\."),
        N_("An address is at most %(count)s characters."),
    ),
    (
        re.compile(r"A Slack target is an incoming webhook URL: (?P<example>https://.+)"),
        N_("A Slack target is an incoming webhook URL: %(example)s"),
    ),
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
