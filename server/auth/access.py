"""Decide what an admin token may see and change: 404 for a hidden site, 403 for a denied write.

Both the admin API (bearer header) and the dashboard (session cookie) find the token their own
way and hand it to these functions, so the same rules apply to both.
"""

from flask_smorest import abort
from sqlalchemy import select

from ..extensions import db
from ..models import AdminToken, Site
from ..sites.keys import is_site_key


def require_instance_access(token: AdminToken, write: bool = False) -> AdminToken:
    """Return `token` after checking it may act on the whole instance (create sites)."""
    if write and (token.read_only or token.site_id is not None):
        abort(403, message="This token may not change the instance.")
    return token


def authorized_site(token: AdminToken, site_key: str, write: bool = False) -> Site:
    """Return the site `token` may see; 404 when it may not, 403 on a denied write."""
    site = None
    if is_site_key(site_key):
        site = db.session.scalar(select(Site).where(Site.key == site_key))
    if site is None or (token.site_id is not None and token.site_id != site.id):
        abort(404, message="No such site.")
    if write and token.read_only:
        abort(403, message="This token is read-only.")
    return site


def visible_sites_query(token: AdminToken):
    """Return a SELECT of the sites `token` may see."""
    query = select(Site).order_by(Site.id)
    if token.site_id is not None:
        query = query.where(Site.id == token.site_id)
    return query
