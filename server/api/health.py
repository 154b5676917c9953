"""Serve liveness and readiness probes for load balancers and orchestrators."""

from flask_smorest import Blueprint

from ..database import database_ready
from ..errors import DATABASE_RETRY_AFTER, error_response

blp = Blueprint("health", __name__, description="Liveness and readiness probes")


@blp.route("/healthz")
@blp.response(200)
def healthz():
    """Answer 200 while the process can serve requests."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200)
@blp.alt_response(503, description="The database does not answer")
def readyz():
    """Answer 200 when the database answers, 503 otherwise."""
    if not database_ready():
        headers = {"Retry-After": str(DATABASE_RETRY_AFTER)}
        return error_response(503, "The database does not answer.", None, headers)
    return {"status": "ready"}
