"""The dialog: ways to open it, each metric's scale, keyboard use, accessibility, languages."""

import re

import pytest

from .conftest import run_axe, stub_script, wait_for_widget

DEEP_FOCUS = """() => { let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el.type === 'radio' ? 'radio ' + el.value : el.textContent }"""

INSIDE_DIALOG = """() => { const root = document.querySelector('touchpoint-widget').shadowRoot;
  return !!root.activeElement && !!root.activeElement.closest('dialog') }"""


def open_by(page, how):
    if how == "click":
        page.get_by_role("button", name="Feedback").click()
    else:
        page.evaluate(f"Touchpoint.{how}()" if how != "call" else "Touchpoint('open')")


@pytest.mark.parametrize("how", ["click", "open", "ask", "call"])
def test_the_dialog_opens(open_host_page, site_key, how):
    page = open_host_page(site_key)
    open_by(page, how)
    dialog = page.get_by_role("dialog", name="How satisfied are you?")
    dialog.wait_for()
    assert dialog.get_attribute("aria-modal") == "true"
    assert dialog.get_attribute("lang") == "en"
    assert page.get_by_role("radiogroup", name="How satisfied are you?").is_visible()
    assert page.evaluate(INSIDE_DIALOG)


def test_calls_queued_before_load_are_replayed_in_order(open_host_page, site_key):
    head = stub_script(["setTags", {"plan": "pro"}]).replace(
        "</script>",
        "window.heard = [];"
        "Touchpoint('on', 'open', function () { heard.push('before') });"
        "Touchpoint('open', {metric: 'nps'});"
        "Touchpoint('on', 'open', function () { heard.push('after') });</script>",
    )
    page = open_host_page(site_key, head=head)
    page.get_by_role("dialog", name="How likely are you to recommend us?").wait_for()
    assert page.get_by_role("radio").count() == 11
    # Replay keeps the order: the listener queued before `open` heard it, the later one not.
    assert page.evaluate("heard") == ["before"]


@pytest.mark.parametrize(
    ("metric", "count", "first", "last"),
    [
        ("csat", 5, "1 \N{EN DASH} very dissatisfied", "5 \N{EN DASH} very satisfied"),
        ("ces", 7, "1 \N{EN DASH} very difficult", "7 \N{EN DASH} very easy"),
        ("nps", 11, "0 \N{EN DASH} not at all likely", "10 \N{EN DASH} extremely likely"),
        ("thumbs", 2, "0 \N{EN DASH} no", "1 \N{EN DASH} yes"),
    ],
)
def test_each_metric_renders_its_scale(open_host_page, site_key, metric, count, first, last):
    page = open_host_page(site_key, attributes={"metric": metric})
    page.get_by_role("button", name="Feedback").click()
    radios = page.get_by_role("radio")
    radios.first.wait_for(state="attached")
    assert radios.count() == count
    names = re.findall(r'radio "([^"]*)"', page.get_by_role("radiogroup").aria_snapshot())
    assert len(names) == count
    assert names[0] == first and names[-1] == last
    assert all(re.match(r"^\d+( \N{EN DASH} |$)", name) for name in names)
    assert page.get_by_role("radio", name=first, exact=True).count() == 1


def test_ask_chooses_the_metric_and_question(open_host_page, site_key):
    page = open_host_page(site_key)
    page.evaluate("Touchpoint.ask({metric: 'ces', question: 'How easy was paying?'})")
    page.get_by_role("dialog", name="How easy was paying?").wait_for()
    assert page.get_by_role("radio").count() == 7


def test_keyboard_tab_is_trapped_arrows_move_esc_closes_and_focus_returns(open_host_page, site_key):
    page = open_host_page(site_key)
    page.get_by_role("button", name="Feedback").focus()
    page.keyboard.press("Enter")
    page.get_by_role("dialog").wait_for()
    page.get_by_role("radio").first.wait_for(state="attached")
    assert page.evaluate(DEEP_FOCUS) == "radio 1"

    page.keyboard.press("ArrowRight")
    assert page.evaluate(DEEP_FOCUS) == "radio 2"
    assert page.get_by_role("radio", name="2 \N{EN DASH} dissatisfied").is_checked()
    page.keyboard.press("ArrowLeft")
    assert page.get_by_role("radio", name="1 \N{EN DASH} very dissatisfied").is_checked()

    # After a low score the six reasons are stops too.
    seen = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate(INSIDE_DIALOG)
        seen.add(page.evaluate(DEEP_FOCUS))
    assert {"Send", "Close", "radio 1"} <= seen
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(INSIDE_DIALOG)

    page.keyboard.press("Escape")
    assert not page.get_by_role("dialog").is_visible()
    assert page.evaluate(DEEP_FOCUS) == "Feedback"


def test_focus_returns_to_the_element_that_opened_it(open_host_page, site_key):
    page = open_host_page(site_key)
    page.evaluate(
        "document.getElementById('buy').addEventListener('click', () => Touchpoint.ask())"
    )
    page.get_by_role("button", name="Buy").click()
    page.get_by_role("dialog").wait_for()
    page.get_by_role("button", name="Close").click()
    assert page.evaluate("document.activeElement.id") == "buy"


