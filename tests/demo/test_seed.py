"""The demo site: reproducible, complete, and telling the payment page's story."""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.demo.comments import COMPLAINTS
from server.demo.pages import DEMO_PAGES
from server.demo.seed import DEMO_SITE_NAME, create_demo
from server.extensions import db
from server.ingest.phases import compile_phase_rules, match_phase
from server.insight.themes import comment_mask, mask_themes
from server.models import DEVICES, METRICS, PHASES, Response, Site

NOW = datetime(2026, 11, 1, 12, 30, tzinfo=UTC)
THEMES = ("speed", "findability", "unresolved", "returns", "waiting", "human_contact")
PAY_PAGE = "/demo/checkout/pay"


def stored_rows(site) -> list[Response]:
    """Return the site's responses, oldest first."""
    query = select(Response).where(Response.site_id == site.id)
    return db.session.scalars(query.order_by(Response.received_at, Response.id)).all()


def snapshot(site) -> list[tuple]:
    """Return every stored value of the site's responses except ids."""
    columns = [c.key for c in Response.__table__.columns if c.key not in ("id", "site_id")]
    return [tuple(getattr(row, column) for column in columns) for row in stored_rows(site)]


@pytest.fixture
def demo(app):
    """Create the demo site at a fixed moment and return it."""
    site, created = create_demo(now=NOW)
    assert created
    return site


def csat_share(rows) -> float:
    """Return the share of satisfied (4 or 5) CSAT answers among `rows`."""
    scores = [row.score for row in rows if row.metric == "csat"]
    return sum(score >= 4 for score in scores) / len(scores)


def test_demo_site_settings(demo):
    assert demo.name == DEMO_SITE_NAME
    assert demo.allowed_origins == ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert demo.enabled is True
    rules = {rule["match"]: rule["phase"] for rule in demo.phase_rules}
    assert rules == {
        "/demo/blog*": "awareness",
        "/demo/products*": "consideration",
        "/demo/cart*": "conversion",
        "/demo/checkout*": "conversion",
        "/demo/account*": "loyalty",
        "/demo/orders*": "loyalty",
        "/demo/review*": "advocacy",
        "/demo/refer*": "advocacy",
    }


def test_demo_is_idempotent(demo):
    before = snapshot(demo)
    site, created = create_demo(now=NOW + timedelta(days=3))
    assert (site.id, created) == (demo.id, False)
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1
    assert snapshot(site) == before


def test_demo_is_deterministic(demo):
    before = snapshot(demo)
    again, created = create_demo(reset=True, now=NOW)
    assert created
    assert again.key != demo.key
    assert snapshot(again) == before
    other_seed, _ = create_demo(reset=True, now=NOW, seed=1)
    assert snapshot(other_seed) != before


def test_demo_covers_phases_metrics_devices_and_90_days(demo):
    rows = stored_rows(demo)
    assert len(rows) == 3000
    assert {row.phase for row in rows} == set(PHASES)
    assert {row.metric for row in rows} == set(METRICS)
    assert {row.device for row in rows} == set(DEVICES)
    assert {row.phase_source for row in rows} == {"rule"}
    assert all(NOW - timedelta(days=90) <= row.received_at <= NOW for row in rows)
    weeks = Counter((NOW - row.received_at).days // 7 for row in rows)
    assert set(weeks) == set(range(13))
    assert len({row.event_id for row in rows}) == 3000
    assert {row.page_path for row in rows} == {page.path for page in DEMO_PAGES}
    assert any(row.referrer_host for row in rows)
    untagged = select(func.count()).where(Response.site_id == demo.id, Response.tags.is_(None))
    assert 0 < db.session.scalar(untagged) < len(rows)
    tag_values = [value for row in rows if row.tags for value in row.tags.values()]
    assert {type(value) for value in tag_values} >= {str, int, float, bool}


def test_demo_phases_follow_the_sites_own_rules(demo):
    rules = compile_phase_rules(demo.phase_rules)
    for row in stored_rows(demo):
        assert row.phase == match_phase(rules, row.page_path)


def test_demo_scores_stay_in_range(demo):
    ranges = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10), "thumbs": (0, 1)}
    by_metric = defaultdict(set)
    for row in stored_rows(demo):
        by_metric[row.metric].add(row.score)
    for metric, scores in by_metric.items():
        low, high = ranges[metric]
        assert scores <= set(range(low, high + 1))
        assert len(scores) > (high - low) // 2, f"{metric} uses too few of its scores"


def test_demo_comments_are_dutch_and_english_on_about_30_percent(demo):
    rows = stored_rows(demo)
    commented = [row for row in rows if row.comment]
    assert 0.25 <= len(commented) / len(rows) <= 0.35
    languages = Counter("nl" if (row.locale or "").startswith("nl") else "en" for row in commented)
    assert languages["nl"] > 200
    assert languages["en"] > 200
    assert len({row.comment for row in commented}) > 200


@pytest.mark.parametrize("language", ["en", "nl"])
def test_demo_comments_raise_every_complaint_theme(demo, language):
    comments = [row.comment for row in stored_rows(demo) if row.comment]
    raised = Counter()
    for topic in COMPLAINTS.values():
        for sentence in topic[language]:
            raised[topic["theme"]] += sum(sentence in comment for comment in comments)
    assert all(raised[theme] >= 5 for theme in THEMES), raised
    # Plenty of comments raise no complaint at all.
    assert raised[None] + sum(raised.values()) < len(comments) * 0.6


def test_demo_comments_are_tagged_as_ingest_tags_them(demo):
    rows = stored_rows(demo)
    assert all(row.themes == comment_mask(row.comment) for row in rows)
    tagged = Counter(theme for row in rows for theme in mask_themes(row.themes))
    # Every theme is raised by the demo's comments, and the dashboard has themes to show.
    assert all(tagged[theme] >= 10 for theme in THEMES), tagged


def test_demo_payment_page_is_the_moment_of_despair(demo):
    rows = stored_rows(demo)
    by_page = defaultdict(list)
    for row in rows:
        by_page[row.page_path].append(row)
    pay = by_page[PAY_PAGE]
    rest = [row for row in rows if row.page_path != PAY_PAGE]
    assert csat_share(pay) < csat_share(rest) - 0.4
    shares = {
        path: csat_share(page_rows)
        for path, page_rows in by_page.items()
        if any(row.metric == "csat" for row in page_rows)
    }
    assert min(shares, key=shares.get) == PAY_PAGE
    assert max(shares, key=shares.get) == "/demo/review"

    def mean_ces(selection):
        scores = [row.score for row in selection if row.metric == "ces"]
        return sum(scores) / len(scores)

    assert mean_ces(pay) < mean_ces(rest) - 1.5
    pay_comments = " ".join(row.comment for row in pay if row.comment)
    speed = COMPLAINTS["slow_payment"]
    assert any(sentence in pay_comments for sentence in speed["en"] + speed["nl"])
    # The last 30 days alone (the dashboard's default window) tell the same story.
    recent = [row for row in pay if row.received_at >= NOW - timedelta(days=30)]
    assert len(recent) >= 100
    assert csat_share(recent) < 0.4
