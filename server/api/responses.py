"""Serve the admin API's responses: list, triage, delete them, erase a visitor's by email."""

from flask.views import MethodView
from flask_smorest import abort

from ..audit.record import token_actor
from ..insight.listing import list_responses
from ..models import MAX_ROW_ID
from ..schemas.responses import (
    ErasureResultSchema,
    ErasureSchema,
    ResponseListQuerySchema,
    ResponsePageSchema,
    ResponseSchema,
)
from ..schemas.triage import BulkTriageResultSchema, BulkTriageSchema, TriageSchema
from ..sites.manage import delete_response, erase_responses
from ..sites.triage import triage_response, triage_responses
from .access import SITE, AdminBlueprint

blp = AdminBlueprint(
    "admin_responses",
    __name__,
    url_prefix="/api/v1/admin",
    description="Read, triage and erase a site's responses (bearer token).",
)

ONE_RESPONSE = f"{SITE}/responses/<int(max={MAX_ROW_ID}):response_id>"


@blp.route(f"{SITE}/responses", methods=["GET"])
@blp.access()
@blp.arguments(ResponseListQuerySchema, location="query")
@blp.response(200, ResponsePageSchema)
def read_responses(query, site):
    """List a site's responses, newest first, a page at a time."""
    return list_responses(site, query)


# One rule for both methods: with two, an id past the largest row id made werkzeug answer the
# DELETE with 405 (the PATCH rule "matched") instead of 404.
@blp.route(ONE_RESPONSE)
class OneResponse(MethodView):
    """Triage or delete one response."""

    @blp.access(write=True)
    @blp.arguments(TriageSchema)
    @blp.response(200, ResponseSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such response")
    def patch(self, changes, site, token, response_id):
        """Set one response's triage status, note, or both."""
        response = triage_response(site, response_id, changes, actor=token_actor(token))
        if response is None:
            abort(404, message="No such response.")
        return response

    @blp.access(write=True)
    @blp.response(204)
    @blp.alt_response(404, response="DEFAULT_ERROR", description="No such response")
    def delete(self, site, token, response_id):
        """Delete one response."""
        if not delete_response(site, response_id, actor=token_actor(token)):
            abort(404, message="No such response.")


@blp.route(f"{SITE}/responses/triage", methods=["POST"])
@blp.access(write=True)
@blp.arguments(BulkTriageSchema)
@blp.response(200, BulkTriageResultSchema)
def triage_many(data, site, token):
    """Give many of the site's responses one status; other sites' ids are ignored."""
    updated = triage_responses(site, data["ids"], data["status"], actor=token_actor(token))
    return {"updated": updated}


@blp.route(f"{SITE}/erasure", methods=["POST"])
@blp.access(write=True)
@blp.arguments(ErasureSchema)
@blp.response(200, ErasureResultSchema)
def erase(data, site, token):
    """Delete every response given with an email address (GDPR art. 17)."""
    return {"deleted": erase_responses(site, data["email"], actor=token_actor(token))}
