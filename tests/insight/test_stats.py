"""Stats: formulas per metric, groupings, ordering, window and the stats endpoint."""

import math
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.insight.intervals import SCORE_BOUNDS
from server.insight.score_summary import METRIC_PARTS, Aggregates, summarize
from server.insight.stats import site_stats
from server.models import SCORE_RANGES

NOW = datetime.now(UTC)
WINDOW = {"start": datetime(2026, 1, 1, tzinfo=UTC), "end": datetime(2028, 1, 1, tzinfo=UTC)}


def at(text: str) -> datetime:
    """Return the aware datetime an ISO 8601 string names."""
    return datetime.fromisoformat(text)


def aggregates_of(metric: str, scores: list[int]) -> Aggregates:
    """Return the aggregates of `scores`, summed in plain Python."""
    parts = {
        name: sum(low <= score <= high for score in scores)
        for name, (low, high) in METRIC_PARTS[metric].items()
    }
    return Aggregates(len(scores), sum(scores), sum(s * s for s in scores), parts)


@pytest.fixture
def record(site, make_response):
    """Store responses of one metric with the given scores (and shared fields)."""

    def store(metric, scores, **fields):
        fields.setdefault("received_at", at("2026-11-10T12:00:00+00:00"))
        for score in scores:
            make_response(site, metric, score, **fields)

    return store


@pytest.mark.parametrize(
    ("metric", "scores", "expected"),
    [
        (
            "nps",
            [10, 10, 9, 8, 7, 6, 0, 3, 9, 10],
            {
                "count": 10,
                "mean": 7.2,
                "score": 20.0,
                "ci95": [-34.03, 74.03],
                "promoters": 5,
                "passives": 2,
                "detractors": 3,
            },
        ),
        (
            "csat",
            [5, 4, 4, 3, 1],
            {"count": 5, "mean": 3.4, "score": 60.0, "ci95": [23.07, 88.24], "satisfied": 3},
        ),
        (
            "ces",
            [7, 6, 5, 2],
            {"count": 4, "mean": 5.0, "score": 5.0, "ci95": [2.88, 7.0], "easy": 3},
        ),
        (
            "thumbs",
            [1, 1, 1, 0],
            {"count": 4, "mean": 0.75, "score": 75.0, "ci95": [30.06, 95.44], "up": 3},
        ),
    ],
)
def test_overall_matches_hand_computed_values(app, site, record, metric, scores, expected):
    record(metric, scores)
    record("thumbs" if metric != "thumbs" else "csat", [1])  # another metric is not counted
    stats = site_stats(site, metric, "none", WINDOW)
    assert stats["overall"] == expected
    assert stats["groups"] == []
    assert list(stats["overall"])[:4] == ["count", "mean", "score", "ci95"]


@pytest.mark.parametrize("metric", sorted(METRIC_PARTS))
def test_one_response_has_no_interval(app, site, record, metric):
    low, _ = SCORE_RANGES[metric]
    record(metric, [low])
    overall = site_stats(site, metric, "none", WINDOW)["overall"]
    assert overall["count"] == 1
    assert overall["ci95"] is None
    assert overall["mean"] == low


@pytest.mark.parametrize("metric", sorted(METRIC_PARTS))
def test_no_responses_give_nulls_and_zero_parts(app, site, metric):
    overall = site_stats(site, metric, "none", WINDOW)["overall"]
    assert overall == {
        "count": 0,
        "mean": None,
        "score": None,
        "ci95": None,
        **dict.fromkeys(METRIC_PARTS[metric], 0),
    }


def test_rounding_is_half_to_even_on_exact_values():
    # 107 / 40 = 2.675 exactly; a float rounds it down to 2.67, half to even gives 2.68.
    summary = summarize("ces", Aggregates(40, 107, 107 * 3, {"easy": 0}))
    assert summary["mean"] == 2.68
    # 100 * 1 / 8000 = 0.0125 → 0.01 (the even neighbour), not 0.02.
    summary = summarize("csat", Aggregates(8000, 8000, 8000, {"satisfied": 1}))
    assert summary["score"] == 0.01


