"""Answer `/api/v1/` with links to the API's documents, and serve the interactive API docs.

The docs are Swagger UI, vendored at a pinned version (apidocs/, checked by its SHA-256 in
server/static/apidocs/SHA256SUMS) and served from this server: no CDN. The page loads only
its own scripts and styles, so it runs under a strict policy with no inline script.
"""

from importlib.metadata import version
from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import Response, abort, send_from_directory, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

#: Swagger UI's files and the page that starts it.
DOCS_FOLDER = Path(__file__).parent.parent / "static" / "apidocs"
DOCS_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "init.js")
DOCS_PAGE = (DOCS_FOLDER / "index.html").read_text(encoding="utf-8")

#: Swagger UI sets styles through the DOM and shows inline SVG images; nothing else is
#: loaded from anywhere but this server.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
#: The vendored files change only with a new release: let browsers keep them a day.
DOCS_MAX_AGE = 86_400

blp = Blueprint("index", __name__, url_prefix="/api/v1", description="Where the API is described")
docs = FlaskBlueprint("api_docs", __name__, url_prefix="/api/v1")


class LinksSchema(Schema):
    """Where the API's documents and the widget are."""

    openapi = fields.String(metadata={"description": "The OpenAPI 3 document (JSON)."})
    docs = fields.String(metadata={"description": "Interactive API docs (HTML)."})
    widget = fields.String(metadata={"description": "The widget's script."})
    health = fields.String(metadata={"description": "The liveness probe."})


class IndexSchema(Schema):
    """The API's index."""

    name = fields.String()
    version = fields.String(metadata={"description": "Touchpoint's version."})
    links = fields.Nested(LinksSchema)


@blp.route("/")
@blp.response(200, IndexSchema)
def index():
    """Name the API and link to its OpenAPI document, its docs, the widget and health."""
    return {
        "name": "Touchpoint",
        "version": version("touchpoint"),
        "links": {
            "openapi": url_for("api-docs.openapi_json"),
            "docs": url_for("api_docs.page"),
            "widget": url_for("widget.widget_js"),
            "health": url_for("health.healthz"),
        },
    }


@docs.route("/docs")
def page():
    """Serve the interactive API docs page."""
    headers = {"Content-Security-Policy": DOCS_CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"}
    return Response(DOCS_PAGE, mimetype="text/html", headers=headers)


@docs.route("/docs/<name>")
def asset(name: str):
    """Serve one of the docs page's scripts or its style sheet; nothing else of the folder."""
    if name not in DOCS_FILES:
        abort(404)
    return send_from_directory(DOCS_FOLDER, name, max_age=DOCS_MAX_AGE)
