"""Turn a submitted body into a payload, and a validated payload into a stored response."""

import json
import re
from datetime import UTC, datetime

from ..insight.themes import comment_mask
from ..text import fold, fold_email
from .normalize import device_class
from .phases import match_phase
from .site_cache import PublicSite
from .store import Outcome, store_response

#: A `\uD800` to `\uDFFF` escape: the only way a lone UTF-16 surrogate gets into parsed JSON.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class NotAJSONObject(ValueError):
    """The body is not a JSON object of Unicode text (answered 400)."""


def refuse_constant(name: str):
    """Refuse NaN and Infinity, which Python's JSON parser accepts but JSON does not."""
    raise ValueError(f"{name} is not JSON")


def parse_integer(digits: str) -> int | float:
    """Parse a JSON integer; one too long for Python (over 4,300 digits) is infinite.

    Like `1e400`, which no float holds, it is then a number no field accepts: a field error
    (422), where `int` would raise and make the whole body "not JSON".
    """
    try:
        return int(digits)
    except ValueError:
        return float("-inf") if digits.startswith("-") else float("inf")


#: Built once: `json.loads` with a keyword argument builds a decoder on every call.
DECODER = json.JSONDecoder(parse_constant=refuse_constant, parse_int=parse_integer)


def parse_payload(body: bytes) -> dict:
    """Parse the body as a JSON object (sent as application/json or text/plain).

    Raise `NotAJSONObject` when it is not JSON, not an object, or holds a lone surrogate
    (escaped, or as the bytes of one, which no Unicode encoding allows).
    """
    try:
        text = body.decode(json.detect_encoding(body))
    except UnicodeDecodeError as exc:
        raise NotAJSONObject("The body is not Unicode text.") from exc
    try:
        # What `json.loads(text, parse_constant=refuse_constant)` does, with DECODER.
        payload = DECODER.decode(text)
    except ValueError as exc:
        raise NotAJSONObject("The body is not JSON.") from exc
    except RecursionError as exc:
        # The parser recurses per level: a few kilobytes of `[[[…` exhaust the stack.
        raise NotAJSONObject("The body is nested too deeply.") from exc
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
