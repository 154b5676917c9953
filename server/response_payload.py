"""Validate the widget's response payload: the documented schema and the hot path's validator.

`ResponseInSchema` documents the body of `POST /api/v1/sites/{site_key}/responses` and is the
reference for its rules. `validate_payload` applies the same rules by hand, because the
schema costs more than the rest of the request (see docs/performance.md); a parity test feeds
both the same payloads and demands the same verdicts.
"""

import math
import re

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from .models import METRICS, PHASES, SCORE_RANGES
from .normalize import (
    CONTROL_CHARACTERS,
    MAX_COMMENT_LENGTH,
    InvalidURL,
    clean_locale,
    clean_text,
    normalize_url,
    referrer_host,
)

MAX_TITLE_LENGTH = 300
MAX_EMAIL_LENGTH = 254
MAX_TAGS = 20
MAX_TAG_VALUE_LENGTH = 200
TAG_KEY = re.compile(r"[A-Za-z0-9_.-]{1,40}")
EVENT_ID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")

REQUIRED = "Missing data for required field."
NOT_NULL = "Field may not be null."
NOT_STRING = "Not a valid string."
NOT_INTEGER = "Not a valid integer."
NOT_OBJECT = "Not a valid mapping type."
NOT_EMAIL = "Not a valid email address."
NOT_UUID = "Not a valid UUID."
TOO_MANY_TAGS = f"At most {MAX_TAGS} tags."
BAD_TAG_KEY = "Tag keys are 1 to 40 letters, digits, '_', '.' or '-'."
BAD_TAG_VALUE = (
    f"Tag values are strings of at most {MAX_TAG_VALUE_LENGTH} characters without control "
    "characters, numbers or booleans."
)
METRIC_CHOICES = f"Must be one of: {', '.join(METRICS)}."
PHASE_CHOICES = f"Must be one of: {', '.join(PHASES)}."
COMMENT_TOO_LONG = f"Longer than maximum length {MAX_COMMENT_LENGTH}."
EMAIL_TOO_LONG = f"Longer than maximum length {MAX_EMAIL_LENGTH}."

email_validator = validate.Email(error=NOT_EMAIL)


def score_range_message(metric: str) -> str:
    """Return the error for a score outside `metric`'s range."""
    low, high = SCORE_RANGES[metric]
    return f"Must be greater than or equal to {low} and less than or equal to {high}."


def tag_errors(tags: dict) -> dict[str, list[str]]:
    """Return the errors of a tags object, keyed `tags` or `tags.<key>`."""
    if len(tags) > MAX_TAGS:
        return {"tags": [TOO_MANY_TAGS]}
    errors = {}
    for key, value in tags.items():
        if not TAG_KEY.fullmatch(key):
            errors[f"tags.{key}"] = [BAD_TAG_KEY]
        elif isinstance(value, str):
            if len(value) > MAX_TAG_VALUE_LENGTH or CONTROL_CHARACTERS.search(value):
                errors[f"tags.{key}"] = [BAD_TAG_VALUE]
        elif isinstance(value, float):
            if not math.isfinite(value):
                errors[f"tags.{key}"] = [BAD_TAG_VALUE]
        elif not isinstance(value, int):
            errors[f"tags.{key}"] = [BAD_TAG_VALUE]
    return errors


def email_error(email: str) -> str | None:
    """Return why `email` cannot be stored, or None when it is a valid address."""
    if len(email) > MAX_EMAIL_LENGTH:
        return EMAIL_TOO_LONG
    try:
        email_validator(email)
    except ValidationError:
        return NOT_EMAIL
    return None


class StrictInteger(fields.Integer):
    """A JSON integer: booleans, floats and numeric strings are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not int:
            raise self.make_error("invalid", input=value)
        return value


class Comment(fields.String):
    """A comment, cleaned, of at most 2000 characters once cleaned."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_text(super()._deserialize(value, attr, data, **kwargs))
        if text and len(text) > MAX_COMMENT_LENGTH:
            raise ValidationError(COMMENT_TOO_LONG)
        return text


class EventId(fields.String):
    """A UUID in its canonical 8-4-4-4-12 form, in either case."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not EVENT_ID.fullmatch(text):
            raise ValidationError(NOT_UUID)
        return text.lower()


class PageUrl(fields.String):
    """An absolute http(s) URL that fits once normalised."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            normalize_url(text)
        except InvalidURL as exc:
            raise ValidationError(str(exc)) from exc
        return text


class Tags(fields.Dict):
    """Up to 20 tags: keys of safe characters, values short strings, numbers or booleans."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise self.make_error("invalid")
        errors = tag_errors(value)
        if "tags" in errors:
            raise ValidationError(errors["tags"])
        if errors:
            raise ValidationError({key.partition(".")[2]: msgs for key, msgs in errors.items()})
        return value


class CollectedEmail(fields.String):
    """A visitor's email address, at most 254 characters; empty means none."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text and (message := email_error(text)):
            raise ValidationError(message)
        return text or None


def optional_string(**kwargs) -> fields.String:
    """Return an optional string field that also accepts null."""
    return fields.String(load_default=None, allow_none=True, **kwargs)


class PageSchema(Schema):
    """The page the visitor was on."""

    class Meta:
        unknown = EXCLUDE

    url = PageUrl(
        required=True,
        metadata={"description": "Absolute http(s) URL; stored without query or fragment."},
    )
    title = optional_string(metadata={"description": "Cut to 300 characters."})
    referrer = optional_string(
        metadata={"description": "Only its host is stored; not a URL: dropped."}
    )


