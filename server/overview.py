"""Gather the numbers a site's dashboard page shows, from the same functions the API uses."""

from datetime import timedelta

from .filters import UNKNOWN_PHASE, stats_window
from .models import METRICS, PHASES
from .stats import site_stats

#: How many pages the pages table lists (the busiest first).
PAGE_ROWS = 20


def trend_bucket(start, end) -> str:
    """Return the time bucket that gives a readable trend line over the window."""
    days = (end - start) / timedelta(days=1)
    if days <= 62:
        return "day"
    return "week" if days <= 730 else "month"


def headlines(site, filters: dict, bucket: str) -> dict[str, dict]:
    """Return each metric's overall summary and its trend (one score per time bucket)."""
    result = {}
    for metric in METRICS:
        stats = site_stats(site, metric, bucket, filters)
        result[metric] = {
            "overall": stats["overall"],
            "trend": [group["score"] for group in stats["groups"] if group["score"] is not None],
        }
    return result


def chosen_metric(site, requested: str | None, summaries: dict[str, dict]) -> str:
    """Return the metric to detail: the requested one, else the site's default if it has data,
    else the metric with the most responses."""
    if requested in METRICS:
        return requested
    default = (site.widget or {}).get("metric")
    if default in METRICS and summaries[default]["overall"]["count"]:
        return default
    return max(METRICS, key=lambda metric: summaries[metric]["overall"]["count"])


def journey(site, metric: str, filters: dict) -> dict:
    """Return the five phases in journey order with their summaries, and the unknown count."""
    stats = site_stats(site, metric, "phase", filters)
    by_phase = {group["key"]: group for group in stats["groups"]}
    return {
        "overall": stats["overall"],
        "phases": [(phase, by_phase.get(phase)) for phase in PHASES],
        "unknown": by_phase.get(UNKNOWN_PHASE, {}).get("count", 0),
    }


def pages(site, metric: str, filters: dict) -> list[dict]:
    """Return the busiest pages with their summaries."""
    return site_stats(site, metric, "page", filters)["groups"][:PAGE_ROWS]


def site_overview(site, requested_metric: str | None, filters: dict) -> dict:
    """Return everything the site page shows for the window and filters in `filters`."""
    start, end = stats_window(filters)
    filters = {**filters, "start": start, "end": end}
    bucket = trend_bucket(start, end)
    summaries = headlines(site, filters, bucket)
    metric = chosen_metric(site, requested_metric, summaries)
    return {
        "start": start,
        "end": end,
        "bucket": bucket,
        "metric": metric,
        "headlines": summaries,
        "journey": journey(site, metric, filters),
        "pages": pages(site, metric, filters),
    }
