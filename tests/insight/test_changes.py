"""Changes over time: planted drops and rises, the site-wide key, windows, and calibration."""

import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from score_mixes import MIXES, draw
from sqlalchemy import insert

from server.extensions import db
from server.insight.changes import (
    BASELINE,
    SITE_KEY,
    WINDOW,
    find_changes,
    significant_changes,
    with_site_total,
)
from server.insight.score_summary import METRIC_PARTS, Aggregates
from server.insight.themes import THEME_BITS, THEMES
from server.models import PHASES, Response

TO = datetime(2026, 11, 20, tzinfo=UTC)
WINDOW_START = TO - timedelta(days=7)
BASELINE_START = WINDOW_START - timedelta(days=28)


def aggregates_of(metric: str, scores: Counter) -> Aggregates:
    """Return the aggregates of a multiset of scores, summed in plain Python."""
    parts = {
        name: sum(n for score, n in scores.items() if low <= score <= high)
        for name, (low, high) in METRIC_PARTS[metric].items()
    }
    return Aggregates(
        scores.total(),
        sum(score * n for score, n in scores.items()),
        sum(score * score * n for score, n in scores.items()),
        parts,
    )


def spread(rng: random.Random, start: datetime, end: datetime, count: int) -> list[datetime]:
    """Return `count` instants drawn uniformly from [start, end), to the microsecond."""
    span = (end - start) // timedelta(microseconds=1)
    return [start + timedelta(microseconds=rng.randrange(span)) for _ in range(count)]


def store(site, metric: str, rows: list[tuple]) -> None:
    """Insert `(phase, received_at, score[, comment, themes])` rows in one statement."""
    values = []
    for phase, received_at, score, *rest in rows:
        comment, themes = rest or (None, 0)
        values.append(
            {
                "site_id": site.id,
                "metric": metric,
                "score": score,
                "received_at": received_at,
                "page_path": "/",
                "page_url": "https://shop.example/",
                "phase": phase,
                "comment": comment,
                "themes": themes,
            }
        )
    db.session.execute(insert(Response), values)
    db.session.commit()


def period(rng, metric: str, phase, mix: str, count: int, start, end) -> list[tuple]:
    """Return `count` rows of one phase, scored from `mix`, received within [start, end)."""
    scores = draw(rng, metric, mix, count)
    instants = spread(rng, start, end, count)
    return [(phase, when, score) for when, score in zip(instants, scores, strict=True)]


def steady(rng, metric: str, phase, window: int, baseline: int, window_mix: str = "base"):
    """Return a phase's rows: `baseline` at the usual mix, `window` drawn from `window_mix`."""
    return period(rng, metric, phase, "base", baseline, BASELINE_START, WINDOW_START) + period(
        rng, metric, phase, window_mix, window, WINDOW_START, TO
    )


def expected_order(metric: str, rows: list[tuple], keys: list[str]) -> list[str]:
    """Return `keys` ordered by count * |delta| computed from the planted rows themselves."""

    def score(scores: Counter) -> Fraction:
        aggregates = aggregates_of(metric, scores)
        parts, n = aggregates.parts, aggregates.count
        if metric == "nps":
            return Fraction(100 * (parts["promoters"] - parts["detractors"]), n)
        if metric == "ces":
            return Fraction(aggregates.total, n)
        return Fraction(100 * next(iter(parts.values())), n)

    def impact(key: str) -> Fraction:
        chosen = [row for row in rows if key == SITE_KEY or (row[0] or "unknown") == key]
        window = Counter(s for _, when, s in chosen if when >= WINDOW_START)
        baseline = Counter(s for _, when, s in chosen if when < WINDOW_START)
        return window.total() * abs(round(score(window), 2) - round(score(baseline), 2))

    return sorted(keys, key=lambda key: -impact(key))


# -- planted changes through SQL --------------------------------------------------------------


