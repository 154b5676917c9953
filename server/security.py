"""Set the security headers every response carries, one precomputed set per kind of path.

A small WSGI middleware adds them as the answer starts, rather than an `after_request` hook:
werkzeug's `Headers.setdefault` scans and lower-cases the header list once per header, which
cost every ingest request about 12 µs; here the list is scanned once and the missing headers
are appended in one go (docs/performance.md).
"""

from flask import Flask

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


#: `wsgi.url_scheme` values of requests that came over TLS (as werkzeug's `is_secure`).
SECURE_SCHEMES = frozenset({"https", "wss"})


def headers_for(path: str) -> dict[str, str]:
    """Return the security headers responses on `path` carry."""
    if path.startswith(DASHBOARD_PREFIX):
        return DASHBOARD_HEADERS
    if path.startswith(OWN_POLICY_PREFIXES):
        return BASE_HEADERS
    return API_HEADERS


def request_path(environ: dict) -> str:
    """Return the request's path with one leading slash, as Flask's `request.path` gives it."""
    return "/" + environ.get("PATH_INFO", "").lstrip("/")


def missing_headers(present: list[tuple[str, str]], wanted: dict[str, str]) -> list:
    """Return the `(name, value)` pairs of `wanted` that `present` does not name (any case)."""
    names = {name.lower() for name, _ in present}
    return [(name, value) for name, value in wanted.items() if name.lower() not in names]


class SecurityHeaders:
    """WSGI middleware adding the security headers to every answer, keeping any a view chose."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        wanted = headers_for(request_path(environ))
        if environ.get("wsgi.url_scheme") in SECURE_SCHEMES:
            wanted = {**wanted, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY}

        def start_with_security_headers(status, headers, *exc_info):
            return start_response(status, headers + missing_headers(headers, wanted), *exc_info)

        return self.wsgi_app(environ, start_with_security_headers)


def init_app(app: Flask) -> None:
    """Add the security headers to every response the app answers.

    Call it before wrapping the app in ProxyFix, so the scheme seen is the forwarded one.
    """
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