def test_intervals_are_clipped_to_the_metric_range():
    everyone_promotes = summarize("nps", aggregates_of("nps", [10, 10, 9]))
    assert everyone_promotes["ci95"] == [100.0, 100.0]
    nobody_satisfied = summarize("csat", aggregates_of("csat", [1, 2]))
    assert nobody_satisfied["ci95"][0] == 0.0
    spread = summarize("ces", aggregates_of("ces", [1, 7]))
    assert spread["ci95"] == [1.0, 7.0]


def test_group_by_phase_orders_by_count_then_key_and_names_unknown(app, site, record):
    record("csat", [5, 5], phase="loyalty")
    record("csat", [1, 2, 3], phase=None)
    record("csat", [4, 4], phase="conversion")
    record("csat", [5], phase="awareness")
    stats = site_stats(site, "csat", "phase", WINDOW)
    assert [(g["key"], g["count"]) for g in stats["groups"]] == [
        ("unknown", 3),
        ("conversion", 2),
        ("loyalty", 2),
        ("awareness", 1),
    ]
    assert stats["groups"][1]["score"] == 100.0
    assert stats["overall"]["count"] == 8
    assert stats["overall"]["satisfied"] == 5


def test_group_by_page_uses_the_normalised_path(app, site, record):
    record("thumbs", [1, 0], page_path="/pricing")
    record("thumbs", [1, 1, 1], page_path="/checkout/pay")
    stats = site_stats(site, "thumbs", "page", WINDOW)
    assert [(g["key"], g["up"]) for g in stats["groups"]] == [
        ("/checkout/pay", 3),
        ("/pricing", 1),
    ]


@pytest.mark.parametrize(("group_by", "column"), [("device", "device"), ("locale", "locale")])
def test_group_by_device_and_locale_put_missing_values_last_in_a_tie(
    app, site, record, group_by, column
):
    values = {"device": ("mobile", "desktop"), "locale": ("nl-NL", "en")}[group_by]
    record("nps", [9, 10], **{column: values[0]})
    record("nps", [0], **{column: values[1]})
    record("nps", [5], **{column: None})
    stats = site_stats(site, "nps", group_by, WINDOW)
    assert [(g["key"], g["count"]) for g in stats["groups"]] == [
        (values[0], 2),
        (values[1], 1),
        (None, 1),
    ]
    assert stats["groups"][0]["score"] == 100.0


def test_a_limit_keeps_the_largest_pages_and_sums_the_rest(app, site, record):
    record("csat", [5, 5, 5, 4], page_path="/a")
    # Tied at the cut: code-point order, the same on both databases, keeps "/z" before "/é".
    record("csat", [1, 2], page_path="/é")
    record("csat", [4, 5], page_path="/z")
    record("csat", [2], page_path="/b")
    record("csat", [5], page_path="/c")
    stats = site_stats(site, "csat", "page", WINDOW, limit=2)
    assert [(g["key"], g["count"]) for g in stats["groups"]] == [
        ("/a", 4),
        ("/z", 2),
        ("_other", 4),
    ]
    other = aggregates_of("csat", [1, 2, 2, 5])
    assert stats["groups"][-1] == {"key": "_other", **summarize("csat", other)}
    everything = aggregates_of("csat", [5, 5, 5, 4, 1, 2, 4, 5, 2, 5])
    assert stats["overall"] == summarize("csat", everything)


def test_the_rest_comes_last_whatever_its_size(app, site, record):
    record("thumbs", [1, 1], page_path="/big")
    for number in range(4):
        record("thumbs", [0], page_path=f"/small/{number}")
    stats = site_stats(site, "thumbs", "page", WINDOW, limit=1)
    assert [(g["key"], g["count"], g["up"]) for g in stats["groups"]] == [
        ("/big", 2, 2),
        ("_other", 4, 0),
    ]


def test_a_limit_keeps_missing_locales_last_in_a_tie(app, site, record):
    record("nps", [10], locale=None)
    record("nps", [0], locale="nl")
    record("nps", [9], locale="en")
    stats = site_stats(site, "nps", "locale", WINDOW, limit=2)
    assert [(g["key"], g["count"]) for g in stats["groups"]] == [
        ("en", 1),
        ("nl", 1),
        ("_other", 1),
    ]
    assert stats["groups"][-1]["promoters"] == 1