@pytest.mark.parametrize("metric", sorted(MIXES))
def test_planted_drop_in_conversion_is_a_drop_and_changes_come_largest_impact_first(
    make_site, metric
):
    rng = random.Random(f"drop-{metric}")
    site = make_site()
    rows = steady(rng, metric, "conversion", 150, 600, window_mix="bad")
    rows += steady(rng, metric, "consideration", 60, 240, window_mix="bad")
    for phase in ("awareness", "loyalty", "advocacy", None):
        rows += steady(rng, metric, phase, 100, 400)
    store(site, metric, rows)

    answer = find_changes(site, metric, to=TO)

    by_key = {change["key"]: change for change in answer["changes"]}
    assert by_key["conversion"]["kind"] == "drop"
    assert by_key["conversion"]["delta"] < 0
    assert by_key["conversion"]["count"] == 150
    assert by_key["conversion"]["baseline_count"] == 600
    assert by_key["consideration"]["kind"] == "drop"
    keys = [change["key"] for change in answer["changes"]]
    assert keys == expected_order(metric, rows, keys)
    for change in answer["changes"]:
        assert change["q_value"] < 0.05
        assert change["impact"] == pytest.approx(change["count"] * abs(change["delta"]))
        assert change["ci95"][0] <= change["score"] <= change["ci95"][1]


@pytest.mark.parametrize("metric", sorted(MIXES))
def test_planted_rise_is_a_rise(make_site, metric):
    rng = random.Random(f"rise-{metric}")
    site = make_site()
    rows = steady(rng, metric, "loyalty", 120, 480, window_mix="good")
    for phase in ("awareness", "conversion"):
        rows += steady(rng, metric, phase, 100, 400)
    store(site, metric, rows)

    changes = find_changes(site, metric, to=TO)["changes"]

    loyalty = next(change for change in changes if change["key"] == "loyalty")
    assert loyalty["kind"] == "rise"
    assert loyalty["delta"] > 0


def test_a_drop_spread_over_small_phases_is_found_for_the_whole_site(make_site):
    rng = random.Random("site-wide")
    site = make_site()
    rows = []
    for phase in PHASES:
        # Each phase's window is under min_count: only the whole site can be tested.
        rows += steady(rng, "csat", phase, 25, 200, window_mix="bad")
    store(site, "csat", rows)

    changes = find_changes(site, "csat", to=TO)["changes"]

    assert [(change["key"], change["kind"]) for change in changes] == [(SITE_KEY, "drop")]
    assert changes[0]["count"] == 125
    assert changes[0]["baseline_count"] == 1000


@pytest.mark.parametrize(("window", "baseline"), [(29, 400), (400, 29)])
def test_a_phase_under_min_count_in_either_period_is_not_tested(make_site, window, baseline):
    rng = random.Random(f"small-{window}-{baseline}")
    site = make_site()
    rows = steady(rng, "thumbs", "conversion", window, baseline, window_mix="bad")
    # The rest of the site is steady and large, so the whole site barely moves.
    rows += steady(rng, "thumbs", "awareness", 3000, 12000)
    store(site, "thumbs", rows)

    def keys(min_count: int) -> set[str]:
        return {
            change["key"]
            for change in find_changes(site, "thumbs", to=TO, min_count=min_count)["changes"]
        }

    assert "conversion" not in keys(30)
    assert "conversion" in keys(29)