class ResponseInSchema(Schema):
    """One response as the widget sends it; unknown fields are ignored."""

    class Meta:
        unknown = EXCLUDE

    metric = fields.String(required=True, validate=validate.OneOf(METRICS, error=METRIC_CHOICES))
    score = StrictInteger(
        required=True, metadata={"description": "Inside the metric's range; integers only."}
    )
    comment = Comment(
        load_default=None,
        allow_none=True,
        metadata={"description": "Trimmed, control characters removed; at most 2000 characters."},
    )
    page = fields.Nested(PageSchema, required=True)
    phase = optional_string(validate=validate.OneOf(PHASES, error=PHASE_CHOICES))
    locale = optional_string(metadata={"description": "BCP 47 tag; otherwise dropped."})
    tags = Tags(
        load_default=None,
        allow_none=True,
        metadata={"description": "At most 20 keys matching ^[A-Za-z0-9_.-]{1,40}$."},
    )
    email = CollectedEmail(
        load_default=None,
        allow_none=True,
        metadata={"description": "Stored only when the site collects email addresses."},
    )
    event_id = EventId(
        load_default=None,
        allow_none=True,
        metadata={"format": "uuid", "description": "Chosen by the client: the idempotency key."},
    )
    hp = optional_string(metadata={"description": "Honeypot: always empty."})

    @validates_schema(skip_on_field_errors=False)
    def check_score_range(self, data, **kwargs):
        """Refuse a score outside its metric's range."""
        metric, score = data.get("metric"), data.get("score")
        if metric in SCORE_RANGES and isinstance(score, int):
            low, high = SCORE_RANGES[metric]
            if not low <= score <= high:
                raise ValidationError(score_range_message(metric), "score")


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


def absent(container: dict, key: str) -> list[str]:
    """Return the error of a required field that is missing or null."""
    return [REQUIRED if key not in container else NOT_NULL]


def optional_text(container: dict, key: str, path: str, errors: dict) -> str | None:
    """Return the optional string at `key`, recording an error under `path` if it is not one."""
    value = container.get(key)
    if value is None or isinstance(value, str):
        return value
    errors[path] = [NOT_STRING]
    return None


def page_fields(page: dict, keep_query_params: frozenset[str], errors: dict) -> dict:
    """Return the stored page columns of a `page` object, recording errors under `page.…`."""
    clean = {}
    url = page.get("url")
    if url is None:
        errors["page.url"] = absent(page, "url")
    elif not isinstance(url, str):
        errors["page.url"] = [NOT_STRING]
    else:
        try:
            clean["page_url"], clean["page_path"] = normalize_url(url, keep_query_params)
        except InvalidURL as exc:
            errors["page.url"] = [str(exc)]
    title = optional_text(page, "title", "page.title", errors)
    clean["page_title"] = (clean_text(title) or "")[:MAX_TITLE_LENGTH] or None
    referrer = optional_text(page, "referrer", "page.referrer", errors)
    clean["referrer_host"] = referrer_host(referrer) if referrer else None
    return clean


def validate_payload(
    payload: dict, keep_query_params: frozenset[str] = frozenset(), collect_email: bool = False
) -> tuple[dict, dict[str, list[str]]]:
    """Check and normalise a response payload; return `(fields, errors)` keyed by dotted path."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}

    metric = payload.get("metric")
    known_metric = isinstance(metric, str) and metric in SCORE_RANGES
    if metric is None:
        errors["metric"] = absent(payload, "metric")
    elif not known_metric:
        errors["metric"] = [METRIC_CHOICES if isinstance(metric, str) else NOT_STRING]
    clean["metric"] = metric

    score = payload.get("score")
    if score is None:
        errors["score"] = absent(payload, "score")
    elif type(score) is not int:
        errors["score"] = [NOT_INTEGER]
    elif known_metric:
        low, high = SCORE_RANGES[metric]
        if not low <= score <= high:
            errors["score"] = [score_range_message(metric)]
    clean["score"] = score

    comment = optional_text(payload, "comment", "comment", errors)
    clean["comment"] = clean_text(comment)
    if clean["comment"] and len(clean["comment"]) > MAX_COMMENT_LENGTH:
        errors["comment"] = [COMMENT_TOO_LONG]

    page = payload.get("page")
    if page is None:
        errors["page"] = absent(payload, "page")
    elif not isinstance(page, dict):
        errors["page"] = [NOT_OBJECT]
    else:
        clean.update(page_fields(page, keep_query_params, errors))

    phase = payload.get("phase")
    if phase is not None and not (isinstance(phase, str) and phase in PHASES):
        errors["phase"] = [PHASE_CHOICES if isinstance(phase, str) else NOT_STRING]
    clean["phase"] = phase

    locale = optional_text(payload, "locale", "locale", errors)
    clean["locale"] = clean_locale(locale) if locale else None

    tags = payload.get("tags")
    if tags is not None:
        if not isinstance(tags, dict):
            errors["tags"] = [NOT_OBJECT]
        else:
            errors.update(tag_errors(tags))
    clean["tags"] = tags or None

    clean["email"] = None
    if collect_email:
        email = optional_text(payload, "email", "email", errors)
        if email and (message := email_error(email)):
            errors["email"] = [message]
        clean["email"] = email or None

    event_id = payload.get("event_id")
    if event_id is not None:
        if not isinstance(event_id, str):
            errors["event_id"] = [NOT_STRING]
        elif not EVENT_ID.fullmatch(event_id):
            errors["event_id"] = [NOT_UUID]
        else:
            event_id = event_id.lower()
    clean["event_id"] = event_id
    return clean, errors
