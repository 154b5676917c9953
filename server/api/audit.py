"""Serve the admin API's audit log."""

from flask_smorest import abort

from ..audit.listing import list_entries
from ..schemas.audit import AuditPageSchema, AuditQuerySchema
from .access import AdminBlueprint

blp = AdminBlueprint(
    "admin_audit",
    __name__,
    url_prefix="/api/v1/admin",
    description="Read the audit log of changes (bearer token).",
)


@blp.route("/audit", methods=["GET"])
@blp.access()
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditPageSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="A site this token may not see")
def read_audit(query, token):
    """List the changes, newest first; a site-scoped token reads its own site's only."""
    if token.site_id is not None and query.get("site", token.site.key) != token.site.key:
        abort(404, message="No such site.")
    return list_entries(token, query)
