"""Compare each headline score with the previous period of the same length.

One query per metric sums the current and the previous period together, with the previous
period's sums as filtered aggregates of the same scan; the current period is the whole minus
the previous one. Each metric with enough responses in both periods is tested with the
moments' test for it (`significance.comparison_z`), and the p-values of the metrics tested
are corrected together with Benjamini-Hochberg, as moments and changes are.
"""

from datetime import datetime
from decimal import Decimal

from ..models import METRICS, Response
from .filters import EARLIEST, report_conditions
from .score_summary import Aggregates, read_aggregates, summarize
from .significance import benjamini_hochberg, comparison_z, minimum_side, two_sided_p
from .stats import aggregate_columns, query_aggregates


def previous_start(start: datetime, end: datetime) -> datetime:
    """Return the start of the period of the same length just before [start, end)."""
    length = end - start
    # Near the start of the calendar the previous period is cut short rather than overflowing.
    return max(start, EARLIEST + length) - length


def both_periods(site, metric: str, filters: dict) -> tuple[Aggregates, Aggregates]:
    """Return the aggregates of the current period `filters` names and of the one before it."""
    start = filters["start"]
    earlier = previous_start(start, filters["end"])
    _, _, conditions = report_conditions(site, metric, {**filters, "start": earlier})
    before_start = aggregate_columns(metric, Response.received_at < start, "previous_")
    ((_, whole, values),) = query_aggregates(conditions, metric, extra=before_start)
    previous = read_aggregates(metric, values)
    return whole - previous, previous


def comparison(metric: str, current: Aggregates, previous: Aggregates) -> dict:
    """Return the previous period's summary and the change of the score since then."""
    summary, before = summarize(metric, current), summarize(metric, previous)
    result = {"previous": before, "delta": None, "p_value": None, "q_value": None}
    if summary["score"] is not None and before["score"] is not None:
        # Between the rounded scores, so the change is exactly what a reader subtracts.
        delta = Decimal(str(summary["score"])) - Decimal(str(before["score"]))
        result["delta"] = float(delta)
    smallest = minimum_side(metric)
    if current.count >= smallest and previous.count >= smallest:
        result["p_value"] = two_sided_p(comparison_z(metric, current, previous))
    return result


def previous_period(site, filters: dict) -> dict[str, dict]:
    """Return, per metric, the previous period's summary, the change and its p and q values.

    `filters` holds the current period's `start` and `end` and the page's filters. A metric
    without responses in either period has no change; one too small to test has no p or q.
    """
    results = {
        metric: comparison(metric, *both_periods(site, metric, filters)) for metric in METRICS
    }
    tested = [metric for metric in METRICS if results[metric]["p_value"] is not None]
    q_values = benjamini_hochberg([results[metric]["p_value"] for metric in tested])
    for metric, q_value in zip(tested, q_values, strict=True):
        results[metric]["q_value"] = q_value
    return results
