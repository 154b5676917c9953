"""Hold the objects each application builds once at start-up: rate limits and the site cache."""

from dataclasses import dataclass

from flask import Flask, current_app
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from .ingest.site_cache import SiteCache
from .ratelimit import RateLimit, parse_limits

STATE_KEY = "touchpoint"


@dataclass(frozen=True)
class AppState:
    """What requests share within one application: built by `init_app`, read by `app_state`."""

    sites: SiteCache
    submission_limit: RateLimit
    unknown_site_limit: RateLimit
    refused_origin_limit: RateLimit
    sign_in_limit: RateLimit


def init_app(app: Flask) -> None:
    """Connect the rate-limit storage and build the application's shared objects."""
    config = app.config
    storage = storage_from_string(
        config["RATELIMIT_STORAGE_URI"], **config.get("RATELIMIT_STORAGE_OPTIONS", {})
    )
    strategy = FixedWindowRateLimiter(storage)
    submission_items = parse_limits(config["TOUCHPOINT_RATELIMIT"])
    app.extensions[STATE_KEY] = AppState(
        sites=SiteCache(config["TOUCHPOINT_SITE_CACHE_SECONDS"]),
        submission_limit=RateLimit(strategy, submission_items, "ingest"),
        # Per client address, whatever the key: a scanner rotating keys counts as one.
        unknown_site_limit=RateLimit(strategy, submission_items, "unknown-site"),
        # Per client address: past it a refused origin still gets its 403, but no write.
        refused_origin_limit=RateLimit(strategy, submission_items, "refused-origin"),
        # Only refused tokens count, per client address: guessing is slowed, use is not.
        sign_in_limit=RateLimit(
            strategy,
            parse_limits(config["TOUCHPOINT_SIGN_IN_RATELIMIT"], "TOUCHPOINT_SIGN_IN_RATELIMIT"),
            "sign-in",
        ),
    )


def app_state() -> AppState:
    """Return the current application's shared objects."""
    return current_app.extensions[STATE_KEY]
