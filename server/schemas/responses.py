"""Define stored responses as the admin API shows them, their listing's query and erasure."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..insight.listing import CURSOR
from ..insight.themes import stored_evidence
from ..models import SCORE_RANGES
from .fields import (
    Cursor,
    EmailAddress,
    NormalString,
    Pattern,
    QueryInteger,
    ThemeNames,
    Timestamp,
    characters,
)
from .filters import ReportFilterSchema
from .ingest_fields import MAX_EMAIL_LENGTH
from .patterns import SINGLE_LINE
from .triage import StatusFilterSchema, status_field

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
LOWEST_SCORE = min(low for low, _ in SCORE_RANGES.values())
HIGHEST_SCORE = max(high for _, high in SCORE_RANGES.values())


class ResponseSchema(Schema):
    """One stored response, with the keys and order of the export's columns."""

    id = fields.Integer()
    received_at = Timestamp()
    site_key = fields.String(attribute="site.key")
    metric = fields.String()
    score = fields.Integer()
    phase = fields.String(allow_none=True)
    phase_source = fields.String(allow_none=True)
    page_url = fields.String()
    page_path = fields.String()
    page_title = fields.String(allow_none=True)
    referrer_host = fields.String(allow_none=True)
    locale = fields.String(allow_none=True)
    device = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    tags = fields.Dict(allow_none=True)
    event_id = fields.String(allow_none=True)
    themes = ThemeNames(
        union_with="reasons",
        metadata={
            "description": "Complaint themes: those the comment raises and those the visitor "
            "reported (`reasons`)."
        },
    )
    reasons = ThemeNames(metadata={"description": "Complaint themes the visitor picked."})
    status = status_field(metadata={"description": "Triage status: `new` until someone sets it."})
    note = fields.String(allow_none=True, metadata={"description": "The team's own remark."})
    theme_evidence = fields.Method(
        "evidence",
        metadata={
            "type": "object",
            "additionalProperties": {"type": "string", "nullable": True},
            "description": 'For each of `themes`, `"reported"` when the visitor picked it, '
            'else the words of the comment that raised it, e.g. `{"waiting": "40 minuten in '
            'de wacht"}` (null for a theme an older tagger gave that the current one does not '
            "find; `touchpoint themes retag` updates it).",
        },
    )

    def evidence(self, response) -> dict:
        """Return what lies behind each of the response's themes (`stored_evidence`)."""
        return stored_evidence(response.comment, response.themes, response.reasons)


class ResponsePageSchema(Schema):
    """One page of responses, newest first."""

    items = fields.List(fields.Nested(ResponseSchema))
    next_cursor = fields.String(
        allow_none=True,
        validate=Pattern(CURSOR),
        metadata={"description": "Pass back as `cursor` for the next page; null on the last."},
    )


class ResponseListQuerySchema(StatusFilterSchema):
    """The query string of the response listing: the common filters, status and paging."""

    min_score = QueryInteger(
        validate=validate.Range(min=LOWEST_SCORE, max=HIGHEST_SCORE),
        metadata={"description": "Not above `max_score`."},
    )
    max_score = QueryInteger(validate=validate.Range(min=LOWEST_SCORE, max=HIGHEST_SCORE))
    q = NormalString(
        validate=[characters(1, 200), Pattern(SINGLE_LINE)],
        metadata={
            "description": "Text the comment contains, compared case-insensitively (Unicode "
            "case folding: `É` = `é`, `ß` = `ss`)."
        },
    )
    limit = QueryInteger(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )
    cursor = Cursor(metadata={"description": "The `next_cursor` of the previous page."})

    @validates_schema
    def check_score_range(self, data, **kwargs):
        """Refuse a score range whose minimum is above its maximum."""
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and low > high:
            raise ValidationError("`min_score` must not be above `max_score`.", "min_score")


class ErasureSchema(Schema):
    """Whose responses to erase."""

    email = EmailAddress(
        required=True,
        validate=validate.Length(max=MAX_EMAIL_LENGTH),
        metadata={"description": "Compared case-insensitively (Unicode case folding)."},
    )


class ErasureResultSchema(Schema):
    """How many responses an erasure deleted."""

    deleted = fields.Integer()


class SiteOverviewQuerySchema(ReportFilterSchema, ResponseListQuerySchema):
    """The dashboard's site page: a report window (ending now unless `to` is given) and the
    comment listing's filters."""
