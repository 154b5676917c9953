"""Rate-limit public submissions per client address and site, failing open."""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.strategies import RateLimiter

from .config import ConfigError

log = logging.getLogger(__name__)

#: Namespace of the limiter keys, apart from any limit Flask-Limiter itself applies.
SCOPE = "ingest"


def parse_limits(spec: str) -> tuple[RateLimitItem, ...]:
    """Parse TOUCHPOINT_RATELIMIT (e.g. `20/minute;200/day`) once, at start-up."""
    try:
        items = tuple(parse_many(spec))
    except ValueError as exc:
        raise ConfigError(f"TOUCHPOINT_RATELIMIT is not a rate limit: {spec!r}") from exc
    if not items:
        raise ConfigError("TOUCHPOINT_RATELIMIT names no limit")
    return items


@dataclass(frozen=True)
class SubmissionLimit:
    """The limits on submissions, checked with Flask-Limiter's storage and strategy.

    Calling the `limits` strategy directly with limits parsed once keeps the hot path at a
    few microseconds; Flask-Limiter's decorator re-parses limits on every request.
    """

    strategy: RateLimiter
    items: tuple[RateLimitItem, ...]

    def retry_after(self, address: str, site_key: str) -> int | None:
        """Count one submission; return the seconds to wait when a limit is exceeded, else None.

        A failing storage lets the submission through: losing feedback is worse than
        accepting a few requests too many while the storage is down.
        """
        try:
            for item in self.items:
                if not self.strategy.hit(item, SCOPE, address, site_key):
                    reset = self.strategy.get_window_stats(item, SCOPE, address, site_key)
                    return max(1, math.ceil(reset.reset_time - time.time()))
        except Exception as exc:
            log.warning("rate-limit storage failed, letting the submission through: %r", exc)
        return None
