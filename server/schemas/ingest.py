"""Define the widget's response payload: the one definition of its rules, on the hot path too.

`ResponseInSchema` validates the body of `POST /api/v1/sites/{site_key}/responses` and turns
it into the stored columns; the OpenAPI document is generated from it. Two rules depend on the
site, which is passed in with `Context({"site": …})` around `load`: which query parameters a
page URL keeps, and whether an email address is collected at all. Build the schema once and
reuse it (`RESPONSE_IN`): a schema instance costs more to build than to run.
"""

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

from ..models import METRICS, PHASES, SCORE_RANGES
from .ingest_fields import (
    Comment,
    EventId,
    Locale,
    PageUrl,
    Reasons,
    Referrer,
    SiteEmail,
    Tags,
    Title,
)


class FilledHoneypot(Exception):
    """The hidden `hp` field holds text: a bot filled it, so nothing is stored."""


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
            "description": "Absolute http(s) URL on one of the site's allowed origins (compared "
            "in ASCII (IDNA) form), at most 2048 characters once normalised; stored in NFC, "
            "without fragment and with only the site's kept query parameters."
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
    reasons = optional(
        Reasons(
            metadata={
                "description": "The complaint themes the visitor picked, each at most once; "
                "accepted with any score."
            }
        )
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
            "reasons": data["reasons"] or 0,
        }


class ResponseOutSchema(Schema):
    """The answer to a submitted response."""

    id = fields.Integer(allow_none=True, metadata={"description": "null for the honeypot"})
    duplicate = fields.Boolean()
    phase = fields.String(allow_none=True, validate=validate.OneOf(PHASES))


class WidgetConfigSchema(Schema):
    """A site's public widget settings and the query parameters its pages' URLs keep."""

    enabled = fields.Boolean(metadata={"description": "false: the widget says feedback is closed"})
    collect_email = fields.Boolean()
    widget = fields.Dict(metadata={"description": "The site's widget settings."})
    keep_query_params = fields.List(
        fields.String(),
        metadata={"description": "The only query parameters the widget sends of a page's URL."},
    )


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
