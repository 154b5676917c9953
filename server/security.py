"""Set the security headers every response carries, one precomputed set per kind of path."""

from flask import Flask, request

#: Nothing an API answer holds may be run, framed or loaded as a page's resource.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"

#: No inline script or style anywhere in the dashboard, so the policy can be this strict.
DASHBOARD_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

DASHBOARD_PREFIX = "/admin"

#: Paths that serve a script or pages and set their own policy; the API's would break them.
OWN_POLICY_PREFIXES = ("/widget.js", "/demo")

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}

API_HEADERS = {
    **BASE_HEADERS,
    "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
}

#: The dashboard's pages, error pages included: a strict policy and no caching.
DASHBOARD_HEADERS = {
    "Content-Security-Policy": DASHBOARD_CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

#: One year, as browsers' preload lists expect; sent only over HTTPS (RFC 6797 §7.2).
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def headers_for(path: str) -> dict[str, str]:
    """Return the security headers responses on `path` carry."""
    if path.startswith(DASHBOARD_PREFIX):
        return DASHBOARD_HEADERS
    if path.startswith(OWN_POLICY_PREFIXES):
        return BASE_HEADERS
    return API_HEADERS


def add_security_headers(response):
    """Add the security headers to `response`, leaving any a view chose untouched."""
    headers = response.headers
    for name, value in headers_for(request.path).items():
        headers.setdefault(name, value)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response with one hook."""
    app.after_request(add_security_headers)
