"""`ResponseInSchema`: the one definition of the ingest payload's rules, and what it stores."""

import unicodedata
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from server.errors import flatten_errors
from server.schemas.ingest import load_response

SAME = object()

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


#: (payload, fields refused when the site collects email, … when it does not).
CASES = [
    (VALID, set(), SAME),
    ({"metric": "thumbs", "score": 0, "page": {"url": "http://x.example"}}, set(), SAME),
    (
        variant(comment=None, phase=None, locale=None, tags=None, email=None, event_id=None),
        set(),
        SAME,
    ),
    (
        variant(comment="", locale="", email="", page={"url": "https://x.example", "title": ""}),
        set(),
        SAME,
    ),
    (
        variant(locale="not a tag!", page={"url": "https://x.example", "referrer": "nope"}),
        set(),
        SAME,
    ),
    (variant(page={"url": "https://x.example", "title": "t" * 500}), set(), SAME),
    (variant(comment=" \x00 " + "c" * 2000 + " \x07"), set(), SAME),
    (variant(unknown_field=[1, 2], another={"x": None}), set(), SAME),
    ({}, {"metric", "page", "score"}, SAME),
    ({"page": {}}, {"metric", "page.url", "score"}, SAME),
    (variant(metric=...), {"metric"}, SAME),
    (variant(metric="stars"), {"metric"}, SAME),
    (variant(metric=None), {"metric"}, SAME),
    (variant(metric=5), {"metric"}, SAME),
    (variant(score=...), {"score"}, SAME),
    (variant(score=None), {"score"}, SAME),
    (variant(score=True), {"score"}, SAME),
    (variant(score=False), {"score"}, SAME),
    (variant(score=9.0), {"score"}, SAME),
    (variant(score="9"), {"score"}, SAME),
    (variant(score=11), {"score"}, SAME),
    (variant(score=-1), {"score"}, SAME),
    (variant(metric="csat", score=0), {"score"}, SAME),
    (variant(metric="ces", score=7), set(), SAME),
    (variant(metric="ces", score=8), {"score"}, SAME),
    (variant(metric="thumbs", score=2), {"score"}, SAME),
    (variant(metric="stars", score=99), {"metric"}, SAME),
    (variant(comment="c" * 2001), {"comment"}, SAME),
    (variant(comment=12), {"comment"}, SAME),
    (variant(page=...), {"page"}, SAME),
    (variant(page=None), {"page"}, SAME),
    (variant(page="https://x.example"), {"page"}, SAME),
    (variant(page=[]), {"page"}, SAME),
    (variant(page={"title": "no url"}), {"page.url"}, SAME),
    (variant(page={"url": None}), {"page.url"}, SAME),
    (variant(page={"url": 5}), {"page.url"}, SAME),
    (variant(page={"url": "ftp://x.example"}), {"page.url"}, SAME),
    (variant(page={"url": "x.example/path"}), {"page.url"}, SAME),
    (variant(page={"url": "https://x.example/" + "p" * 2048}), {"page.url"}, SAME),
    (
        variant(page={"url": "https://x.example", "title": 1, "referrer": 2}),
        {"page.referrer", "page.title"},
        SAME,
    ),
    (variant(phase="nowhere"), {"phase"}, SAME),
    (variant(phase=""), {"phase"}, SAME),
    (variant(phase=3), {"phase"}, SAME),
    (variant(locale=7), {"locale"}, SAME),
    (variant(tags=[]), {"tags"}, SAME),
    (variant(tags="a=b"), {"tags"}, SAME),
    (variant(tags={f"t{i}": i for i in range(21)}), {"tags"}, SAME),
    (variant(tags={f"t{i}": i for i in range(20)}), set(), SAME),
    (
        variant(tags={"bad key": 1, "ok": 2, "x" * 41: 3}),
        {"tags.bad key", "tags." + "x" * 41},
        SAME,
    ),
    (
        variant(tags={"v": None, "w": [1], "x": {"y": 1}, "z": "s" * 201}),
        {"tags.v", "tags.w", "tags.x", "tags.z"},
        SAME,
    ),
    (variant(tags={"v": "s" * 200}), set(), SAME),
    (variant(email="not-an-address"), {"email"}, set()),
    (variant(email=5), {"email"}, set()),
    (variant(email="a" * 250 + "@b.example"), {"email"}, set()),
    (variant(event_id="nope"), {"event_id"}, SAME),
    (variant(event_id="0B8E7D4C-1D2A-4B5C-8E9F-0123456789AB"), set(), SAME),
    (variant(event_id="0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab\n"), {"event_id"}, SAME),
    (variant(event_id="{0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab}"), {"event_id"}, SAME),
    (variant(event_id=1), {"event_id"}, SAME),
]


def site(
    collect_email: bool = False, keep_query_params=frozenset(), origins=None
) -> SimpleNamespace:
    """Return the site settings the schema reads; `origins` None allows every origin."""
    return SimpleNamespace(
        collect_email=collect_email,
        keep_query_params=keep_query_params,
        allows_origin=lambda origin: origins is None or origin in origins,
    )


