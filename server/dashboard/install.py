"""Tell a new site's owner whether the snippet works: the first response, and refused origins."""

import json

from flask import g
from flask_babel import gettext as _

from ..insight.filters import iso_utc
from ..models import Site
from ..sites.activity import first_response_at
from ..sites.refused_origins import refused_origins_by_count
from ..sites.settings import ANY_ORIGIN
from ..sites.snippet import public_url, site_snippet

#: How often the install page asks whether the first response has arrived, in milliseconds.
POLL_MILLISECONDS = 3000


def still_refused(site: Site) -> list:
    """Return the site's refused origins it does not allow now, the most frequent first.

    An origin allowed since it was refused (with "Allow", or in the settings) is no longer
    news: its old count stays in the table but is not offered again.
    """
    allowed = set(site.allowed_origins or [])
    if ANY_ORIGIN in allowed:
        return []
    return [row for row in refused_origins_by_count(site) if row.origin not in allowed]


def install_status(site: Site) -> dict:
    """Return the install check's answer: the first response's time and the refused origins.

    Shape: `{"received": bool, "first_received_at": ISO 8601 UTC or None,
    "refused_origins": [{"origin", "count", "last_seen"}]}`.
    """
    first = first_response_at(site)
    return status_document(first, still_refused(site))


def status_document(first, refused: list) -> dict:
    """Return the install check's JSON from the first response's time and the refused rows."""
    return {
        "received": first is not None,
        "first_received_at": None if first is None else iso_utc(first),
        "refused_origins": [
            {"origin": row.origin, "count": row.count, "last_seen": iso_utc(row.last_seen)}
            for row in refused
        ],
    }


def install_context(site: Site, heading: str | None = None, tab: str = "install") -> dict:
    """Return the install page's template values (it is also a new site's first page).

    `tab` is the site's tab the page is shown under: "install", or "overview" for a new site.
    """
    first = first_response_at(site)
    refused = still_refused(site)
    shown = status_document(first, refused)["refused_origins"]
    return {
        "site": site,
        "active": tab,
        "heading": heading or _("Install %(name)s", name=site.name),
        "snippet": site_snippet(site, public_url().url),
        "first_received": first,
        "refused_origins": refused,
        # The list as the install check's JSON gives it, so the page redraws it only on change.
        "refused_json": json.dumps(
            shown, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ),
        "read_only": g.signed_in_token.read_only,
        "poll_milliseconds": POLL_MILLISECONDS,
    }
