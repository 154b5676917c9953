"""Keep a short-lived, per-process copy of each site's public settings for the hot path.

An admin's change to a site reaches every worker within the cache's time to live
(TOUCHPOINT_SITE_CACHE_SECONDS, default 5 seconds).
"""

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Site
from ..sites.keys import is_site_key
from ..sites.settings import ANY_ORIGIN
from .normalize import normalize_origin
from .phases import compile_phase_rules

#: Entries kept at most; random keys from a scanner must not grow the cache without bound.
MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class PublicSite:
    """The settings of one site that public requests need, ready to use."""

    id: int
    key: str
    enabled: bool
    any_origin: bool
    allowed_origins: frozenset[str]
    collect_email: bool
    keep_query_params: frozenset[str]
    phase_rules: tuple[tuple[re.Pattern, str], ...]
    config_body: bytes
    config_etag: str

    def allows_origin(self, origin: str) -> bool:
        """Tell whether a browser at `origin` may call the public API for this site."""
        # Browsers send origins in normal form already: one set lookup on the hot path.
        return (
            self.any_origin
            or origin in self.allowed_origins
            or comparable_origin(origin) in self.allowed_origins
        )


def comparable_origin(origin: str) -> str:
    """Return `origin` in normal form, or unchanged when it is not an origin (it matches none)."""
    try:
        return normalize_origin(origin)
    except ValueError:
        return origin


def public_site(row) -> PublicSite:
    """Build a `PublicSite` from a row of the sites table."""
    origins = frozenset(comparable_origin(origin) for origin in row.allowed_origins or ())
    config = {
        "enabled": bool(row.enabled),
        "collect_email": bool(row.collect_email),
        # The widget sends only these of a page's query parameters (and no fragment).
        "keep_query_params": sorted(row.keep_query_params or ()),
        "widget": row.widget or {},
    }
    body = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
    return PublicSite(
        id=row.id,
        key=row.key,
        enabled=bool(row.enabled),
        any_origin=ANY_ORIGIN in origins,
        allowed_origins=origins,
        collect_email=bool(row.collect_email),
        keep_query_params=frozenset(row.keep_query_params or ()),
        phase_rules=compile_phase_rules(row.phase_rules or ()),
        config_body=body,
        config_etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
    )


def load_public_site(key: str) -> PublicSite | None:
    """Read the site with public key `key` from the database, or None."""
    sites = Site.__table__
    with db.engine.connect() as connection:
        row = connection.execute(select(sites).where(sites.c.key == key)).first()
    return public_site(row) if row is not None else None


class SiteCache:
    """Map site keys to `PublicSite`s (or None for unknown keys) for `ttl` seconds."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self.entries: dict[str, tuple[float, PublicSite | None]] = {}

    def get(self, key: str) -> PublicSite | None:
        """Return the site with public key `key`, from the cache while it is fresh."""
        if not is_site_key(key):
            # Junk never reaches the database (PostgreSQL refuses NUL) nor fills the cache.
            return None
        now = self.clock()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        site = load_public_site(key)
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        self.entries[key] = (now + self.ttl, site)
        return site

    def cached(self, key: str) -> PublicSite | None:
        """Return the site this process last read for `key`, fresh or not, without reading."""
        entry = self.entries.get(key)
        return entry[1] if entry is not None else None

    def forget(self, key: str) -> None:
        """Drop `key` so this process reads it afresh (after a change made here)."""
        self.entries.pop(key, None)
