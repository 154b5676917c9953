"""The site page explains its numbers: definitions, intervals and chance in words, periods with
presets and the previous period, comments across metrics, and correct plural forms."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError

from server.dashboard.explain import probability_text
from server.dashboard.periods import preset_days, reporting_zone
from server.insight.previous_period import previous_period, previous_start
from server.insight.stats import site_stats
from server.schemas.site_page import SitePageQuerySchema

DAY = timedelta(days=1)
#: A ten-day window, 1 to 10 March 2026, and the ten days before it.
WINDOW = "from=2026-03-01&until=2026-03-10"
START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 3, 11, tzinfo=UTC)


def html_of(client, path: str, language: str = "en") -> str:
    """Return the page at `path` in `language`, failing on any status but 200."""
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def headline(html: str, metric: str) -> str:
    """Return the headline card of `metric`."""
    return re.search(rf'<li class="headline" data-metric="{metric}".*?</li>', html, re.S).group(0)


def query_of(link: str) -> dict[str, str]:
    """Return the query of a link as the page writes it, first value each."""
    return {name: values[0] for name, values in parse_qs(urlsplit(unescape(link)).query).items()}


@pytest.mark.parametrize(
    ("metric", "definition", "unit"),
    [
        ("csat", "Share of answers 4 or 5 on a scale of 1 to 5.", "%"),
        ("ces", "Mean ease on a scale of 1 to 7; 7 = very easy.", "of 7"),
        (
            "nps",
            "Share of promoters (9–10) minus share of detractors (0–6); from −100 to 100.",  # noqa: RUF001
            "points",
        ),
        ("thumbs", "Share of “yes” answers.", "%"),
    ],
)
def test_each_score_carries_its_definition_unit_and_interval_in_words(
    signed_in, site, make_response, metric, definition, unit
):
    for score in (1, 1, 1):
        make_response(site, metric, score, received_at=START + DAY)
    card = headline(html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}"), metric)
    assert f'<p class="definition" data-definition>{definition}</p>' in card
    assert f'<p class="unit">{unit}</p>' in card
    summary = site_stats(site, metric, "none", {"start": START, "end": END})["overall"]
    low, high = (f"{bound:g}" for bound in summary["ci95"])
    assert f"The true score very likely (95 %) lies between {low} and {high}." in card


@pytest.mark.parametrize(
    ("name", "value", "language", "text"),
    [
        ("q", 2e-22, "en", "q < 0.001"),
        ("q", 2e-22, "nl", "q < 0,001"),
        ("p", 0.012345, "en", "p = 0.012"),
        ("p", 0.012345, "nl", "p = 0,012"),
        ("q", 0.001, "en", "q = 0.001"),
        ("q", 0.5, "en", "q = 0.5"),
    ],
)
def test_probabilities_read_at_a_glance(app, name, value, language, text):
    with app.test_request_context("/admin/", headers={"Accept-Language": language}):
        assert probability_text(name, value) == text


@pytest.mark.parametrize(
    ("key", "today", "first", "last"),
    [
        ("7d", date(2026, 3, 10), date(2026, 3, 4), date(2026, 3, 10)),
        ("30d", date(2026, 3, 10), date(2026, 2, 9), date(2026, 3, 10)),
        ("90d", date(2026, 3, 10), date(2025, 12, 11), date(2026, 3, 10)),
        ("quarter", date(2026, 3, 10), date(2026, 1, 1), date(2026, 3, 10)),
        ("quarter", date(2026, 12, 31), date(2026, 10, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 4, 1), date(2026, 4, 1), date(2026, 4, 1)),
    ],
)
def test_a_preset_names_its_first_and_last_day(key, today, first, last):
    assert preset_days(key, today) == (first, last)
    assert (last - first).days + 1 == {"7d": 7, "30d": 30, "90d": 90}.get(
        key, (last - first).days + 1
    )


def test_the_preset_links_report_exactly_their_days(signed_in, site):
    html = html_of(signed_in, f"/admin/sites/{site.key}?phase=conversion")
    today = datetime.now(UTC).date()
    links = dict(re.findall(r'data-preset="([^"]+)" href="([^"]+)"', html))
    assert set(links) == {"7d", "30d", "90d", "quarter"}
    for key, link in links.items():
        first, last = preset_days(key, today)
        query = query_of(link)
        assert (query["from"], query["until"]) == (first.isoformat(), last.isoformat())
        assert query["phase"] == "conversion", "a preset keeps the page's filters"
        page = html_of(signed_in, unescape(link))
        export = query_of(re.search(r'data-export="all" href="([^"]+)"', page).group(1))
        assert export["from"] == f"{first.isoformat()}T00:00:00.000000Z"
        assert export["to"] == f"{(last + DAY).isoformat()}T00:00:00.000000Z"


def test_the_last_day_is_included(signed_in, site, make_response):
    make_response(site, "csat", 5, received_at=datetime(2026, 3, 10, 23, 59, 59, tzinfo=UTC))
    make_response(site, "csat", 1, received_at=datetime(2026, 3, 11, tzinfo=UTC))
    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}&metric=csat")
    assert "Up to and including" in html and "To (exclusive)" not in html
    assert 'name="until" value="2026-03-10"' in html
    assert '<p class="big" data-score>100</p>' in headline(html, "csat")


def test_days_are_read_in_the_site_s_reporting_time_zone():
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert reporting_zone(SimpleNamespace(timezone="Europe/Amsterdam")) == amsterdam
    assert reporting_zone(SimpleNamespace(timezone="Mars/Olympus")).key == "UTC"
    assert reporting_zone(SimpleNamespace()).key == "UTC"
    window = SitePageQuerySchema(amsterdam).load({"from": "2026-03-28", "until": "2026-03-29"})
    # Summer time begins on 29 March: that day is 23 hours long.
    assert window["start"] == datetime(2026, 3, 27, 23, tzinfo=UTC)
    assert window["end"] == datetime(2026, 3, 29, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    "query",
    [
        {"until": "9999-12-31"},
        {"until": "2026-02-30"},
        {"from": "2026-03-03", "until": "2026-03-01"},
    ],
)
def test_an_impossible_last_day_is_a_form_error(query):
    with pytest.raises(ValidationError):
        SitePageQuerySchema(ZoneInfo("Pacific/Kiritimati")).load(query)


def test_headlines_compare_with_the_previous_period(signed_in, site, make_response, admin_headers):
    before = previous_start(START, END)
    assert before == START - 10 * DAY
    for _ in range(12):
        make_response(site, "csat", 5, received_at=START + DAY)
        make_response(site, "csat", 1, received_at=before + DAY)
    for score in (6, 5, 6):
        make_response(site, "ces", score, received_at=START + 2 * DAY)
    for score in (5, 6, 6):
        make_response(site, "ces", score, received_at=before + 2 * DAY)
    make_response(site, "nps", 9, received_at=START + DAY)
    api = signed_in.get(
        f"/api/v1/admin/sites/{site.key}/stats?metric=csat&from={before.date()}&to={START.date()}",
        headers=admin_headers,
    ).get_json()
    comparison = previous_period(site, {"start": START, "end": END})
    assert comparison["csat"]["previous"] == api["overall"]
    assert comparison["csat"]["delta"] == 100.0
    assert comparison["csat"]["q_value"] < 0.001
    assert comparison["ces"]["delta"] == 0.0 and comparison["ces"]["q_value"] > 0.05
    assert comparison["nps"]["delta"] is None and comparison["nps"]["p_value"] is None

    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}")
    csat = headline(html, "csat")
    assert "Up 100 from 0 in the previous period." in csat
    assert "very unlikely to be chance" in csat and "q &lt; 0.001" in csat
    assert "12 responses before" in csat
    ces = headline(html, "ces")
    assert "Unchanged from the previous period (5.67)." in ces and "could be chance" in ces
    nps = headline(html, "nps")
    assert "No responses in the previous period to compare with." in nps


def test_a_drop_is_told_as_one(signed_in, site, make_response):
    make_response(site, "thumbs", 0, received_at=START + DAY)
    make_response(site, "thumbs", 1, received_at=START - DAY)
    card = headline(html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}"), "thumbs")
    assert "Down 100 from 100 in the previous period." in card
    assert "1 response before" in card and "chance" in card


def test_comments_span_every_metric_and_a_metric_filter_keeps_working(
    signed_in, site, make_response
):
    make_response(site, "csat", 2, comment="Slow blog", received_at=START + DAY)
    make_response(site, "ces", 1, comment="Checkout was hard", received_at=START + 2 * DAY)
    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}&metric=csat")
    cards = re.findall(r'<li class="comment-card"[^>]*data-metric="(\w+)">(.*?)</li>', html, re.S)
    assert [metric for metric, _ in cards] == ["ces", "csat"]
    assert "Checkout was hard" in cards[0][1] and "<dd data-score>CES 1</dd>" in cards[0][1]
    assert "<dd data-score>CSAT 2</dd>" in cards[1][1]
    only = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}&comment_metric=ces")
    assert "Checkout was hard" in only and "Slow blog" not in only
    assert '<option value="ces" selected>' in only


def test_older_comments_keep_the_reader_s_place(signed_in, site, make_response):
    for minute in range(25):
        make_response(
            site, "csat", 3, comment=f"note {minute}", received_at=START + minute * DAY / 100
        )
    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}")
    assert '<section class="card" id="comments" tabindex="-1"' in html
    older = re.search(r'href="([^"]+)" rel="next"', html).group(1)
    assert urlsplit(unescape(older)).fragment == "comments"
    second = html_of(signed_in, unescape(older).split("#")[0])
    newest = re.search(r'<p class="pager">\s*<a href="([^"]+)"', second).group(1)
    assert urlsplit(unescape(newest)).fragment == "comments"


@pytest.mark.parametrize(("count", "text"), [(1, "1 response before"), (2, "2 responses before")])
def test_counts_choose_their_plural_form(signed_in, site, make_response, count, text):
    make_response(site, "csat", 5, received_at=START + DAY)
    make_response(site, "csat", 4, received_at=START + DAY)
    for _ in range(count):
        make_response(site, "csat", 1, received_at=START - DAY)
    card = headline(html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}"), "csat")
    assert text in card


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "1 response · too few", "· 2 responses</p>"),
        ("nl", "1 reactie · te weinig", "· 2 reacties</p>"),
    ],
)
def test_plural_forms_follow_each_catalog(signed_in, site, make_response, language, one, many):
    make_response(site, "ces", 6, received_at=START + DAY)
    for _ in range(2):
        make_response(site, "nps", 9, received_at=START + DAY)
    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}", language)
    assert one in headline(html, "ces") and many in headline(html, "nps")


def test_comment_times_are_in_the_reporting_zone_and_locale(app, signed_in, site, make_response):
    when = datetime(2026, 3, 4, 13, 5, 9, tzinfo=UTC)
    make_response(site, "csat", 4, comment="On time", received_at=when)
    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}", "nl")
    assert '<time datetime="2026-03-04T13:05:09+00:00">4 mrt 2026, 13:05:09</time>' in html


def test_the_export_offers_every_metric_in_one_file(signed_in, site, make_response, admin_headers):
    make_response(site, "csat", 5, comment="good", received_at=START + DAY)
    make_response(site, "nps", 2, comment="bad", received_at=START + DAY)
    html = html_of(signed_in, f"/admin/sites/{site.key}?{WINDOW}&metric=csat")
    every = query_of(re.search(r'data-export="all" href="([^"]+)"', html).group(1))
    assert "metric" not in every and every["format"] == "csv"
    one = query_of(re.search(r'data-export="metric" href="([^"]+)"', html).group(1))
    assert one["metric"] == "csat"
    excel = query_of(re.search(r'data-export="xlsx" href="([^"]+)"', html).group(1))
    assert excel["format"] == "xlsx"
    link = unescape(re.search(r'data-export="all" href="([^"]+)"', html).group(1))
    download = signed_in.get(link).get_data(as_text=True)
    api = signed_in.get(
        f"/api/v1/admin/sites/{site.key}/export?format=csv&from={every['from']}&to={every['to']}",
        headers=admin_headers,
    ).get_data(as_text=True)
    assert download == api and "good" in download and "bad" in download
