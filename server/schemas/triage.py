"""Define triage: the status filter, one response's status and note, and bulk status changes."""

from marshmallow import Schema, fields, validate

from ..models import MAX_ROW_ID, STATUSES
from .fields import Integer, QueryInteger
from .filters import ResponseFilterSchema
from .ingest_fields import Comment

#: Responses one bulk triage call may name.
MAX_BULK_IDS = 500


def status_field(**kwargs) -> fields.String:
    """Return a field holding one of the triage statuses."""
    return fields.String(validate=validate.OneOf(STATUSES), **kwargs)


class StatusFilterSchema(ResponseFilterSchema):
    """The common filters and a triage status: listings and exports leave spam out unless
    `status=spam` asks for it."""

    status = status_field(
        metadata={
            "description": "Only responses with this triage status; without it every status "
            "but `spam`."
        }
    )


class TriageSchema(Schema):
    """A change to one response's triage: its status, its note, or both."""

    status = status_field()
    note = Comment(
        allow_none=True,
        metadata={
            "description": "The team's own remark, at most 2000 characters once cleaned like a "
            "comment (NFC, control characters but newline and tab removed, trimmed); null or "
            "empty removes it."
        },
    )


class BulkTriageSchema(Schema):
    """A status for many of a site's responses at once."""

    ids = fields.List(
        Integer(validate=validate.Range(min=1, max=MAX_ROW_ID)),
        required=True,
        validate=validate.Length(max=MAX_BULK_IDS),
        metadata={"description": "Response ids; ids of other sites are ignored."},
    )
    status = status_field(required=True)


class BulkTriageResultSchema(Schema):
    """How many of the site's responses a bulk triage changed."""

    updated = fields.Integer(
        metadata={"description": "Responses of this site whose status changed."}
    )


class BulkTriageFormSchema(BulkTriageSchema):
    """A bulk triage posted by the dashboard's inbox: the ids as form text."""

    ids = fields.List(
        QueryInteger(validate=validate.Range(min=1, max=MAX_ROW_ID)),
        required=True,
        validate=validate.Length(max=MAX_BULK_IDS),
    )
