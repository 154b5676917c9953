"""Decide where the dashboard may send a reader back to: its own pages, nothing else.

Every redirect target taken from a request (`next` after signing in or switching language,
the page a signed-out reader asked for) goes through `safe_target`, so a crafted value can
neither leave the dashboard nor break the `Location` header.
"""

import re

from flask import current_app, url_for
from werkzeug.exceptions import HTTPException

#: Longer targets are no page the dashboard links to; a page with a longer query returns to
#: its path alone.
MAX_TARGET_LENGTH = 2048

#: A target's path: plain URL characters only. No percent escape (`%2e%2e`, `%2f`, `%5c`
#: would be decoded by the browser after this check), no backslash, no control character.
PATH = re.compile(r"/[A-Za-z0-9._~/-]*")

#: A target's query: printable ASCII but the backslash and the fragment mark; percent escapes
#: stay escaped in the `Location` header, so they cannot end it.
QUERY = re.compile(r"[!-\[\]-~]*")

DOT_SEGMENTS = frozenset({".", ".."})


def safe_target(value) -> str | None:
    """Return `value` when it is the address of a dashboard page (query included), else None."""
    if not isinstance(value, str) or len(value) > MAX_TARGET_LENGTH:
        return None
    path, _, query = value.partition("?")
    if not PATH.fullmatch(path) or not QUERY.fullmatch(query) or "#" in query:
        return None
    segments = path.split("/")[1:]
    # An empty inner segment is a `//` (a host to the browser when leading); dot segments
    # would be resolved by the browser, possibly outside the dashboard.
    if "" in segments[:-1] or DOT_SEGMENTS.intersection(segments):
        return None
    return value if dashboard_page(path) else None


def dashboard_page(path: str) -> bool:
    """Tell whether `path` is one the dashboard's own routes answer to a GET."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except HTTPException:  # not found, not a GET route, or a redirect to the slashed path
        return False
    return endpoint.startswith("dashboard.")


def local_target(value) -> str:
    """Return `value` when it is a safe dashboard address, else the dashboard's home."""
    return safe_target(value) or url_for("dashboard.index")
