"""The dashboard's overview numbers: themes per phase count every complaint once."""

from datetime import UTC, datetime, timedelta

from server.insight.overview import themes_by_phase
from server.insight.themes import THEME_BITS
from server.models import PHASES

WINDOW = {"start": datetime.now(UTC) - timedelta(days=1), "end": datetime.now(UTC)}


def test_responses_without_a_phase_count_under_unknown(app, site, make_response):
    received_at = datetime.now(UTC) - timedelta(hours=1)
    for phase in ("conversion", None, None):
        make_response(
            site, "csat", 1, phase=phase, themes=THEME_BITS["speed"], received_at=received_at
        )
    themes = themes_by_phase(site, "csat", WINDOW)
    assert themes["phases"] == [*PHASES, "unknown"]
    assert themes["counts"]["speed"] == [0, 0, 1, 0, 0, 2]
    assert sum(themes["counts"]["speed"]) == 3
    assert themes["largest"] == 2


def test_a_page_filtered_to_one_phase_shows_it_alone(app, site, make_response):
    make_response(site, "csat", 1, phase=None, themes=THEME_BITS["waiting"])
    themes = themes_by_phase(
        site, "csat", {**WINDOW, "end": datetime.now(UTC) + timedelta(1), "phase": "unknown"}
    )
    assert themes["phases"] == ["unknown"]
    assert themes["counts"]["waiting"] == [1]
