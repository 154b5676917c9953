"""Explain the dashboard's numbers in plain words: units, definitions, chance and change."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..insight.significance import FALSE_DISCOVERY_RATE
from .i18n import decimal_text, significant_text

#: Each metric's score unit, shown after the score.
METRIC_UNITS = {"csat": "%", "ces": _l("of 7"), "nps": _l("points"), "thumbs": "%"}

#: Each metric's one-line definition, shown where its score is.
METRIC_DEFINITIONS = {
    "csat": _l("Share of answers 4 or 5 on a scale of 1 to 5."),
    "ces": _l("Mean ease on a scale of 1 to 7; 7 = very easy."),
    # Typographic dashes and a true minus sign: these are texts for readers, not code.
    "nps": _l("Share of promoters (9–10) minus share of detractors (0–6); from −100 to 100."),  # noqa: RUF001
    "thumbs": _l("Share of “yes” answers."),
}

#: Below this, a probability is written as "< 0.001" rather than in digits nobody reads.
SMALLEST_SHOWN = 0.001


def probability_text(name: str, value: float) -> str:
    """Return "p = 0.012" or "q < 0.001": a probability a reader can take in at a glance."""
    if value < SMALLEST_SHOWN:
        return f"{name} < {decimal_text(SMALLEST_SHOWN)}"
    return f"{name} = {significant_text(value)}"


def chance_words(q_value: float) -> str:
    """Say whether a difference with this q-value is likely real."""
    if q_value < FALSE_DISCOVERY_RATE:
        return _("very unlikely to be chance")
    return _("could be chance")


def interval_words(ci95) -> str:
    """Say what a 95 % interval means, with its bounds."""
    return _(
        "The true score very likely (95 %%) lies between %(low)s and %(high)s.",
        low=decimal_text(ci95[0]),
        high=decimal_text(ci95[1]),
    )


def change_words(delta: float, previous_score: float) -> str:
    """Say which way a score moved since the previous period, by how much, and from what."""
    if delta > 0:
        return _(
            "Up %(delta)s from %(previous)s in the previous period.",
            delta=decimal_text(delta),
            previous=decimal_text(previous_score),
        )
    if delta < 0:
        return _(
            "Down %(delta)s from %(previous)s in the previous period.",
            delta=decimal_text(-delta),
            previous=decimal_text(previous_score),
        )
    return _(
        "Unchanged from the previous period (%(previous)s).", previous=decimal_text(previous_score)
    )


#: Names a template explains numbers with.
EXPLAIN_HELPERS = {
    "metric_units": METRIC_UNITS,
    "metric_definitions": METRIC_DEFINITIONS,
    "probability": probability_text,
    "chance_words": chance_words,
    "interval_words": interval_words,
    "change_words": change_words,
}
