"""The site page's "what changed" panel: drops and rises above the journey, in plain words."""

import html as html_text
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from server.extensions import db
from server.insight.themes import THEME_BITS
from server.models import Response


def store(site, metric: str, phase: str, scores: list[int], days_ago: float, **fields) -> None:
    """Store one response per score, `days_ago` days before now, in one statement."""
    when = datetime.now(UTC) - timedelta(days=days_ago)
    rows = [
        {
            "site_id": site.id,
            "metric": metric,
            "score": score,
            "received_at": when - timedelta(minutes=index),
            "page_path": "/checkout",
            "page_url": "https://shop.example/checkout",
            "phase": phase,
            **fields,
        }
        for index, score in enumerate(scores)
    ]
    db.session.execute(insert(Response), rows)
    db.session.commit()


def site_page(client, site, metric: str, language: str = "en") -> str:
    """Return the site page for `metric` as a reader preferring `language` sees it."""
    response = client.get(
        f"/admin/sites/{site.key}?metric={metric}",
        headers={"Accept-Language": f"{language},en;q=0.5"},
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_drop_is_told_above_the_journey_with_its_themes_and_comments(signed_in, site):
    # Four weeks at 80 % satisfied, then a week at 20 %.
    store(site, "csat", "conversion", [5, 5, 5, 5, 2] * 40, days_ago=15)
    store(site, "csat", "conversion", [1, 1, 1, 1, 4] * 10, days_ago=2)
    store(
        site,
        "csat",
        "conversion",
        [1],
        days_ago=1,
        comment="<b>Bleef maar laden</b>",
        themes=THEME_BITS["speed"],
    )

    page = site_page(signed_in, site, "csat")

    assert page.index("data-changes") < page.index('aria-labelledby="journey-title"')
    panel = page[page.index("data-changes") : page.index('aria-labelledby="journey-title"')]
    assert re.findall(r'data-change="([^"]+)" data-kind="([^"]+)"', panel) == [
        ("all", "drop"),
        ("conversion", "drop"),
    ]
    assert "The whole site dropped from 80 to 20 this week" in html_text.unescape(panel)
    assert "Conversion dropped from 80 to 20 this week" in html_text.unescape(panel)
    assert "51 responses in the last 7 days, 200 in the 28 days before" in panel
    assert '<span class="tag">Speed 1</span>' in panel
    # Comments are text, never markup.
    assert "&lt;b&gt;Bleef maar laden&lt;/b&gt;" in panel
    assert "<b>Bleef" not in panel


def test_a_rise_is_told_and_ces_scores_keep_a_decimal_in_the_readers_locale(signed_in, site):
    store(site, "ces", "loyalty", [3, 4, 4, 5, 5] * 40, days_ago=15)
    store(site, "ces", "loyalty", [6, 7, 7, 7, 6] * 12, days_ago=2)

    page = html_text.unescape(site_page(signed_in, site, "ces", language="nl"))

    # Dutch writes a decimal comma, in the sentence's Dutch translation.
    assert "Loyaliteit: deze week gestegen van 4,2 naar 6,6" in page
    assert 'data-change="loyalty" data-kind="rise"' in page


def test_nothing_is_shown_when_nothing_changed(signed_in, site):
    store(site, "csat", "conversion", [5, 5, 5, 5, 2] * 40, days_ago=15)
    store(site, "csat", "conversion", [5, 5, 5, 5, 2] * 10, days_ago=2)

    page = site_page(signed_in, site, "csat")

    assert "data-changes" not in page
    assert "What changed" not in page
