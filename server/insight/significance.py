"""Test whether two sets of responses score differently: the per-metric tests and the FDR.

Moments compare a group with the rest of the site, changes a period with its baseline; both
use these tests on exact integer sums (`score_summary.Aggregates`) and correct the p-values with
Benjamini-Hochberg (Benjamini & Hochberg 1995, J. R. Stat. Soc. B 57(1):289-300).
"""

import math

from .intervals import nps_variance, sample_variance
from .score_summary import Aggregates

#: Largest Benjamini-Hochberg q-value that still counts as a finding.
FALSE_DISCOVERY_RATE = 0.05


def two_sided_p(z: float) -> float:
    """Return the two-sided p-value of a standard normal statistic `z`."""
    return math.erfc(abs(z) / math.sqrt(2))


def ratio_z(difference: float, variance: float) -> float:
    """Return difference / √variance; a difference with no variance is infinitely sure."""
    if variance > 0:
        return difference / math.sqrt(variance)
    return 0.0 if difference == 0 else math.copysign(math.inf, difference)


def two_proportion_z(successes_a: int, count_a: int, successes_b: int, count_b: int) -> float:
    """Return the pooled two-proportion z statistic of share a minus share b."""
    pooled = (successes_a + successes_b) / (count_a + count_b)
    variance = pooled * (1 - pooled) * (1 / count_a + 1 / count_b)
    return ratio_z(successes_a / count_a - successes_b / count_b, variance)


def nps_z(group: Aggregates, rest: Aggregates) -> float:
    """Return the z statistic of NPS a minus NPS b, each with SPEC's nps interval variance."""
    shares, variance = [], 0.0
    for side in (group, rest):
        promoters, detractors = side.parts["promoters"], side.parts["detractors"]
        shares.append((promoters - detractors) / side.count)
        variance += float(nps_variance(promoters, detractors, side.count))
    return ratio_z(shares[0] - shares[1], variance)


def welch_z(group: Aggregates, rest: Aggregates) -> float:
    """Return Welch's t statistic of mean a minus mean b, read as a normal z."""
    means, variance = [], 0.0
    for side in (group, rest):
        means.append(side.total / side.count)
        variance += float(sample_variance(side.count, side.total, side.squares) / side.count)
    return ratio_z(means[0] - means[1], variance)


def comparison_z(metric: str, group: Aggregates, rest: Aggregates) -> float:
    """Return the statistic SPEC names for `metric`, group a against b (positive: a higher)."""
    if metric == "nps":
        return nps_z(group, rest)
    if metric == "ces":
        return welch_z(group, rest)
    (group_successes,) = group.parts.values()
    (rest_successes,) = rest.parts.values()
    return two_proportion_z(group_successes, group.count, rest_successes, rest.count)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Return Benjamini-Hochberg q-values for `p_values`, in the same order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda index: p_values[index])
    q_values = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        q_values[index] = running
    return q_values


def minimum_side(metric: str) -> int:
    """Return how many responses each side of a comparison needs for the metric's test."""
    # Welch's test needs a sample variance on each side; the others need one response.
    return 2 if metric == "ces" else 1
