"""Define the widget's response payload: the one definition of its rules, on the hot path too.

`ResponseInSchema` validates the body of `POST /api/v1/sites/{site_key}/responses` and turns
it into the stored columns; the OpenAPI document is generated from it. Two rules depend on the
site, which is passed in with `Context({"site": …})` around `load`: which query parameters a
page URL keeps, and whether an email address is collected at all. Build the schema once and
reuse it (`RESPONSE_IN`): a schema instance costs more to build than to run.
"""

import math
import re
from typing import ClassVar

from marshmallow import (
    EXCLUDE,
    INCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)
from marshmallow.experimental.context import Context

from ..ingest.normalize import (
    ANY_CONTROL_CHARACTER,
    MAX_COMMENT_LENGTH,
    InvalidURL,
    clean_locale,
    clean_text,
    normalize_url,
    referrer_host,
)
from ..models import METRICS, PHASES, SCORE_RANGES
from .fields import HTTP_AUTHORITY, CheckedString, Entries, Pattern

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


class FilledHoneypot(Exception):
    """The hidden `hp` field holds text: a bot filled it, so nothing is stored."""


def site_setting(name: str, default):
    """Return setting `name` of the site the payload is loaded for (see the module docstring)."""
    site = Context.get({}).get("site")
    return default if site is None else getattr(site, name)


