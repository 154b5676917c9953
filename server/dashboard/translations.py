"""Pick the reader's language and give the dashboard's texts in it."""

from flask import request, session

from .messages import EN, MESSAGES

LANGUAGE_KEY = "lang"
DEFAULT_LANGUAGE = "en"


def current_language() -> str:
    """Return the reader's language: the one chosen in the switch, else Accept-Language."""
    chosen = session.get(LANGUAGE_KEY)
    if chosen in MESSAGES:
        return chosen
    return request.accept_languages.best_match(MESSAGES, default=DEFAULT_LANGUAGE)


def translate(key: str, language: str | None = None, /, **values) -> str:
    """Return the text for `key` in `language` (default: the reader's), filled with `values`."""
    table = MESSAGES[language or current_language()]
    text = table.get(key) or EN[key]
    return text.format(**values) if values else text
