"""Serve the built widget bundle at /widget.js with a strong ETag and cache headers."""

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from flask import Response, request
from flask_smorest import Blueprint, abort

log = logging.getLogger(__name__)

#: The bundle `make widget` writes to widget/dist/widget.js (this path links to it in a
#: checkout and is a copy of it in an installed package).
BUNDLE = Path(__file__).parent.parent / "static" / "widget.js"

#: Browsers and CDNs may serve a copy for five minutes and a stale one for a day while they
#: revalidate, so a new release reaches every page within minutes without a request per view.
CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"

blp = Blueprint("widget", __name__, description="The embeddable feedback widget")


@lru_cache(maxsize=4)
def read_bundle(path: Path, modified_ns: int) -> tuple[bytes, str]:
    """Return the bundle's bytes and content hash; the modification time keys the cache."""
    body = path.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


def load_bundle(path: Path | None = None) -> tuple[bytes, str]:
    """Return the current bundle and its ETag, reading the file again only after it changed."""
    path = path or BUNDLE
    return read_bundle(path, path.stat().st_mtime_ns)


@blp.route("/widget.js")
@blp.response(
    200,
    {"type": "string"},
    content_type="text/javascript",
    description="The minified widget bundle",
)
@blp.alt_response(304, description="The client's copy (If-None-Match) is current")
def widget_js():
    """Return the widget bundle, or 304 when the client's copy is current."""
    try:
        body, digest = load_bundle()
    except FileNotFoundError:
        log.error("widget bundle missing at %s", BUNDLE)
        abort(500, message="The widget bundle is missing; build it with `make widget`.")
    response = Response(body, mimetype="text/javascript")
    response.set_etag(digest)
    response.headers["Cache-Control"] = CACHE_CONTROL
    # Pages that isolate themselves (COEP: require-corp) may still load the script.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response.make_conditional(request)