def test_no_rest_group_when_every_group_is_listed(app, site, record):
    record("ces", [7], page_path="/a")
    record("ces", [1], page_path="/b")
    stats = site_stats(site, "ces", "page", WINDOW, limit=2)
    assert [g["key"] for g in stats["groups"]] == ["/a", "/b"]


def test_pages_are_limited_to_100_by_default(app, site, record):
    for number in range(101):
        record("csat", [4] if number else [4, 4], page_path=f"/p/{number:03}")
    groups = site_stats(site, "csat", "page", WINDOW)["groups"]
    assert len(groups) == 101
    assert groups[0]["key"] == "/p/000"
    assert groups[99]["key"] == "/p/099"
    assert groups[100] == {"key": "_other", **summarize("csat", aggregates_of("csat", [4]))}


@pytest.mark.parametrize(
    ("group_by", "moments", "expected"),
    [
        (
            "day",
            ["2026-11-15T23:59:59.999999+00:00", "2026-11-16T00:00:00+00:00"],
            [("2026-11-15", 1), ("2026-11-16", 1)],
        ),
        (
            # A Sunday belongs to the week of the Monday before it; the Monday opens a new one.
            "week",
            [
                "2026-11-15T23:59:59.999999+00:00",
                "2026-11-09T00:00:00+00:00",
                "2026-11-16T00:00:00+00:00",
            ],
            [("2026-11-09", 2), ("2026-11-16", 1)],
        ),
        (
            # 2027-01-01 is a Friday of the ISO week that began on Monday 2026-12-28.
            "week",
            ["2027-01-03T12:00:00+00:00", "2026-12-28T08:00:00+00:00", "2027-01-04T00:00:00+00:00"],
            [("2026-12-28", 2), ("2027-01-04", 1)],
        ),
        (
            "month",
            ["2026-11-01T00:00:00+00:00", "2026-10-31T23:59:59+00:00", "2026-11-30T23:00:00+00:00"],
            [("2026-10", 1), ("2026-11", 2)],
        ),
        (
            # Buckets are UTC: 00:30 in Amsterdam on the 16th is still the 15th in UTC.
            "day",
            ["2026-11-16T00:30:00+01:00", "2026-11-16T01:30:00+01:00"],
            [("2026-11-15", 1), ("2026-11-16", 1)],
        ),
    ],
)
def test_time_buckets_are_utc_and_oldest_first(app, site, record, group_by, moments, expected):
    for moment in moments:
        record("ces", [6], received_at=at(moment))
    stats = site_stats(site, "ces", group_by, WINDOW)
    assert [(g["key"], g["count"]) for g in stats["groups"]] == expected


def test_time_buckets_skip_empty_periods(app, site, record):
    record("csat", [5], received_at=at("2026-03-02T10:00:00+00:00"))
    record("csat", [1, 2], received_at=at("2026-07-20T10:00:00+00:00"))
    stats = site_stats(site, "csat", "month", WINDOW)
    assert [g["key"] for g in stats["groups"]] == ["2026-03", "2026-07"]
    assert stats["groups"][1]["score"] == 0.0


def test_filters_narrow_the_stats(app, site, record):
    record("csat", [5, 5], phase="conversion", page_path="/checkout")
    record("csat", [1], phase="conversion", page_path="/cart")
    record("csat", [2], phase="awareness", page_path="/checkout")
    stats = site_stats(site, "csat", "none", {**WINDOW, "path": "/checkout", "phase": "conversion"})
    assert stats["overall"]["count"] == 2


def test_window_is_from_inclusive_to_exclusive(app, site, record):
    record("csat", [5], received_at=at("2026-11-01T00:00:00+00:00"))
    record("csat", [1], received_at=at("2026-11-02T00:00:00+00:00"))
    window = {"start": at("2026-11-01T00:00:00+00:00"), "end": at("2026-11-02T00:00:00+00:00")}
    stats = site_stats(site, "csat", "none", window)
    assert stats["overall"]["count"] == 1
    assert stats["overall"]["score"] == 100.0
    assert stats["from"] == "2026-11-01T00:00:00.000000Z"
    assert stats["to"] == "2026-11-02T00:00:00.000000Z"


