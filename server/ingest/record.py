"""Turn a submitted body into a payload, and a validated payload into a stored response."""

import json
import re
from datetime import UTC, datetime

from ..insight.themes import comment_mask
from ..json_body import NotJSON, parse_json
from ..text import fold, fold_email
from .normalize import device_class
from .phases import match_phase
from .site_cache import PublicSite
from .store import Outcome, store_response

#: A `\uD800` to `\uDFFF` escape: the only way a lone UTF-16 surrogate gets into parsed JSON.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class NotAJSONObject(NotJSON):
    """The body is JSON, but not an object of Unicode text (answered 400)."""


def parse_payload(body: bytes) -> dict:
    """Parse the body as a JSON object (sent as application/json or text/plain).

    Raise `NotJSON` when it is not JSON, `NotAJSONObject` when it is not an object or holds
    a lone surrogate (escaped, or as the bytes of one, which no Unicode encoding allows).
    """
    payload = parse_json(body)
    if not isinstance(payload, dict):
        raise NotAJSONObject("The body must be a JSON object.")
    if SURROGATE_ESCAPE.search(body) and not is_unicode_text(payload):
        raise NotAJSONObject("The body holds an unpaired UTF-16 surrogate, which is not text.")
    return payload


def is_unicode_text(payload: dict) -> bool:
    """Tell whether every string in `payload` can be stored as UTF-8 (no lone surrogates)."""
    try:
        json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


def record_response(
    site: PublicSite,
    row: dict,
    user_agent: str | None = None,
    received_at: datetime | None = None,
) -> Outcome:
    """Store a response `ResponseInSchema` loaded for `site`, once per `event_id`.

    Resolve its phase (the client's, else the site's first matching rule), its device class,
    its complaint themes and the folded comment and email that searches compare. Raise
    `store.SiteGone` when the site was deleted meanwhile.
    """
    if row["phase"] is not None:
        row["phase_source"] = "client"
    else:
        row["phase"] = match_phase(site.phase_rules, row["page_path"])
        row["phase_source"] = "rule" if row["phase"] is not None else None
    row["received_at"] = received_at or datetime.now(UTC)
    row["device"] = device_class(user_agent)
    row["themes"] = comment_mask(row["comment"])
    row["comment_folded"] = fold(row["comment"])
    row["email_folded"] = fold_email(row["email"])
    return store_response(site.id, row)
