"""Prepare the site page's query schema, period fields and comment score range."""

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from ..models import SCORE_RANGES
from ..schemas.site_page import SitePageQuerySchema
from .periods import last_day, local_today, preset_links


def comment_score_range(metric: str | None) -> tuple[int, int]:
    """Return the scores a comment of `metric` can have; of any metric when none is named."""
    if metric in SCORE_RANGES:
        return SCORE_RANGES[metric]
    return min(low for low, _ in SCORE_RANGES.values()), max(
        high for _, high in SCORE_RANGES.values()
    )


@lru_cache(maxsize=64)
def site_page_schema(zone: ZoneInfo) -> SitePageQuerySchema:
    """Return the site page's query schema for a reporting time zone (one per zone, reused)."""
    return SitePageQuerySchema(zone)


def period_fields(query: dict, overview: dict, zone: ZoneInfo) -> dict:
    """Return the period form's days (the window shown) and its preset links with the filters."""
    kept = {
        name: value
        for name, value in query.items()
        if name not in ("from", "to", "until", "cursor")
    }
    return {
        "from": overview["start"].astimezone(zone).date().isoformat(),
        "until": last_day(overview["end"], zone).isoformat(),
        "presets": [
            {**preset, "query": {**kept, "from": preset["from"], "until": preset["until"]}}
            for preset in preset_links(local_today(zone, datetime.now(UTC)))
        ],
    }
