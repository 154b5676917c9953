"""Rate-limit submissions and refused sign-ins per client address, failing open."""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.strategies import RateLimiter

from .config import ConfigError

log = logging.getLogger(__name__)


def parse_limits(spec: str, setting: str = "TOUCHPOINT_RATELIMIT") -> tuple[RateLimitItem, ...]:
    """Parse a limit setting (e.g. `20/minute;200/day`) once, at start-up."""
    try:
        items = tuple(parse_many(spec))
    except ValueError as exc:
        raise ConfigError(f"{setting} is not a rate limit: {spec!r}") from exc
    if not items:
        raise ConfigError(f"{setting} names no limit")
    return items


@dataclass(frozen=True)
class RateLimit:
    """Limits parsed once and checked with the `limits` strategy directly, under one scope.

    Calling the strategy with limits parsed at start-up keeps the hot path at a few
    microseconds, with none of a rate-limit extension's per-request hooks. A failing
    storage lets the request through: losing feedback, or locking every administrator
    out, is worse than accepting a few requests too many while the storage is down.
    """

    strategy: RateLimiter
    items: tuple[RateLimitItem, ...]
    scope: str

    def check(self, *key: str) -> int | None:
        """Return the seconds to wait when a limit is used up for `key`; count nothing."""
        return self.first_exceeded(self.strategy.test, key)

    def hit(self, *key: str) -> int | None:
        """Count one request for `key`; return the seconds to wait when a limit is exceeded."""
        return self.first_exceeded(self.strategy.hit, key)

    def first_exceeded(self, verdict, key: tuple[str, ...]) -> int | None:
        """Return the seconds to wait for the first limit `verdict` refuses, else None."""
        try:
            for item in self.items:
                if not verdict(item, self.scope, *key):
                    return self.retry_after(item, key)
        except Exception as exc:
            log.warning("rate-limit storage failed, letting the request through: %r", exc)
        return None

    def retry_after(self, item: RateLimitItem, key: tuple[str, ...]) -> int:
        """Return the whole seconds until `item`'s window for `key` resets (at least 1)."""
        stats = self.strategy.get_window_stats(item, self.scope, *key)
        return max(1, math.ceil(stats.reset_time - time.time()))
