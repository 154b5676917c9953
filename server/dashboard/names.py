"""Name the metrics, phases, themes and other codes the dashboard shows, in the reader's language.

Each table maps a stored code to a lazy text, translated when the page is rendered.
"""

from flask_babel import lazy_gettext as _l

METRIC_NAMES = {"csat": _l("CSAT"), "ces": _l("CES"), "nps": _l("NPS"), "thumbs": _l("Thumbs")}

PHASE_NAMES = {
    "awareness": _l("Awareness"),
    "consideration": _l("Consideration"),
    "conversion": _l("Conversion"),
    "loyalty": _l("Loyalty"),
    "advocacy": _l("Advocacy"),
    "unknown": _l("Unknown"),
}

THEME_NAMES = {
    "speed": _l("Speed"),
    "findability": _l("Findability"),
    "unresolved": _l("Unresolved"),
    "returns": _l("Returns"),
    "waiting": _l("Waiting"),
    "human_contact": _l("Human contact"),
}

#: The two kinds of moment of truth: a page scoring clearly below or above the rest.
KIND_NAMES = {"despair": _l("Despair"), "delight": _l("Delight")}

BUCKET_NAMES = {"day": _l("day"), "week": _l("week"), "month": _l("month")}

POSITION_NAMES = {
    "bottom-right": _l("Bottom right"),
    "bottom-left": _l("Bottom left"),
    "right": _l("Right"),
    "left": _l("Left"),
}

#: The dashboard's own text for an error page, by HTTP status.
ERROR_TEXTS = {
    400: _l(
        "The request could not be understood. If you sent a form, reload the page and try again."
    ),
    403: _l("Your token may not do this."),
    404: _l("There is nothing here."),
    422: _l("A filter or setting has a value that cannot be used."),
    429: _l("Too many attempts; wait a minute."),
    500: _l("Something went wrong on our side."),
    503: _l("The database is unavailable; try again shortly."),
}

#: Names a template looks codes up in.
TEMPLATE_NAMES = {
    "metric_names": METRIC_NAMES,
    "phase_names": PHASE_NAMES,
    "theme_names": THEME_NAMES,
    "kind_names": KIND_NAMES,
    "bucket_names": BUCKET_NAMES,
    "position_names": POSITION_NAMES,
    "error_texts": ERROR_TEXTS,
}
