"""Write the `<script>` tag a site owner pastes, pointing at the server's public URL."""

from flask import current_app, has_request_context, request
from markupsafe import escape

from ..models import Site

#: Widget settings the snippet carries as `data-` attributes (the rest come from /config).
SNIPPET_ATTRIBUTES = ("color", "position", "label")
#: Where snippets point when neither TOUCHPOINT_PUBLIC_URL nor a request names the server.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000/"


def public_url() -> str:
    """Return the server's external URL: TOUCHPOINT_PUBLIC_URL, else the request's host URL."""
    configured = current_app.config.get("TOUCHPOINT_PUBLIC_URL")
    if configured:
        return configured
    return request.host_url if has_request_context() else DEFAULT_PUBLIC_URL


def site_snippet(site: Site, server_url: str) -> str:
    """Return the `<script>` tag that embeds the widget for `site`, served from `server_url`."""
    attributes = [f'src="{escape(server_url.rstrip("/"))}/widget.js"', f'data-site="{site.key}"']
    for name in SNIPPET_ATTRIBUTES:
        value = (site.widget or {}).get(name)
        if value:
            attributes.append(f'data-{name}="{escape(value)}"')
    return f"<script {' '.join(attributes)} defer></script>"
