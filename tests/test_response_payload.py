"""The hand validator of the hot path and `ResponseInSchema` give the same verdicts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from server.errors import flatten_errors
from server.response_payload import ResponseInSchema, validate_payload

VALID = {
    "metric": "nps",
    "score": 9,
    "comment": "Great",
    "page": {"url": "https://shop.example/a?q=1", "title": "A", "referrer": "https://r.example"},
    "phase": "loyalty",
    "locale": "nl-NL",
    "tags": {"plan": "pro", "seats": 3, "ratio": 0.5, "beta": True},
    "email": "alice@example.com",
    "event_id": "0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab",
}


def variant(**changes) -> dict:
    """Return VALID with `changes` (the value `...` removes the field)."""
    body = {**VALID, **changes}
    return {key: value for key, value in body.items() if value is not ...}


PAYLOADS = [
    VALID,
    {"metric": "thumbs", "score": 0, "page": {"url": "http://x.example"}},
    variant(comment=None, phase=None, locale=None, tags=None, email=None, event_id=None),
    variant(comment="", locale="", email="", page={"url": "https://x.example", "title": ""}),
    variant(locale="not a tag!", page={"url": "https://x.example", "referrer": "nope"}),
    variant(page={"url": "https://x.example", "title": "t" * 500}),
    variant(comment=" \x00 " + "c" * 2000 + " \x07"),
    variant(unknown_field=[1, 2], another={"x": None}),
    {},
    {"page": {}},
    variant(metric=...),
    variant(metric="stars"),
    variant(metric=None),
    variant(metric=5),
    variant(score=...),
    variant(score=None),
    variant(score=True),
    variant(score=False),
    variant(score=9.0),
    variant(score="9"),
    variant(score=11),
    variant(score=-1),
    variant(metric="csat", score=0),
    variant(metric="ces", score=7),
    variant(metric="ces", score=8),
    variant(metric="thumbs", score=2),
    variant(metric="stars", score=99),
    variant(comment="c" * 2001),
    variant(comment=12),
    variant(page=...),
    variant(page=None),
    variant(page="https://x.example"),
    variant(page=[]),
    variant(page={"title": "no url"}),
    variant(page={"url": None}),
    variant(page={"url": 5}),
    variant(page={"url": "ftp://x.example"}),
    variant(page={"url": "x.example/path"}),
    variant(page={"url": "https://x.example/" + "p" * 2048}),
    variant(page={"url": "https://x.example", "title": 1, "referrer": 2}),
    variant(phase="nowhere"),
    variant(phase=""),
    variant(phase=3),
    variant(locale=7),
    variant(tags=[]),
    variant(tags="a=b"),
    variant(tags={f"t{i}": i for i in range(21)}),
    variant(tags={f"t{i}": i for i in range(20)}),
    variant(tags={"bad key": 1, "ok": 2, "x" * 41: 3}),
    variant(tags={"v": None, "w": [1], "x": {"y": 1}, "z": "s" * 201}),
    variant(tags={"v": "s" * 200}),
    variant(email="not-an-address"),
    variant(email=5),
    variant(email="a" * 250 + "@b.example"),
    variant(event_id="nope"),
    variant(event_id="0B8E7D4C-1D2A-4B5C-8E9F-0123456789AB"),
    variant(event_id="0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab\n"),
    variant(event_id="{0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab}"),
    variant(event_id=1),
]


def schema_verdict(payload: dict, collect_email: bool) -> set[str]:
    """Return the fields `ResponseInSchema` refuses, as dotted paths."""
    schema = ResponseInSchema() if collect_email else ResponseInSchema(exclude=("email",))
    try:
        schema.load(payload)
    except ValidationError as error:
        # marshmallow reports a nested object of the wrong type under `<field>._schema`.
        return {key.removesuffix("._schema") for key in flatten_errors(error.messages)}
    return set()


def hand_verdict(payload: dict, collect_email: bool) -> set[str]:
    """Return the fields the hot path's validator refuses."""
    _, errors = validate_payload(payload, frozenset(), collect_email)
    return set(errors)


@pytest.mark.parametrize("collect_email", [True, False])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_same_verdict_as_the_schema(payload, collect_email):
    assert hand_verdict(payload, collect_email) == schema_verdict(payload, collect_email)


def test_the_examples_cover_both_verdicts():
    verdicts = [bool(hand_verdict(payload, True)) for payload in PAYLOADS]
    assert verdicts.count(False) >= 10
    assert verdicts.count(True) >= 30


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 20) | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=8,
)
field_values = {
    "metric": st.sampled_from(["csat", "ces", "nps", "thumbs", "stars"]) | json_values,
    "score": st.integers(-2, 12) | json_values,
    "comment": st.text(max_size=50) | json_values,
    "page": st.fixed_dictionaries(
        {},
        optional={
            "url": st.sampled_from(["https://x.example/p?q=1", "ftp://x", ""]) | json_values,
            "title": st.text(max_size=20) | json_values,
            "referrer": st.text(max_size=20) | json_values,
        },
    )
    | json_values,
    "phase": st.sampled_from(["awareness", "loyalty", "later"]) | json_values,
    "locale": st.sampled_from(["nl-NL", "en", "??"]) | json_values,
    "tags": st.dictionaries(st.text(max_size=42), json_values, max_size=22) | json_values,
    "email": st.sampled_from(["a@b.example", "", "nope"]) | json_values,
    "event_id": st.uuids().map(str) | json_values,
}


@settings(max_examples=300, deadline=None)
@given(
    payload=st.fixed_dictionaries({}, optional=field_values),
    collect_email=st.booleans(),
)
def test_same_verdict_on_generated_payloads(payload, collect_email):
    assert hand_verdict(payload, collect_email) == schema_verdict(payload, collect_email)
