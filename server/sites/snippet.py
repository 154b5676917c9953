"""Write the `<script>` tag a site owner pastes, pointing at the server's public URL.

The URL is `TOUCHPOINT_PUBLIC_URL` when it is configured; else, in a request, the request's
host URL; else (the CLI) the URL a running `touchpoint serve` announced in the instance
folder; else a default. `PublicUrl.source` says which, so callers can say when they guess.
"""

from dataclasses import dataclass

from flask import current_app, has_request_context, request
from markupsafe import escape

from ..models import Site
from .served_url import served_url

#: Where a snippet's URL came from, surest first.
SOURCES = ("configured", "request", "running_server", "default")
#: Where snippets point when nothing names the server.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000/"
#: Widget settings the bundle snippet carries as `data-` attributes.
SNIPPET_ATTRIBUTES = ("color", "position", "label")


@dataclass(frozen=True)
class PublicUrl:
    """The server's external URL and where it was learnt (one of SOURCES)."""

    url: str
    source: str

    @property
    def guessed(self) -> bool:
        """Tell whether nobody named the URL: a running server's or the default."""
        return self.source in ("running_server", "default")


def public_url() -> PublicUrl:
    """Return the server's external URL and its source (see the module docstring)."""
    configured = current_app.config.get("TOUCHPOINT_PUBLIC_URL")
    if configured:
        return PublicUrl(configured, "configured")
    if has_request_context():
        return PublicUrl(request.host_url, "request")
    running = served_url(current_app.instance_path, current_app.config["SQLALCHEMY_DATABASE_URI"])
    if running:
        return PublicUrl(running, "running_server")
    return PublicUrl(DEFAULT_PUBLIC_URL, "default")


def site_snippet(site: Site, server_url: str) -> str:
    """Return the `<script>` tag of `site`'s own script, served from `server_url`.

    The per-site script carries the site's settings, so the tag has no `data-` attributes.
    """
    return f'<script src="{escape(server_url.rstrip("/"))}/w/{site.key}.js" defer></script>'


def bundle_snippet(site: Site, server_url: str) -> str:
    """Return the `<script>` tag of the shared bundle for `site`, its look as `data-`
    attributes (the form the demo shop embeds; SPEC keeps both forms working)."""
    attributes = [f'src="{escape(server_url.rstrip("/"))}/widget.js"', f'data-site="{site.key}"']
    for name in SNIPPET_ATTRIBUTES:
        value = (site.widget or {}).get(name)
        if value:
            attributes.append(f'data-{name}="{escape(value)}"')
    return f"<script {' '.join(attributes)} defer></script>"
