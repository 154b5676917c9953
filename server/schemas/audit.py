"""Define the audit log as the admin API lists it, and its listing's query."""

from marshmallow import Schema, fields, validate

from ..audit.record import ACTIONS, ACTOR_KINDS
from ..models import MAX_ROW_ID
from ..sites.keys import SITE_KEY
from .fields import Pattern, QueryInteger, Timestamp

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
#: A cursor is the id of the last entry of the page before.
CURSOR = r"^[1-9][0-9]{0,18}$"


class AuditEntrySchema(Schema):
    """One change: who made it, what it was, when, and on which site."""

    id = fields.Integer()
    at = Timestamp()
    actor = fields.String(
        attribute="actor_kind",
        validate=validate.OneOf(ACTOR_KINDS),
        metadata={"description": "`token` (admin API), `dashboard` or `cli`."},
    )
    token_id = fields.Integer(
        allow_none=True, metadata={"description": "The acting token's id; null for `cli`."}
    )
    token_name = fields.String(
        allow_none=True, metadata={"description": "The acting token's name; null for `cli`."}
    )
    action = fields.String(validate=validate.OneOf(ACTIONS))
    site_key = fields.String(
        allow_none=True,
        metadata={"description": "The site's key as text (kept after the site is deleted)."},
    )
    details = fields.Dict(
        metadata={"description": "What changed: counts, ids, settings; never an email address."}
    )
    request_id = fields.String(
        allow_none=True, metadata={"description": "The `X-Request-ID` of the change's request."}
    )


class AuditPageSchema(Schema):
    """One page of the audit log, newest first."""

    items = fields.List(fields.Nested(AuditEntrySchema))
    next_cursor = fields.String(
        allow_none=True,
        validate=Pattern(CURSOR),
        metadata={"description": "Pass back as `cursor` for the next page; null on the last."},
    )


class AuditQuerySchema(Schema):
    """The query string of the audit log: filters and paging."""

    site = fields.String(
        validate=Pattern(f"^{SITE_KEY.pattern}$", error="Not a site key."),
        metadata={"description": "Only entries about the site with this key, deleted or not."},
    )
    action = fields.String(validate=validate.OneOf(ACTIONS))
    limit = QueryInteger(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )
    cursor = QueryInteger(
        validate=validate.Range(min=1, max=MAX_ROW_ID),
        metadata={"description": "The `next_cursor` of the previous page."},
    )
