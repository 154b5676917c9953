"""The dashboard's message tables: complete in every language, chosen from the request."""

import re

import pytest

from server.dashboard.messages import EN, MESSAGES
from server.dashboard.translations import translate
from server.insight.themes import THEMES
from server.models import METRICS, PHASES

PLACEHOLDER = re.compile(r"{(\w+)}")


@pytest.mark.parametrize("language", sorted(MESSAGES))
def test_every_table_has_every_key_with_the_same_placeholders(language):
    table = MESSAGES[language]
    assert set(table) == set(EN)
    for key, text in EN.items():
        assert set(PLACEHOLDER.findall(table[key])) == set(PLACEHOLDER.findall(text)), key


@pytest.mark.parametrize("language", sorted(MESSAGES))
def test_every_metric_phase_and_theme_has_a_name(language):
    names = [f"metric.{m}" for m in METRICS] + [f"phase.{p}" for p in (*PHASES, "unknown")]
    names += [f"theme.{theme}" for theme in THEMES]
    assert all(MESSAGES[language].get(name) for name in names)


def test_translate_fills_placeholders(app):
    with app.test_request_context("/admin/", headers={"Accept-Language": "nl"}):
        assert translate("site.no_interval", count=1) == "1 reacties · te weinig voor een interval"
        assert translate("site.no_interval", "en", count=3).startswith("3 responses")


def test_unknown_languages_fall_back_to_english(app):
    with app.test_request_context("/admin/", headers={"Accept-Language": "fr-FR,de;q=0.5"}):
        assert translate("sign_in.title") == "Sign in"