def test_events_report_open_and_close(open_host_page, site_key):
    page = open_host_page(site_key)
    page.evaluate(
        "window.seen = []; ['open', 'close'].forEach(e => Touchpoint.on(e, () => seen.push(e)))"
    )
    page.evaluate("Touchpoint.open()")
    page.get_by_role("dialog").wait_for()
    page.evaluate("Touchpoint.close()")
    assert page.evaluate("seen") == ["open", "close"]


def test_choosing_no_score_asks_for_one(open_host_page, site_key):
    page = open_host_page(site_key)
    page.evaluate("Touchpoint.open()")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_role("status").inner_text() == "Please choose a score first."
    assert page.evaluate(DEEP_FOCUS) == "radio 1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("color", [None, "#ffd400"])
def test_axe_finds_no_violations_with_the_dialog_open(open_host_page, site_key, scheme, color):
    page = open_host_page(site_key, attributes={"color": color} if color else None)
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    assert run_axe(page) == []
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("radio").first.wait_for(state="attached")
    page.get_by_role("radio").nth(3).check()
    page.get_by_role("textbox").fill("Fine")
    assert run_axe(page) == []


def test_reduced_motion_turns_the_animation_off(open_host_page, site_key):
    page = open_host_page(site_key)
    page.emulate_media(reduced_motion="reduce")
    page.evaluate("Touchpoint.open()")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert dialog.evaluate("el => getComputedStyle(el).animationName") == "none"


def test_dark_scheme_darkens_the_dialog(open_host_page, site_key):
    page = open_host_page(site_key)
    page.emulate_media(color_scheme="dark")
    page.evaluate("Touchpoint.open()")
    background = page.get_by_role("dialog").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(29, 30, 34)"


DUTCH = {
    "label": "Feedback",
    "question": "Hoe tevreden ben je?",
    "radio": "4 \N{EN DASH} tevreden",
    "comment": "Opmerking (optioneel)",
    "send": "Versturen",
    "close": "Sluiten",
}
ENGLISH = {
    "label": "Feedback",
    "question": "How satisfied are you?",
    "radio": "4 \N{EN DASH} satisfied",
    "comment": "Comment (optional)",
    "send": "Send",
    "close": "Close",
}


@pytest.mark.parametrize(
    ("data_locale", "browser_locale", "texts", "lang"),
    [
        ("nl", "en-US", DUTCH, "nl"),
        ("nl-BE", "en-US", DUTCH, "nl"),
        # The host page is <html lang="en">, which comes before the browser's language.
        (None, "nl-NL", ENGLISH, "en"),
        ("en", "nl-NL", ENGLISH, "en"),
        (None, "fr-FR", ENGLISH, "en"),
    ],
)
def test_texts_follow_data_locale_then_the_page(
    chromium, live_server, host_pages, site_key, data_locale, browser_locale, texts, lang
):
    from .conftest import host_html

    context = chromium.new_context(locale=browser_locale)
    try:
        page = context.new_page()
        attributes = {"locale": data_locale} if data_locale else None
        page.goto(host_pages.add(host_html(live_server.url, site_key, attributes)))
        wait_for_widget(page)
        page.get_by_role("button", name=texts["label"]).click()
        dialog = page.get_by_role("dialog", name=texts["question"])
        dialog.wait_for()
        assert dialog.get_attribute("lang") == lang
        assert page.get_by_role("radio", name=texts["radio"]).count() == 1
        assert page.get_by_role("textbox", name=texts["comment"]).count() == 1
        assert page.get_by_role("button", name=texts["send"]).count() == 1
        assert page.get_by_role("button", name=texts["close"]).count() == 1
    finally:
        context.close()


def test_site_settings_from_config_apply_when_the_tag_is_silent(
    open_host_page, live_server, host_pages
):
    key = live_server.create_site(
        allowed_origins=[host_pages.url],
        widget={
            "metric": "nps",
            "questions": {"en": "Would you recommend our shop?"},
            "label": "Your opinion",
            "color": "#0b3d2e",
        },
    )
    page = open_host_page(key)
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("dialog", name="Would you recommend our shop?").wait_for()
    assert page.get_by_role("radio").count() == 11
    trigger = page.get_by_role("button", name="Your opinion")
    assert trigger.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(11, 61, 46)"
    page.keyboard.press("Escape")
    # The site's own question belongs to its metric; another metric keeps the standard one.
    page.evaluate("Touchpoint.open({metric: 'ces'})")
    page.get_by_role("dialog", name="How easy was it?").wait_for()


def test_data_attributes_win_over_site_settings(open_host_page, live_server, host_pages):
    key = live_server.create_site(
        allowed_origins=[host_pages.url], widget={"metric": "nps", "label": "Your opinion"}
    )
    page = open_host_page(key, attributes={"metric": "thumbs", "label": "Helpful?"})
    page.get_by_role("button", name="Helpful?").click()
    page.get_by_role("dialog", name="Was this page helpful?").wait_for()
    assert page.get_by_role("radio").count() == 2
    assert page.get_by_role("button", name="Helpful?").count() == 1


def test_the_demo_shops_pay_button_asks_how_easy_it_was(browser_page, live_server):
    live_server.create_site(name="Demo shop", allowed_origins=[live_server.url])
    page = browser_page.page
    page.goto(f"{live_server.url}/demo/checkout/pay")
    wait_for_widget(page)
    page.get_by_role("button", name="Pay").click()
    page.get_by_role("dialog", name="How easy was it?").wait_for()
    assert page.get_by_role("radio").count() == 7
    assert browser_page.console_errors == [] and browser_page.page_errors == []