def test_default_window_is_the_last_30_days(app, site, make_response):
    make_response(site, "csat", 5, received_at=datetime.now(UTC) - timedelta(days=29))
    make_response(site, "csat", 1, received_at=datetime.now(UTC) - timedelta(days=31))
    before = datetime.now(UTC)
    stats = site_stats(site, "csat")
    after = datetime.now(UTC)
    assert stats["overall"]["count"] == 1
    end = datetime.fromisoformat(stats["to"])
    assert before <= end <= after
    assert datetime.fromisoformat(stats["from"]) == end - timedelta(days=30)


def test_other_sites_are_not_counted(app, site, make_site, make_response):
    other = make_site(name="Other")
    make_response(other, "csat", 1, received_at=at("2026-11-10T12:00:00+00:00"))
    make_response(site, "csat", 5, received_at=at("2026-11-10T12:00:00+00:00"))
    assert site_stats(site, "csat", "none", WINDOW)["overall"]["count"] == 1


# Property tests: the summary computed from exact sums agrees with a plain float reference.

TOLERANCE = 0.005 + 1e-9  # rounding to two decimals moves a value by at most half a cent


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Return the Wilson 95 % interval of a share, in percent, computed with floats."""
    z = 1.96
    share = successes / n
    denominator = 1 + z * z / n
    center = (share + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return 100 * (center - half), 100 * (center + half)


def reference(metric: str, scores: list[int]) -> dict:
    """Return score, mean and interval of `scores`, computed naively with floats."""
    n = len(scores)
    mean = statistics.fmean(scores)
    if metric == "nps":
        p = sum(s >= 9 for s in scores) / n
        d = sum(s <= 6 for s in scores) / n
        score = 100 * (p - d)
        half = 1.96 * 100 * math.sqrt((p + d - (p - d) ** 2) / n)
        low, high = score - half, score + half
    elif metric == "ces":
        score = mean
        half = 1.96 * statistics.stdev(scores) / math.sqrt(n)
        low, high = mean - half, mean + half
    else:
        threshold = 4 if metric == "csat" else 1
        successes = sum(s >= threshold for s in scores)
        score = 100 * successes / n
        low, high = wilson(successes, n)
    bottom, top = SCORE_BOUNDS[metric]
    return {"mean": mean, "score": score, "ci95": [max(low, bottom), min(high, top)]}


@st.composite
def metric_and_scores(draw):
    """Draw a metric and between 2 and 300 scores inside its range."""
    metric = draw(st.sampled_from(sorted(SCORE_RANGES)))
    low, high = SCORE_RANGES[metric]
    scores = draw(st.lists(st.integers(low, high), min_size=2, max_size=300))
    return metric, scores


@settings(max_examples=300, deadline=None)
@given(metric_and_scores())
def test_summary_matches_a_float_reference(drawn):
    metric, scores = drawn
    summary = summarize(metric, aggregates_of(metric, scores))
    expected = reference(metric, scores)
    assert summary["count"] == len(scores)
    assert abs(summary["mean"] - expected["mean"]) <= TOLERANCE
    assert abs(summary["score"] - expected["score"]) <= TOLERANCE
    low, high = summary["ci95"]
    assert abs(low - expected["ci95"][0]) <= TOLERANCE
    assert abs(high - expected["ci95"][1]) <= TOLERANCE
    assert SCORE_BOUNDS[metric][0] <= low <= summary["score"] <= high <= SCORE_BOUNDS[metric][1]


@settings(max_examples=200, deadline=None)
@given(metric_and_scores(), st.integers(1, 299))
def test_summaries_of_parts_add_up(drawn, cut):
    metric, scores = drawn
    cut = min(cut, len(scores) - 1)
    whole = aggregates_of(metric, scores)
    merged = aggregates_of(metric, scores[:cut]) + aggregates_of(metric, scores[cut:])
    assert summarize(metric, merged) == summarize(metric, whole)


# The endpoint.


def stats_url(site, **query) -> str:
    """Return the stats URL of `site` with `query`."""
    from urllib.parse import urlencode

    return f"/api/v1/admin/sites/{site.key}/stats?{urlencode(query)}"


def test_endpoint_returns_the_stats(client, site, record, make_token):
    record("nps", [10, 9, 0], phase="conversion")
    record("nps", [8], phase=None)
    headers = make_token(site=site, read_only=True)
    url = stats_url(
        site, metric="nps", group_by="phase", **{"from": "2026-11-01", "to": "2026-12-01"}
    )
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["metric", "group_by", "from", "to", "overall", "groups"]
    assert body["from"] == "2026-11-01T00:00:00.000000Z"
    assert body["to"] == "2026-12-01T00:00:00.000000Z"
    assert body["overall"]["count"] == 4
    assert body["overall"]["score"] == 25.0
    assert [group["key"] for group in body["groups"]] == ["conversion", "unknown"]
    assert body["groups"][0] == {
        "key": "conversion",
        "count": 3,
        "mean": 6.33,
        "score": 33.33,
        "ci95": body["groups"][0]["ci95"],
        "promoters": 2,
        "passives": 0,
        "detractors": 1,
    }
    assert "satisfied" not in body["groups"][0]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "metric"),
        ({"metric": "stars"}, "metric"),
        ({"metric": "csat", "group_by": "hour"}, "group_by"),
        ({"metric": "csat", "from": "yesterday"}, "from"),
        ({"metric": "csat", "to": "2026-13-01"}, "to"),
        ({"metric": "csat", "from": "2026-11-02", "to": "2026-11-01"}, "from"),
        ({"metric": "csat", "from": "2999-01-01"}, "from"),
        ({"metric": "csat", "phase": "checkout"}, "phase"),
        ({"metric": "csat", "group_by": "page", "limit": "1001"}, "limit"),
        ({"metric": "csat", "group_by": "page", "limit": "0"}, "limit"),
        ({"metric": "csat", "group_by": "locale", "limit": "ten"}, "limit"),
        ({"metric": "csat", "group_by": "phase", "limit": "10"}, "limit"),
        ({"metric": "csat", "limit": "10"}, "limit"),
    ],
)
def test_endpoint_refuses_bad_queries(client, site, admin_headers, query, field):
    response = client.get(stats_url(site, **query), headers=admin_headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422
    assert field in body["errors"]


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        # The default window, 30 days before `to`, would start before the calendar does.
        ({"to": "0001-01-02"}, "0001-01-01T00:00:00.000000Z", "0001-01-02T00:00:00.000000Z"),
        # An offset pushes these instants past the calendar's ends; they read as the ends.
        (
            {"from": "0001-01-01T00:00+01:00", "to": "9999-12-31T23:59-01:00"},
            "0001-01-01T00:00:00.000000Z",
            "9999-12-31T23:59:59.999999Z",
        ),
    ],
)
def test_windows_at_the_ends_of_the_calendar(client, site, admin_headers, query, start, end):
    response = client.get(stats_url(site, metric="csat", **query), headers=admin_headers)
    assert response.status_code == 200
    assert (response.get_json()["from"], response.get_json()["to"]) == (start, end)


def test_endpoint_takes_a_limit_up_to_1000(client, site, record, admin_headers):
    record("csat", [5], page_path="/a")
    record("csat", [1, 1], page_path="/b")
    for limit, keys in [("1000", ["/b", "/a"]), ("1", ["/b", "_other"])]:
        url = stats_url(site, metric="csat", group_by="page", limit=limit, **{"from": "2026-11-01"})
        response = client.get(url, headers=admin_headers)
        assert response.status_code == 200, response.get_json()
        assert [group["key"] for group in response.get_json()["groups"]] == keys


def test_endpoint_needs_a_token(client, site):
    assert client.get(stats_url(site, metric="csat")).status_code == 401


def test_endpoint_hides_other_sites(client, site, make_site, make_token):
    headers = make_token(site=make_site(name="Other"))
    assert client.get(stats_url(site, metric="csat"), headers=headers).status_code == 404


def test_endpoint_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/admin/sites/{site_key}/stats"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"metric", "group_by", "limit", "from", "to", "phase", "path"} <= names
