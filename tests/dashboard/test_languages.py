"""The dashboard in five languages: texts, plural forms, numbers, dates and form errors."""

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_datetime
from babel.numbers import format_decimal
from dashboard_session import secret_of, settings_form, sign_in

from server.dashboard.i18n import LANGUAGES, decimal_text, significant_text

SIGN_IN_TITLES = {
    "en": "Sign in",
    "nl": "Aanmelden",
    "de": "Anmelden",
    "fr": "Se connecter",
    "es": "Iniciar sesión",
}


def page(client, path: str, language: str) -> str:
    """Return the page at `path` as a reader whose browser prefers `language` sees it."""
    response = client.get(path, headers={"Accept-Language": f"{language},en;q=0.5"})
    assert response.status_code in (200, 422), response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_language_is_served_with_its_texts(client, language):
    html = page(client, "/admin/sign-in", language)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{SIGN_IN_TITLES[language]}</h1>" in html
    for code, name in LANGUAGES.items():
        assert f'lang="{code}"' in html and name in html


def test_an_unknown_language_falls_back_to_english(client):
    html = client.get("/admin/sign-in", headers={"Accept-Language": "pt-BR,ja"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html and "<h1>Sign in</h1>" in html


def test_the_switch_wins_over_the_browser_for_every_language(client):
    for code, title in SIGN_IN_TITLES.items():
        client.get(f"/admin/language/{code}")
        html = client.get("/admin/sign-in", headers={"Accept-Language": "nl"}).get_data(
            as_text=True
        )
        assert f"<h1>{title}</h1>" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "65.2"), ("nl", "65,2"), ("de", "65,2"), ("fr", "65,2"), ("es", "65,2")],
)
def test_scores_use_the_locale_s_decimal_sign(app, language, expected):
    with app.test_request_context("/admin/", headers={"Accept-Language": language}):
        assert decimal_text(65.2) == expected
        assert decimal_text(-12.25) == format_decimal(-12.25, locale=language)
        assert significant_text(0.0012345) == f"0{expected[2]}0012"


@pytest.mark.parametrize(("language", "grouped"), [("en", "12,345"), ("nl", "12.345")])
def test_counts_are_grouped_per_locale(app, language, grouped):
    with app.test_request_context("/admin/", headers={"Accept-Language": language}):
        assert decimal_text(12345) == grouped


def test_the_api_stays_english_for_a_dutch_reader(signed_in, admin_headers, site):
    signed_in.get("/admin/language/nl")
    response = signed_in.patch(
        f"/api/v1/admin/sites/{site.key}",
        json={"widget": {"color": "blue"}},
        headers={**admin_headers, "Accept-Language": "nl"},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["widget.color"] == [
        "A CSS hex colour like #0a7 or #00aa77."
    ]


@pytest.mark.parametrize(
    ("language", "score", "interval_text"),
    [("en", "42.86", "responses"), ("nl", "42,86", "reacties"), ("de", "42,86", "Antworten")],
)
def test_a_site_page_shows_scores_counts_and_dates_in_the_reader_s_language(
    signed_in, site, make_response, admin_headers, language, score, interval_text
):
    when = datetime(2026, 3, 4, 13, 5, 9, tzinfo=UTC)
    for index in range(7):
        make_response(site, "csat", 5 if index < 3 else 2, received_at=when, comment=f"c{index}")
    window = f"from={when.date()}&to={(when + timedelta(days=1)).date()}&metric=csat"
    api = signed_in.get(
        f"/api/v1/admin/sites/{site.key}/stats?{window}", headers=admin_headers
    ).get_json()
    assert format_decimal(api["overall"]["score"], locale="en") == score.replace(",", ".")
    html = page(signed_in, f"/admin/sites/{site.key}?{window}", language)
    assert f'<p class="big" data-score>{score}</p>' in html
    assert f"7 {interval_text}" in html
    assert format_datetime(when, "medium", tzinfo=UTC, locale=language) in html


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "1 response · too few", "· 2 responses</p>"),
        ("nl", "1 reactie · te weinig", "· 2 reacties</p>"),
        ("fr", "1 réponse · trop peu", "· 2 réponses</p>"),
    ],
)
def test_a_count_chooses_the_plural_form(signed_in, site, make_response, language, one, many):
    make_response(site, "nps", 9)
    for _ in range(2):
        make_response(site, "ces", 6)
    html = page(signed_in, f"/admin/sites/{site.key}", language)
    assert one in html and many in html


@pytest.mark.parametrize(
    ("language", "color_error", "cooldown_error"),
    [
        ("en", "A CSS hex colour like #0a7 or #00aa77.", "Not a valid integer."),
        ("nl", "Een hexadecimale CSS-kleur, zoals #0a7 of #00aa77.", "Geen geldig geheel getal."),
        ("fr", "Une couleur CSS hexadécimale, comme #0a7 ou #00aa77.", "Ce n&#39;est pas un"),
    ],
)
def test_settings_errors_are_shown_in_the_reader_s_language(
    client, admin_headers, site, language, color_error, cooldown_error
):
    client.get(f"/admin/language/{language}")
    assert sign_in(client, secret_of(admin_headers)).status_code == 302
    form = settings_form(client, site, color="blue", cooldown_days="soon")
    response = client.post(f"/admin/sites/{site.key}/settings", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert color_error in html and cooldown_error in html
