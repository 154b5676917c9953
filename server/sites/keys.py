"""Give out public site keys and recognise their shape."""

import re
import secrets

SITE_KEY_PREFIX = "pk_"
#: Any key this server could have given out (keys are at most 64 characters long).
SITE_KEY = re.compile(r"pk_[A-Za-z0-9_-]{16,61}")


def new_site_key() -> str:
    """Return a fresh public site key: `pk_` and 22 url-safe characters."""
    return SITE_KEY_PREFIX + secrets.token_urlsafe(16)


def is_site_key(text: str) -> bool:
    """Tell whether `text` has the shape of a site key, so junk never reaches the database."""
    return SITE_KEY.fullmatch(text) is not None
