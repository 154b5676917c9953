"""List a site's responses newest first, a keyset page at a time, behind opaque cursors."""

import base64
import binascii
import json
from datetime import UTC, datetime

from sqlalchemy import select, tuple_

from ..extensions import db
from ..models import MAX_ROW_ID, Response, Site
from .filters import NEWEST_FIRST, has_comment, iso_utc, response_conditions


def encode_cursor(received_at: datetime, response_id: int) -> str:
    """Return the opaque cursor that continues a listing after this response."""
    raw = json.dumps([iso_utc(received_at), response_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return the (received_at, id) a cursor holds; raise ValueError when it holds none."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, response_id = json.loads(raw)
        received_at = datetime.fromisoformat(moment.removesuffix("Z"))
    except (binascii.Error, UnicodeDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError("not a cursor") from exc
    if received_at.tzinfo is not None or type(response_id) is not int:
        raise ValueError("not a cursor")
    if not 0 < response_id <= MAX_ROW_ID:
        raise ValueError("not a cursor")
    return received_at.replace(tzinfo=UTC), response_id


def list_conditions(site: Site, query: dict) -> list:
    """Return the SQL conditions of a response listing: the common filters, scores and text."""
    conditions = response_conditions(site.id, query)
    if query.get("min_score") is not None:
        conditions.append(Response.score >= query["min_score"])
    if query.get("max_score") is not None:
        conditions.append(Response.score <= query["max_score"])
    if query.get("q"):
        conditions.append(Response.comment.icontains(query["q"], autoescape=True))
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
    conditions = list_conditions(site, query)
    if with_comment:
        conditions += has_comment()
    rows = db.session.scalars(
        select(Response).where(*conditions).order_by(*NEWEST_FIRST).limit(limit + 1)
    ).all()
    items = rows[:limit]
    more = len(rows) > limit
    next_cursor = encode_cursor(items[-1].received_at, items[-1].id) if more else None
    return {"items": items, "next_cursor": next_cursor}