def refused(payload: dict, collect_email: bool) -> set[str]:
    """Return the fields the schema refuses, as dotted paths."""
    try:
        load_response(site(collect_email), payload)
    except ValidationError as error:
        # marshmallow reports a nested object of the wrong type under `<field>._schema`.
        return {key.removesuffix("._schema") for key in flatten_errors(error.messages)}
    return set()


@pytest.mark.parametrize(("payload", "collecting", "not_collecting"), CASES)
def test_refuses_exactly_the_fields_that_break_a_rule(payload, collecting, not_collecting):
    assert refused(payload, collect_email=True) == collecting
    expected = collecting if not_collecting is SAME else not_collecting
    assert refused(payload, collect_email=False) == expected


def test_the_cases_cover_both_verdicts():
    verdicts = [bool(collecting) for _, collecting, _ in CASES]
    assert verdicts.count(False) >= 10
    assert verdicts.count(True) >= 30


def test_loads_the_stored_columns():
    row = load_response(site(collect_email=True, keep_query_params=frozenset({"q"})), VALID)
    assert row == {
        "metric": "nps",
        "score": 9,
        "comment": "Great",
        "page_url": "https://shop.example/a?q=1",
        "page_path": "/a",
        "page_title": "A",
        "referrer_host": "r.example",
        "phase": "loyalty",
        "locale": "nl-NL",
        "tags": {"plan": "pro", "seats": 3, "ratio": 0.5, "beta": True},
        "email": "alice@example.com",
        "event_id": "0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab",
        "reasons": 0,
    }


def test_an_email_is_ignored_whatever_it_holds_unless_the_site_collects_them():
    for email in ("alice@example.com", "nope", 5, ["x"], {"a": 1}):
        assert load_response(site(collect_email=False), variant(email=email))["email"] is None


def test_cleans_text_and_drops_what_is_not_kept():
    row = load_response(
        site(),
        variant(
            comment=" \x00 ok\tfine\n \x07",
            page={"url": "https://x.example/p?q=1#top", "title": "t\x00" * 400, "referrer": "no"},
            locale="not a tag!",
            event_id="0B8E7D4C-1D2A-4B5C-8E9F-0123456789AB",
        ),
    )
    assert row["comment"] == "ok\tfine"
    assert (row["page_url"], row["page_path"]) == ("https://x.example/p", "/p")
    assert row["page_title"] == "t" * 300
    assert row["referrer_host"] is None
    assert row["locale"] is None
    assert row["event_id"] == "0b8e7d4c-1d2a-4b5c-8e9f-0123456789ab"


@pytest.mark.parametrize("honeypot", ["x", " ", "http://spam.example"])
def test_a_filled_honeypot_stops_before_any_field_is_checked(honeypot):
    assert load_response(site(), {"hp": honeypot, "score": "not even a score"}) is None


@pytest.mark.parametrize("honeypot", [None, ""])
def test_an_empty_honeypot_is_the_widgets_own(honeypot):
    assert load_response(site(), variant(hp=honeypot))["score"] == 9


@pytest.mark.parametrize("honeypot", [5, True, ["x"], {"a": "b"}])
def test_a_honeypot_that_is_not_text_breaks_its_rule(honeypot):
    with pytest.raises(ValidationError) as caught:
        load_response(site(), variant(hp=honeypot))
    assert set(flatten_errors(caught.value.messages)) == {"hp"}


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
@given(payload=st.fixed_dictionaries({}, optional=field_values), collect_email=st.booleans())
def test_any_payload_is_stored_within_the_columns_or_refused_by_field(payload, collect_email):
    try:
        row = load_response(site(collect_email), payload)
    except ValidationError as error:
        assert set(flatten_errors(error.messages)) - {"_schema"}
        return
    assert row["metric"] in ("csat", "ces", "nps", "thumbs")
    assert type(row["score"]) is int
    assert len(row["page_url"]) <= 2048
    assert row["page_title"] is None or len(row["page_title"]) <= 300
    assert row["comment"] is None or 0 < len(row["comment"]) <= 2000
    assert collect_email or row["email"] is None
    for text in (row["comment"], row["page_url"], row["page_title"], row["email"]):
        assert text is None or unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://shop.example/p", "https://shop.example"),
        ("HTTPS://Shop.Example:443/p", "https://shop.example"),
        ("http://shop.example:8080/p", "http://shop.example:8080"),
        ("https://bücher.example/p", "https://xn--bcher-kva.example"),
        ("https://xn--bcher-kva.example/p", "https://xn--bcher-kva.example"),
        ("https://BÜCHER.example/p", "https://xn--bcher-kva.example"),
    ],
)
def test_a_page_is_compared_with_the_allowed_origins_in_ascii_form(url, origin):
    assert load_response(site(origins={origin}), variant(page={"url": url}))["page_url"]
    with pytest.raises(ValidationError) as caught:
        load_response(site(origins={"https://other.example"}), variant(page={"url": url}))
    assert set(flatten_errors(caught.value.messages)) == {"page.url"}
