"""Define the refused origins as the admin API lists them, and their listing's query."""

from marshmallow import Schema, fields, validate

from ..sites.refused_origins import MAX_ORIGINS_PER_SITE
from .fields import Pattern, QueryInteger, Timestamp

#: A cursor is the id of the last origin of the page before (an INTEGER column: 32 bits).
CURSOR = r"^[1-9][0-9]{0,9}$"
MAX_CURSOR = 2**31 - 1


class RefusedOriginSchema(Schema):
    """An origin the site does not allow that called its public API."""

    origin = fields.String(metadata={"description": "As the browser sent it, or `null`."})
    count = fields.Integer(metadata={"description": "Requests refused from this origin."})
    last_seen = Timestamp()


class RefusedOriginPageSchema(Schema):
    """One page of a site's refused origins, in the order they were first refused."""

    items = fields.List(fields.Nested(RefusedOriginSchema))
    next_cursor = fields.String(
        allow_none=True,
        validate=Pattern(CURSOR),
        metadata={"description": "Pass back as `cursor` for the next page; null on the last."},
    )


class RefusedOriginQuerySchema(Schema):
    """The query string of the refused-origin listing: paging only."""

    limit = QueryInteger(
        load_default=MAX_ORIGINS_PER_SITE,
        validate=validate.Range(min=1, max=MAX_ORIGINS_PER_SITE),
    )
    cursor = QueryInteger(
        validate=validate.Range(min=1, max=MAX_CURSOR),
        metadata={"description": "The `next_cursor` of the previous page."},
    )
