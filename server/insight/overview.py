"""Gather the numbers a site's dashboard page shows, from the same functions the API uses."""

from datetime import timedelta

from ..models import METRICS, PHASES
from .changes import find_changes
from .filters import UNKNOWN_PHASE, stats_window
from .listing import list_responses
from .moments import DEFAULT_MIN_COUNT, site_moments
from .stats import site_stats
from .themes import THEMES

#: How many pages the pages table lists (the busiest first).
PAGE_ROWS = 20

#: How many comments one page of the latest comments shows.
COMMENT_ROWS = 20


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


def themes_by_phase(site, metric: str, filters: dict) -> dict:
    """Return how many responses raise each complaint theme, per journey phase.

    One theme-grouped stats query per phase (a response counts once in each of its themes);
    a page filtered to one phase shows that phase alone.
    """
    phases = [filters["phase"]] if filters.get("phase") else list(PHASES)
    counts = {theme: [0] * len(phases) for theme in THEMES}
    for column, phase in enumerate(phases):
        for group in site_stats(site, metric, "theme", {**filters, "phase": phase})["groups"]:
            counts[group["key"]][column] = group["count"]
    return {
        "phases": phases,
        "counts": counts,
        "largest": max((max(row) for row in counts.values()), default=0),
    }


def pages(site, metric: str, filters: dict) -> list[dict]:
    """Return the busiest pages with their summaries."""
    # The groups after the busiest pages are the rest of the site's pages, summed.
    return site_stats(site, metric, "page", filters, limit=PAGE_ROWS)["groups"][:PAGE_ROWS]


def despair_first(moments: dict) -> dict:
    """Put the moments of despair before those of delight, each kind still by impact."""
    ordered = sorted(moments["moments"], key=lambda moment: moment["kind"] != "despair")
    return {**moments, "moments": ordered}


def site_overview(site, requested_metric: str | None, query: dict) -> dict:
    """Return everything the site page shows for the window, filters and comment filters."""
    start, end = stats_window(query)
    filters = {name: query[name] for name in ("phase", "path") if query.get(name)}
    filters.update(start=start, end=end)
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
        "themes": themes_by_phase(site, metric, filters),
        "pages": pages(site, metric, filters),
        "changes": find_changes(site, metric),
        "moments": despair_first(site_moments(site, metric, "page", filters, DEFAULT_MIN_COUNT)),
        "comments": list_responses(
            site, {**query, **filters, "metric": metric, "limit": COMMENT_ROWS}, with_comment=True
        ),
    }
