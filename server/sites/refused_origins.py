"""Count the origins a site refused (at most 50 per site) and list them for the site's admins.

A page on an origin the site does not allow gets a 403; its owner learns of it here (origin,
count, last seen), e.g. a new domain nobody added. Counting happens on the 403 path only, in
one short transaction, and never changes the answer: a database error there is only logged.
"""

import logging

from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..ingest.normalize import normalize_origin
from ..models import RefusedOrigin, Site, UTCDateTime, utcnow

log = logging.getLogger(__name__)

#: Distinct refused origins counted per site; a scanner cycling through origins adds no more.
MAX_ORIGINS_PER_SITE = 50
#: Longer Origin headers are not counted (the column's length).
MAX_ORIGIN_LENGTH = 255
#: What browsers send for sandboxed frames, `file:` pages and some redirects.
OPAQUE_ORIGIN = "null"

TABLE = RefusedOrigin.__table__
UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def countable_origin(origin: str) -> str | None:
    """Return `origin` as it is counted (normal form, or "null"); None when it is not one."""
    if origin == OPAQUE_ORIGIN:
        return origin
    try:
        origin = normalize_origin(origin)
    except ValueError:
        return None
    return origin if len(origin) <= MAX_ORIGIN_LENGTH else None


def count_refused_origin(site_id: int, origin: str) -> None:
    """Count one request from `origin`, which site `site_id` refused; log a database error."""
    counted = countable_origin(origin)
    if counted is None:
        return
    try:
        with db.engine.begin() as connection:
            add_to_count(connection, site_id, counted)
    except SQLAlchemyError as exc:
        log.warning("refused origin %s not counted: %s", counted, exc)


def add_to_count(connection, site_id: int, origin: str) -> None:
    """Add one to the origin's count, or start counting it while the site has room for it."""
    now = utcnow()
    this_origin = (TABLE.c.site_id == site_id) & (TABLE.c.origin == origin)
    bumped = update(TABLE).where(this_origin).values(count=TABLE.c.count + 1, last_seen=now)
    if connection.execute(bumped).rowcount:
        return
    # A new origin. PostgreSQL: hold the site's row, so that two new origins at once cannot
    # both be the 50th; SQLite runs the one statement below alone.
    sites = Site.__table__
    connection.execute(select(sites.c.id).where(sites.c.id == site_id).with_for_update())
    known = select(func.count()).where(TABLE.c.site_id == site_id).scalar_subquery()
    values = select(
        literal(site_id), literal(origin), literal(1), literal(now, UTCDateTime())
    ).where(known < MAX_ORIGINS_PER_SITE)
    insert = UPSERTS[connection.dialect.name](TABLE).from_select(
        ["site_id", "origin", "count", "last_seen"], values
    )
    # Two first sightings of one origin at once: the unique constraint makes the second a count.
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=[TABLE.c.site_id, TABLE.c.origin],
            set_={"count": TABLE.c.count + 1, "last_seen": now},
        )
    )


def list_refused_origins(site: Site, query: dict) -> dict:
    """Return one page of the site's refused origins in the order they were first refused.

    `query` holds `limit` and, to continue, `cursor` (the `next_cursor` of the page before).
    """
    limit = query["limit"]
    rows = db.session.scalars(
        select(RefusedOrigin)
        .where(RefusedOrigin.site_id == site.id, RefusedOrigin.id > query.get("cursor", 0))
        .order_by(RefusedOrigin.id)
        .limit(limit + 1)
    ).all()
    items = rows[:limit]
    more = len(rows) > limit
    return {"items": items, "next_cursor": str(items[-1].id) if more else None}


def refused_origins_by_count(site: Site) -> list[RefusedOrigin]:
    """Return all the site's refused origins, the most frequent first (for the dashboard)."""
    return db.session.scalars(
        select(RefusedOrigin)
        .where(RefusedOrigin.site_id == site.id)
        .order_by(RefusedOrigin.count.desc(), RefusedOrigin.origin)
    ).all()
