"""Serve the admin API's responses: list them, delete one, erase a visitor's by email."""

from flask_smorest import abort

from ..insight.listing import list_responses
from ..models import MAX_ROW_ID
from ..schemas.responses import (
    ErasureResultSchema,
    ErasureSchema,
    ResponseListQuerySchema,
    ResponsePageSchema,
)
from ..sites.manage import delete_response, erase_responses
from .access import SITE, AdminBlueprint

blp = AdminBlueprint(
    "admin_responses",
    __name__,
    url_prefix="/api/v1/admin",
    description="Read and erase a site's responses (bearer token).",
)


@blp.route(f"{SITE}/responses", methods=["GET"])
@blp.access()
@blp.arguments(ResponseListQuerySchema, location="query")
@blp.response(200, ResponsePageSchema)
def read_responses(query, site):
    """List a site's responses, newest first, a page at a time."""
    return list_responses(site, query)


@blp.route(f"{SITE}/responses/<int(max={MAX_ROW_ID}):response_id>", methods=["DELETE"])
@blp.access(write=True)
@blp.response(204)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such response")
def remove_response(site, response_id):
    """Delete one response."""
    if not delete_response(site, response_id):
        abort(404, message="No such response.")


@blp.route(f"{SITE}/erasure", methods=["POST"])
@blp.access(write=True)
@blp.arguments(ErasureSchema)
@blp.response(200, ErasureResultSchema)
def erase(data, site):
    """Delete every response given with an email address (GDPR art. 17)."""
    return {"deleted": erase_responses(site, data["email"])}