def test_themes_and_comments_come_from_the_window_of_the_changed_key(make_site):
    rng = random.Random("comments")
    site = make_site()
    rows = steady(rng, "csat", "conversion", 100, 400, window_mix="bad")
    rows += steady(rng, "csat", "awareness", 100, 400)
    newest = TO - timedelta(minutes=1)
    rows += [
        # Newer than every comment of conversion's window, but of another phase.
        ("awareness", newest, 4, "fine, thanks", 0),
        ("conversion", WINDOW_START - timedelta(seconds=1), 1, "baseline, not window", 0),
        ("conversion", newest - timedelta(hours=1), 1, "Too slow", THEME_BITS["speed"]),
        ("conversion", newest - timedelta(hours=2), 1, "", 0),
        ("conversion", newest - timedelta(hours=3), 2, "Waited an hour", THEME_BITS["waiting"]),
        ("conversion", newest - timedelta(hours=4), 1, "Slow again", THEME_BITS["speed"]),
        ("conversion", newest - timedelta(hours=5), 1, "An older one", 0),
    ]
    store(site, "csat", rows)

    changes = {change["key"]: change for change in find_changes(site, "csat", to=TO)["changes"]}

    conversion = changes["conversion"]
    assert [c["comment"] for c in conversion["comments"]] == [
        "Too slow",
        "Waited an hour",
        "Slow again",
    ]
    assert set(conversion["comments"][0]) == {"id", "score", "comment", "received_at"}
    assert conversion["themes"] == {**dict.fromkeys(THEMES, 0), "speed": 2, "waiting": 1}
    if SITE_KEY in changes:
        assert changes[SITE_KEY]["comments"][0]["comment"] == "fine, thanks"


# -- windows ------------------------------------------------------------------------------------


def test_window_and_baseline_are_rolling_days_with_to_exclusive(make_site):
    site = make_site()
    tick = timedelta(microseconds=1)
    rows = [("conversion", when, 1) for when in spread(random.Random(1), WINDOW_START, TO, 40)]
    rows += [
        ("conversion", when, 5)
        for when in spread(random.Random(2), BASELINE_START, WINDOW_START, 40)
    ]
    rows += [
        ("conversion", TO, 1),  # `to` is exclusive: in neither period
        ("conversion", TO - tick, 1),  # the window's last instant
        ("conversion", WINDOW_START, 1),  # the window's first instant
        ("conversion", WINDOW_START - tick, 5),  # the baseline's last instant
        ("conversion", BASELINE_START, 5),  # the baseline's first instant
        ("conversion", BASELINE_START - tick, 5),  # before the baseline: left out
    ]
    store(site, "csat", rows)

    answer = find_changes(site, "csat", window_days=7, baseline_days=28, to=TO)

    assert answer["window"] == {
        "from": "2026-11-13T00:00:00.000000Z",
        "to": "2026-11-20T00:00:00.000000Z",
    }
    assert answer["baseline"] == {
        "from": "2026-10-16T00:00:00.000000Z",
        "to": "2026-11-13T00:00:00.000000Z",
    }
    conversion = next(change for change in answer["changes"] if change["key"] == "conversion")
    assert (conversion["count"], conversion["baseline_count"]) == (42, 42)
    assert (conversion["score"], conversion["baseline_score"]) == (0.0, 100.0)


@pytest.mark.parametrize(
    ("window_days", "baseline_days", "to", "tz", "window", "baseline"),
    [
        (
            1,
            7,
            TO,
            None,
            ("2026-11-19T00:00", "2026-11-20T00:00"),
            ("2026-11-12T00:00", "2026-11-19T00:00"),
        ),
        (
            28,
            90,
            TO,
            None,
            ("2026-10-23T00:00", "2026-11-20T00:00"),
            ("2026-07-25T00:00", "2026-10-23T00:00"),
        ),
        # Without an offset, `to` is read in `tz`; days follow its wall clock (23 hours on
        # 29 March 2026 in Amsterdam, when summer time begins).
        (
            7,
            7,
            datetime(2026, 3, 30),
            "Europe/Amsterdam",
            ("2026-03-22T23:00", "2026-03-29T22:00"),
            ("2026-03-15T23:00", "2026-03-22T23:00"),
        ),
        # An offset wins over `tz`.
        (
            1,
            7,
            datetime(2026, 3, 30, 12, tzinfo=UTC),
            "Europe/Amsterdam",
            ("2026-03-29T12:00", "2026-03-30T12:00"),
            ("2026-03-22T13:00", "2026-03-29T12:00"),
        ),
    ],
)
def test_periods_follow_window_baseline_to_and_tz(
    make_site, window_days, baseline_days, to, tz, window, baseline
):
    answer = find_changes(
        make_site(), "nps", window_days=window_days, baseline_days=baseline_days, to=to, tz=tz
    )

    def minutes(period: dict) -> tuple[str, str]:
        return period["from"][:16], period["to"][:16]

    assert (minutes(answer["window"]), minutes(answer["baseline"])) == (window, baseline)
    assert answer["changes"] == []


