"""The shared fields: each pattern means to clients what it means to the server, and admits
only text the field can load."""

import re
import sys
from datetime import UTC, datetime, timedelta

import jsonschema_rs
import pytest
from conftest import base_config
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from server import create_app
from server.insight.filters import EARLIEST, LATEST
from server.insight.listing import CURSOR, decode_cursor, encode_cursor
from server.schemas.fields import Cursor, Instant, Origin, Pattern, Text
from server.schemas.patterns import INSTANT, ORIGIN, TEXT_LINE

#: Characters the probes are made of: every code point up to U+3100 but the surrogates, and
#: a few beyond, each alone and between letters.
PROBE_CHARACTERS = [
    chr(code) for code in [*range(0x3100), 0xFEFF, 0xFFFD, 0x1F600] if not 0xD800 <= code < 0xE000
]


def documented_patterns() -> set[str]:
    """Return every `pattern` in the served OpenAPI document."""
    app = create_app(base_config("sqlite://"))
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(app.test_client().get("/api/v1/openapi.json").get_json())
    return found


PATTERNS = sorted(documented_patterns())


def test_the_fields_patterns_are_documented():
    assert {INSTANT, ORIGIN, TEXT_LINE, CURSOR} <= set(PATTERNS)


def agree(pattern: str, probes) -> None:
    """Assert that a client's JSON Schema validator and the server judge `probes` alike."""
    client = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    server = Pattern(pattern)
    for probe in probes:
        try:
            accepted = server(probe) is not None
        except ValidationError:
            accepted = False
        assert client.is_valid(probe) == accepted, ascii(probe)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_clients_read_each_documented_pattern_as_the_server_does(pattern):
    agree(pattern, [*PROBE_CHARACTERS, *(f"a{c}b" for c in PROBE_CHARACTERS)])


@pytest.mark.parametrize("pattern", PATTERNS)
@given(data=st.data())
def test_text_a_pattern_admits_is_admitted_by_both_and_not_with_a_newline(pattern, data):
    text = data.draw(st.from_regex(re.compile(pattern), fullmatch=True))
    agree(pattern, [text, text + "\n", "\n" + text])


def test_a_lone_surrogate_matches_no_pattern():
    with pytest.raises(ValidationError):
        Pattern(r"^[^\x00-\x1f]*$")("\ud800")


@given(st.from_regex(INSTANT, fullmatch=True))
def test_every_instant_the_pattern_admits_loads_in_utc(text):
    moment = Instant().deserialize(text)
    assert moment.tzinfo is UTC
    assert EARLIEST <= moment <= LATEST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01T12:30", datetime(2026, 3, 1, 12, 30, tzinfo=UTC)),
        ("2026-03-01T12:30:15.25+01:00", datetime(2026, 3, 1, 11, 30, 15, 250000, tzinfo=UTC)),
        ("2024-02-29T00:00Z", datetime(2024, 2, 29, tzinfo=UTC)),
        ("0001-01-01T00:00:00+01:00", EARLIEST),
        ("9999-12-31T23:59:59-01:00", LATEST),
    ],
)
def test_instants_load_as_utc_and_stop_at_the_ends_of_the_calendar(text, expected):
    assert Instant().deserialize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-29",
        "1900-02-29",
        "2026-04-31",
        "0000-01-01",
        "2026-03-01T24:00",
        "2026-03-01 12:00",
    ],
)
def test_impossible_or_unusual_instants_are_refused(text):
    with pytest.raises(ValidationError):
        Instant().deserialize(text)


@given(st.from_regex(ORIGIN, fullmatch=True))
def test_every_origin_the_pattern_admits_is_normalised(text):
    origin = Origin().deserialize(text)
    assert origin == "*" or re.fullmatch(r"https?://[^A-Z/]+", origin)


@given(st.from_regex(CURSOR, fullmatch=True))
def test_every_cursor_the_pattern_admits_is_a_position(text):
    received_at, response_id = Cursor().deserialize(text)
    assert received_at.tzinfo is UTC
    assert 0 < response_id < sys.maxsize


@given(
    st.datetimes(
        min_value=datetime(1700, 1, 1), max_value=datetime(5000, 1, 1), timezones=st.just(UTC)
    ),
    st.integers(min_value=1, max_value=10**18 - 1),
)
def test_cursors_round_trip(received_at, response_id):
    cursor = encode_cursor(received_at, response_id)
    assert re.fullmatch(CURSOR, cursor)
    assert decode_cursor(cursor) == (received_at, response_id)


def test_a_cursor_before_1970_counts_back():
    moment = datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert encode_cursor(moment, 7) == "-1.7"
    assert decode_cursor("-1.7") == (moment, 7)
    assert decode_cursor("0.7")[0] - moment == timedelta(microseconds=1)


@given(st.from_regex(TEXT_LINE, fullmatch=True).filter(lambda text: len(text) <= 200))
def test_every_text_the_pattern_admits_loads_trimmed(text):
    loaded = Text(200).deserialize(text)
    assert loaded == text.strip()
    assert loaded


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u3000\xa0",
        "two\nlines",
        "x" * 201,
        " " + "x" * 200,
        # Lines broken by NEL, the line or paragraph separator; a C1 control.
        "a\x85b",
        "a\u2028b",
        "a\u2029b",
        "\x9f",
        # Characters that show nothing: Hangul fillers, the Braille blank, a variation
        # selector, the combining grapheme joiner, tag characters beyond the BMP.
        "\u3164",
        "\uffa0\u115f",
        "\u2800",
        "\ufe0f",
        "\u034f",
        "\U000e0020\U000e0041\U000e007f",
        "\U000e0001",
    ],
)
def test_blank_multi_line_or_long_text_is_refused(text):
    with pytest.raises(ValidationError):
        Text(200).deserialize(text)
