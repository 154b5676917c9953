"""Keep a short-lived, per-process copy of each site's public settings for the hot path.

An admin's change to a site reaches every worker within the cache's time to live
(TOUCHPOINT_SITE_CACHE_SECONDS, default 5 seconds).
"""

import enum
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Site
from ..sites.keys import is_site_key
from ..sites.settings import ANY_ORIGIN
from .normalize import normalize_origin
from .phases import CompiledRules, compile_phase_rules

#: Unknown keys remembered at most; random keys from a scanner must not grow the cache.
MAX_MISSES = 10_000


class Unread(enum.Enum):
    """The cache holds nothing fresh for a key: the database must be asked."""

    UNREAD = "unread"


UNREAD = Unread.UNREAD


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
    phase_rules: CompiledRules
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
    """Map site keys to `PublicSite`s for `ttl` seconds, and remember unknown keys apart.

    Sites the database knows are few and each is kept; unknown keys are whatever a scanner
    sends, so they live in their own bounded, least-recently-used map: a flood of them
    evicts only other unknown keys, never a real site.
    """

    def __init__(
        self, ttl: float, clock: Callable[[], float] = time.monotonic, max_misses: int = MAX_MISSES
    ):
        self.ttl = ttl
        self.clock = clock
        self.max_misses = max_misses
        self.hits: dict[str, tuple[float, PublicSite]] = {}
        self.misses: OrderedDict[str, float] = OrderedDict()
        # Request threads share the misses; reordering and evicting are not atomic.
        self.misses_lock = threading.Lock()

    def get(self, key: str) -> PublicSite | None:
        """Return the site with public key `key`, from the cache while it is fresh."""
        site = self.fresh(key)
        return self.read(key) if site is UNREAD else site

    def fresh(self, key: str) -> PublicSite | Unread | None:
        """Return what the cache knows of `key` while fresh (a site or None), else `UNREAD`."""
        if not is_site_key(key):
            # Junk never reaches the database (PostgreSQL refuses NUL) nor fills the cache.
            return None
        now = self.clock()
        hit = self.hits.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        with self.misses_lock:
            expires = self.misses.get(key)
            if expires is not None and expires > now:
                self.misses.move_to_end(key)
                return None
        return UNREAD

    def read(self, key: str) -> PublicSite | None:
        """Read `key` from the database into the cache; return its site or None."""
        site = load_public_site(key)
        expires = self.clock() + self.ttl
        if site is not None:
            self.hits[key] = (expires, site)
            self.drop_miss(key)
            return site
        self.hits.pop(key, None)
        with self.misses_lock:
            self.misses[key] = expires
            self.misses.move_to_end(key)
            while len(self.misses) > self.max_misses:
                self.misses.popitem(last=False)
        return None

    def cached(self, key: str) -> PublicSite | None:
        """Return the site this process last read for `key`, fresh or not, without reading."""
        hit = self.hits.get(key)
        return hit[1] if hit is not None else None

    def forget(self, key: str) -> None:
        """Drop `key` so this process reads it afresh (after a change made here)."""
        self.hits.pop(key, None)
        self.drop_miss(key)

    def drop_miss(self, key: str) -> None:
        """Stop remembering `key` as unknown."""
        with self.misses_lock:
            self.misses.pop(key, None)
