"""Create sites and write the snippet a site owner pastes."""

import re
import secrets

from markupsafe import escape

from .extensions import db
from .models import Site

SITE_KEY_PREFIX = "pk_"
#: Any key this server could have given out (keys are at most 64 characters long).
SITE_KEY = re.compile(r"pk_[A-Za-z0-9_-]{16,61}")

#: Widget settings the snippet carries as `data-` attributes (the rest come from /config).
SNIPPET_ATTRIBUTES = ("color", "position", "label")


def new_site_key() -> str:
    """Return a fresh public site key: `pk_` and 22 url-safe characters."""
    return SITE_KEY_PREFIX + secrets.token_urlsafe(16)


def is_site_key(text: str) -> bool:
    """Tell whether `text` has the shape of a site key, so junk never reaches the database."""
    return SITE_KEY.fullmatch(text) is not None


def create_site(name: str, allowed_origins: list[str], **settings) -> Site:
    """Create and commit a site; `settings` are any other `Site` columns."""
    site = Site(key=new_site_key(), name=name, allowed_origins=list(allowed_origins))
    site.phase_rules = list(settings.pop("phase_rules", []))
    site.keep_query_params = list(settings.pop("keep_query_params", []))
    site.widget = dict(settings.pop("widget", {}))
    site.collect_email = bool(settings.pop("collect_email", False))
    site.enabled = bool(settings.pop("enabled", True))
    if settings:
        raise TypeError(f"unknown site settings: {', '.join(sorted(settings))}")
    db.session.add(site)
    db.session.commit()
    return site


def site_snippet(site: Site, server_url: str) -> str:
    """Return the `<script>` tag that embeds the widget for `site`, served from `server_url`."""
    attributes = [f'src="{escape(server_url.rstrip("/"))}/widget.js"', f'data-site="{site.key}"']
    for name in SNIPPET_ATTRIBUTES:
        value = (site.widget or {}).get(name)
        if value:
            attributes.append(f'data-{name}="{escape(value)}"')
    return f"<script {' '.join(attributes)} defer></script>"
