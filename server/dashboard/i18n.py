"""Pick the reader's language for Flask-Babel and format numbers in it."""

from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal
from flask import has_request_context, request, session
from flask_babel import get_locale

from ..errors import dashboard_request

#: The dashboard's languages, each named in its own language (the switch lists them so).
LANGUAGES = {
    "en": "English",
    "nl": "Nederlands",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}

LANGUAGE_KEY = "lang"
DEFAULT_LANGUAGE = "en"

#: The gettext catalogs: <language>/LC_MESSAGES/messages.po and its compiled .mo.
CATALOGS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """Return the reader's language: the one chosen in the switch, else Accept-Language."""
    # Only the dashboard speaks the reader's language; the API's texts stay English.
    if not has_request_context() or not dashboard_request():
        return DEFAULT_LANGUAGE
    chosen = session.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def language() -> str:
    """Return the language code of the page being rendered (English outside a request)."""
    locale = get_locale()
    return locale.language if locale else DEFAULT_LANGUAGE


def decimal_text(value: float) -> str:
    """Format `value` in the reader's locale: "65,2" in nl, counts grouped ("12.345" in nl).

    Scores arrive rounded as the API gives them; at most three decimals are shown.
    """
    return format_decimal(value, locale=language())


def significant_text(value: float, digits: int = 2) -> str:
    """Format `value` with `digits` significant digits in the reader's locale (q = 0,0012)."""
    rounded = Decimal(f"{value:.{digits}g}")
    return format_decimal(rounded, locale=language(), decimal_quantization=False)
