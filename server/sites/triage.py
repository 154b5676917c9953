"""Triage a site's responses: set one response's status and note, or many a status at once."""

from sqlalchemy import select, update

from ..audit.record import Actor, record_change
from ..extensions import db
from ..models import Response, Site


def triage_response(site: Site, response_id: int, changes: dict, *, actor: Actor | None):
    """Apply `changes` (`status`, `note`) to one of the site's responses and commit.

    Audit only what changed (no entry when nothing did). Return the response, or None when
    the site has none with that id.
    """
    response = db.session.scalar(
        select(Response).where(Response.site_id == site.id, Response.id == response_id)
    )
    if response is None:
        return None
    details = {}
    if "status" in changes and changes["status"] != response.status:
        details["status"] = response.status = changes["status"]
    if "note" in changes and changes["note"] != response.note:
        response.note = changes["note"]
        # The note is the team's own text; the log says it changed, not what it says.
        details["note"] = "set" if changes["note"] else "removed"
    # The log records changes: a call that changes nothing leaves no entry.
    if details:
        record_change(
            actor, "response.triage", site_key=site.key, details={"id": response.id, **details}
        )
    db.session.commit()
    return response


def triage_responses(site: Site, ids: list[int], status: str, *, actor: Actor | None) -> int:
    """Give the site's responses among `ids` the status `status` in one UPDATE, and commit.

    Ids of other sites' responses, and responses already in `status`, are left alone.
    Audit the responses that changed (no entry when none did). Return how many changed.
    """
    changed = []
    if ids:
        statement = (
            update(Response)
            .where(
                Response.site_id == site.id,
                Response.id.in_(set(ids)),
                Response.status != status,
            )
            .values(status=status)
            .returning(Response.id)
            .execution_options(synchronize_session=False)
        )
        changed = sorted(db.session.scalars(statement).all())
    if changed:
        details = {"status": status, "updated": len(changed), "ids": changed}
        record_change(actor, "responses.triage", site_key=site.key, details=details)
    db.session.commit()
    return len(changed)
