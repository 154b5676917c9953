"""Serve the public API the widget calls: submit a response, read a site's widget settings.

This is the measured hot path (docs/performance.md): sites come from a per-process cache, the
rate limit calls the `limits` strategy directly, `ResponseInSchema` is the one validator and
the row goes in through the DB-API connection (`server/ingest/store.py`). The blueprint sets
its own CORS headers: the allowed origins are per site and live in the database, which
flask-cors cannot consult (docs/architecture.md).
"""

import json

from flask import current_app, request
from flask_smorest import Blueprint, abort

from ..alerts.notify import notify_response
from ..ingest.record import parse_payload, record_response
from ..ingest.site_cache import PublicSite
from ..ingest.store import HONEYPOT_OUTCOME, Outcome, SiteGone
from ..json_body import NotJSON
from ..schemas.ingest import (
    FilledHoneypotSchema,
    ResponseInSchema,
    ResponseOutSchema,
    WidgetConfigSchema,
    load_response,
)
from ..state import AppState, app_state
from .admission import admitted_body, check_origin, count_refusal, find_site

blp = Blueprint(
    "public",
    __name__,
    url_prefix="/api/v1/sites",
    description="Public API called by the widget (CORS-enabled, no token)",
)

#: A submission's body: a response, or a bot's filled honeypot (answered alike, nothing stored).
SUBMISSION = {"anyOf": [ResponseInSchema, FilledHoneypotSchema]}

#: Seconds browsers and CDNs may keep a site's widget settings.
CONFIG_MAX_AGE = 300
#: Seconds browsers may reuse a preflight answer.
PREFLIGHT_MAX_AGE = 86400
#: Headers an allowed origin's script may read: the widget waits as long as the server asks.
EXPOSED_HEADERS = "Retry-After"


def payload_of(body: bytes) -> dict:
    """Return the body's JSON object; 400 when it is none."""
    try:
        return parse_payload(body)
    except NotJSON as exc:
        abort(400, message=str(exc))


def store(state: AppState, site: PublicSite, row: dict) -> Outcome:
    """Store a loaded response; 404 when its site was deleted since the cache read it."""
    try:
        return record_response(site, row, request.headers.get("User-Agent"))
    except SiteGone:
        state.sites.forget(site.key)
        abort(404, message="No such site.")


def answer(body: dict, status: int):
    """Return a compact JSON answer."""
    return current_app.response_class(
        json.dumps(body, separators=(",", ":")), status, mimetype="application/json"
    )


@blp.after_request
def add_cors_headers(response):
    """Let allowed origins read public answers (errors included); caches key them by Origin.

    The site comes from the cache the view just filled, never from the database, so an
    answer about an unreachable database still goes out. Any origin may read a 404 (unknown
    or disabled site): it reveals nothing, and the widget then drops the response instead of
    taking the unreadable answer for "offline" and retrying it for 30 days.
    """
    headers = response.headers
    # `getlist` rather than `get`, which raises and catches a KeyError when there is no Vary;
    # and set directly: `response.vary.add` parses and rebuilds the header every time.
    vary = headers.getlist("Vary")
    if vary:
        headers["Vary"] = f"{vary[0]}, Origin"
    else:
        headers.add("Vary", "Origin")
    origin = request.origin
    if origin and request.view_args:
        site = app_state().sites.cached(request.view_args["site_key"])
        if response.status_code == 404 or (site is not None and site.allows_origin(origin)):
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def documented(*decorators):
    """Give a view the OpenAPI documentation `decorators` (flask-smorest's) describe, unwrapped.

    `blp.doc`, `blp.response` and `blp.alt_response` each wrap the view in a function that
    looks up the app and asks `inspect` whether the view is a coroutine on every request;
    these views return their own `Response`, which the wrappers pass through untouched. So
    the decorators are applied to a stand-in, and only the documentation they gathered
    (`_apidoc`, which `blp.route` reads) is kept on the view, which Flask then calls directly
    (docs/performance.md).
    """

    def document(view):
        stand_in = view
        for decorator in reversed(decorators):
            stand_in = decorator(stand_in)
        view._apidoc = stand_in._apidoc
        return view

    return document


def without_automatic_options(view):
    """Keep Flask from answering OPTIONS on this view's URL: the preflight view does."""
    view.provide_automatic_options = False
    return view


