"""Admit a widget's request or refuse it: unknown site, refused origin, large body, rate limit.

Each refusal aborts with the API's error shape (404, 403, 413, 429); unknown site keys and
refused origins also count against the client address's own limits.
"""

from flask import current_app, request
from flask_smorest import abort

from ..ingest.site_cache import PublicSite
from ..sites.refused_origins import count_refused_origin
from ..state import AppState


def find_site(state: AppState, site_key: str, *, enabled_only: bool) -> PublicSite:
    """Return the site behind `site_key`; 404 when unknown (or disabled, if `enabled_only`).

    Unknown keys count against the client address's limit, whatever the key, so rotating
    keys gains a scanner nothing. Only a key found unknown is refused: a real site keeps its
    own budget, whatever else the address asked. A limited scanner costs at most one indexed
    lookup per key, none for a key the cache already knows is unknown.
    """
    site = state.sites.get(site_key)
    if site is None:
        refuse_when_limited(state.unknown_site_limit.hit(client_address()))
    if site is None or (enabled_only and not site.enabled):
        abort(404, message="No such site.")
    return site


def client_address() -> str:
    """Return the address the rate limits count by."""
    return request.remote_addr or "unknown"


def refuse_when_limited(retry_after: int | None, what: str = "requests") -> None:
    """Answer 429 with Retry-After when a rate limit said to wait."""
    if retry_after is not None:
        abort(
            429,
            message=f"Too many {what}; try again later.",
            headers={"Retry-After": str(retry_after)},
        )


def count_refusal(state: AppState, site: PublicSite, origin: str) -> None:
    """Count a refused origin for the site's owner while the client address's limit allows.

    Each count is a database write: past the limit an address still gets its 403, but a
    forged Origin repeated with a valid key writes no more.
    """
    if state.refused_origin_limit.hit(client_address()) is None:
        count_refused_origin(site.id, origin)


def check_origin(state: AppState, site: PublicSite, origin: str | None) -> None:
    """Refuse (403) a browser whose page is not on one of the site's allowed origins.

    The refusal is counted (`count_refusal`), and the 403 itself is readable by that
    origin, so the widget can tell "refused" from "offline".
    """
    if origin is not None and not site.allows_origin(origin):
        count_refusal(state, site, origin)
        abort(
            403,
            message="This origin may not send feedback to this site.",
            headers={"Access-Control-Allow-Origin": origin},
        )


def read_body(limit: int) -> bytes:
    """Read at most `limit` bytes of the body; 413 when the body is (or says it is) larger."""
    if request.content_length is not None and request.content_length > limit:
        abort(413, message=f"The body may not exceed {limit} bytes.")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        abort(413, message=f"The body may not exceed {limit} bytes.")
    return body


def check_rate_limit(state: AppState, site: PublicSite) -> None:
    """Count the submission against the limits; 429 with Retry-After when one is exceeded."""
    refuse_when_limited(state.submission_limit.hit(client_address(), site.key), "responses")


def admitted_body(state: AppState, site: PublicSite) -> bytes:
    """Return the body of a submission that passes SPEC's checks: size, origin, rate limit."""
    body = read_body(current_app.config["TOUCHPOINT_MAX_BODY_BYTES"])
    check_origin(state, site, request.origin)
    check_rate_limit(state, site)
    return body