# -- calibration: no change, many seeds -------------------------------------------------------

#: Each phase's share of the traffic, and its own usual mix of scores, in a world that never
#: changes: both periods are drawn from the same (phase, score) distribution.
TRAFFIC = {"awareness": 3, "consideration": 2, "conversion": 3, "loyalty": 1, "advocacy": 1}
RUNS_PER_METRIC = 1000
NOMINAL = 0.05


def binomial_ceiling(runs: int, rate: float = NOMINAL) -> float:
    """Return the share of `runs` a rate of `rate` stays under with 99.5 % probability."""
    return rate + 2.576 * math.sqrt(rate * (1 - rate) / runs)


def no_change_rows(rng: random.Random, metric: str, window: int, baseline: int) -> dict:
    """Return `{(period, phase): (Aggregates, themes)}` sampled from one unchanging world."""
    cells, weights = [], []
    for index, (phase, share) in enumerate(TRAFFIC.items()):
        # Phases differ from one another, but not over time.
        mix = MIXES[metric]["base" if index % 2 else "bad"]
        total = sum(mix.values())
        for score, weight in mix.items():
            cells.append((phase, score))
            weights.append(share * weight / total)
    rows = {}
    for name, count in ((WINDOW, window), (BASELINE, baseline)):
        drawn = Counter(rng.choices(cells, weights=weights, k=count))
        for phase in TRAFFIC:
            scores = Counter({score: n for (p, score), n in drawn.items() if p == phase})
            rows[name, phase] = (aggregates_of(metric, scores), dict.fromkeys(THEMES, 0))
    return with_site_total(metric, rows)


#: The rate of no-change runs reporting a change each metric is held to. Benjamini-Hochberg
#: keeps it at 5 % when the p-values are exact; SPEC's tests are normal approximations, and
#: two of them run over at 30 responses (bench/changes_calibration.py, docs/insight.md): ces
#: reads Welch's t as a normal z (5.8 %), nps takes each period's own variance (6.3 %).
HELD_RATES = {"csat": 0.05, "thumbs": 0.05, "ces": 0.06, "nps": 0.07}


@pytest.mark.parametrize("metric", sorted(HELD_RATES))
def test_no_change_data_reports_a_change_in_about_five_percent_of_runs(metric):
    rng = random.Random(f"calibration-{metric}")
    reporting = 0
    for _ in range(RUNS_PER_METRIC):
        # A week against four weeks of the same traffic, phases from ~20 to ~240 responses.
        window = rng.randrange(200, 600)
        rows = no_change_rows(rng, metric, window, 4 * window)
        reporting += bool(significant_changes(metric, rows, min_count=30))
    share = reporting / RUNS_PER_METRIC
    print(
        f"{metric}: {reporting} of {RUNS_PER_METRIC} no-change runs report a change ({share:.1%})"
    )
    assert share <= binomial_ceiling(RUNS_PER_METRIC, HELD_RATES[metric])


SQL_RUNS = 20


def test_no_change_data_through_sql_rarely_reports_a_change(make_site):
    rng = random.Random("calibration-sql")
    reporting = 0
    for _ in range(SQL_RUNS):
        site = make_site()
        rows = []
        for phase, share in TRAFFIC.items():
            rows += steady(rng, "csat", phase, 30 * share, 120 * share)
        store(site, "csat", rows)
        reporting += bool(find_changes(site, "csat", to=TO)["changes"])
    # P(X ≥ 4) is 1.6 % for 20 runs at 5 %.
    assert reporting <= 3