@blp.route("/<site_key>/responses", methods=["POST"])
@without_automatic_options
@documented(
    blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {"schema": SUBMISSION},
                "text/plain": {"schema": SUBMISSION},
            },
        }
    ),
    blp.response(201, ResponseOutSchema, description="Stored"),
    blp.alt_response(200, schema=ResponseOutSchema, description="Already stored (same event_id)"),
    blp.alt_response(400, response="DEFAULT_ERROR", description="The body is not a JSON object"),
    blp.alt_response(403, response="DEFAULT_ERROR", description="The Origin is not allowed"),
    blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown or disabled site"),
    blp.alt_response(413, response="DEFAULT_ERROR", description="The body is too large"),
    blp.alt_response(422, response="DEFAULT_ERROR", description="A field breaks a rule"),
    blp.alt_response(429, response="DEFAULT_ERROR", description="Rate limit hit; see Retry-After"),
    blp.alt_response(503, response="DEFAULT_ERROR", description="The database is unreachable"),
)
def post_response(site_key: str):
    """Store a visitor's response."""
    state = app_state()
    site = find_site(state, site_key, enabled_only=True)
    row = load_response(site, payload_of(admitted_body(state, site)))
    outcome = HONEYPOT_OUTCOME if row is None else store(state, site, row)
    if outcome.id is not None and (not outcome.duplicate or outcome.added_late):
        notify_response(site.id, outcome.id, row, late=outcome.added_late)
    return answer(outcome.body(), 200 if outcome.duplicate else 201)


@blp.route("/<site_key>/config")
@without_automatic_options
@documented(
    blp.response(200, WidgetConfigSchema, description="The site's widget settings"),
    blp.alt_response(304, description="Unchanged since the ETag in If-None-Match"),
    blp.alt_response(403, response="DEFAULT_ERROR", description="The Origin is not allowed"),
    blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown site"),
    blp.alt_response(429, response="DEFAULT_ERROR", description="Too many unknown site keys"),
)
def widget_config(site_key: str):
    """Return a site's public widget settings (also for a disabled site: `enabled` is false)."""
    state = app_state()
    site = find_site(state, site_key, enabled_only=False)
    check_origin(state, site, request.origin)
    headers = {"ETag": site.config_etag, "Cache-Control": f"public, max-age={CONFIG_MAX_AGE}"}
    if request.if_none_match.contains_weak(site.config_etag.strip('"')):
        return current_app.response_class(status=304, headers=headers)
    return current_app.response_class(
        site.config_body, 200, headers=headers, mimetype="application/json"
    )


def preflight(site_key: str, method: str, *, enabled_only: bool):
    """Answer a CORS preflight: 204 with CORS headers for an allowed origin, else 403.

    An allowed origin may send whatever headers its page adds (tracing adds `traceparent`,
    `baggage`, `sentry-trace` to every fetch): the browser's list is allowed as asked. A
    refused origin's preflight is counted like its request and gets no CORS headers.
    """
    state = app_state()
    site = find_site(state, site_key, enabled_only=enabled_only)
    origin = request.origin
    if not origin or not site.allows_origin(origin):
        if origin:
            count_refusal(state, site, origin)
        abort(403, message="This origin may not call this site's API.")
    asked = request.headers.get("Access-Control-Request-Headers")
    return current_app.response_class(
        status=204,
        headers={
            "Access-Control-Allow-Methods": method,
            "Access-Control-Allow-Headers": asked or "Content-Type",
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
            "Vary": "Access-Control-Request-Headers",
        },
    )


#: The answers every preflight view documents.
documented_preflight = documented(
    blp.response(204, description="The origin may call this endpoint"),
    blp.alt_response(
        403, response="DEFAULT_ERROR", description="No or a refused Origin: no CORS headers"
    ),
    blp.alt_response(404, response="DEFAULT_ERROR", description="Unknown site"),
    blp.alt_response(429, response="DEFAULT_ERROR", description="Too many unknown site keys"),
)


@blp.route("/<site_key>/responses", methods=["OPTIONS"], endpoint="responses_preflight")
@documented_preflight
def responses_preflight(site_key: str):
    """Answer the CORS preflight of a response submission."""
    return preflight(site_key, "POST", enabled_only=True)


@blp.route("/<site_key>/config", methods=["OPTIONS"], endpoint="config_preflight")
@documented_preflight
def config_preflight(site_key: str):
    """Answer the CORS preflight of a settings request."""
    return preflight(site_key, "GET", enabled_only=False)
