"""Serve the admin API's sites: list, create, read, change and delete them, and their refusals."""

from ..audit.record import token_actor
from ..auth.access import visible_sites
from ..schemas.refused_origins import RefusedOriginPageSchema, RefusedOriginQuerySchema
from ..schemas.sites import SiteListSchema, SiteSchema, SiteUpdateSchema
from ..sites.manage import create_site, delete_site, update_site
from ..sites.refused_origins import list_refused_origins
from .access import SITE, AdminBlueprint

blp = AdminBlueprint(
    "admin_sites", __name__, url_prefix="/api/v1/admin", description="Manage sites (bearer token)."
)


@blp.route("/sites", methods=["GET"])
@blp.access()
@blp.response(200, SiteListSchema)
def read_sites(token):
    """List the sites the token may see."""
    return {"sites": visible_sites(token)}


@blp.route("/sites", methods=["POST"])
@blp.access(write=True)
@blp.arguments(SiteSchema)
@blp.response(201, SiteSchema)
def add_site(data, token):
    """Create a site; the answer carries its key and the snippet to paste."""
    return create_site(**data, actor=token_actor(token))


@blp.route(SITE, methods=["GET"])
@blp.access()
@blp.response(200, SiteSchema)
def read_site(site):
    """Show one site."""
    return site


@blp.route(SITE, methods=["PATCH"])
@blp.access(write=True)
@blp.arguments(SiteUpdateSchema, required=False)
@blp.response(200, SiteSchema)
def change_site(changes, site, token):
    """Change some of a site's settings."""
    return update_site(site, changes, actor=token_actor(token))


@blp.route(SITE, methods=["DELETE"])
@blp.access(write=True)
@blp.response(204)
def remove_site(site, token):
    """Delete a site, its responses and the tokens scoped to it."""
    delete_site(site, actor=token_actor(token))


@blp.route(f"{SITE}/refused-origins", methods=["GET"])
@blp.access()
@blp.arguments(RefusedOriginQuerySchema, location="query")
@blp.response(200, RefusedOriginPageSchema)
def read_refused_origins(query, site):
    """List the origins the site refused (at most 50 are counted), a page at a time."""
    return list_refused_origins(site, query)
