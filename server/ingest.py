"""Serve the public API the widget calls: submit a response, read a site's widget settings.

This is the measured hot path (docs/performance.md): sites come from a per-process cache,
the payload is validated by hand (`validate_payload`, documented by `ResponseInSchema`), the
rate limit calls the `limits` strategy directly and the row goes in through the DB-API
connection (`server/response_store.py`).
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app, request
from flask_smorest import Blueprint, abort

from .normalize import device_class, match_phase
from .ratelimit import RateLimit, app_strategy, parse_limits
from .response_payload import (
    ResponseInSchema,
    ResponseOutSchema,
    WidgetConfigSchema,
    validate_payload,
)
from .response_store import HONEYPOT_OUTCOME, Outcome, SiteGone, store_response
from .site_cache import PublicSite, SiteCache
from .themes import comment_mask

blp = Blueprint(
    "public",
    __name__,
    url_prefix="/api/v1/sites",
    description="Public API called by the widget (CORS-enabled, no token)",
)


#: Seconds browsers and CDNs may keep a site's widget settings.
CONFIG_MAX_AGE = 300
#: Seconds browsers may reuse a preflight answer.
PREFLIGHT_MAX_AGE = 86400


@dataclass
class IngestState:
    """Per-application state of the public API, built once at start-up."""

    sites: SiteCache
    submission_limit: RateLimit
    max_body_bytes: int


@blp.record_once
def set_up(state) -> None:
    """Parse the rate limits and create the site cache when the app registers the API."""
    app: Flask = state.app
    app.extensions["touchpoint.ingest"] = IngestState(
        sites=SiteCache(app.config["TOUCHPOINT_SITE_CACHE_SECONDS"]),
        submission_limit=RateLimit(
            app_strategy(app), parse_limits(app.config["TOUCHPOINT_RATELIMIT"]), "ingest"
        ),
        max_body_bytes=app.config["TOUCHPOINT_MAX_BODY_BYTES"],
    )


def ingest_state() -> IngestState:
    """Return the current application's public API state."""
    return current_app.extensions["touchpoint.ingest"]


def find_site(state: IngestState, site_key: str, *, enabled_only: bool) -> PublicSite:
    """Return the site behind `site_key`; 404 when unknown (or disabled, if `enabled_only`)."""
    site = state.sites.get(site_key)
    if site is None or (enabled_only and not site.enabled):
        abort(404, message="No such site.")
    return site


def check_origin(site: PublicSite, origin: str | None) -> None:
    """Refuse (403) a browser whose page is not on one of the site's allowed origins."""
    if origin is not None and not site.allows_origin(origin):
        abort(403, message="This origin may not send feedback to this site.")


def read_body(stream, content_length: int | None, limit: int) -> bytes:
    """Read at most `limit` bytes of the body; 413 when the body is (or says it is) larger."""
    if content_length is not None and content_length > limit:
        abort(413, message=f"The body may not exceed {limit} bytes.")
    body = stream.read(limit + 1)
    if len(body) > limit:
        abort(413, message=f"The body may not exceed {limit} bytes.")
    return body


def check_rate_limit(state: IngestState, site: PublicSite, address: str | None) -> None:
    """Count the submission against the limits; 429 with Retry-After when one is exceeded."""
    retry_after = state.submission_limit.hit(address or "unknown", site.key)
    if retry_after is not None:
        abort(
            429,
            message="Too many responses; try again later.",
            headers={"Retry-After": str(retry_after)},
        )


#: A `\uD800` to `\uDFFF` escape: the only way a lone UTF-16 surrogate gets into parsed JSON.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def refuse_constant(name: str):
    """Refuse NaN and Infinity, which Python's JSON parser accepts but JSON does not."""
    raise ValueError(f"{name} is not JSON")


def parse_payload(body: bytes) -> dict:
    """Parse the body as a JSON object (sent as application/json or text/plain); 400 otherwise."""
    try:
        payload = json.loads(body, parse_constant=refuse_constant)
    except ValueError:
        abort(400, message="The body is not JSON.")
    if not isinstance(payload, dict):
        abort(400, message="The body must be a JSON object.")
    if SURROGATE_ESCAPE.search(body) and not is_unicode_text(payload):
        abort(400, message="The body holds an unpaired UTF-16 surrogate, which is not text.")
    return payload


def is_unicode_text(payload: dict) -> bool:
    """Tell whether every string in `payload` can be stored as UTF-8 (no lone surrogates)."""
    try:
        json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


def record_response(
    site: PublicSite,
    payload: dict,
    user_agent: str | None = None,
    received_at: datetime | None = None,
) -> Outcome:
    """Validate `payload` and store it for `site`, once per `event_id`.

    A filled honeypot is answered like a stored response but nothing is stored; a payload
    that breaks a rule is refused with 422 naming every failing field.
    """
    if payload.get("hp") not in (None, ""):
        return HONEYPOT_OUTCOME
    fields, errors = validate_payload(payload, site.keep_query_params, site.collect_email)
    if errors:
        abort(422, message="Some fields are not valid.", errors=errors)
    if fields["phase"] is not None:
        phase_source = "client"
    else:
        fields["phase"] = match_phase(site.phase_rules, fields["page_path"])
        phase_source = "rule" if fields["phase"] is not None else None
    fields.update(
        received_at=received_at or datetime.now(UTC),
        phase_source=phase_source,
        device=device_class(user_agent),
        themes=comment_mask(fields["comment"]),
    )
    try:
        return store_response(site.id, fields)
    except SiteGone:
        ingest_state().sites.forget(site.key)
        abort(404, message="No such site.")


