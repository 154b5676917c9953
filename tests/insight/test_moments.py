"""Moments of truth: the per-metric tests, Benjamini-Hochberg, planted effects and the endpoint."""

import math
import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from scipy import stats as scipy_stats
from score_mixes import draw
from sqlalchemy import insert

from server.extensions import db
from server.insight.moments import find_moments, site_moments
from server.insight.score_summary import METRIC_PARTS, Aggregates
from server.insight.significance import (
    benjamini_hochberg,
    nps_z,
    two_proportion_z,
    two_sided_p,
    welch_z,
)
from server.insight.stats import site_stats
from server.insight.themes import THEMES, comment_mask
from server.models import Response

RECEIVED = datetime(2026, 11, 10, 12, tzinfo=UTC)
WINDOW = {"start": datetime(2026, 11, 1, tzinfo=UTC), "end": datetime(2026, 12, 1, tzinfo=UTC)}
WINDOW_QUERY = {"from": "2026-11-01", "to": "2026-12-01"}


def aggregates_of(metric: str, scores: list[int]) -> Aggregates:
    """Return the aggregates of `scores`, summed in plain Python."""
    parts = {
        name: sum(low <= score <= high for score in scores)
        for name, (low, high) in METRIC_PARTS[metric].items()
    }
    return Aggregates(len(scores), sum(scores), sum(s * s for s in scores), parts)


def store(site, metric: str, groups: dict[str, list[int]], by: str = "page", **fields) -> None:
    """Insert one response per score, in one statement, grouped by page path or phase."""
    rows = []
    for key, scores in groups.items():
        for offset, score in enumerate(scores):
            row = {
                "site_id": site.id,
                "metric": metric,
                "score": score,
                "received_at": RECEIVED - timedelta(minutes=offset),
                "page_path": key if by == "page" else "/",
                "page_url": "https://shop.example" + (key if by == "page" else "/"),
                "phase": key if by == "phase" else None,
                **fields,
            }
            rows.append(row)
    db.session.execute(insert(Response), rows)
    db.session.commit()


def planted_site(rng: random.Random, metric: str) -> dict[str, list[int]]:
    """Return pages with one far below the rest, one above, many at the baseline, some tiny."""
    pages = {
        "/checkout/pay": draw(rng, metric, "bad", 150),
        "/thanks": draw(rng, metric, "good", 150),
    }
    for number in range(40):
        pages[f"/products/{number}"] = draw(rng, metric, "base", 120)
    for number in range(3):
        # Extreme but under min_count: never tested, yet part of everyone's "rest".
        pages[f"/tiny/{number}"] = draw(rng, metric, "bad", 12)
    return pages


# -- the statistics against references ---------------------------------------------------


