"""List the audit log newest first, a keyset page at a time, narrowed to what a token may see."""

from sqlalchemy import select

from ..extensions import db
from ..models import AdminToken, AuditEntry


def list_entries(token: AdminToken, query: dict) -> dict:
    """Return one page of the audit log, newest first, and the cursor of the next.

    `query` holds `limit` and optionally `site` (a site key), `action` and `cursor` (the id
    the previous page ended at). A site-scoped token reads only its own site's entries. The
    answer is `{"items": [AuditEntry, …], "next_cursor": str | None}`.
    """
    conditions = []
    if token.site_id is not None:
        conditions.append(AuditEntry.site_key == token.site.key)
    if query.get("site"):
        conditions.append(AuditEntry.site_key == query["site"])
    if query.get("action"):
        conditions.append(AuditEntry.action == query["action"])
    if query.get("cursor"):
        conditions.append(AuditEntry.id < query["cursor"])
    limit = query["limit"]
    # Ids grow with time, so the newest entries have the largest ids.
    rows = db.session.scalars(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(limit + 1)
    ).all()
    items = rows[:limit]
    next_cursor = str(items[-1].id) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}