def json_content(description: str, schema) -> dict:
    """Document a JSON answer with `schema`."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_doc(description: str) -> dict:
    """Document an error answer in the one error shape."""
    return {"description": description, "content": {"application/json": {"schema": "Error"}}}


PREFLIGHT_RESPONSES = {
    "204": {"description": "The origin may call this endpoint (CORS headers included)"},
    "403": error_doc("The Origin header is missing or not allowed: no CORS headers"),
    "404": error_doc("Unknown site"),
}


def answer(body: dict, status: int):
    """Return a compact JSON answer."""
    return current_app.response_class(
        json.dumps(body, separators=(",", ":")), status, mimetype="application/json"
    )


@blp.after_request
def add_cors_headers(response):
    """Let allowed origins read public answers (errors included); caches key them by Origin.

    The site comes from the cache the view just filled, never from the database, so an
    answer about an unreachable database still goes out.
    """
    origin = request.origin
    if origin and request.view_args:
        site = ingest_state().sites.cached(request.view_args["site_key"])
        if site is not None and site.allows_origin(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
    # Setting the header directly: `response.vary.add` parses and rebuilds it every time.
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"
    return response


def without_automatic_options(view):
    """Keep Flask from answering OPTIONS on this view's URL: the preflight view does."""
    view.provide_automatic_options = False
    return view


@blp.route("/<site_key>/responses", methods=["POST"])
@without_automatic_options
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            "application/json": {"schema": ResponseInSchema},
            "text/plain": {"schema": ResponseInSchema},
        },
    },
    responses={
        "201": json_content("Stored", ResponseOutSchema),
        "200": json_content("Already stored (same event_id): nothing new", ResponseOutSchema),
        "400": error_doc("The body is not a JSON object"),
        "403": error_doc("The Origin header names an origin the site does not allow"),
        "404": error_doc("Unknown or disabled site"),
        "413": error_doc("The body is larger than TOUCHPOINT_MAX_BODY_BYTES"),
        "422": error_doc("A field breaks a rule; `errors` names each failing field"),
        "429": error_doc("Rate limit hit; see Retry-After"),
        "503": error_doc("The database is unreachable; see Retry-After"),
    },
)
def post_response(site_key: str):
    """Store a visitor's response."""
    state = ingest_state()
    site = find_site(state, site_key, enabled_only=True)
    body = read_body(request.stream, request.content_length, state.max_body_bytes)
    check_origin(site, request.origin)
    check_rate_limit(state, site, request.remote_addr)
    outcome = record_response(site, parse_payload(body), request.headers.get("User-Agent"))
    status = 200 if outcome.duplicate else 201
    return answer(
        {"id": outcome.id, "duplicate": outcome.duplicate, "phase": outcome.phase}, status
    )


@blp.route("/<site_key>/config")
@without_automatic_options
@blp.doc(
    responses={
        "200": json_content("The site's widget settings", WidgetConfigSchema),
        "304": {"description": "Unchanged since the ETag in If-None-Match"},
        "403": error_doc("The Origin header names an origin the site does not allow"),
        "404": error_doc("Unknown site"),
    }
)
def widget_config(site_key: str):
    """Return a site's public widget settings (also for a disabled site: `enabled` is false)."""
    site = find_site(ingest_state(), site_key, enabled_only=False)
    check_origin(site, request.origin)
    headers = {"ETag": site.config_etag, "Cache-Control": f"public, max-age={CONFIG_MAX_AGE}"}
    if request.if_none_match.contains_weak(site.config_etag.strip('"')):
        return current_app.response_class(status=304, headers=headers)
    return current_app.response_class(
        site.config_body, 200, headers=headers, mimetype="application/json"
    )


def preflight(site_key: str, method: str, *, enabled_only: bool):
    """Answer a CORS preflight: 204 with CORS headers for an allowed origin, else 403."""
    site = find_site(ingest_state(), site_key, enabled_only=enabled_only)
    origin = request.origin
    if not origin or not site.allows_origin(origin):
        abort(403, message="This origin may not call this site's API.")
    return current_app.response_class(
        status=204,
        headers={
            "Access-Control-Allow-Methods": method,
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
        },
    )


@blp.route("/<site_key>/responses", methods=["OPTIONS"], endpoint="responses_preflight")
@blp.doc(responses=PREFLIGHT_RESPONSES)
def responses_preflight(site_key: str):
    """Answer the CORS preflight of a response submission."""
    return preflight(site_key, "POST", enabled_only=True)


@blp.route("/<site_key>/config", methods=["OPTIONS"], endpoint="config_preflight")
@blp.doc(responses=PREFLIGHT_RESPONSES)
def config_preflight(site_key: str):
    """Answer the CORS preflight of a settings request."""
    return preflight(site_key, "GET", enabled_only=False)
