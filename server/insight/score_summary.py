"""Summarize a metric from exact integer sums: its score, mean, 95 % interval and parts.

NPS is promoters minus detractors in percent, CSAT and thumbs the share of satisfied or up
votes, CES the mean; the intervals come from `intervals` (Wilson, NPS, mean). Exact sums in,
fractions throughout, so SQLite and PostgreSQL give identical numbers.
"""

import operator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .intervals import mean_interval, nps_interval, share_interval, two_places

#: The parts of each metric's summary: name → inclusive score range.
METRIC_PARTS = {
    "nps": {"promoters": (9, 10), "passives": (7, 8), "detractors": (0, 6)},
    "csat": {"satisfied": (4, 5)},
    "ces": {"easy": (5, 7)},
    "thumbs": {"up": (1, 1)},
}


@dataclass(frozen=True)
class Aggregates:
    """The exact integer sums a summary is computed from."""

    count: int
    total: int
    squares: int
    parts: dict[str, int]

    def __add__(self, other: "Aggregates") -> "Aggregates":
        return self.combine(other, operator.add)

    def __sub__(self, other: "Aggregates") -> "Aggregates":
        return self.combine(other, operator.sub)

    def combine(self, other: "Aggregates", operation) -> "Aggregates":
        """Return the aggregates whose every sum is `operation(this one's, other's)`."""
        parts = {name: operation(value, other.parts[name]) for name, value in self.parts.items()}
        return Aggregates(
            operation(self.count, other.count),
            operation(self.total, other.total),
            operation(self.squares, other.squares),
            parts,
        )


def empty_aggregates(metric: str) -> Aggregates:
    """Return the aggregates of no responses at all."""
    return Aggregates(0, 0, 0, dict.fromkeys(METRIC_PARTS[metric], 0))


def read_aggregates(metric: str, values) -> Aggregates:
    """Build aggregates from the values of `aggregate_columns` (SUM is NULL over no rows)."""
    count, total, squares, *parts = (int(value or 0) for value in values)
    return Aggregates(count, total, squares, dict(zip(METRIC_PARTS[metric], parts, strict=True)))


def metric_score(metric: str, aggregates: Aggregates) -> Fraction:
    """Return the metric's score of at least one response: NPS, a share in percent or the mean."""
    n, parts = aggregates.count, aggregates.parts
    if metric == "nps":
        return Fraction(100 * (parts["promoters"] - parts["detractors"]), n)
    if metric == "ces":
        return Fraction(aggregates.total, n)
    (successes,) = parts.values()
    return Fraction(100 * successes, n)


def score_interval(metric: str, aggregates: Aggregates, score: Fraction) -> list[float]:
    """Return the 95 % interval of the metric's score of at least two responses."""
    n, parts = aggregates.count, aggregates.parts
    if metric == "nps":
        return nps_interval(parts["promoters"], parts["detractors"], n, score)
    if metric == "ces":
        return mean_interval(n, aggregates.total, aggregates.squares, score)
    (successes,) = parts.values()
    return share_interval(successes, n, metric)


def summarize(metric: str, aggregates: Aggregates) -> dict:
    """Return SPEC's SUMMARY (count, mean, score, ci95 and the metric's parts)."""
    n = aggregates.count
    summary = {"count": n, "mean": None, "score": None, "ci95": None}
    if n:
        score = metric_score(metric, aggregates)
        summary["mean"] = two_places(Fraction(aggregates.total, n))
        summary["score"] = two_places(score)
        if n >= 2:
            summary["ci95"] = score_interval(metric, aggregates, score)
    summary.update(aggregates.parts)
    return summary


def compared(metric: str, group: Aggregates, other: Aggregates) -> tuple[dict, float, Decimal]:
    """Return `group`'s summary (`summarize`), `other`'s score, and the difference of the two
    rounded scores: exactly what a reader subtracts, not a difference of unrounded ones."""
    summary, other_score = summarize(metric, group), summarize(metric, other)["score"]
    return summary, other_score, Decimal(str(summary["score"])) - Decimal(str(other_score))
