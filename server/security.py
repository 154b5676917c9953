"""Set the security headers every response carries."""

from flask import Flask, request

#: Nothing an API answer holds may be run, framed or loaded as a page's resource.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"

#: Paths that serve a script or pages and set their own policy; the API's would break them.
OWN_POLICY_PREFIXES = ("/widget.js", "/demo", "/admin")

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}

#: One year, as browsers' preload lists expect; sent only over HTTPS (RFC 6797 §7.2).
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def add_security_headers(response):
    """Add the security headers to `response`, leaving any a view chose untouched."""
    for name, value in BASE_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith(OWN_POLICY_PREFIXES):
        response.headers.setdefault("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(add_security_headers)