@pytest.mark.parametrize("z", [0.0, 0.5, 1.0, 1.959964, 2.5, 4.0, -3.1, 8.0])
def test_two_sided_p_matches_the_normal_distribution(z):
    assert two_sided_p(z) == pytest.approx(2 * scipy_stats.norm.sf(abs(z)), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(
    ("successes_a", "count_a", "successes_b", "count_b"),
    [(30, 100, 80, 100), (45, 60, 700, 1000), (1, 40, 38, 50), (10, 10, 5, 20), (0, 35, 3, 90)],
)
def test_two_proportion_z_matches_the_chi_square_test(successes_a, count_a, successes_b, count_b):
    table = [[successes_a, count_a - successes_a], [successes_b, count_b - successes_b]]
    chi2, p_value, _, _ = scipy_stats.chi2_contingency(table, correction=False)
    z = two_proportion_z(successes_a, count_a, successes_b, count_b)
    assert z * z == pytest.approx(chi2, rel=1e-9)
    assert two_sided_p(z) == pytest.approx(p_value, rel=1e-9)
    assert (z < 0) == (successes_a / count_a < successes_b / count_b)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_welch_z_matches_scipys_welch_t(seed):
    rng = random.Random(seed)
    group, rest = draw(rng, "ces", "bad", 40), draw(rng, "ces", "base", 300)
    z = welch_z(aggregates_of("ces", group), aggregates_of("ces", rest))
    result = scipy_stats.ttest_ind(group, rest, equal_var=False)
    assert z == pytest.approx(result.statistic, rel=1e-9)
    # Normal approximation: the p-value is the normal tail of Welch's statistic.
    assert two_sided_p(z) == pytest.approx(2 * scipy_stats.norm.sf(abs(result.statistic)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nps_z_uses_the_variance_of_the_promoter_minus_detractor_score(seed):
    rng = random.Random(seed)
    group, rest = draw(rng, "nps", "bad", 50), draw(rng, "nps", "base", 400)

    def signs(scores):
        return [1 if score >= 9 else -1 if score <= 6 else 0 for score in scores]

    # Each respondent is +1, 0 or -1; NPS/100 is their mean and SPEC's variance theirs / n.
    difference = statistics.fmean(signs(group)) - statistics.fmean(signs(rest))
    variance = statistics.pvariance(signs(group)) / len(group)
    variance += statistics.pvariance(signs(rest)) / len(rest)
    expected = difference / math.sqrt(variance)
    z = nps_z(aggregates_of("nps", group), aggregates_of("nps", rest))
    assert z == pytest.approx(expected, rel=1e-9)


def test_a_difference_without_variance_is_certain():
    promoters, detractors = aggregates_of("nps", [10] * 40), aggregates_of("nps", [0] * 60)
    assert two_sided_p(nps_z(promoters, detractors)) == 0.0
    assert two_sided_p(nps_z(promoters, promoters)) == 1.0
    assert two_sided_p(welch_z(aggregates_of("ces", [1] * 5), aggregates_of("ces", [7] * 5))) == 0
    assert two_sided_p(two_proportion_z(40, 40, 60, 60)) == 1.0


@pytest.mark.parametrize(
    "p_values",
    [
        [0.01, 0.04, 0.03, 0.005, 0.5, 0.2],
        [0.9, 0.9, 0.9],
        [1e-12, 0.049, 0.051, 0.7, 0.0001, 0.3, 0.02, 0.02],
        [0.03],
    ],
)
def test_benjamini_hochberg_matches_scipy(p_values):
    expected = scipy_stats.false_discovery_control(p_values, method="bh")
    assert benjamini_hochberg(p_values) == pytest.approx(list(expected), rel=1e-12)


# -- calibration on data with no planted effect -----------------------------------------


@pytest.mark.parametrize("metric", ["csat", "thumbs", "nps", "ces"])
def test_with_no_effect_about_five_percent_of_runs_report_a_moment(metric):
    runs, reported = 400, 0
    for seed in range(runs):
        rng = random.Random(seed)
        rows = [
            (f"/page/{number}", aggregates_of(metric, draw(rng, metric, "base", 120)), {})
            for number in range(8)
        ]
        _, moments = find_moments(metric, rows, min_count=30)
        reported += bool(moments)
    # Under the null, BH keeps the chance of any report at 5 %; 400 runs give a 1.1 % sd.
    assert 0.02 <= reported / runs <= 0.085


# -- planted effects ----------------------------------------------------------------------

#: A fixed seed for the planted sites stored in the database. Each group is compared with
#: the rest of the site, which the planted pages pull away from the baseline, so an ordinary
#: page is now and then a true (small) difference; the power test below covers all seeds.
PLANTED_SEED = 2


@pytest.mark.parametrize("metric", ["csat", "thumbs", "nps", "ces"])
def test_planted_pages_are_found_whatever_the_seed(metric):
    for seed in range(100):
        pages = planted_site(random.Random(seed), metric)
        rows = [(key, aggregates_of(metric, scores), {}) for key, scores in pages.items()]
        _, moments = find_moments(metric, rows, min_count=30)
        found = {(moment["key"], moment["kind"]) for moment in moments}
        assert {("/checkout/pay", "despair"), ("/thanks", "delight")} <= found, seed
        assert not any(moment["key"].startswith("/tiny/") for moment in moments)


@pytest.mark.parametrize("metric", ["csat", "thumbs", "nps", "ces"])
def test_planted_pages_are_found_in_order_and_baseline_pages_are_not(site, metric):
    pages = planted_site(random.Random(PLANTED_SEED), metric)
    store(site, metric, pages)
    result = site_moments(site, metric, "page", WINDOW)
    found = [(moment["key"], moment["kind"]) for moment in result["moments"]]
    assert found == [("/checkout/pay", "despair"), ("/thanks", "delight")]
    assert result["moments"][0]["impact"] > result["moments"][1]["impact"]
    for moment in result["moments"]:
        assert moment["q_value"] < 0.05
        assert moment["p_value"] <= moment["q_value"]


def test_phases_compare_with_the_rest_and_unknown_is_a_phase(site):
    rng = random.Random(11)
    phases = {
        "consideration": draw(rng, "csat", "base", 300),
        "conversion": draw(rng, "csat", "base", 300),
        "loyalty": draw(rng, "csat", "base", 300),
        None: draw(rng, "csat", "bad", 150),
    }
    store(site, "csat", phases, by="phase")
    store(site, "csat", {None: [2]}, by="phase", comment="Where is my order?")
    result = site_moments(site, "csat", "phase", WINDOW)
    first, *others = result["moments"]
    assert (first["key"], first["kind"]) == ("unknown", "despair")
    assert first["comments"][0]["comment"] == "Where is my order?"
    # Every other phase is above a rest that holds the unknown phase's low scores.
    assert all(moment["kind"] == "delight" for moment in others)
    assert result["baseline"]["count"] == sum(len(scores) for scores in phases.values()) + 1


def test_the_rest_includes_groups_under_min_count_and_scores_are_exact(site):
    pages = {"/a": [5] * 20 + [1] * 20, "/b": [5] * 40, "/small": [1] * 5}
    store(site, "csat", pages)
    result = site_moments(site, "csat", "page", WINDOW, min_count=30)
    by_key = {moment["key"]: moment for moment in result["moments"]}
    assert "/small" not in by_key
    moment = by_key["/a"]
    # /a: 20 of 40 satisfied; the rest (/b and /small): 40 of 45.
    assert moment["score"] == 50.0
    assert moment["rest_score"] == round(100 * 40 / 45, 2)
    assert moment["delta"] == round(50.0 - round(100 * 40 / 45, 2), 2)
    assert moment["impact"] == round(40 * abs(moment["delta"]), 2)
    assert moment["kind"] == "despair"
    assert moment["p_value"] == two_sided_p(two_proportion_z(20, 40, 40, 45))


def test_only_the_1000_largest_pages_are_tested_and_the_rest_still_counts(site):
    pages = {f"/p{number:04}": [5, 5, 5] for number in range(1000)}
    # As large as the others but last in key order: the 1,001st page is not tested.
    store(site, "csat", {**pages, "/zz-bad": [1, 1, 1]})
    result = site_moments(site, "csat", "page", WINDOW, min_count=3)
    assert result["moments"] == []
    assert result["baseline"]["count"] == 3003
    assert result["baseline"]["satisfied"] == 3000
    # One more response makes it the largest page: now it is tested, and stands out.
    store(site, "csat", {"/zz-bad": [1]})
    result = site_moments(site, "csat", "page", WINDOW, min_count=3)
    assert [(m["key"], m["kind"]) for m in result["moments"]] == [("/zz-bad", "despair")]
    assert result["moments"][0]["rest_score"] == 100.0


def test_baseline_is_the_sites_stats_summary(site):
    pages = planted_site(random.Random(3), "nps")
    store(site, "nps", pages)
    result = site_moments(site, "nps", "page", WINDOW)
    assert result["baseline"] == site_stats(site, "nps", "none", WINDOW)["overall"]
    checkout = result["moments"][0]
    page_stats = site_stats(site, "nps", "page", {**WINDOW, "path": "/checkout/pay"})
    assert checkout["ci95"] == page_stats["overall"]["ci95"]
    assert checkout["score"] == page_stats["overall"]["score"]


def test_min_count_leaves_small_groups_untested(site):
    pages = {"/bad": [1] * 20, **{f"/p{n}": [5] * 80 + [2] * 20 for n in range(5)}}
    store(site, "csat", pages)
    assert site_moments(site, "csat", "page", WINDOW, min_count=21)["moments"] == []
    assert [m["key"] for m in site_moments(site, "csat", "page", WINDOW, 20)["moments"]] == ["/bad"]


def test_filters_narrow_both_sides(site):
    rng = random.Random(5)
    store(site, "csat", {"/pay": draw(rng, "csat", "bad", 200)}, device="mobile")
    store(site, "csat", {"/home": draw(rng, "csat", "base", 400)}, device="mobile")
    outside = {"start": datetime(2026, 11, 11, tzinfo=UTC), "end": WINDOW["end"]}
    assert site_moments(site, "csat", "page", outside)["moments"] == []
    assert site_moments(site, "csat", "page", {**WINDOW, "path": "/pay"})["moments"] == []
    kinds = {m["key"]: m["kind"] for m in site_moments(site, "csat", "page", WINDOW)["moments"]}
    # With two pages, each is the other's rest.
    assert kinds == {"/pay": "despair", "/home": "delight"}


def test_moments_carry_theme_counts_and_the_three_newest_comments(site):
    rng = random.Random(9)
    store(site, "csat", {"/home": draw(rng, "csat", "good", 300)})
    comments = [
        "The page is so slow",
        "",
        "Ik kan de knop niet vinden en de site is traag",
        None,
        "Waited an hour on hold",
        "Slow again",
    ]
    rows = []
    for minute, comment in enumerate(comments):
        rows.append(
            {
                "site_id": site.id,
                "metric": "csat",
                "score": 1,
                "comment": comment,
                "themes": comment_mask(comment),
                "received_at": RECEIVED + timedelta(minutes=minute),
                "page_path": "/pay",
                "page_url": "https://shop.example/pay",
            }
        )
    rows += [{**rows[0], "comment": None, "themes": 0, "received_at": RECEIVED}] * 34
    db.session.execute(insert(Response), rows)
    db.session.commit()

    (moment,) = [
        m for m in site_moments(site, "csat", "page", WINDOW)["moments"] if m["key"] == "/pay"
    ]
    assert moment["themes"] == {
        **dict.fromkeys(THEMES, 0),
        "speed": 3,
        "findability": 1,
        "waiting": 1,
    }
    assert [comment["comment"] for comment in moment["comments"]] == [
        "Slow again",
        "Waited an hour on hold",
        "Ik kan de knop niet vinden en de site is traag",
    ]
    assert set(moment["comments"][0]) == {"id", "score", "comment", "received_at"}


# -- the endpoint -------------------------------------------------------------------------


def test_endpoint_answers_with_spec_shape(client, site, admin_headers):
    pages = planted_site(random.Random(PLANTED_SEED), "csat")
    store(site, "csat", pages)
    store(site, "csat", {"/checkout/pay": [1]}, comment="Too slow", themes=comment_mask("Too slow"))
    query = {"metric": "csat", **WINDOW_QUERY}
    response = client.get(
        f"/api/v1/admin/sites/{site.key}/moments", query_string=query, headers=admin_headers
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["metric"] == "csat" and body["by"] == "page"
    assert body["from"] == "2026-11-01T00:00:00.000000Z"
    assert set(body["baseline"]) == {"count", "mean", "score", "ci95", "satisfied"}
    first = body["moments"][0]
    assert set(first) == {
        "key", "kind", "count", "score", "rest_score", "delta", "ci95",
        "p_value", "q_value", "impact", "themes", "comments",
    }  # fmt: skip
    assert first["key"] == "/checkout/pay"
    assert first["comments"][0]["comment"] == "Too slow"
    assert first["comments"][0]["received_at"].endswith("Z")
    assert first["themes"]["speed"] == 1


def test_endpoint_defaults_to_the_last_thirty_days(client, site, admin_headers):
    store(site, "csat", {"/pay": [1] * 40, "/home": [5] * 200})
    response = client.get(
        f"/api/v1/admin/sites/{site.key}/moments?metric=csat", headers=admin_headers
    )
    body = response.get_json()
    start = datetime.fromisoformat(body["from"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(body["to"].replace("Z", "+00:00"))
    assert end - start == timedelta(days=30)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "metric"),
        ({"metric": "stars"}, "metric"),
        ({"metric": "csat", "by": "device"}, "by"),
        ({"metric": "csat", "min_count": "1"}, "min_count"),
        ({"metric": "csat", "min_count": "0"}, "min_count"),
        ({"metric": "csat", "min_count": "ten"}, "min_count"),
        ({"metric": "csat", "min_count": "2.5"}, "min_count"),
        ({"metric": "csat", "from": "2026-12-01", "to": "2026-11-01"}, "from"),
        ({"metric": "csat", "phase": "checkout"}, "phase"),
    ],
)
def test_endpoint_refuses_bad_queries(client, site, admin_headers, query, field):
    response = client.get(
        f"/api/v1/admin/sites/{site.key}/moments", query_string=query, headers=admin_headers
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_endpoint_accepts_the_smallest_min_count(client, site, admin_headers):
    query = {"metric": "csat", "min_count": "2"}
    response = client.get(
        f"/api/v1/admin/sites/{site.key}/moments", query_string=query, headers=admin_headers
    )
    assert response.status_code == 200


def test_endpoint_needs_a_token(client, site):
    assert client.get(f"/api/v1/admin/sites/{site.key}/moments?metric=csat").status_code == 401


@pytest.mark.parametrize(("scope", "status"), [("this", 200), ("other", 404), ("all", 200)])
def test_endpoint_hides_sites_the_token_may_not_see(
    client, site, make_site, make_token, scope, status
):
    token_site = {"this": site, "other": make_site(name="Other"), "all": None}[scope]
    headers = make_token(site=token_site, read_only=True)
    url = f"/api/v1/admin/sites/{site.key}/moments?metric=csat"
    assert client.get(url, headers=headers).status_code == status


def test_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    operation = paths["/api/v1/admin/sites/{site_key}/moments"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"metric", "by", "min_count", "from", "to"} <= names