class Comment(fields.String):
    """A comment, cleaned, of at most 2000 characters once cleaned."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "too_long": f"Longer than maximum length {MAX_COMMENT_LENGTH}."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_text(super()._deserialize(value, attr, data, **kwargs))
        if text and len(text) > MAX_COMMENT_LENGTH:
            raise self.make_error("too_long")
        return text


class PageUrl(CheckedString):
    """An absolute http(s) URL (`PAGE_URL`) that fits once normalised: loads as `(url, path)`."""

    def __init__(self, **kwargs):
        error = "Must be an absolute http or https URL without control characters."
        super().__init__(validate=Pattern(PAGE_URL, error=error), **kwargs)

    def convert(self, text: str) -> tuple[str, str]:
        try:
            return normalize_url(text, site_setting("keep_query_params", frozenset()))
        except InvalidURL as exc:
            raise ValidationError(str(exc)) from exc


class Title(fields.String):
    """A page title: control characters removed, cut to 300 characters (never refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_text(super()._deserialize(value, attr, data, **kwargs))
        return text[:MAX_TITLE_LENGTH] if text else None


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
        return value


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
        for key, item in value.items():
            try:
                self.key_field.deserialize(key)
                self.value_field.deserialize(item)
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        return value


class SiteEmail(fields.Field):
    """The visitor's email address, read only when the site collects them, else ignored."""

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


def optional(field: fields.Field) -> fields.Field:
    """Return `field` made optional: absent or null loads as None."""
    field.load_default = None
    field.allow_none = True
    return field


class FilledHoneypotSchema(Schema):
    """A bot's submission: the hidden `hp` field holds text, so nothing else is looked at."""

    class Meta:
        unknown = INCLUDE

    hp = fields.String(required=True, validate=validate.Length(min=1))


FILLED_HONEYPOT = FilledHoneypotSchema()


class PageSchema(Schema):
    """The page the visitor was on."""

    class Meta:
        unknown = EXCLUDE

    url = PageUrl(
        required=True,
        metadata={
            "description": "Absolute http(s) URL, at most 2048 characters once normalised; "
            "stored without fragment and with only the site's kept query parameters."
        },
    )
    title = optional(Title(metadata={"description": "Control characters removed; cut to 300."}))
    referrer = optional(
        Referrer(metadata={"description": "Only its host is stored; not a URL: dropped."})
    )


class ResponseInSchema(Schema):
    """One response as the widget sends it; unknown fields are ignored."""

    class Meta:
        unknown = EXCLUDE

    #: The rule between `metric` and `score` (`check_score_range`), for the OpenAPI document.
    OPENAPI_RULES: ClassVar[dict] = {
        "oneOf": [
            {
                "properties": {
                    "metric": {"enum": [metric]},
                    "score": {"minimum": low, "maximum": high},
                }
            }
            for metric, (low, high) in SCORE_RANGES.items()
        ]
    }

    metric = fields.String(
        required=True,
        validate=validate.OneOf(METRICS, error=f"Must be one of: {', '.join(METRICS)}."),
    )
    score = fields.Integer(
        required=True,
        strict=True,
        metadata={"description": "Inside the metric's range; JSON integers only (2.0 is refused)."},
    )
    comment = optional(
        Comment(metadata={"description": "Trimmed, control characters removed; ≤ 2000."})
    )
    page = fields.Nested(PageSchema, required=True)
    phase = optional(
        fields.String(
            validate=validate.OneOf(PHASES, error=f"Must be one of: {', '.join(PHASES)}.")
        )
    )
    locale = optional(Locale(metadata={"description": "BCP 47 tag; otherwise dropped."}))
    tags = optional(
        Tags(metadata={"description": "At most 20 keys matching ^[A-Za-z0-9_.-]{1,40}$."})
    )
    email = optional(
        SiteEmail(
            metadata={
                "description": "Read only when the site collects email addresses: then a "
                "valid address of at most 254 characters (or empty); otherwise ignored, "
                "whatever it holds."
            }
        )
    )
    event_id = optional(
        EventId(metadata={"format": "uuid", "description": "The client's idempotency key."})
    )
    hp = optional(
        fields.String(
            metadata={
                "description": "Honeypot, always empty: text here means a bot, answered "
                '`201 {"id": null}` with nothing stored.'
            }
        )
    )

    @pre_load
    def refuse_filled_honeypot(self, data, **kwargs):
        """Stop at a filled honeypot (`FilledHoneypotSchema`) before any other field is read."""
        honeypot = data.get("hp") if isinstance(data, dict) else None
        if honeypot and not FILLED_HONEYPOT.validate({"hp": honeypot}):
            raise FilledHoneypot
        return data

    @validates_schema(skip_on_field_errors=False)
    def check_score_range(self, data, **kwargs):
        """Refuse a score outside its metric's range (reported beside any other field's error)."""
        metric, score = data.get("metric"), data.get("score")
        if metric in SCORE_RANGES and isinstance(score, int):
            low, high = SCORE_RANGES[metric]
            if not low <= score <= high:
                raise ValidationError(
                    f"Must be greater than or equal to {low} and less than or equal to {high}.",
                    "score",
                )

    @post_load
    def stored_columns(self, data, **kwargs):
        """Return the columns a valid response is stored as."""
        page = data["page"]
        url, path = page["url"]
        return {
            "metric": data["metric"],
            "score": data["score"],
            "comment": data["comment"],
            "page_url": url,
            "page_path": path,
            "page_title": page["title"],
            "referrer_host": page["referrer"],
            "phase": data["phase"],
            "locale": data["locale"],
            "tags": data["tags"] or None,
            "email": data["email"],
            "event_id": data["event_id"],
        }


class ResponseOutSchema(Schema):
    """The answer to a submitted response."""

    id = fields.Integer(allow_none=True, metadata={"description": "null for the honeypot"})
    duplicate = fields.Boolean()
    phase = fields.String(allow_none=True, validate=validate.OneOf(PHASES))


class WidgetConfigSchema(Schema):
    """A site's public widget settings."""

    enabled = fields.Boolean(metadata={"description": "false: the widget says feedback is closed"})
    collect_email = fields.Boolean()
    widget = fields.Dict(metadata={"description": "The site's widget settings."})


#: Built once: the hot path loads every payload with this instance.
RESPONSE_IN = ResponseInSchema()


def load_response(site, payload: dict) -> dict | None:
    """Return the stored columns of `payload` sent to `site`, or None for a filled honeypot.

    `site` needs `keep_query_params` and `collect_email`. Raise marshmallow's
    `ValidationError` naming every failing field when the payload breaks a rule.
    """
    try:
        with Context({"site": site}):
            return RESPONSE_IN.load(payload)
    except FilledHoneypot:
        return None
