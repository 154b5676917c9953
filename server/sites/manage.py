"""Create, change and delete sites."""

from sqlalchemy import delete, func

from ..extensions import db
from ..models import AdminToken, Response, Site
from .keys import new_site_key
from .settings import merge_widget


def create_site(name: str, allowed_origins: list[str], **settings) -> Site:
    """Create and commit a site; `settings` are any other `Site` columns."""
    site = Site(key=new_site_key(), name=name, allowed_origins=list(allowed_origins))
    site.phase_rules = list(settings.pop("phase_rules", []))
    site.keep_query_params = list(settings.pop("keep_query_params", []))
    site.widget = dict(settings.pop("widget", {}))
    site.collect_email = bool(settings.pop("collect_email", False))
    site.enabled = bool(settings.pop("enabled", True))
    if settings:
        raise TypeError(f"unknown site settings: {', '.join(sorted(settings))}")
    db.session.add(site)
    db.session.commit()
    return site


def update_site(site: Site, changes: dict) -> Site:
    """Apply the validated `changes` to `site` and commit; `widget` merges key by key."""
    for name, value in changes.items():
        if name == "widget":
            value = merge_widget(site.widget, value)
        setattr(site, name, value)
    db.session.commit()
    return site


def delete_site(site: Site) -> None:
    """Delete a site with its responses and the tokens scoped to it."""
    db.session.execute(delete(Response).where(Response.site_id == site.id))
    db.session.execute(delete(AdminToken).where(AdminToken.site_id == site.id))
    db.session.delete(site)
    db.session.commit()


def delete_response(site: Site, response_id: int) -> bool:
    """Delete one of a site's responses; tell whether there was one."""
    result = db.session.execute(
        delete(Response).where(Response.site_id == site.id, Response.id == response_id)
    )
    db.session.commit()
    return result.rowcount > 0


def erase_responses(site: Site, email: str) -> int:
    """Delete every response of `site` given with `email` (any letter case); return how many."""
    result = db.session.execute(
        delete(Response).where(
            Response.site_id == site.id, func.lower(Response.email) == email.lower()
        )
    )
    db.session.commit()
    return result.rowcount
