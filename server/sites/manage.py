"""Find, list, count, create, change and delete sites."""

from sqlalchemy import delete, func, select

from ..audit.record import Actor, record_change
from ..extensions import db
from ..models import AdminToken, Response, Site
from ..text import fold_email
from .keys import is_site_key, new_site_key
from .settings import merge_widget

#: Responses deleted per transaction when a site goes: small enough that ingest to other
#: sites, waiting for SQLite's one writer, never waits long.
DELETE_BATCH = 500


def find_site(key: str) -> Site | None:
    """Return the site whose public key is `key`, or None; junk never reaches the database."""
    if not is_site_key(key):
        return None
    return db.session.scalar(select(Site).where(Site.key == key))


def list_sites(site_id: int | None = None) -> list[Site]:
    """Return every site, oldest first; only the one with id `site_id` when it is given."""
    query = select(Site).order_by(Site.id)
    if site_id is not None:
        query = query.where(Site.id == site_id)
    return db.session.scalars(query).all()


def response_counts(site: Site | None = None) -> dict[int, int]:
    """Return how many responses each site has, by site id; only `site`'s when it is given."""
    query = select(Response.site_id, func.count()).group_by(Response.site_id)
    if site is not None:
        query = query.where(Response.site_id == site.id)
    return dict(db.session.execute(query).all())


def create_site(
    name: str, allowed_origins: list[str], *, actor: Actor | None = None, **settings
) -> Site:
    """Create and commit a site, audited as `actor`'s; `settings` are any other `Site` columns."""
    site = Site(key=new_site_key(), name=name, allowed_origins=list(allowed_origins))
    site.phase_rules = list(settings.pop("phase_rules", []))
    site.keep_query_params = list(settings.pop("keep_query_params", []))
    site.widget = dict(settings.pop("widget", {}))
    site.collect_email = bool(settings.pop("collect_email", False))
    site.enabled = bool(settings.pop("enabled", True))
    site.timezone = settings.pop("timezone", "UTC")
    if settings:
        raise TypeError(f"unknown site settings: {', '.join(sorted(settings))}")
    db.session.add(site)
    created = {
        "allowed_origins": site.allowed_origins,
        "phase_rules": site.phase_rules,
        "keep_query_params": site.keep_query_params,
        "widget": site.widget,
        "collect_email": site.collect_email,
        "enabled": site.enabled,
        "timezone": site.timezone,
    }
    details = {"name": site.name, "settings": created}
    record_change(actor, "site.create", site_key=site.key, details=details)
    db.session.commit()
    return site


def update_site(site: Site, changes: dict, *, actor: Actor | None = None) -> Site:
    """Apply the validated `changes` to `site` and commit, audited as `actor`'s; `widget`
    merges key by key."""
    for name, value in changes.items():
        if name == "widget":
            value = merge_widget(site.widget, value)
        setattr(site, name, value)
    record_change(actor, "site.update", site_key=site.key, details={"changes": changes})
    db.session.commit()
    return site


def delete_site(site: Site, *, actor: Actor | None = None) -> None:
    """Delete a site with its responses and the tokens scoped to it, audited as `actor`'s.

    SQLite lets one transaction write at a time: deleting a big site's responses in one
    would stall every other site's ingest until it timed out. So they go in small committed
    batches, and the site itself, with the few responses sent meanwhile (its foreign keys
    cascade) and its tokens, in one short transaction at the end.
    """
    last_id = db.session.scalar(select(func.max(Response.id)).where(Response.site_id == site.id))
    if last_id is not None:
        while delete_response_batch(site.id, last_id) == DELETE_BATCH:
            pass
    db.session.execute(delete(AdminToken).where(AdminToken.site_id == site.id))
    record_change(actor, "site.delete", site_key=site.key, details={"name": site.name})
    db.session.delete(site)
    db.session.commit()


def delete_response_batch(site_id: int, last_id: int) -> int:
    """Delete and commit up to DELETE_BATCH of a site's responses up to `last_id`; count them."""
    batch = (
        select(Response.id)
        .where(Response.site_id == site_id, Response.id <= last_id)
        .order_by(Response.id)
        .limit(DELETE_BATCH)
    )
    doomed = delete(Response).where(Response.id.in_(batch.scalar_subquery()))
    result = db.session.execute(doomed.execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def delete_response(site: Site, response_id: int, *, actor: Actor | None = None) -> bool:
    """Delete one of a site's responses, audited as `actor`'s; tell whether there was one."""
    result = db.session.execute(
        delete(Response).where(Response.site_id == site.id, Response.id == response_id)
    )
    if result.rowcount:
        record_change(actor, "response.delete", site_key=site.key, details={"id": response_id})
    db.session.commit()
    return result.rowcount > 0


def erase_responses(site: Site, email: str, *, actor: Actor | None = None) -> int:
    """Delete every response of `site` given with `email` (Unicode case folding, the domain
    in any form), and return how many; the audit entry counts them, never names the address."""
    result = db.session.execute(
        delete(Response).where(
            Response.site_id == site.id, Response.email_folded == fold_email(email)
        )
    )
    record_change(actor, "responses.erase", site_key=site.key, details={"deleted": result.rowcount})
    db.session.commit()
    return result.rowcount
