"""Decide what an admin token may see and change: 404 for a hidden site, 403 for a denied write.

Both the admin API (bearer header) and the dashboard (session cookie) find the token their own
way and hand it to these functions, so the same rules apply to both.
"""

from flask_smorest import abort

from ..models import AdminToken, Site
from ..sites.manage import find_site, list_sites


def require_instance_access(token: AdminToken, write: bool = False) -> AdminToken:
    """Return `token` after checking it may act on the whole instance (create sites)."""
    if write and (token.read_only or token.site_id is not None):
        abort(403, message="This token may not change the instance.")
    return token


def authorized_site(token: AdminToken, site_key: str, write: bool = False) -> Site:
    """Return the site `token` may see; 404 when it may not, 403 on a denied write."""
    site = find_site(site_key)
    if site is None or (token.site_id is not None and token.site_id != site.id):
        abort(404, message="No such site.")
    if write and token.read_only:
        abort(403, message="This token is read-only.")
    return site


def visible_sites(token: AdminToken) -> list[Site]:
    """Return the sites `token` may see, oldest first."""
    return list_sites(token.site_id)
