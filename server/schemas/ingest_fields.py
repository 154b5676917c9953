"""Hold the fields of the widget's response payload: what each accepts and what it loads as.

Two rules depend on the site the payload is sent to, which `schemas.ingest.load_response`
passes in with marshmallow's `Context({"site": …})`: which query parameters a page URL keeps,
and whether an email address is read at all.
"""

import math
import re
from typing import ClassVar

from marshmallow import ValidationError, fields, validate
from marshmallow.experimental.context import Context

from ..ingest.normalize import (
    ANY_CONTROL_CHARACTER,
    MAX_COMMENT_LENGTH,
    InvalidURL,
    clean_locale,
    clean_text,
    nfc,
    normalize_url,
    referrer_host,
    url_origin,
)
from ..insight.themes import THEMES, themes_mask
from .fields import LONE_SURROGATE, CheckedString, Entries, Pattern
from .patterns import HTTP_AUTHORITY

MAX_TITLE_LENGTH = 300
MAX_EMAIL_LENGTH = 254
MAX_TAGS = 20
MAX_TAG_VALUE_LENGTH = 200
TAG_KEY = r"^[A-Za-z0-9_.-]{1,40}$"
#: Any C0 or C1 control character, as a character class's contents.
CONTROLS = ANY_CONTROL_CHARACTER.pattern[1:-1]
#: Text without control characters (tags are structured data: not even tab or newline).
WITHOUT_CONTROLS = rf"^[^{CONTROLS}]*$"
#: An absolute http(s) URL without control characters: what a browser's `location.href` is.
#: `normalize_url` still refuses one whose normalised form is longer than 2048 characters.
PAGE_URL = rf"^{HTTP_AUTHORITY}(?:[/?#][^{CONTROLS}]*)?$"
EVENT_ID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def site_setting(name: str, default):
    """Return setting `name` of the site the payload is loaded for (see the module docstring)."""
    site = Context.get({}).get("site")
    return default if site is None else getattr(site, name)


class Comment(fields.String):
    """A comment, cleaned (`clean_text`), of at most 2000 characters once cleaned.

    Text holding a lone surrogate is refused, as `Pattern` refuses it: it cannot be stored.
    """

    default_error_messages: ClassVar[dict[str, str]] = {
        "too_long": f"Longer than maximum length {MAX_COMMENT_LENGTH}.",
        "not_text": "Not Unicode text: holds an unpaired UTF-16 surrogate.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if LONE_SURROGATE.search(raw):
            raise self.make_error("not_text")
        text = clean_text(raw)
        if text and len(text) > MAX_COMMENT_LENGTH:
            raise self.make_error("too_long")
        return text


class PageUrl(CheckedString):
    """An absolute http(s) URL (`PAGE_URL`) that fits once normalised, on one of the site's
    allowed origins: loads as `(url, path)`."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "other_origin": "The page is not on one of the site's allowed origins.",
    }

    def __init__(self, **kwargs):
        error = "Must be an absolute http or https URL without control characters."
        super().__init__(validate=Pattern(PAGE_URL, error=error), **kwargs)

    def convert(self, text: str) -> tuple[str, str]:
        try:
            url, path = normalize_url(text, site_setting("keep_query_params", frozenset()))
        except InvalidURL as exc:
            raise ValidationError(str(exc)) from exc
        # A script must not fill the site's pages with another host's paths.
        allows_origin = site_setting("allows_origin", None)
        if allows_origin is not None and not allows_origin(url_origin(url)):
            raise self.make_error("other_origin")
        return url, path


class Title(fields.String):
    """A page title: control characters removed, cut to 300 characters (never refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_text(super()._deserialize(value, attr, data, **kwargs))
        # A cut can leave a base letter without its marks: normalise the cut text again
        # (which composes, never lengthens, what was NFC before the cut).
        return nfc(text[:MAX_TITLE_LENGTH]) if text else None


class Referrer(fields.String):
    """A referrer URL: loads as its host; a text that is no URL is dropped."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return referrer_host(text) if text else None


class Locale(fields.String):
    """A BCP 47 language tag of at most 35 characters; anything else is dropped."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return clean_locale(text) if text else None


class TagValue(fields.Field):
    """A tag's value: a string of at most 200 characters without control characters, a number
    or a boolean."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": f"Tag values are strings of at most {MAX_TAG_VALUE_LENGTH} characters "
        "without control characters, numbers or booleans."
    }

    def __init__(self, **kwargs):
        text = {"type": "string", "maxLength": MAX_TAG_VALUE_LENGTH, "pattern": WITHOUT_CONTROLS}
        kinds = [text, {"type": "number"}, {"type": "boolean"}]
        super().__init__(metadata={"anyOf": kinds}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not is_tag_value(value):
            raise self.make_error("invalid")
        return nfc(value) if isinstance(value, str) else value


def is_tag_value(value) -> bool:
    """Tell whether `value` may be a tag's value."""
    if isinstance(value, str):
        return len(value) <= MAX_TAG_VALUE_LENGTH and not ANY_CONTROL_CHARACTER.search(value)
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int)


class Tags(fields.Dict):
    """Up to 20 tags: keys of safe characters, values short strings, numbers or booleans.

    The key and value fields hold the rules (and document them); a broken rule is reported
    under the tag's own key (`tags.<key>`), the count under `tags`.
    """

    def __init__(self, **kwargs):
        self.limit = Entries(MAX_TAGS)
        key = fields.String(
            validate=Pattern(
                TAG_KEY, error="Tag keys are 1 to 40 letters, digits, '_', '.' or '-'."
            )
        )
        super().__init__(keys=key, values=TagValue(), validate=self.limit, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise self.make_error("invalid")
        self.limit(value)
        errors = {}
        tags = {}
        for key, item in value.items():
            try:
                self.key_field.deserialize(key)
                tags[key] = self.value_field.deserialize(item)
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        return tags


class SiteEmail(fields.Field):
    """The visitor's email address in NFC, read only when the site collects them, else
    ignored."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Not a valid email address.",
        "too_long": f"Longer than maximum length {MAX_EMAIL_LENGTH}.",
    }
    address = validate.Email()

    def _deserialize(self, value, attr, data, **kwargs):
        if not site_setting("collect_email", False) or value in (None, ""):
            return None
        if not isinstance(value, str):
            raise self.make_error("invalid")
        value = nfc(value)
        if len(value) > MAX_EMAIL_LENGTH:
            raise self.make_error("too_long")
        try:
            return self.address(value)
        except ValidationError as exc:
            raise self.make_error("invalid") from exc


class EventId(fields.String):
    """A UUID in its canonical 8-4-4-4-12 form, in either case; loads lower-cased."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid_uuid": "Not a valid UUID."}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not EVENT_ID.fullmatch(text):
            raise self.make_error("invalid_uuid")
        return text.lower()


class Reasons(fields.List):
    """The complaint themes the visitor picked: each one of THEMES, none twice; loads as the
    bit mask `responses.reasons` stores (0 for none)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "repeated": "Each reason may be given once.",
    }

    def __init__(self, **kwargs):
        theme = fields.String(
            validate=validate.OneOf(THEMES, error=f"Must be one of: {', '.join(THEMES)}.")
        )
        metadata = {"uniqueItems": True, "maxItems": len(THEMES), **kwargs.pop("metadata", {})}
        super().__init__(theme, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        themes = super()._deserialize(value, attr, data, **kwargs)
        if len(set(themes)) != len(themes):
            raise self.make_error("repeated")
        return themes_mask(themes)
