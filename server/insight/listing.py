"""List a site's responses newest first, a keyset page at a time, continued by cursors."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, tuple_

from ..extensions import db
from ..models import Response, Site
from ..text import fold
from .filters import NEWEST_FIRST, has_comment, in_reporting_zone, response_conditions

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
#: A cursor is `<received_at in microseconds since 1970>.<id>`. Every text of this shape is a
#: position a listing can continue from (between the years 1653 and 5138, ids below 10**18),
#: so the OpenAPI document can say exactly which cursors are accepted.
CURSOR = r"^(?:-[0-9]{1,16}|[0-9]{1,17})\.[1-9][0-9]{0,17}$"


def encode_cursor(received_at: datetime, response_id: int) -> str:
    """Return the cursor that continues a listing after this response."""
    return f"{(received_at - EPOCH) // MICROSECOND}.{response_id}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return the (received_at, id) of a cursor that matches `CURSOR`."""
    microseconds, _, response_id = cursor.partition(".")
    return EPOCH + int(microseconds) * MICROSECOND, int(response_id)


def list_conditions(site: Site, query: dict) -> list:
    """Return the SQL conditions of a response listing: the common filters, scores and text."""
    conditions = response_conditions(site.id, query)
    if query.get("min_score") is not None:
        conditions.append(Response.score >= query["min_score"])
    if query.get("max_score") is not None:
        conditions.append(Response.score <= query["max_score"])
    if query.get("q"):
        # Folded text against folded text: Unicode case folding alike on both databases.
        conditions.append(Response.comment_folded.contains(fold(query["q"]), autoescape=True))
    if query.get("cursor"):
        received_at, response_id = query["cursor"]
        position = tuple_(Response.received_at, Response.id)
        conditions.append(position < tuple_(received_at, response_id))
    return conditions


def list_responses(site: Site, query: dict, *, with_comment: bool = False) -> dict:
    """Return one page of a site's responses, newest first, and the cursor of the next.

    `query` holds the listing's filters and `limit`; `with_comment` keeps only responses
    that carry a comment. The answer is `{"items": [Response, …], "next_cursor": str | None}`.
    """
    limit = query["limit"]
    conditions = list_conditions(site, in_reporting_zone(site, query))
    if with_comment:
        conditions += has_comment()
    rows = db.session.scalars(
        select(Response).where(*conditions).order_by(*NEWEST_FIRST).limit(limit + 1)
    ).all()
    items = rows[:limit]
    more = len(rows) > limit
    next_cursor = encode_cursor(items[-1].received_at, items[-1].id) if more else None
    return {"items": items, "next_cursor": next_cursor}
