"""Draw the dashboard's charts as small, accessible SVG documents on the server."""

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .i18n import decimal_text


def number(value: float) -> str:
    """Format a coordinate compactly (SVG needs no more than one decimal here; not for text)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def scaled(value: float, low: float, high: float, top: float, bottom: float) -> float:
    """Map `value` in [low, high] to a y coordinate between `bottom` (low) and `top` (high)."""
    share = 0.0 if high == low else (min(max(value, low), high) - low) / (high - low)
    return bottom - share * (bottom - top)


def sparkline(
    values: Sequence[float], low: float, high: float, label: str, width=160, height=40
) -> Markup:
    """Draw a trend line through `values` (oldest first) on a fixed [low, high] scale."""
    pad = 3.0
    title = f"<title>{escape(label)}</title>"
    if not values:
        return Markup(
            f'<svg class="spark" viewBox="0 0 {width} {height}" role="img">{title}'
            f'<line class="spark-empty" x1="{pad}" y1="{height / 2}" x2="{width - pad}" '
            f'y2="{height / 2}"/></svg>'
        )
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [
        (pad + index * step, scaled(value, low, high, pad, height - pad))
        for index, value in enumerate(values)
    ]
    if len(points) == 1:
        points.append((width - pad, points[0][1]))
    path = " ".join(f"{number(x)},{number(y)}" for x, y in points)
    last_x, last_y = points[-1]
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img">{title}'
        f'<polyline class="spark-line" points="{path}"/>'
        f'<circle class="spark-dot" cx="{number(last_x)}" cy="{number(last_y)}" r="2.5"/></svg>'
    )


@dataclass(frozen=True)
class Column:
    """One column of an interval chart: a label, a score, its 95 % interval and a count."""

    label: str
    score: float | None
    ci95: tuple[float, float] | None
    count: int


def interval_chart(
    columns: Sequence[Column], low: float, high: float, label: str, baseline: float | None = None
) -> Markup:
    """Draw columns left to right, each a score dot with its interval bar and its count."""
    width, height, top, bottom, left = 600, 240, 16.0, 190.0, 44.0
    slot = (width - left) / max(len(columns), 1)

    def y_of(value: float) -> str:
        return number(scaled(value, low, high, top, bottom))

    parts = [
        f'<svg class="intervals" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{escape(label)}</title>"
    ]
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y}" x2="{width}" y2="{y}"/>'
            f'<text class="axis" x="{left - 6}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{decimal_text(tick)}</text>'
        )
    if baseline is not None:
        y = y_of(baseline)
        parts.append(f'<line class="baseline" x1="{left}" y1="{y}" x2="{width}" y2="{y}"/>')
    for index, column in enumerate(columns):
        parts.append(column_marks(column, number(left + slot * (index + 0.5)), y_of, bottom))
    parts.append("</svg>")
    return Markup("".join(parts))


def column_marks(column: Column, x: str, y_of, bottom: float) -> str:
    """Draw one column at `x`: its interval bar, score dot, label and count."""
    parts = []
    if column.ci95 is not None:
        y_low, y_high = y_of(column.ci95[0]), y_of(column.ci95[1])
        parts.append(
            f'<line class="interval" x1="{x}" y1="{y_low}" x2="{x}" y2="{y_high}"/>'
            f'<line class="interval" x1="{number(float(x) - 8)}" y1="{y_low}" '
            f'x2="{number(float(x) + 8)}" y2="{y_low}"/>'
            f'<line class="interval" x1="{number(float(x) - 8)}" y1="{y_high}" '
            f'x2="{number(float(x) + 8)}" y2="{y_high}"/>'
        )
    if column.score is not None:
        y = y_of(column.score)
        parts.append(
            f'<circle class="score" cx="{x}" cy="{y}" r="6"/>'
            f'<text class="value" x="{number(float(x) + 12)}" y="{y}" '
            f'dominant-baseline="middle">{decimal_text(column.score)}</text>'
        )
    parts.append(
        f'<text class="label" x="{x}" y="{bottom + 22}" text-anchor="middle">'
        f"{escape(column.label)}</text>"
        f'<text class="count" x="{x}" y="{bottom + 40}" text-anchor="middle">'
        f"n = {decimal_text(column.count)}</text>"
    )
    return "".join(parts)


def bar(value: float, maximum: float, label: str, width=120, height=12) -> Markup:
    """Draw one horizontal bar whose length is `value` out of `maximum`."""
    share = 0.0 if maximum <= 0 else min(max(value / maximum, 0.0), 1.0)
    return Markup(
        f'<svg class="bar" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{escape(label)}</title>"
        f'<rect class="bar-track" x="0" y="0" width="{width}" height="{height}" rx="3"/>'
        f'<rect class="bar-fill" x="0" y="0" width="{number(share * width)}" '
        f'height="{height}" rx="3"/></svg>'
    )
