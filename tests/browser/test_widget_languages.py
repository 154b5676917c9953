"""Six languages: chosen from data-locale, <html lang>, navigator.language; Arabic right to left."""

import pytest

from .conftest import host_html, run_axe, wait_for_widget

# (language, trigger label, CSAT question, Send, a score's accessible name)
LANGUAGES = [
    ("en", "Feedback", "How satisfied are you?", "Send", "4 \N{EN DASH} satisfied"),
    ("nl", "Feedback", "Hoe tevreden ben je?", "Versturen", "4 \N{EN DASH} tevreden"),
    ("de", "Feedback", "Wie zufrieden sind Sie?", "Senden", "4 \N{EN DASH} zufrieden"),
    ("fr", "Votre avis", "Êtes-vous satisfait ?", "Envoyer", "4 \N{EN DASH} satisfait"),
    ("es", "Opinión", "¿Qué tan satisfecho estás?", "Enviar", "4 \N{EN DASH} satisfecho"),
    ("ar", "رأيك", "ما مدى رضاك؟", "إرسال", "4 \N{EN DASH} راضٍ"),
]


def dialog_of(page):
    return page.locator("touchpoint-widget dialog")


@pytest.mark.parametrize(("lang", "label", "question", "send", "score"), LANGUAGES)
def test_each_language_renders_its_texts_and_is_axe_clean(
    open_host_page, site_key, lang, label, question, send, score
):
    page = open_host_page(site_key, attributes={"locale": lang})
    page.get_by_role("button", name=label, exact=True).click()
    page.get_by_role("heading", name=question).wait_for()
    dialog = dialog_of(page)
    assert dialog.get_attribute("lang") == lang
    assert dialog.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.get_by_role("button", name=send, exact=True).is_visible()
    page.get_by_role("radio", name=score, exact=True).check()
    assert run_axe(page) == []


def test_the_language_comes_from_html_lang_before_navigator(
    browser_page, live_server, host_pages, site_key
):
    html = host_html(live_server.url, site_key).replace('<html lang="en">', '<html lang="de-AT">')
    page = browser_page.page
    page.goto(host_pages.add(html))
    wait_for_widget(page)
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("heading", name="Wie zufrieden sind Sie?").wait_for()


def test_the_language_comes_from_navigator_without_attribute_or_lang(
    chromium, live_server, host_pages, site_key
):
    context = chromium.new_context(locale="es-MX")
    try:
        page = context.new_page()
        html = host_html(live_server.url, site_key).replace('<html lang="en">', "<html>")
        page.goto(host_pages.add(html))
        wait_for_widget(page)
        page.get_by_role("button", name="Opinión").click()
        page.get_by_role("heading", name="¿Qué tan satisfecho estás?").wait_for()
    finally:
        context.close()


def test_data_locale_wins_over_html_lang(open_host_page, site_key):
    # host_html's page is <html lang="en">.
    page = open_host_page(site_key, attributes={"locale": "fr-BE"})
    page.get_by_role("button", name="Votre avis").click()
    page.get_by_role("heading", name="Êtes-vous satisfait ?").wait_for()


def test_arabic_nps_reads_0_to_10_from_the_right(open_host_page, site_key):
    page = open_host_page(site_key, attributes={"locale": "ar", "metric": "nps"})
    page.get_by_role("button", name="رأيك").click()
    page.get_by_role("heading", name="ما مدى احتمال أن توصي بنا؟").wait_for()
    radios = [page.locator(f"touchpoint-widget input[value='{n}']") for n in (0, 5, 10)]
    assert radios[0].get_attribute("name") == "score"
    boxes = [radio.bounding_box() for radio in radios]
    # Right to left: 0 is rightmost, 10 leftmost; the names keep Western digits.
    assert boxes[0]["x"] > boxes[1]["x"] > boxes[2]["x"]
    ends = page.locator("touchpoint-widget .ends span").all()
    assert ends[0].bounding_box()["x"] > ends[1].bounding_box()["x"]
    assert run_axe(page) == []


def test_a_host_page_in_rtl_keeps_an_english_dialog_left_to_right(open_host_page, site_key):
    page = open_host_page(site_key, head="<style>html{direction:rtl}</style>")
    page.evaluate("document.documentElement.dir = 'rtl'")
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("heading", name="How satisfied are you?").wait_for()
    assert dialog_of(page).get_attribute("dir") == "ltr"
    one, five = (
        page.get_by_role("radio", name=n).bounding_box()
        for n in ("1 \N{EN DASH} very dissatisfied", "5 \N{EN DASH} very satisfied")
    )
    assert one["x"] < five["x"]


def test_english_shows_without_waiting_for_the_lazy_module(open_host_page, site_key, live_server):
    page = open_host_page(site_key, attributes={"metric": "csat"})
    # The module never arrives: English still asks; it needs the module only after a score.
    page.route(f"{live_server.url}/widget/*", lambda route: route.abort())
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("heading", name="How satisfied are you?").wait_for()


def test_a_language_whose_module_fails_falls_back_to_english(open_host_page, site_key, live_server):
    page = open_host_page(site_key, attributes={"locale": "de"})
    page.route(f"{live_server.url}/widget/*", lambda route: route.abort())
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("heading", name="How satisfied are you?").wait_for()
    assert dialog_of(page).get_attribute("lang") == "en"
