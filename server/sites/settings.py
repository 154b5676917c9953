"""Hold a site's setting vocabulary and defaults, and merge changes into its widget settings."""

#: The one `allowed_origins` entry that allows every origin.
ANY_ORIGIN = "*"
POSITIONS = ("bottom-right", "bottom-left", "right", "left")
DEFAULT_METRIC = "csat"
DEFAULT_COOLDOWN_DAYS = 30
#: What makes the widget open by itself (SPEC "The widget", proactive prompts).
TRIGGER_KINDS = ("exit_intent", "time_on_page", "scroll_depth", "event")
#: The share of eligible page views a trigger may prompt.
DEFAULT_SAMPLING = 1.0

#: The widget settings of a site that sets none.
DEFAULT_WIDGET = {
    "metric": DEFAULT_METRIC,
    "questions": {},
    "cooldown_days": DEFAULT_COOLDOWN_DAYS,
    "triggers": [],
    "sampling": DEFAULT_SAMPLING,
}


def default_widget() -> dict:
    """Return a fresh copy of the widget settings of a site that sets none."""
    return {**DEFAULT_WIDGET, "questions": {}, "triggers": []}


def merge_widget(current: dict | None, changes: dict) -> dict:
    """Return widget settings with `changes` applied; a `None` resets that setting."""
    defaults = default_widget()
    merged = {**defaults, **(current or {}), **changes}
    for name in [name for name, value in merged.items() if value is None]:
        if name in defaults:
            merged[name] = defaults[name]
        else:
            del merged[name]
    return merged
