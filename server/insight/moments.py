"""Find a site's moments of truth: pages or phases that score far from the rest of the site.

One grouped query sums each group's scores, squares, parts and themes; the rest of the site
is the whole minus the group, so every group is compared without another pass over the
rows. Only the per-group tests run in Python: at most the 1,000 largest pages are tested
(anonymous visitors can make pages; the smaller ones still count in the rest of the site).
"""

from sqlalchemy import func, select

from ..extensions import db
from ..models import Response
from .filters import NEWEST_FIRST, has_comment, has_theme, iso_utc, report_conditions
from .score_summary import Aggregates, compared, empty_aggregates, summarize
from .significance import (
    FALSE_DISCOVERY_RATE,
    benjamini_hochberg,
    comparison_z,
    minimum_side,
    two_sided_p,
)
from .stats import group_key, query_aggregates, restricted
from .themes import THEMES

BY = ("page", "phase")
DEFAULT_MIN_COUNT = 30
RECENT_COMMENTS = 3
#: The most pages tested; the rest of a site's pages only count in the rest of the site.
MAX_TESTED_PAGES = 1000


def theme_columns() -> list:
    """Return one SQL count per theme of the responses that raise it."""
    return [restricted(func.count(), has_theme(theme)).label(theme) for theme in THEMES]


def group_rows(conditions: list, metric: str, by: str) -> tuple[list[tuple], Aggregates]:
    """Return `(key, Aggregates, theme counts)` per group and the sums of the untested pages.

    One grouped query; by page, only the `MAX_TESTED_PAGES` largest pages are groups.
    """
    limit = MAX_TESTED_PAGES if by == "page" else None
    rows = query_aggregates(conditions, metric, by, theme_columns(), limit=limit)
    untested = empty_aggregates(metric)
    if limit is not None and len(rows) > limit:
        untested = rows.pop()[1]
    groups = [
        (key, aggregates, dict(zip(THEMES, (int(value or 0) for value in counts), strict=True)))
        for key, aggregates, counts in rows
    ]
    return groups, untested


def newest_comments(conditions: list) -> list[dict]:
    """Return the newest non-empty comments of the responses meeting `conditions`."""
    query = (
        select(Response.id, Response.score, Response.comment, Response.received_at)
        .where(*conditions, *has_comment())
        .order_by(*NEWEST_FIRST)
        .limit(RECENT_COMMENTS)
    )
    return [
        {"id": row.id, "score": row.score, "comment": row.comment, "received_at": row.received_at}
        for row in db.session.execute(query)
    ]


def recent_comments(conditions: list, by: str, key: str) -> list[dict]:
    """Return the newest non-empty comments of one group."""
    group = group_key(by, db.session.get_bind().dialect.name)
    return newest_comments([*conditions, group == key])


def tested_groups(metric: str, rows: list[tuple], whole: Aggregates, min_count: int) -> list:
    """Return `(key, group, rest, theme counts, p)` for each group large enough to test."""
    tested = []
    for key, group, theme_counts in rows:
        rest = whole - group
        if group.count < max(min_count, minimum_side(metric)) or rest.count < minimum_side(metric):
            continue
        p_value = two_sided_p(comparison_z(metric, group, rest))
        tested.append((key, group, rest, theme_counts, p_value))
    return tested


def moment_of(metric: str, key: str, group: Aggregates, rest: Aggregates) -> dict:
    """Return the comparison fields of one group against the rest of the site."""
    summary, rest_score, delta = compared(metric, group, rest)
    return {
        "key": key,
        "kind": "despair" if delta < 0 else "delight",
        "count": group.count,
        "score": summary["score"],
        "rest_score": rest_score,
        "delta": float(delta),
        "ci95": summary["ci95"],
        "impact": float(group.count * abs(delta)),
    }


def find_moments(
    metric: str, rows: list[tuple], min_count: int, untested: Aggregates | None = None
) -> tuple[Aggregates, list]:
    """Return the whole site's aggregates and the moments among `(key, group, themes)` rows.

    Each group is tested against the rest of the site (`untested` sums the responses of
    groups left out, which count only there), the p-values of the tested groups are
    corrected together, and the groups with q < 0.05 come back largest impact first.
    """
    # Pages and phases split the responses, so the groups add up to the whole site.
    whole = sum((group for _, group, _ in rows), untested or empty_aggregates(metric))
    tested = tested_groups(metric, rows, whole, min_count)
    q_values = benjamini_hochberg([p_value for *_, p_value in tested])
    moments = []
    for (key, group, rest, theme_counts, p_value), q_value in zip(tested, q_values, strict=True):
        if q_value >= FALSE_DISCOVERY_RATE:
            continue
        moment = moment_of(metric, key, group, rest)
        moment.update(p_value=p_value, q_value=q_value, themes=theme_counts)
        moments.append(moment)
    moments.sort(key=lambda moment: (-moment["impact"], moment["key"]))
    return whole, moments


def site_moments(
    site,
    metric: str,
    by: str = "page",
    filters: dict | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
) -> dict:
    """Return the site's moments of truth for `metric`, grouped `by` page or phase."""
    start, end, conditions = report_conditions(site, metric, filters)
    rows, untested = group_rows(conditions, metric, by)
    whole, moments = find_moments(metric, rows, min_count, untested)
    for moment in moments:
        moment["comments"] = recent_comments(conditions, by, moment["key"])
    return {
        "metric": metric,
        "by": by,
        "from": iso_utc(start),
        "to": iso_utc(end),
        "baseline": summarize(metric, whole),
        "moments": moments,
    }
