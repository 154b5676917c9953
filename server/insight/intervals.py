"""Compute scores' 95 % intervals and two-decimal roundings exactly, from integer counts.

Everything is a `Fraction` until the end; square roots use `decimal` with SQRT_DIGITS
significant digits, so SQLite and PostgreSQL sums give identical numbers.
"""

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

#: Bounds a metric's score (and its interval) lives in.
SCORE_BOUNDS = {"nps": (-100, 100), "csat": (0, 100), "ces": (1, 7), "thumbs": (0, 100)}

Z95 = Fraction(196, 100)
TWO_PLACES = Decimal("0.01")
# Square roots are taken with this many significant digits, far beyond the two decimals
# kept, so rounding half to even never depends on float error.
SQRT_DIGITS = 40


def sqrt(value: Fraction) -> Decimal:
    """Return the square root of a non-negative fraction to SQRT_DIGITS digits."""
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        return (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()


def to_decimal(value: Fraction) -> Decimal:
    """Return a fraction as a decimal precise to SQRT_DIGITS digits."""
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        return Decimal(value.numerator) / Decimal(value.denominator)


def two_places(value: Fraction | Decimal) -> float:
    """Round half to even to two decimals and return the float JSON carries."""
    if isinstance(value, Fraction):
        return float(round(value, 2))
    return float(value.quantize(TWO_PLACES, rounding=ROUND_HALF_EVEN))


def interval(center: Fraction, half_width: Decimal, metric: str) -> list[float]:
    """Return `center ± half_width` clipped to the metric's bounds and rounded."""
    low_bound, high_bound = SCORE_BOUNDS[metric]
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        middle = to_decimal(center)
        low = max(middle - half_width, Decimal(low_bound))
        high = min(middle + half_width, Decimal(high_bound))
    return [two_places(low), two_places(high)]


def nps_variance(promoters: int, detractors: int, count: int) -> Fraction:
    """Return the variance of an NPS share, (p + d - (p - d)^2) / n, p and d the shares."""
    promoter_share, detractor_share = Fraction(promoters, count), Fraction(detractors, count)
    spread = promoter_share + detractor_share - (promoter_share - detractor_share) ** 2
    return spread / count


def sample_variance(count: int, total: int, squares: int) -> Fraction:
    """Return the sample variance (n - 1 in the denominator) of scores from their sums."""
    return Fraction(squares * count - total**2, count * (count - 1))


def share_interval(successes: int, count: int, metric: str) -> list[float]:
    """Return the Wilson score interval of `successes / count`, in percent."""
    share = Fraction(successes, count)
    z2 = Z95 * Z95
    denominator = 1 + z2 / count
    center = (share + z2 / (2 * count)) / denominator
    spread = sqrt(share * (1 - share) / count + z2 / (4 * count * count))
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        half_width = to_decimal(Z95 / denominator) * spread * 100
    return interval(center * 100, half_width, metric)


def nps_interval(promoters: int, detractors: int, count: int, score: Fraction) -> list[float]:
    """Return score +- 1.96 * 100 * sqrt((p + d - (p - d)^2) / n)."""
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        half_width = to_decimal(Z95 * 100) * sqrt(nps_variance(promoters, detractors, count))
    return interval(score, half_width, "nps")


def mean_interval(count: int, total: int, squares: int, mean: Fraction) -> list[float]:
    """Return mean +- 1.96 * s / sqrt(n) with s the sample standard deviation."""
    with localcontext() as context:
        context.prec = SQRT_DIGITS
        half_width = to_decimal(Z95) * sqrt(sample_variance(count, total, squares) / count)
    return interval(mean, half_width, "ces")
