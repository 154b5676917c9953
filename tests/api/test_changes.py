"""`GET …/changes`: the answer over HTTP, its refusals, time zones and its document."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from server.extensions import db
from server.models import Response

TO = datetime(2026, 11, 20, tzinfo=UTC)
CHANGE_FIELDS = {
    "key",
    "kind",
    "count",
    "score",
    "baseline_count",
    "baseline_score",
    "delta",
    "ci95",
    "p_value",
    "q_value",
    "impact",
    "themes",
    "comments",
}


def store_drop(site) -> None:
    """Store a csat drop at checkout: 40 happy baseline days, then 7 unhappy ones."""
    rows = []
    for hour in range(35 * 24):
        received_at = TO - timedelta(hours=hour + 1)
        in_window = hour < 7 * 24
        rows.append(
            {
                "site_id": site.id,
                "metric": "csat",
                "score": (1 if hour % 3 else 4) if in_window else (5 if hour % 5 else 2),
                "received_at": received_at,
                "page_path": "/checkout",
                "page_url": "https://shop.example/checkout",
                "phase": "conversion",
                "comment": "Bleef maar laden" if hour < 5 else None,
            }
        )
    db.session.execute(insert(Response), rows)
    db.session.commit()


def get_changes(client, site, headers, **query):
    """Call the endpoint for `site` with `query`."""
    return client.get(
        f"/api/v1/admin/sites/{site.key}/changes", query_string=query, headers=headers
    )


def test_a_drop_is_answered_in_spec_shape(client, make_site, admin_headers):
    site = make_site()
    store_drop(site)

    answer = get_changes(client, site, admin_headers, metric="csat", to="2026-11-20")

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert set(body) == {"metric", "window", "baseline", "changes"}
    assert body["window"] == {
        "from": "2026-11-13T00:00:00.000000Z",
        "to": "2026-11-20T00:00:00.000000Z",
    }
    assert body["baseline"] == {
        "from": "2026-10-16T00:00:00.000000Z",
        "to": "2026-11-13T00:00:00.000000Z",
    }
    # One phase holds every response: the site and conversion changed alike (ties: site first).
    assert [(c["key"], c["kind"]) for c in body["changes"]] == [
        ("all", "drop"),
        ("conversion", "drop"),
    ]
    change = body["changes"][0]
    assert set(change) == CHANGE_FIELDS
    assert (change["count"], change["baseline_count"]) == (168, 672)
    assert change["impact"] == pytest.approx(change["count"] * abs(change["delta"]))
    assert [c["comment"] for c in change["comments"]] == ["Bleef maar laden"] * 3
    assert change["comments"][0]["received_at"] == "2026-11-19T23:00:00.000000Z"


def test_no_responses_no_changes_and_defaults_end_now(client, make_site, admin_headers):
    site = make_site()
    before = datetime.now(UTC)

    body = get_changes(client, site, admin_headers, metric="nps").get_json()

    assert body["changes"] == []
    end = datetime.fromisoformat(body["window"]["to"])
    assert before <= end <= datetime.now(UTC)
    assert end - datetime.fromisoformat(body["window"]["from"]) == timedelta(days=7)
    baseline_days = datetime.fromisoformat(body["baseline"]["to"]) - datetime.fromisoformat(
        body["baseline"]["from"]
    )
    assert baseline_days == timedelta(days=28)


@pytest.mark.parametrize(
    ("query", "expected_window"),
    [
        ({"to": "2026-03-30", "tz": "Europe/Amsterdam"}, "2026-03-29T22:00:00.000000Z"),
        ({"to": "2026-03-30T00:00", "tz": "America/New_York"}, "2026-03-30T04:00:00.000000Z"),
        ({"to": "2026-03-30T00:00+05:00", "tz": "Europe/Amsterdam"}, "2026-03-29T19:00:00.000000Z"),
        ({"to": "2026-03-30"}, "2026-03-30T00:00:00.000000Z"),
    ],
)
def test_to_without_an_offset_is_read_in_tz(
    client, make_site, admin_headers, query, expected_window
):
    body = get_changes(client, make_site(), admin_headers, metric="csat", **query).get_json()
    assert body["window"]["to"] == expected_window


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({}, "metric"),
        ({"metric": "stars"}, "metric"),
        ({"metric": "csat", "window": "0"}, "window"),
        ({"metric": "csat", "window": "3"}, "window"),
        ({"metric": "csat", "window": "30"}, "window"),
        ({"metric": "csat", "window": "seven"}, "window"),
        ({"metric": "csat", "window": "\uff17"}, "window"),
        ({"metric": "csat", "baseline": "6"}, "baseline"),
        ({"metric": "csat", "baseline": "91"}, "baseline"),
        ({"metric": "csat", "baseline": "1e2"}, "baseline"),
        ({"metric": "csat", "min_count": "1"}, "min_count"),
        ({"metric": "csat", "min_count": "-5"}, "min_count"),
        ({"metric": "csat", "to": "2026-13-01"}, "to"),
        ({"metric": "csat", "to": "yesterday"}, "to"),
        ({"metric": "csat", "tz": "Mars/Olympus"}, "tz"),
        ({"metric": "csat", "tz": "../../etc/passwd"}, "tz"),
        ({"metric": "csat", "tz": "localtime"}, "tz"),
        ({"metric": "csat", "tz": ""}, "tz"),
        ({"metric": "csat", "tz": "europe/amsterdam"}, "tz"),
        ({"metric": "csat", "from": "2026-01-01"}, "from"),
        ({"metric": "csat", "phase": "conversion"}, "phase"),
    ],
)
def test_a_bad_value_or_unknown_parameter_is_422_naming_it(
    client, make_site, admin_headers, query, name
):
    answer = get_changes(client, make_site(), admin_headers, **query)
    assert answer.status_code == 422, answer.get_json()
    assert name in answer.get_json()["errors"]


@pytest.mark.parametrize(
    "query",
    [
        {"to": "0001-01-01", "tz": "Pacific/Kiritimati"},
        {"to": "0001-01-01T00:00+01:00"},
        {"to": "0001-02-01", "window": "28", "baseline": "90", "tz": "America/Los_Angeles"},
        {"to": "9999-12-31T23:59", "tz": "America/Los_Angeles"},
        {"to": "9999-12-31T23:59-01:00", "tz": "Asia/Tokyo"},
        {"window": "1", "baseline": "7", "min_count": "99999999999999999999"},
    ],
)
def test_extreme_dates_answer(client, make_site, admin_headers, make_response, query):
    site = make_site()
    make_response(site, received_at=datetime(1, 1, 1, tzinfo=UTC))
    answer = get_changes(client, site, admin_headers, metric="csat", **query)
    assert answer.status_code == 200, answer.get_json()


def test_the_document_describes_the_answer(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/admin/sites/{site_key}/changes"]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schemas = document["components"]["schemas"]
    answer = schemas[reference.rsplit("/", 1)[-1]]
    assert set(answer["properties"]) == {"metric", "window", "baseline", "changes"}
    item = answer["properties"]["changes"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert set(schemas[item]["properties"]) == CHANGE_FIELDS
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {"metric", "window", "baseline", "to", "min_count", "tz"}
    assert parameters["window"]["schema"]["enum"] == [1, 7, 14, 28]
    assert "Europe/Amsterdam" in parameters["tz"]["schema"]["enum"]
