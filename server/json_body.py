"""Parse a request body as JSON one way, for ingest and the admin API alike.

Python's parser is lenient where JSON is not: it accepts `NaN` and `Infinity`, raises on an
integer over 4,300 digits, and recurses per level of nesting. Each of those is decided here.
"""

import json


class NotJSON(ValueError):
    """The body is not JSON this server reads (answered 400)."""


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


def parse_json(body: bytes):
    """Return the JSON value of `body` (UTF-8, -16 or -32); raise `NotJSON` when it is none."""
    try:
        text = body.decode(json.detect_encoding(body))
    except UnicodeDecodeError as exc:
        raise NotJSON("The body is not Unicode text.") from exc
    try:
        # What `json.loads(text, parse_constant=…, parse_int=…)` does, with DECODER.
        return DECODER.decode(text)
    except ValueError as exc:
        raise NotJSON("The body is not JSON.") from exc
    except RecursionError as exc:
        # The parser recurses per level: a few kilobytes of `[[[…` exhaust the stack.
        raise NotJSON("The body is nested too deeply.") from exc
