"""The admin API's responses: listing with filters and cursors, deletion and erasure."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.insight.export import COLUMNS
from server.models import Response

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def add_response():
    """Return a factory that stores one response; `minutes` places it after START."""

    def factory(site, minutes=0, **fields):
        row = Response(
            site=site,
            received_at=START + timedelta(minutes=minutes),
            metric="csat",
            score=4,
            page_url="https://shop.example/",
            page_path="/",
        )
        for name, value in fields.items():
            setattr(row, name, value)
        db.session.add(row)
        db.session.commit()
        return row

    return factory


def responses_url(site) -> str:
    """Return the listing URL of `site`."""
    return f"/api/v1/admin/sites/{site.key}/responses"


def listed_ids(client, site, headers, **query) -> list[int]:
    """Return the ids of the first page the listing answers for `query`."""
    response = client.get(responses_url(site), query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def remaining() -> int:
    """Count the stored responses."""
    return db.session.scalar(select(func.count()).select_from(Response))


def test_item_has_the_export_columns_in_order(client, admin_headers, site, add_response):
    row = add_response(
        site,
        metric="nps",
        score=9,
        phase="conversion",
        phase_source="rule",
        page_url="https://shop.example/checkout?step=2",
        page_path="/checkout",
        page_title="Checkout",
        referrer_host="search.example",
        locale="nl-NL",
        device="mobile",
        comment="Snel en makkelijk",
        email="jan@example.nl",
        tags={"plan": "pro", "seats": 3, "trial": False},
        event_id="7d3c1f3e-9a52-4a8f-8f0e-2a1b4c5d6e7f",
    )
    body = client.get(responses_url(site), headers=admin_headers).get_json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    # The export's columns, then the evidence of the themes (computed, not exported).
    assert list(item) == [*COLUMNS, "theme_evidence"]
    assert item == {
        "id": row.id,
        "received_at": "2026-03-01T12:00:00.000000Z",
        "site_key": site.key,
        "metric": "nps",
        "score": 9,
        "phase": "conversion",
        "phase_source": "rule",
        "page_url": "https://shop.example/checkout?step=2",
        "page_path": "/checkout",
        "page_title": "Checkout",
        "referrer_host": "search.example",
        "locale": "nl-NL",
        "device": "mobile",
        "comment": "Snel en makkelijk",
        "email": "jan@example.nl",
        "tags": {"plan": "pro", "seats": 3, "trial": False},
        "event_id": "7d3c1f3e-9a52-4a8f-8f0e-2a1b4c5d6e7f",
        "themes": [],
        "reasons": [],
        "theme_evidence": {},
    }


def test_listing_is_newest_first_and_only_this_sites(
    client, admin_headers, make_site, add_response
):
    site, other = make_site(name="One"), make_site(name="Two")
    old = add_response(site, minutes=0)
    new = add_response(site, minutes=10)
    tied = add_response(site, minutes=10)
    add_response(other, minutes=5)
    assert listed_ids(client, site, admin_headers) == [tied.id, new.id, old.id]


def test_window_filter_includes_from_and_excludes_to(client, admin_headers, site, add_response):
    ids = [add_response(site, minutes=minutes).id for minutes in (0, 60, 120, 180)]
    found = listed_ids(
        client, site, admin_headers, **{"from": "2026-03-01T13:00:00", "to": "2026-03-01T15:00"}
    )
    assert found == [ids[2], ids[1]]
    assert listed_ids(client, site, admin_headers, to="2026-03-01T14:00:00+01:00") == [ids[0]]
    assert listed_ids(client, site, admin_headers, **{"from": "2026-03-02"}) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"metric": "nps"}, ["nps-high"]),
        ({"phase": "conversion"}, ["csat-low"]),
        ({"phase": "unknown"}, ["nps-high", "csat-mid"]),
        ({"path": "/checkout"}, ["csat-low"]),
        ({"min_score": 4}, ["nps-high", "csat-mid"]),
        ({"max_score": 3}, ["csat-low"]),
        ({"min_score": 2, "max_score": 5}, ["csat-mid"]),
        ({"min_score": 4, "max_score": 4}, ["csat-mid"]),
        ({"metric": "csat", "min_score": 4}, ["csat-mid"]),
    ],
)
def test_each_filter_selects_its_rows(client, admin_headers, site, add_response, query, expected):
    rows = {
        "csat-low": add_response(
            site, minutes=1, score=1, phase="conversion", phase_source="rule", page_path="/checkout"
        ),
        "csat-mid": add_response(site, minutes=2, score=4),
        "nps-high": add_response(site, minutes=3, metric="nps", score=10),
    }
    names = {row.id: name for name, row in rows.items()}
    assert [names[i] for i in listed_ids(client, site, admin_headers, **query)] == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("slow", ["SLOW checkout", "too slow"]),
        ("CHECKOUT", ["SLOW checkout"]),
        ("100%", ["100% happy"]),
        ("%", ["100% happy"]),
        ("_", ["under_score"]),
        ("\\", ["back\\slash"]),
        ("nothing", []),
    ],
)
def test_text_search_is_case_insensitive_and_literal(
    client, admin_headers, site, add_response, q, expected
):
    comments = ["too slow", "SLOW checkout", "100% happy", "under_score", "back\\slash", None]
    by_id = {
        add_response(site, minutes=i, comment=text).id: text for i, text in enumerate(comments)
    }
    found = [by_id[i] for i in listed_ids(client, site, admin_headers, q=q)]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "2.5"}, "limit"),
        ({"min_score": "-1"}, "min_score"),
        ({"min_score": "11"}, "min_score"),
        ({"min_score": "high"}, "min_score"),
        ({"max_score": "99"}, "max_score"),
        ({"min_score": "5", "max_score": "2"}, "min_score"),
        ({"q": ""}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'["2026-03-01T12:00:00Z", 3]').decode()}, "cursor"),
        ({"cursor": "1772366400000000.0"}, "cursor"),
        ({"cursor": "1772366400000000"}, "cursor"),
        ({"cursor": "1772366400000000.3\n"}, "cursor"),
        ({"cursor": "1" * 18 + ".3"}, "cursor"),
        ({"cursor": "1.1" + "0" * 18}, "cursor"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-03-01 12:00"}, "from"),
        ({"from": "2026-02-29"}, "from"),
        ({"from": "2026-03-01T24:00"}, "from"),
        ({"from": " 2026-03-01"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "from"),
        ({"metric": "stars"}, "metric"),
        ({"phase": "purchase"}, "phase"),
        ({"path": ""}, "path"),
        ({"path": "/nul\x00"}, "path"),
        ({"path": "/line\n"}, "path"),
        ({"bogus": "1"}, "bogus"),
    ],
)
def test_bad_query_values_are_refused_naming_them(client, admin_headers, site, query, field):
    response = client.get(responses_url(site), query_string=query, headers=admin_headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422
    assert list(body["errors"]) == [field]


def test_default_page_holds_fifty(client, admin_headers, site, add_response):
    for minutes in range(52):
        add_response(site, minutes=minutes)
    body = client.get(responses_url(site), headers=admin_headers).get_json()
    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None


def test_a_full_last_page_has_no_next_cursor(client, admin_headers, site, add_response):
    for minutes in range(4):
        add_response(site, minutes=minutes)
    body = client.get(responses_url(site), query_string={"limit": 4}, headers=admin_headers)
    assert len(body.get_json()["items"]) == 4
    assert body.get_json()["next_cursor"] is None


@pytest.mark.parametrize("limit", [1, 3, 7, 500])
def test_paging_returns_every_row_once_in_order(
    client, admin_headers, make_site, add_response, limit
):
    site, other = make_site(name="One"), make_site(name="Two")
    # Several rows share a timestamp, so the cursor must break ties by id.
    for index in range(17):
        add_response(site, minutes=index // 3, score=1 + index % 5)
        add_response(other, minutes=index // 3)
    expected = db.session.scalars(
        select(Response.id)
        .where(Response.site_id == site.id)
        .order_by(Response.received_at.desc(), Response.id.desc())
    ).all()
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        body = client.get(responses_url(site), query_string=query, headers=admin_headers)
        page = body.get_json()
        assert len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            break
    assert seen == expected
    assert pages == max(1, -(-len(expected) // limit))


def test_paging_keeps_the_filters(client, admin_headers, site, add_response):
    wanted = [add_response(site, minutes=m, comment="slow page").id for m in range(5)]
    for minutes in range(5):
        add_response(site, minutes=minutes, comment="fine")
    first = client.get(
        responses_url(site), query_string={"q": "slow", "limit": 3}, headers=admin_headers
    ).get_json()
    second = client.get(
        responses_url(site),
        query_string={"q": "slow", "limit": 3, "cursor": first["next_cursor"]},
        headers=admin_headers,
    ).get_json()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == wanted[::-1]
    assert second["next_cursor"] is None


def test_cursor_is_the_last_items_position(client, admin_headers, site, add_response):
    for minutes in range(3):
        add_response(site, minutes=minutes)
    body = client.get(responses_url(site), query_string={"limit": 1}, headers=admin_headers)
    page = body.get_json()
    last = datetime(2026, 3, 1, 12, 2, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    assert page["next_cursor"] == f"{last // timedelta(microseconds=1)}.{page['items'][0]['id']}"


def test_any_position_continues_a_listing(client, admin_headers, site, add_response):
    ids = [add_response(site, minutes=minutes).id for minutes in range(3)]
    middle = datetime(2026, 3, 1, 12, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    cursor = f"{middle // timedelta(microseconds=1)}.{ids[1]}"
    assert listed_ids(client, site, admin_headers, cursor=cursor) == [ids[0]]
    assert listed_ids(client, site, admin_headers, cursor="-1.1") == []


def test_delete_removes_one_response(client, admin_headers, site, add_response):
    doomed, kept = add_response(site), add_response(site, minutes=1)
    url = f"{responses_url(site)}/{doomed.id}"
    response = client.delete(url, headers=admin_headers)
    assert response.status_code == 204
    assert response.data == b""
    assert listed_ids(client, site, admin_headers) == [kept.id]
    assert client.delete(url, headers=admin_headers).status_code == 404


def test_delete_of_another_sites_response_is_404(client, admin_headers, make_site, add_response):
    site, other = make_site(name="One"), make_site(name="Two")
    theirs = add_response(other)
    response = client.delete(f"{responses_url(site)}/{theirs.id}", headers=admin_headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404
    assert remaining() == 1


@pytest.mark.parametrize("response_id", ["abc", "-1", str(2**63), "1.5"])
def test_delete_of_an_impossible_id_is_404(client, admin_headers, site, response_id):
    response = client.delete(f"{responses_url(site)}/{response_id}", headers=admin_headers)
    assert response.status_code == 404


def test_erasure_deletes_only_that_address_on_that_site(
    client, admin_headers, make_site, add_response
):
    site, other = make_site(name="One"), make_site(name="Two")
    add_response(site, email="ann@example.com")
    add_response(site, minutes=1, email="Ann@Example.COM")
    kept = [
        add_response(site, minutes=2, email="bob@example.com").id,
        add_response(site, minutes=3).id,
        add_response(site, minutes=4, email="ann@example.com.evil").id,
    ]
    theirs = add_response(other, email="ann@example.com")
    response = client.post(
        f"/api/v1/admin/sites/{site.key}/erasure",
        json={"email": "ann@example.com"},
        headers=admin_headers,
    )
    assert response.status_code == 200
    assert response.get_json() == {"deleted": 2}
    assert sorted(listed_ids(client, site, admin_headers)) == sorted(kept)
    assert listed_ids(client, other, admin_headers) == [theirs.id]


def test_erasure_of_an_unknown_address_deletes_nothing(client, admin_headers, site, add_response):
    add_response(site, email="ann@example.com")
    response = client.post(
        f"/api/v1/admin/sites/{site.key}/erasure",
        json={"email": "zed@example.com"},
        headers=admin_headers,
    )
    assert response.get_json() == {"deleted": 0}
    assert remaining() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"email": 42}, "email"),
        ({"email": "a@example.com", "extra": True}, "extra"),
    ],
)
def test_erasure_refuses_a_bad_body(client, admin_headers, site, add_response, payload, field):
    add_response(site, email="a@example.com")
    response = client.post(
        f"/api/v1/admin/sites/{site.key}/erasure", json=payload, headers=admin_headers
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert remaining() == 1
