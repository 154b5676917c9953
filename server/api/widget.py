"""Serve the widget: /widget.js, its lazily loaded modules and the per-site script /w/<key>.js.

Each is compressed as the client accepts (brotli, else gzip, else none), with a strong ETag per
encoding. The build writes the .br and .gz of every file beside it in widget/dist/; a per-site
script (the bundle with the site's public settings inlined) is compressed on first request and
kept in a small in-process cache keyed by its content.
"""

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Response, request
from flask_smorest import Blueprint, abort
from werkzeug.datastructures import Accept

from ..ingest.site_cache import PublicSite
from ..state import app_state
from .admission import find_site

log = logging.getLogger(__name__)

#: widget/dist/, which `make widget` writes (this path links to it in a checkout and is a copy
#: of it in an installed package).
DIST = Path(__file__).parent.parent / "static" / "widget"
BUNDLE = DIST / "widget.js"

#: Browsers and CDNs may serve a copy for five minutes and a stale one for a day while they
#: revalidate, so a new release reaches every page within minutes without a request per view.
CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"
#: A per-site script carries the site's settings: a change reaches pages within five minutes.
SITE_CACHE_CONTROL = "public, max-age=300"
#: A lazily loaded module's name carries its content's hash: a new one has a new name.
LAZY_CACHE_CONTROL = "public, max-age=31536000, immutable"

#: The string literal, quotes included, a per-site script replaces by the site's settings.
SETTINGS_LITERAL = b'"__TOUCHPOINT_SITE_SETTINGS__"'
#: Content codings by preference when the client accepts several equally; then none.
ENCODINGS = ("br", "gzip")
SUFFIXES = {"br": ".br", "gzip": ".gz"}

blp = Blueprint("widget", __name__, description="The embeddable feedback widget")


@dataclass(frozen=True)
class Variant:
    """One encoding of a file: its bytes, coding (None for none) and strong ETag."""

    body: bytes
    encoding: str | None
    etag: str


def choose_encoding(accept: Accept, available=ENCODINGS) -> str | None:
    """Return the coding of `available` the client prefers (q-values, then br > gzip), or None.

    None (no coding) wins when the client names `identity` with a higher quality than either.
    """
    ranked = [(accept.quality(name), -rank, name) for rank, name in enumerate(available)]
    quality, _, best = max(ranked, default=(0, 0, None))
    if quality <= 0 or ("identity" in accept and accept["identity"] > quality):
        return None
    return best


@lru_cache(maxsize=32)
def read_file(path: Path, modified_ns: int) -> tuple[bytes, str]:
    """Return a file's bytes and content hash; the modification time keys the cache."""
    body = path.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


def load_file(path: Path) -> tuple[bytes, str]:
    """Return a file and its content hash, reading it again only after it changed."""
    return read_file(path, path.stat().st_mtime_ns)


def load_bundle(path: Path | None = None) -> tuple[bytes, str]:
    """Return the current bundle and its ETag (its content hash)."""
    return load_file(path or BUNDLE)


def static_variant(path: Path, encoding: str | None) -> Variant:
    """Return `path` in `encoding`, from the .br/.gz the build wrote beside it (else uncoded)."""
    body, digest = load_file(path)
    if encoding is not None:
        try:
            coded, _ = load_file(path.with_name(path.name + SUFFIXES[encoding]))
            return Variant(coded, encoding, f"{digest}-{encoding}")
        except FileNotFoundError:
            pass
    return Variant(body, None, digest)


def site_settings(site: PublicSite) -> bytes:
    """Return the JSON object a per-site script inlines: key, /config body, kept parameters."""
    key = json.dumps(site.key).encode()
    kept = json.dumps(sorted(site.keep_query_params)).encode()
    return b'{"site":%s,"config":%s,"keep_query_params":%s}' % (key, site.config_body, kept)


@lru_cache(maxsize=256)
def site_variant(bundle: bytes, settings: bytes, encoding: str | None) -> Variant:
    """Return the bundle with `settings` inlined, in `encoding`; cached by that content."""
    body = bundle.replace(SETTINGS_LITERAL, settings, 1)
    etag = hashlib.sha256(body).hexdigest()[:32]
    if encoding == "br":
        body = brotli.compress(body, quality=11)
    elif encoding == "gzip":
        body = gzip.compress(body, compresslevel=9, mtime=0)
    return Variant(body, encoding, f"{etag}-{encoding}" if encoding else etag)


def serve(variant: Variant, mimetype: str, cache_control: str) -> Response:
    """Answer with `variant` (304 when the client's copy is current), cacheable as told."""
    response = Response(variant.body, mimetype=mimetype)
    if variant.encoding:
        response.headers["Content-Encoding"] = variant.encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(variant.etag)
    response.headers["Cache-Control"] = cache_control
    # Pages that isolate themselves (COEP: require-corp) may still load the script.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response.make_conditional(request)


def current_bundle() -> tuple[bytes, str]:
    """Return the bundle and its hash, or answer 500 when it was never built."""
    try:
        return load_bundle()
    except FileNotFoundError:
        log.error("widget bundle missing at %s", BUNDLE)
        abort(500, message="The widget bundle is missing; build it with `make widget`.")


def javascript_answer(description: str):
    """Document a view's answers: 200 with a JavaScript file (`description`), or 304 when the
    client's copy (If-None-Match) is current."""

    def document(view):
        view = blp.alt_response(304, description="The client's copy (If-None-Match) is current")(
            view
        )
        return blp.response(
            200, {"type": "string"}, content_type="text/javascript", description=description
        )(view)

    return document


@blp.route("/widget.js")
@javascript_answer("The minified widget bundle (brotli or gzip as Accept-Encoding allows)")
def widget_js():
    """Return the widget bundle, or 304 when the client's copy is current."""
    current_bundle()
    variant = static_variant(BUNDLE, choose_encoding(request.accept_encodings))
    return serve(variant, "text/javascript", CACHE_CONTROL)


@blp.route("/widget/<name>")
@javascript_answer("A module the widget imports once the visitor interacts (its name is hashed)")
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such file of the widget")
def widget_module(name: str):
    """Return one of the widget's lazily loaded modules; 404 for any other name."""
    path = DIST / name
    if name == BUNDLE.name or path.suffix != ".js" or not path.is_file():
        abort(404, message="No such file of the widget.")
    variant = static_variant(path, choose_encoding(request.accept_encodings))
    response = serve(variant, "text/javascript", LAZY_CACHE_CONTROL)
    # The widget imports it as a module from the host page's origin: a CORS request.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blp.route("/w/<site_key>.js")
@javascript_answer("The widget bundle with the site's public settings inlined")
@blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown or disabled site")
@blp.alt_response(429, response="DEFAULT_ERROR", description="Too many unknown site keys")
def site_script(site_key: str):
    """Return the per-site script: the bundle with the site's settings, no /config needed."""
    site = find_site(app_state(), site_key, enabled_only=True)
    bundle, _ = current_bundle()
    encoding = choose_encoding(request.accept_encodings)
    variant = site_variant(bundle, site_settings(site), encoding)
    return serve(variant, "text/javascript", SITE_CACHE_CONTROL)
