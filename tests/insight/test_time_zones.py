"""Reporting time zones: buckets and windows read in a zone, alike on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from server.insight.stats import site_stats
from server.insight.zones import offset_spans

WINDOW = {"start": datetime(2000, 1, 1, tzinfo=UTC), "end": datetime(2030, 1, 1, tzinfo=UTC)}


def at(text: str) -> datetime:
    """Return the aware datetime an ISO 8601 string names."""
    return datetime.fromisoformat(text)


@pytest.fixture
def record(site, make_response):
    """Store one csat response per given UTC instant."""

    def store(*moments, target=None):
        for moment in moments:
            make_response(target or site, "csat", 4, received_at=at(moment))

    return store


def buckets(site, group_by: str, tz: str | None, window: dict = WINDOW) -> list[tuple]:
    """Return the `(key, count)` of each group of the site's csat stats in zone `tz`."""
    filters = {**window, "tz": tz} if tz else dict(window)
    return [(g["key"], g["count"]) for g in site_stats(site, "csat", group_by, filters)["groups"]]


# Each case: UTC instants, the zone, the grouping, the buckets in that zone and in UTC.
CASES = {
    "amsterdam-midnight": (
        ["2024-03-10T22:30:00+00:00", "2024-03-10T23:30:00+00:00"],
        "Europe/Amsterdam",
        "day",
        [("2024-03-10", 1), ("2024-03-11", 1)],
        [("2024-03-10", 2)],
    ),
    # Clocks go forward on Sunday 2024-03-31 at 01:00 UTC: 23:30 UTC that evening is already
    # Monday 01:30 in Amsterdam, the start of a new ISO week.
    "amsterdam-spring-forward-day": (
        [
            "2024-03-30T22:30:00+00:00",
            "2024-03-30T23:30:00+00:00",
            "2024-03-31T00:59:59.999999+00:00",
            "2024-03-31T01:00:00+00:00",
            "2024-03-31T21:59:59+00:00",
            "2024-03-31T22:00:00+00:00",
        ],
        "Europe/Amsterdam",
        "day",
        [("2024-03-30", 1), ("2024-03-31", 4), ("2024-04-01", 1)],
        [("2024-03-30", 2), ("2024-03-31", 4)],
    ),
    "amsterdam-spring-forward-week": (
        ["2024-03-30T22:30:00+00:00", "2024-03-31T21:59:59+00:00", "2024-03-31T22:00:00+00:00"],
        "Europe/Amsterdam",
        "week",
        [("2024-03-25", 2), ("2024-04-01", 1)],
        [("2024-03-25", 3)],
    ),
    # Clocks go back on 2024-10-27 at 01:00 UTC: the day has 25 hours in Amsterdam.
    "amsterdam-fall-back": (
        [
            "2024-10-26T21:59:59+00:00",
            "2024-10-26T22:00:00+00:00",
            "2024-10-27T00:30:00+00:00",
            "2024-10-27T01:30:00+00:00",
            "2024-10-27T22:59:59+00:00",
            "2024-10-27T23:00:00+00:00",
        ],
        "Europe/Amsterdam",
        "day",
        [("2024-10-26", 1), ("2024-10-27", 4), ("2024-10-28", 1)],
        [("2024-10-26", 2), ("2024-10-27", 4)],
    ),
    "sao-paulo-month": (
        ["2024-02-01T02:59:59+00:00", "2024-02-01T03:00:00+00:00"],
        "America/Sao_Paulo",
        "month",
        [("2024-01", 1), ("2024-02", 1)],
        [("2024-02", 2)],
    ),
    # São Paulo kept summer time until 2019: on 2018-11-04 midnight became 01:00 (UTC-2).
    "sao-paulo-dst": (
        ["2018-11-04T02:30:00+00:00", "2018-11-04T03:00:00+00:00", "2018-11-05T01:59:59+00:00"],
        "America/Sao_Paulo",
        "day",
        [("2018-11-03", 1), ("2018-11-04", 2)],
        [("2018-11-04", 2), ("2018-11-05", 1)],
    ),
    "kolkata-half-hour": (
        ["2024-06-30T18:29:59+00:00", "2024-06-30T18:30:00+00:00", "2024-07-31T18:30:00+00:00"],
        "Asia/Kolkata",
        "month",
        [("2024-06", 1), ("2024-07", 1), ("2024-08", 1)],
        [("2024-06", 2), ("2024-07", 1)],
    ),
    # A week in Kolkata starts on Sunday 18:30 UTC.
    "kolkata-week": (
        ["2024-06-02T18:29:59+00:00", "2024-06-02T18:30:00+00:00"],
        "Asia/Kolkata",
        "week",
        [("2024-05-27", 1), ("2024-06-03", 1)],
        [("2024-05-27", 2)],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_buckets_are_cut_in_the_reporting_zone(app, site, record, case):
    moments, zone, group_by, in_zone, in_utc = case
    record(*moments)
    assert buckets(site, group_by, zone) == in_zone
    assert buckets(site, group_by, "UTC") == in_utc
    assert buckets(site, group_by, None) == in_utc


def test_the_sites_zone_is_the_default_and_tz_overrides_it(app, make_site, record):
    site = make_site(timezone="Asia/Kolkata")
    record("2024-06-30T18:30:00+00:00", target=site)
    assert buckets(site, "day", None) == [("2024-07-01", 1)]
    assert buckets(site, "day", "UTC") == [("2024-06-30", 1)]


def test_a_window_of_centuries_cuts_buckets_at_every_transition(app, site, record):
    record("1999-03-28T00:30:00+00:00", "2024-03-31T00:30:00+00:00", "2024-03-31T01:30:00+00:00")
    window = {"start": datetime(1, 1, 1, tzinfo=UTC), "end": datetime(9999, 1, 1, tzinfo=UTC)}
    expected = [("1999-03-28", 1), ("2024-03-31", 2)]
    assert buckets(site, "day", "Europe/Amsterdam", window) == expected
    assert buckets(site, "day", "Pacific/Kiritimati", window) == [
        ("1999-03-28", 1),
        ("2024-03-31", 2),
    ]


def test_offset_spans_find_each_transition_to_the_second():
    zone = ZoneInfo("Europe/Amsterdam")
    spans = offset_spans(zone, at("2024-01-01T00:00:00+00:00"), at("2025-01-01T00:00:00+00:00"))
    assert spans == [
        (at("2024-01-01T00:00:00+00:00"), 3600),
        (at("2024-03-31T01:00:00+00:00"), 7200),
        (at("2024-10-27T01:00:00+00:00"), 3600),
    ]


def admin_get(client, headers, site, endpoint: str, **query):
    """Return the JSON answer of an admin GET on one of the site's endpoints."""
    answer = client.get(
        f"/api/v1/admin/sites/{site.key}/{endpoint}?{urlencode(query)}", headers=headers
    )
    return answer.status_code, answer.get_json() if answer.is_json else answer.get_data(True)


def test_stats_read_from_and_to_in_the_zone(client, site, record, admin_headers):
    record("2024-03-10T22:30:00+00:00", "2024-03-10T23:30:00+00:00")
    query = {"metric": "csat", "group_by": "day", "from": "2024-03-11", "to": "2024-03-12"}
    status, body = admin_get(client, admin_headers, site, "stats", tz="Europe/Amsterdam", **query)
    assert status == 200
    assert (body["from"], body["to"]) == (
        "2024-03-10T23:00:00.000000Z",
        "2024-03-11T23:00:00.000000Z",
    )
    assert [(g["key"], g["count"]) for g in body["groups"]] == [("2024-03-11", 1)]
    # An explicit offset wins over the zone.
    status, body = admin_get(
        client,
        admin_headers,
        site,
        "stats",
        tz="Europe/Amsterdam",
        **{**query, "from": "2024-03-10T00:00:00Z"},
    )
    assert body["overall"]["count"] == 2


def test_utc_answers_are_unchanged(client, site, record, admin_headers):
    record("2024-03-10T22:30:00+00:00", "2024-03-10T23:30:00+00:00")
    query = {"metric": "csat", "group_by": "week", "from": "2024-03-01", "to": "2024-04-01"}
    plain = admin_get(client, admin_headers, site, "stats", **query)
    in_utc = admin_get(client, admin_headers, site, "stats", tz="UTC", **query)
    assert plain == in_utc
    assert plain[1]["from"] == "2024-03-01T00:00:00.000000Z"


def test_list_and_export_read_the_window_in_the_zone(client, make_site, record, admin_headers):
    site = make_site(timezone="America/Sao_Paulo")
    record("2024-02-01T02:59:59+00:00", "2024-02-01T03:00:00+00:00", target=site)
    window = {"from": "2024-02-01", "to": "2024-03-01"}
    status, page = admin_get(client, admin_headers, site, "responses", **window)
    assert status == 200
    assert [item["received_at"] for item in page["items"]] == ["2024-02-01T03:00:00.000000Z"]
    status, page = admin_get(client, admin_headers, site, "responses", tz="UTC", **window)
    assert len(page["items"]) == 2
    status, text = admin_get(client, admin_headers, site, "export", **window)
    assert status == 200
    assert text.count("2024-02-01T0") == 1 and "2024-02-01T03:00:00" in text


def test_moments_read_the_window_in_the_zone(client, site, record, admin_headers):
    record("2024-03-10T22:30:00+00:00", "2024-03-10T23:30:00+00:00")
    query = {"metric": "csat", "from": "2024-03-11", "to": "2024-03-12", "tz": "Asia/Kolkata"}
    status, body = admin_get(client, admin_headers, site, "moments", **query)
    assert status == 200
    assert body["from"] == "2024-03-10T18:30:00.000000Z"
    assert body["baseline"]["count"] == 2


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus", "europe/amsterdam", "../../etc/passwd", "", "UTC+1", "A" * 65]
)
def test_an_unknown_zone_is_refused_by_name(client, site, admin_headers, zone):
    status, body = admin_get(client, admin_headers, site, "stats", metric="csat", tz=zone)
    assert status == 422
    assert list(body["errors"]) == ["tz"]


def test_a_window_read_in_the_zone_must_not_end_before_it_starts(client, site, admin_headers):
    # 01:00 on the 11th is 19:30 UTC on the 10th in Kolkata: before a `to` of 20:00 UTC;
    # read in UTC or in São Paulo it is after it.
    query = {"metric": "csat", "from": "2024-03-11T01:00", "to": "2024-03-10T20:00Z"}
    assert admin_get(client, admin_headers, site, "stats", tz="Asia/Kolkata", **query)[0] == 200
    for zone in ("UTC", "America/Sao_Paulo"):
        status, body = admin_get(client, admin_headers, site, "stats", tz=zone, **query)
        assert status == 422 and list(body["errors"]) == ["from"]
